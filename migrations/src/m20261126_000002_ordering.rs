//! What ordering needs beyond the initial schema: the quantities an order asks for, and the
//! one-trial-per-product rule; and a covering index for the users list's broad email searches.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000002_ordering"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The limit of every resource the order asks for, read by fulfilment. (Order lines hold
        // what is charged, which leaves out units included in the plan.)
        m.create_table(
            Table::create()
                .table("order_resources")
                .col(pk_auto("id"))
                .col(integer("order_id"))
                .col(integer("resource_rate_id"))
                .col(big_integer("units"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_order_resources_order_id")
                        .from("order_resources", "order_id")
                        .to("orders", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_order_resources_resource_rate_id")
                        .from("order_resources", "resource_rate_id")
                        .to("resource_rates", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_order_resources_order_rate")
                .table("order_resources")
                .col("order_id")
                .col("resource_rate_id")
                .unique()
                .take(),
        )
        .await?;

        // One trial per product per customer: the unique key decides between two racing orders.
        m.create_table(
            Table::create()
                .table("trial_claims")
                .col(pk_auto("id"))
                .col(integer("customer_id"))
                .col(integer("product_id"))
                .col(integer("order_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_trial_claims_customer_id")
                        .from("trial_claims", "customer_id")
                        .to("customers", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_trial_claims_product_id")
                        .from("trial_claims", "product_id")
                        .to("products", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_trial_claims_order_id")
                        .from("trial_claims", "order_id")
                        .to("orders", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_trial_claims_customer_product")
                .table("trial_claims")
                .col("customer_id")
                .col("product_id")
                .unique()
                .take(),
        )
        .await?;
        // The users list counts a broad email search's matches whose name does not match: with
        // the name in the index, that count reads no table rows.
        m.drop_index(
            Index::drop()
                .name("ix_people_customer_email")
                .table("people")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_people_customer_email_name")
                .table("people")
                .col("customer_id")
                .col("email")
                .col("name_key")
                .take(),
        )
        .await?;
        // The unread count of the notification bell.
        m.create_index(
            Index::create()
                .name("ix_notifications_person_unread")
                .table("notifications")
                .col("person_id")
                .col("read_at")
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_notifications_person_unread")
                .table("notifications")
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("ix_people_customer_email_name")
                .table("people")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_people_customer_email")
                .table("people")
                .col("customer_id")
                .col("email")
                .take(),
        )
        .await?;
        m.drop_table(Table::drop().table("trial_claims").take())
            .await?;
        m.drop_table(Table::drop().table("order_resources").take())
            .await?;
        Ok(())
    }
}

//! Resource changes, renewals and usage of running subscriptions:
//! - an order remembers the limit each resource had when it was placed (`previous_units`), so
//!   completing it applies exactly the move the customer confirmed;
//! - an order line says which document it belongs to (`credit`: the credit note of a reduction,
//!   otherwise the invoice) and, when prorated, its days of the period (`prorated_days` of
//!   `period_days`); document lines carry the same days, so a reader can check the amount;
//! - at most one order that moves a subscription (a change or a renewal) is open at a time: a
//!   unique index over those open orders lets the database, not a check before the insert,
//!   refuse the second one;
//! - `subscription_notices` records each notice sent before a period ends (30 and 7 days), one
//!   per subscription, period and notice, so several server processes send each exactly once;
//! - `usage_samples` keeps the usage the vendor reported for a quota resource, one a day (a
//!   unique index, so one process records each day), for the 30-day chart; `usage_alert` on a
//!   subscription resource is the last threshold announced (0, 80 or 100 percent), so each
//!   crossing is announced once and again only after usage fell back below it;
//! - `scheduled_limit` on a subscription resource is a reduction that waits for the renewal
//!   (asked for after the downsize window closed); the renewal applies it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000005_changes_renewals_usage"
    }
}

use crate::{add_column as add, drop_column as remove};

/// Partial unique indexes read the same on SQLite and PostgreSQL.
const ONE_OPEN_CHANGE: &str = "CREATE UNIQUE INDEX ux_orders_one_open_change \
    ON orders (subscription_id) \
    WHERE order_type IN ('change', 'renewal') AND status IN ('submitted', 'provisioning')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add(m, "order_resources", big_integer_null("previous_units")).await?;
        add(m, "order_lines", boolean("credit").default(false).take()).await?;
        for table in ["order_lines", "billing_document_lines"] {
            add(m, table, integer_null("prorated_days")).await?;
            add(m, table, integer_null("period_days")).await?;
        }
        m.get_connection()
            .execute_unprepared(ONE_OPEN_CHANGE)
            .await?;
        m.create_table(
            Table::create()
                .table("subscription_notices")
                .col(pk_auto("id"))
                .col(integer("subscription_id"))
                .col(date("period_end"))
                .col(integer("days_before"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_subscription_notices_subscription_id")
                        .from("subscription_notices", "subscription_id")
                        .to("subscriptions", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_subscription_notices_once")
                .table("subscription_notices")
                .col("subscription_id")
                .col("period_end")
                .col("days_before")
                .unique()
                .take(),
        )
        .await?;
        add(
            m,
            "subscription_resources",
            integer("usage_alert").default(0).take(),
        )
        .await?;
        add(
            m,
            "subscription_resources",
            big_integer_null("scheduled_limit"),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("usage_samples")
                .col(pk_auto("id"))
                .col(integer("subscription_resource_id"))
                .col(date("day"))
                .col(big_integer("units"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_usage_samples_subscription_resource_id")
                        .from("usage_samples", "subscription_resource_id")
                        .to("subscription_resources", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_usage_samples_resource_day")
                .table("usage_samples")
                .col("subscription_resource_id")
                .col("day")
                .unique()
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("usage_samples").take())
            .await?;
        remove(m, "subscription_resources", "scheduled_limit").await?;
        remove(m, "subscription_resources", "usage_alert").await?;
        m.drop_table(Table::drop().table("subscription_notices").take())
            .await?;
        m.get_connection()
            .execute_unprepared("DROP INDEX ux_orders_one_open_change")
            .await?;
        for table in ["order_lines", "billing_document_lines"] {
            remove(m, table, "period_days").await?;
            remove(m, table, "prorated_days").await?;
        }
        remove(m, "order_lines", "credit").await?;
        remove(m, "order_resources", "previous_units").await?;
        Ok(())
    }
}

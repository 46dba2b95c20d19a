//! Resource changes of running subscriptions (`change` orders):
//! - an order remembers the limit each resource had when it was placed (`previous_units`), so
//!   completing it applies exactly the move the customer confirmed;
//! - an order line says which document it belongs to (`credit`: the credit note of a reduction,
//!   otherwise the invoice) and, when prorated, its days of the period (`prorated_days` of
//!   `period_days`); document lines carry the same days, so a reader can check the amount;
//! - at most one change per subscription is open at a time: a unique index over the open
//!   change orders lets the database, not a check before the insert, refuse the second one.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000005_resource_changes"
    }
}

use crate::{add_column as add, drop_column as remove};

/// Partial unique indexes read the same on SQLite and PostgreSQL.
const ONE_OPEN_CHANGE: &str = "CREATE UNIQUE INDEX ux_orders_one_open_change \
    ON orders (subscription_id) \
    WHERE order_type = 'change' AND status IN ('submitted', 'provisioning')";

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
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
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

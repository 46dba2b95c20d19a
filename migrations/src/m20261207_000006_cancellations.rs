//! Cancellations: a `cancellation` order waits for the reseller's decision (`pending_approval`,
//! then `approved` until the vendor has ended the service), and while it does no change or
//! renewal of the subscription may open, nor the other way round. The unique index over a
//! subscription's open orders now counts cancellations too, so when a cancellation and a change
//! are asked for at the same moment the database lets exactly one in.

use crate::{add_column as add, drop_column as remove};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000006_cancellations"
    }
}

/// Partial unique indexes read the same on SQLite and PostgreSQL.
const ONE_OPEN_ORDER: &str = "CREATE UNIQUE INDEX ux_orders_one_open_order \
    ON orders (subscription_id) \
    WHERE order_type IN ('change', 'renewal', 'cancellation') \
    AND status IN ('submitted', 'provisioning', 'pending_approval', 'approved')";

const ONE_OPEN_CHANGE: &str = "CREATE UNIQUE INDEX ux_orders_one_open_change \
    ON orders (subscription_id) \
    WHERE order_type IN ('change', 'renewal') AND status IN ('submitted', 'provisioning')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX ux_orders_one_open_change")
            .await?;
        db.execute_unprepared(ONE_OPEN_ORDER).await?;
        add(m, "orders", string_null("cancel_status_before")).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        remove(m, "orders", "cancel_status_before").await?;
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX ux_orders_one_open_order")
            .await?;
        db.execute_unprepared(ONE_OPEN_CHANGE).await?;
        Ok(())
    }
}

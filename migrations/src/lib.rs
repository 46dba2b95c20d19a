//! Database schema migrations, run at server start (and by `server migrate`).
//!
//! Every migration must run on both SQLite and PostgreSQL: only portable column types, foreign
//! keys declared inside `CREATE TABLE` (SQLite cannot add them later), plain indexes, and
//! partial unique indexes (the same SQL on both).

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_initial_schema;
mod m20261126_000002_ordering;
mod m20261201_000003_email_change;
mod m20261205_000004_billing_documents;
mod m20261206_000005_changes_renewals_usage;
mod m20261207_000006_cancellations;
mod m20261208_000007_reseller_panel;

/// Adds one column (SQLite adds one per `ALTER TABLE`).
pub(crate) async fn add_column(
    m: &SchemaManager<'_>,
    table: &'static str,
    column: ColumnDef,
) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(table).add_column(column).take())
        .await
}

pub(crate) async fn drop_column(
    m: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(table).drop_column(column).take())
        .await
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_initial_schema::Migration),
            Box::new(m20261126_000002_ordering::Migration),
            Box::new(m20261201_000003_email_change::Migration),
            Box::new(m20261205_000004_billing_documents::Migration),
            Box::new(m20261206_000005_changes_renewals_usage::Migration),
            Box::new(m20261207_000006_cancellations::Migration),
            Box::new(m20261208_000007_reseller_panel::Migration),
        ]
    }
}

//! Write transactions. On SQLite they begin `IMMEDIATE`: the write lock is taken at `BEGIN`, so a
//! concurrent writer waits (up to the busy timeout) instead of failing with "database is locked"
//! when a transaction that started by reading tries to write. PostgreSQL ignores the mode.
//!
//! The one way to write in a transaction: `let transaction = begin_write(db).await?;`, work on
//! `&transaction`, then `transaction.commit().await?`. Every `?` on the way drops it, which
//! rolls back; so an early `return Ok(..)` must commit first (or be written as no early return).

use crate::error::AppError;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

/// Begins a transaction that will write. Dropping it without `commit` rolls it back.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, AppError> {
    Ok(db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?)
}

/// Inserts `row` as the first statement of a transaction that records something once (a notice
/// sent, a day's usage): `false` when a unique index already holds such a row, because another
/// process got there first. Then nothing more may be done in `txn` (PostgreSQL has aborted it):
/// roll it back.
pub async fn insert_once<A>(txn: &DatabaseTransaction, row: A) -> Result<bool, AppError>
where
    A: sea_orm::ActiveModelTrait + sea_orm::ActiveModelBehavior + Send,
    <A::Entity as sea_orm::EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    match row.insert(txn).await {
        Ok(_) => Ok(true),
        Err(err)
            if matches!(
                err.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Ok(false)
        }
        Err(err) => Err(err.into()),
    }
}

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

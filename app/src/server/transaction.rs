//! Write transactions. On SQLite they begin `IMMEDIATE`: the write lock is taken at `BEGIN`, so a
//! concurrent writer waits (up to the busy timeout) instead of failing with "database is locked"
//! when a transaction that started by reading tries to write. PostgreSQL ignores the mode.

use crate::error::AppError;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use std::future::Future;
use std::pin::Pin;

/// Begins a transaction that will write. Dropping it without `commit` rolls it back.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, AppError> {
    Ok(db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?)
}

/// Runs `work` in a write transaction: committed when it returns `Ok`, rolled back otherwise.
pub async fn write<T, F>(db: &DatabaseConnection, work: F) -> Result<T, AppError>
where
    T: Send,
    F: for<'c> FnOnce(
            &'c DatabaseTransaction,
        ) -> Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'c>>
        + Send,
{
    let txn = begin_write(db).await?;
    let value = work(&txn).await?;
    txn.commit().await?;
    Ok(value)
}

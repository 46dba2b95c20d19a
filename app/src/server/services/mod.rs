//! Services: the queries and rules behind the server functions, one area a file. Every query
//! is scoped to the tenant the caller passed in; a row of another tenant is simply not found.

pub mod account;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod catalog;
pub mod dashboard;
pub mod emails;
pub mod fulfilment;
pub mod licenses;
pub mod marketplace;
pub mod notifications;
pub mod orders;
pub mod outbox;
pub mod people;
pub mod person_status;
pub mod reseller;
pub mod subscriptions;
pub mod tokens;

use crate::domain::{Currency, Money};
use crate::error::AppError;

/// Reads a value the database holds as text back into its domain type. A failure means the
/// stored data is corrupt: logged, and an `Internal` error for the caller.
pub(crate) fn stored<T>(parsed: Result<T, String>) -> Result<T, AppError> {
    parsed.map_err(|err| {
        tracing::error!(error = %err, "stored value does not parse");
        AppError::Internal
    })
}

pub(crate) fn money(cents: i64, currency: &str) -> Result<Money, AppError> {
    Ok(Money::new(cents, stored(Currency::parse(currency))?))
}

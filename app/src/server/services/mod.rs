//! Services: the queries and rules behind the server functions, one area a file. Every query
//! is scoped to the tenant the caller passed in; a row of another tenant is simply not found.

pub mod account;
pub mod acting;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod cancellations;
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
pub mod renewals;
pub mod reseller;
pub mod resource_changes;
pub mod subscriptions;
pub mod tokens;
pub mod usage;

//! Server functions, one area a file. Every one is a public HTTP endpoint under `/api/`, so each
//! authenticates, authorizes (role and tenant) and validates on the server before calling a
//! service. The DTOs here are the contract between the server and the browser.

pub mod account;
pub mod acting;
pub mod activity;
pub mod auth;
pub mod billing;
pub mod cancellations;
#[cfg(feature = "ssr")]
mod context;
pub mod dashboard;
pub mod dev;
pub mod licenses;
pub mod marketplace;
pub mod me;
pub mod notifications;
pub mod orders;
pub mod reseller;
pub mod resource_changes;
pub mod subscriptions;
pub mod users;

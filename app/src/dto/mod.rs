//! What travels between the server and the browser: the shapes server functions take and answer,
//! one area a file, named as the `api/` file that serves them.
//!
//! This layer sits below both `api/` (which answers with these) and `server/services/` (which
//! build them), so neither imports the other's types; pages read them. Plain data with serde and
//! small helpers for showing it; no database, no leptos.

pub mod account;
pub mod activity;
pub mod auth;
pub mod billing;
pub mod cancellations;
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

//! Server-only code (feature `ssr`): state, sessions, services over the database, workers.
//!
//! Nothing in here is compiled into the browser bundle. Services take `&impl ConnectionTrait` so
//! that they run inside a transaction or not.

pub mod access;
pub mod auth;
pub mod catalog_file;
pub mod demo_data;
pub mod entities;
pub mod limits;
pub mod page_policy;
pub mod password;
pub mod services;
pub mod state;
pub mod transaction;
pub mod vendor;
pub mod worker;

pub use access::{ResellerScope, Tenant};
pub use auth::Actor;
pub use state::{AppState, Clock, Settings};

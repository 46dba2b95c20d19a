//! The axum server: configuration, database connection, router and layers. Wiring only; the
//! product lives in the `app` crate.

pub mod api_errors;
pub mod config;
pub mod db;
pub mod origin;
pub mod router;
pub mod security;
pub mod telemetry;

pub use config::Config;
pub use router::router;

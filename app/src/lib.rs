//! The Customer Control Panel: pages, components, server functions and domain rules, shared by
//! the server (feature `ssr`) and the browser (feature `hydrate`).
//!
//! Layout: `domain/` plain rules; `dto/` the shapes exchanged with the browser; `api/` server
//! functions, one area a file; `server/` (ssr only) database, sessions, services and workers;
//! `pages/` routes; `components/` reusable view pieces. ARCHITECTURE.md says what may import what.

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod dto;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

pub use app::{App, shell};
pub use error::AppError;

//! The integration tests: one binary (one link, one run of the migrations' compile), one module
//! per area, all through the real router on a fresh database per test (see `helpers`).

mod helpers;

mod access;
mod access_matrix;
mod account;
mod auth;
mod billing;
mod cancellations;
mod email;
mod import;
mod licenses;
mod orders;
mod pages;
mod rendering;
mod renewals;
mod reseller_panel;
mod trust;
mod usage;
mod user_changes;
mod users;

//! The Reseller Control Panel: its home (figures, the cancellation requests waiting for a
//! decision, the one setting), its customers (listed, created, each one's general information
//! page with "Log in to Customer Control Panel") and what its staff did.

pub mod activity;
pub mod customer;
pub mod customers;
pub mod home;
pub mod new_customer;

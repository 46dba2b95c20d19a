//! Route-level components, one a file, named after their route.

pub mod activate;
pub mod activity;
pub mod dev_outbox;
pub mod home;
pub mod import_users;
pub mod login;
pub mod my_services;
pub mod new_user;
pub mod not_found;
pub mod password_reset;
pub mod profile;
pub mod reseller;
pub mod subscription;
pub mod subscriptions;
pub mod user;
pub mod users;

//! Route-level components, one a file, named after their route; `params` reads the address for
//! all of them.

pub mod activate;
pub mod activity;
pub mod billing;
pub mod cancel_subscription;
pub mod checkout;
pub mod confirm_email;
pub mod dev_outbox;
pub mod document;
pub mod home;
pub mod import_users;
pub mod login;
pub mod marketplace;
pub mod my_services;
pub mod new_user;
pub mod not_found;
pub mod notifications;
pub mod order;
pub mod orders;
pub mod params;
pub mod password_reset;
pub mod product;
pub mod profile;
pub mod reseller;
pub mod resource_change;
pub mod subscription;
pub mod subscriptions;
pub mod user;
pub mod users;

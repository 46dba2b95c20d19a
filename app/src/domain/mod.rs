//! Domain rules in plain Rust, shared by the browser and the server.
//!
//! Nothing here touches leptos, the database or the clock: values come in, decisions come out,
//! and every rule has its unit tests beside it.

pub mod billing;
pub mod cancellation;
pub mod customer;
pub mod email;
pub mod filter;
pub mod money;
pub mod ordering;
pub mod paging;
pub mod password;
pub mod person;
pub mod person_lifecycle;
pub mod pricing;
pub mod renewal;
pub mod resource_change;
pub mod role;
pub mod status;
pub mod text;
pub mod usage;
pub mod user_import;

pub use billing::{DocumentStatus, Standing};
pub use email::Email;
pub use money::{Currency, Money};
pub use paging::{Page, PageRequest};
pub use password::Password;
pub use person::PersonName;
pub use person_lifecycle::PersonEvent;
pub use role::Role;
pub use status::{
    BillingPeriod, CustomerStatus, DocumentKind, EmailStatus, OrderStatus, OrderType, PersonStatus,
    ResourceKind, SubscriptionStatus,
};
pub use text::SearchText;

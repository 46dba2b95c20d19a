//! Sign-in, sign-out and "who am I".

use crate::domain::Role;
use serde::{Deserialize, Serialize};

/// The signed-in person as the UI needs them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub customer_name: Option<String>,
    pub reseller_name: String,
    /// Set while a reseller user is viewing the panel as this customer.
    pub impersonator_name: Option<String>,
    /// The server runs in demo mode (developer pages such as the email outbox exist).
    pub demo_mode: bool,
    /// Unread notifications when the page was made: the bell's first figure, so the shell needs
    /// no second call while the page renders.
    pub unread_notifications: u64,
}

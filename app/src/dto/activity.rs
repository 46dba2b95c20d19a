//! The account's activity log (the audit trail), for owner and admins.

use crate::domain::Page;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub id: i32,
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    /// The acting person, when they are a person of this account (their page can be opened).
    pub actor_id: Option<i32>,
    /// The reseller user who acted on the customer's behalf, if any.
    pub impersonator_name: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    /// What the target is called today: a person's name, an order's number. `None` when it
    /// no longer exists (a deleted person).
    pub target_name: Option<String>,
    /// The target's page, when it still exists.
    pub target_href: Option<String>,
    /// JSON with before/after values, where useful.
    pub details: Option<String>,
    pub ip: Option<String>,
}

pub type ActivityPage = Page<ActivityEntry>;

pub const ACTIVITY_PER_PAGE: u64 = 50;

/// Groups of actions the page filters by: (value, label, action prefix).
pub const ACTIVITY_AREAS: &[(&str, &str, &str)] = &[
    ("people", "People", "person."),
    ("licenses", "Licenses", "license."),
    ("orders", "Orders", "order."),
    ("subscriptions", "Subscriptions", "subscription."),
    ("billing", "Billing", "invoice."),
];

/// A sentence for an action name such as `person.role_changed`.
pub fn describe(action: &str) -> String {
    match action {
        "person.created" => "Added a person".into(),
        "person.activated" => "Activated their account".into(),
        "person.updated" => "Edited a person's details".into(),
        "person.role_changed" => "Changed a person's role".into(),
        "person.disabled" => "Disabled a person".into(),
        "person.enabled" => "Enabled a person".into(),
        "person.unlocked" => "Unlocked a person".into(),
        "person.deleted" => "Deleted a person".into(),
        "person.activation_sent" => "Sent an activation email".into(),
        "person.password_reset_sent" => "Sent a password reset email".into(),
        "person.password_reset" => "Reset their password from a link".into(),
        "person.password_changed" => "Changed their password".into(),
        "license.assigned" => "Assigned a license".into(),
        "license.unassigned" => "Unassigned a license".into(),
        "order.submitted" => "Placed an order".into(),
        "order.completed" => "Completed an order".into(),
        "order.failed" => "An order failed".into(),
        "invoice.paid" => "Recorded a payment".into(),
        "panel.entered" => "Opened the customer's panel".into(),
        "panel.left" => "Returned to the reseller panel".into(),
        "customer.created" => "Created the customer account".into(),
        "cancellation.approved" => "Approved a cancellation".into(),
        "cancellation.rejected" => "Rejected a cancellation".into(),
        "cancellation.withdrawn" => "Withdrew a cancellation request".into(),
        "reseller.auto_approve_changed" => "Changed how cancellation requests are decided".into(),
        other => other.replace(['.', '_'], " "),
    }
}

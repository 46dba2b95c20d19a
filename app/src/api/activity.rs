//! The account's activity log (the audit trail), for owner and admins.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub id: i32,
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    /// The reseller user who acted on the customer's behalf, if any.
    pub impersonator_name: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    /// JSON with before/after values, where useful.
    pub details: Option<String>,
    pub ip: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub entries: Vec<ActivityEntry>,
    pub page: u64,
    pub has_next: bool,
}

pub const ACTIVITY_PER_PAGE: u64 = 50;

/// Groups of actions the page filters by: (value, label, action prefix).
pub const ACTIVITY_AREAS: &[(&str, &str, &str)] = &[
    ("people", "People", "person."),
    ("licenses", "Licenses", "license."),
    ("orders", "Orders", "order."),
    ("subscriptions", "Subscriptions", "subscription."),
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
        other => other.replace(['.', '_'], " "),
    }
}

/// `from` and `to` are optional days (`YYYY-MM-DD`, empty for open-ended), both included.
#[server(endpoint = "list_activity")]
pub async fn list_activity(
    area: String,
    from: String,
    to: String,
    page: u64,
) -> Result<ActivityPage, AppError> {
    use super::context;
    use crate::server::services::audit;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let prefix = match area.as_str() {
        "" => None,
        value => Some(
            ACTIVITY_AREAS
                .iter()
                .find(|(v, _, _)| *v == value)
                .map(|(_, _, prefix)| *prefix)
                .ok_or_else(|| AppError::validation("area", "Unknown kind of activity."))?,
        ),
    };
    let day = |field: &str, text: &str| {
        let text = text.trim();
        (!text.is_empty())
            .then(|| {
                let shaped = text.len() == 10
                    && text.char_indices().all(|(i, c)| {
                        if i == 4 || i == 7 {
                            c == '-'
                        } else {
                            c.is_ascii_digit()
                        }
                    });
                chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .ok()
                    .filter(|day| shaped && chrono::Datelike::year(day) >= 2000)
                    .ok_or_else(|| AppError::validation(field, "Enter a date as YYYY-MM-DD."))
            })
            .transpose()
    };
    let (from, to) = (day("from", &from)?, day("to", &to)?);
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(AppError::validation(
            "to",
            "The end date is before the start date.",
        ));
    }
    let filter = audit::Filter {
        action_prefix: prefix,
        from,
        to,
    };
    audit::list_for_customer(
        &call.state.db,
        call.scope,
        &filter,
        page.clamp(1, super::orders::MAX_PAGE),
    )
    .await
}

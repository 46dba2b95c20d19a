//! The append-only audit log: who did what, on whose behalf, to which target, from where.

use crate::error::AppError;
use crate::server::Actor;
use crate::server::entities::audit_log;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, NotSet, Set};

/// One entry to record. `details` is JSON (before/after values where useful).
pub struct Entry<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    pub details: Option<serde_json::Value>,
}

pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    ip: Option<String>,
    at: DateTime<Utc>,
    entry: Entry<'_>,
) -> Result<(), AppError> {
    audit_log::ActiveModel {
        id: NotSet,
        reseller_id: Set(Some(actor.reseller_id)),
        customer_id: Set(actor.customer_id),
        actor_id: Set(Some(actor.person_id)),
        actor_name: Set(Some(actor.name.clone())),
        impersonator_id: Set(actor.impersonator.as_ref().map(|i| i.person_id)),
        impersonator_name: Set(actor.impersonator.as_ref().map(|i| i.name.clone())),
        action: Set(entry.action.to_owned()),
        target_type: Set(entry.target_type.to_owned()),
        target_id: Set(entry.target_id),
        details: Set(entry.details.map(|d| d.to_string())),
        ip: Set(ip),
        created_at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

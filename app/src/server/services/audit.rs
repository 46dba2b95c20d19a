//! The append-only audit log: who did what, on whose behalf, to which target, from where.

use crate::error::AppError;
use crate::server::Actor;
use crate::server::entities::audit_log;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, NotSet, Set};

/// Who did it: the signed-in person, and the reseller user behind them when impersonating.
pub struct Who {
    pub reseller_id: Option<i32>,
    pub customer_id: Option<i32>,
    pub person_id: i32,
    pub name: String,
    pub impersonator: Option<(i32, String)>,
}

impl From<&Actor> for Who {
    fn from(actor: &Actor) -> Self {
        Self {
            reseller_id: Some(actor.reseller_id),
            customer_id: actor.customer_id,
            person_id: actor.person_id,
            name: actor.name.clone(),
            impersonator: actor
                .impersonator
                .as_ref()
                .map(|i| (i.person_id, i.name.clone())),
        }
    }
}

/// One entry to record. `details` is JSON (before/after values where useful).
pub struct Entry<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    pub details: Option<serde_json::Value>,
}

pub async fn record(
    db: &impl ConnectionTrait,
    who: impl Into<Who>,
    ip: Option<String>,
    at: DateTime<Utc>,
    entry: Entry<'_>,
) -> Result<(), AppError> {
    let who = who.into();
    let (impersonator_id, impersonator_name) = who.impersonator.unzip();
    audit_log::ActiveModel {
        id: NotSet,
        reseller_id: Set(who.reseller_id),
        customer_id: Set(who.customer_id),
        actor_id: Set(Some(who.person_id)),
        actor_name: Set(Some(who.name)),
        impersonator_id: Set(impersonator_id),
        impersonator_name: Set(impersonator_name),
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

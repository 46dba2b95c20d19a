//! Self-service on one's own account: password change, forgotten password.

use super::outbox;
use super::people::password_reset_email;
use super::tokens::{self, Purpose};
use super::{audit, stored};
use crate::domain::{Email, Password, PersonStatus};
use crate::error::AppError;
use crate::server::entities::{person, session};
use crate::server::{Actor, AppState, password};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};

/// Sends a reset link if the address belongs to a person who can sign in. The caller answers the
/// same either way, so the form does not reveal who has an account.
pub async fn request_password_reset(state: &AppState, email: &Email) -> Result<(), AppError> {
    let now = state.clock.now();
    let Some(person) = person::Entity::find()
        .filter(person::Column::Email.eq(email.as_str()))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let status = stored(PersonStatus::parse(&person.status))?;
    if !matches!(status, PersonStatus::Active | PersonStatus::Locked) {
        return Ok(());
    }
    let public_url = state.settings.public_url.clone();
    state
        .db
        .transaction::<_, (), AppError>(move |txn| {
            Box::pin(async move {
                let token = tokens::issue(txn, person.id, Purpose::PasswordReset, now).await?;
                outbox::enqueue(txn, password_reset_email(&person, &public_url, &token), now).await
            })
        })
        .await?;
    Ok(())
}

/// Stores a new password hash, unlocks, and ends every session of the person but `keep`.
async fn set_password(
    txn: &impl ConnectionTrait,
    person: person::Model,
    hash: String,
    keep: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let id = person.id;
    let mut row: person::ActiveModel = person.into();
    row.password_hash = Set(Some(hash));
    row.status = Set(PersonStatus::Active.as_str().to_owned());
    row.failed_logins = Set(0);
    row.locked_until = Set(None);
    row.updated_at = Set(now);
    row.update(txn).await?;
    let mut others = session::Entity::delete_many().filter(session::Column::PersonId.eq(id));
    if let Some(keep) = keep {
        others = others.filter(session::Column::Id.ne(keep));
    }
    others.exec(txn).await?;
    Ok(())
}

/// Uses an activation or reset link: the new password, the person `active` and unlocked, every
/// old session ended. Returns the person, to sign them in.
pub async fn set_password_from_link(
    state: &AppState,
    token: &str,
    purpose: Purpose,
    password: Password,
    ip: Option<String>,
) -> Result<i32, AppError> {
    let action = match purpose {
        Purpose::Activation => "person.activated",
        Purpose::PasswordReset => "person.password_reset",
    };
    let hash = password::hash(password.expose().to_owned()).await?;
    let now = state.clock.now();
    let token = token.to_owned();
    state
        .db
        .transaction::<_, i32, AppError>(move |txn| {
            Box::pin(async move {
                let id = tokens::consume(txn, &token, purpose, now).await?;
                let person = person::Entity::find_by_id(id)
                    .one(txn)
                    .await?
                    .ok_or(AppError::NotFound)?;
                if stored(PersonStatus::parse(&person.status))? == PersonStatus::Disabled {
                    return Err(AppError::NotAllowed(
                        "This account is disabled. Ask your administrator to enable it.".into(),
                    ));
                }
                let who = audit::Who::of_person(txn, &person).await?;
                set_password(txn, person, hash, None, now).await?;
                let entry = audit::Entry {
                    action,
                    target_type: "person",
                    target_id: Some(id.to_string()),
                    details: None,
                };
                audit::record(txn, who, ip, now, entry).await?;
                Ok(id)
            })
        })
        .await
        .map_err(Into::into)
}

/// The signed-in person changes their password; their other sessions end.
pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    current: String,
    new: Password,
    ip: Option<String>,
) -> Result<(), AppError> {
    let person = person::Entity::find_by_id(actor.person_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !password::verify(person.password_hash.clone(), current).await {
        return Err(AppError::validation(
            "current_password",
            "The current password is not right.",
        ));
    }
    let hash = password::hash(new.expose().to_owned()).await?;
    let now = state.clock.now();
    let actor = actor.clone();
    state
        .db
        .transaction::<_, (), AppError>(move |txn| {
            Box::pin(async move {
                set_password(txn, person, hash, Some(&actor.session_id), now).await?;
                let entry = audit::Entry {
                    action: "person.password_changed",
                    target_type: "person",
                    target_id: Some(actor.person_id.to_string()),
                    details: None,
                };
                audit::record(txn, &actor, ip, now, entry).await
            })
        })
        .await?;
    Ok(())
}

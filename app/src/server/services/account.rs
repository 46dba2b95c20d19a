//! Self-service on one's own account: password change, forgotten password, sign-in email change,
//! and the links that set a password.

use super::outbox;
use super::tokens::{self, Purpose};
use super::{audit, emails, person_status};
use crate::domain::{Email, Password, PersonEvent};
use crate::error::AppError;
use crate::server::entities::{person, session};
use crate::server::limits::client_key;
use crate::server::transaction;
use crate::server::{Actor, AppState, password};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, SqlErr,
};

/// Accepts a "forgot password" request and answers at once; the lookup and the email happen
/// afterwards, so the answer is the same, and as fast, whether the address has an account.
/// Limited per client and per address, which reveals nothing either: unknown addresses count
/// the same.
pub fn request_password_reset(
    state: &AppState,
    email: &Email,
    ip: Option<&str>,
) -> Result<(), AppError> {
    state.limits.reset_request_client.check(client_key(ip))?;
    state.limits.reset_request_account.check(email.as_str())?;
    let (task_state, email) = (state.clone(), email.clone());
    state.background.spawn(async move {
        if let Err(err) = send_password_reset(&task_state, &email).await {
            tracing::error!(error = %err, "sending a password reset failed");
        }
    });
    Ok(())
}

/// Sends a reset link if the address belongs to a person who may reset their password.
async fn send_password_reset(state: &AppState, email: &Email) -> Result<(), AppError> {
    let now = state.clock.now();
    let Some(person) = person::Entity::find()
        .filter(person::Column::Email.eq(email.as_str()))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    if !person.status.may_reset_password() {
        return Ok(());
    }
    let transaction = transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let token = tokens::issue(txn, person.id, Purpose::PasswordReset, now).await?;
    outbox::enqueue(
        txn,
        emails::password_reset(&person, &state.settings.public_url, &token),
        now,
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

/// Stores a new password hash, ends every session of the person but `keep`, and voids every
/// link they still hold: a person who resets or changes their password because someone else
/// got in must not find that someone's email change still waiting.
async fn set_password(
    txn: &impl ConnectionTrait,
    person_id: i32,
    hash: String,
    keep: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    person::Entity::update_many()
        .col_expr(
            person::Column::PasswordHash,
            sea_orm::sea_query::Expr::value(Some(hash)),
        )
        .col_expr(
            person::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(person::Column::Id.eq(person_id))
        .exec(txn)
        .await?;
    let mut others = session::Entity::delete_many().filter(session::Column::PersonId.eq(person_id));
    if let Some(keep) = keep {
        others = others.filter(session::Column::Id.ne(keep));
    }
    others.exec(txn).await?;
    tokens::revoke_all(txn, person_id, now).await?;
    Ok(())
}

/// Uses an activation or reset link: the new password, the status the state machine gives
/// (`active`, unlocked), every old session ended. Returns the person, to sign them in.
pub async fn set_password_from_link(
    state: &AppState,
    token: &str,
    purpose: Purpose,
    password: Password,
    ip: Option<String>,
) -> Result<i32, AppError> {
    if purpose == Purpose::EmailChange {
        return Err(AppError::NotFound);
    }
    state.limits.link_client.check(client_key(ip.as_deref()))?;
    // A link that is not valid costs no password hash.
    tokens::peek(&state.db, token, purpose, state.clock.now()).await?;
    let hash = password::hash(password.expose().to_owned()).await?;
    use_password_link(state, token, purpose, hash, ip).await
}

/// The part of `set_password_from_link` after hashing: uses up the link, moves the person's
/// status on (through the state machine) and sets the already hashed password, in one
/// transaction. The demo data activates its people through here with one shared hash.
pub async fn use_password_link(
    state: &AppState,
    token: &str,
    purpose: Purpose,
    hash: String,
    ip: Option<String>,
) -> Result<i32, AppError> {
    let (action, event) = match purpose {
        Purpose::Activation => ("person.activated", PersonEvent::Activated),
        Purpose::PasswordReset => ("person.password_reset", PersonEvent::PasswordReset),
        Purpose::EmailChange => return Err(AppError::NotFound),
    };
    let now = state.clock.now();
    let transaction = transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let (_, person) = use_link(txn, token, purpose, event, now).await?;
    let who = audit::Who::of_person(txn, &person).await?;
    set_password(txn, person.id, hash, None, now).await?;
    let entry = audit::Entry {
        action,
        target_type: "person",
        target_id: Some(person.id.to_string()),
        details: None,
    };
    audit::record(txn, who, ip, now, entry).await?;
    let value = person.id;
    transaction.commit().await?;
    Ok(value)
}

/// Uses up a link and applies what using it means to its person's status (a disabled person's
/// link is refused, whatever its purpose).
async fn use_link(
    txn: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
    event: PersonEvent,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(tokens::Link, person::Model), AppError> {
    let link = tokens::consume(txn, token, purpose, now).await?;
    let person = person::Entity::find_by_id(link.person_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    person_status::apply(txn, &person, event, now)
        .await
        .map_err(|err| match err {
            AppError::Conflict(reason) => AppError::NotAllowed(reason),
            other => other,
        })?;
    Ok((link, person))
}

/// The signed-in person's own row, with their current password checked.
async fn myself_with_password(
    state: &AppState,
    actor: &Actor,
    current: String,
) -> Result<person::Model, AppError> {
    let person = person::Entity::find_by_id(actor.person_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !password::verify(person.password_hash.clone(), current).await? {
        return Err(AppError::validation(
            "current_password",
            "The current password is not right.",
        ));
    }
    Ok(person)
}

/// The signed-in person changes their password; their other sessions end.
pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    current: String,
    new: Password,
    ip: Option<String>,
) -> Result<(), AppError> {
    let person = myself_with_password(state, actor, current).await?;
    let hash = password::hash(new.expose().to_owned()).await?;
    let now = state.clock.now();
    let transaction = transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    person_status::apply(txn, &person, PersonEvent::PasswordChanged, now).await?;
    set_password(txn, person.id, hash, Some(&actor.session_id), now).await?;
    let entry = audit::Entry {
        action: "person.password_changed",
        target_type: "person",
        target_id: Some(actor.person_id.to_string()),
        details: None,
    };
    audit::record(txn, actor, ip, now, entry).await?;
    transaction.commit().await?;
    Ok(())
}

/// The signed-in person asks to sign in with another email: a link goes to the new address.
/// Nothing changes until that link is used. The answer is the same whether the address is free
/// or already someone's sign-in (then no link is sent), so the form tells nobody which
/// addresses have accounts; the confirmation refuses an address taken meanwhile.
pub async fn request_email_change(
    state: &AppState,
    actor: &Actor,
    new_email: &Email,
    current: String,
    ip: Option<String>,
) -> Result<(), AppError> {
    state
        .limits
        .email_change
        .check(&actor.person_id.to_string())?;
    let person = myself_with_password(state, actor, current).await?;
    if person.email == new_email.as_str() {
        return Err(AppError::validation(
            "new_email",
            "This is already your sign-in email.",
        ));
    }
    if email_taken(&state.db, new_email).await? {
        tracing::info!(
            person.id = actor.person_id,
            "email change to an address in use: no link sent"
        );
        return Ok(());
    }
    let now = state.clock.now();
    let transaction = transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let token = tokens::issue_email_change(txn, person.id, new_email.as_str(), now).await?;
    let email = emails::email_change_confirmation(
        &person,
        new_email.as_str(),
        &state.settings.public_url,
        &token,
    );
    outbox::enqueue(txn, email, now).await?;
    outbox::enqueue(txn, emails::email_change_requested_notice(&person), now).await?;
    let entry = audit::Entry {
        action: "person.email_change_requested",
        target_type: "person",
        target_id: Some(person.id.to_string()),
        details: None,
    };
    audit::record(txn, actor, ip, now, entry).await?;
    transaction.commit().await?;
    Ok(())
}

/// Uses an email-change link: the new address becomes the sign-in email, the old address is
/// told, every session and every other link of the person ends. Returns the new address.
pub async fn confirm_email_change(
    state: &AppState,
    token: &str,
    ip: Option<String>,
) -> Result<String, AppError> {
    state.limits.link_client.check(client_key(ip.as_deref()))?;
    let now = state.clock.now();
    let transaction = transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let event = PersonEvent::EmailChanged;
    let (link, person) = use_link(txn, token, Purpose::EmailChange, event, now).await?;
    let new_email = link.new_email.ok_or(AppError::NotFound)?;
    let who = audit::Who::of_person(txn, &person).await?;
    let notice = emails::email_changed_notice(&person, &new_email);
    let mut row: person::ActiveModel = person.clone().into();
    row.email = Set(new_email.clone());
    row.updated_at = Set(now);
    row.update(txn).await.map_err(|err| {
        if is_unique_violation(&err) {
            AppError::Conflict(
                "This address has been taken by another account in the meantime.".into(),
            )
        } else {
            err.into()
        }
    })?;
    // Links and sessions made for the old address end with it.
    tokens::revoke_all(txn, person.id, now).await?;
    session::Entity::delete_many()
        .filter(session::Column::PersonId.eq(person.id))
        .exec(txn)
        .await?;
    outbox::enqueue(txn, notice, now).await?;
    let entry = audit::Entry {
        action: "person.email_changed",
        target_type: "person",
        target_id: Some(person.id.to_string()),
        details: Some(serde_json::json!({
            "before": { "email": person.email },
            "after": { "email": new_email },
        })),
    };
    audit::record(txn, who, ip, now, entry).await?;
    let value = new_email;
    transaction.commit().await?;
    Ok(value)
}

async fn email_taken(db: &impl ConnectionTrait, email: &Email) -> Result<bool, AppError> {
    Ok(person::Entity::find()
        .filter(person::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .is_some())
}

/// True when a database error is the unique index on people's emails.
fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

//! Sign-in: password check, lockout after repeated failures, login history.

use super::person_status;
use crate::domain::{Email, PersonEvent, PersonStatus};
use crate::error::AppError;
use crate::server::entities::{login_history, person};
use crate::server::{AppState, auth, password};
use chrono::Duration;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, NotSet, QueryFilter, Set};

/// Failed attempts in a row that lock a person out.
pub const MAX_FAILED_LOGINS: i32 = 5;
/// How long a lockout lasts.
pub const LOCKOUT: Duration = Duration::minutes(15);

/// The one answer for an unknown email, a wrong password, a person not yet activated and a
/// locked account, so that the form tells nobody which addresses have accounts or are locked.
/// It says how to get out of a lockout, which only the address's owner can use.
pub const BAD_CREDENTIALS: &str = "The email or password is incorrect. After several failed \
     attempts an account is locked for a while; \u{201c}Forgot your password?\u{201d} sends a \
     link that unlocks it.";

async fn record_attempt(
    state: &AppState,
    person_id: Option<i32>,
    failure: Option<&str>,
    ip: &Option<String>,
    user_agent: &Option<String>,
) -> Result<(), AppError> {
    login_history::ActiveModel {
        id: NotSet,
        person_id: Set(person_id),
        success: Set(failure.is_none()),
        failure_reason: Set(failure.map(str::to_owned)),
        ip: Set(ip.clone()),
        user_agent: Set(user_agent.as_ref().map(|ua| ua.chars().take(255).collect())),
        created_at: Set(state.clock.now()),
    }
    .insert(&state.db)
    .await?;
    Ok(())
}

/// Checks the credentials and starts a session; returns the session token for the cookie.
///
/// Every path does one password verification, so the answer takes as long for an unknown
/// address, a locked or disabled account and a wrong password.
pub async fn login(
    state: &AppState,
    email: &str,
    password: String,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<String, AppError> {
    let email = Email::parse(email).map_err(|message| AppError::validation("email", message))?;
    if password.is_empty() {
        return Err(AppError::validation("password", "Enter your password."));
    }
    let now = state.clock.now();
    let found = person::Entity::find()
        .filter(person::Column::Email.eq(email.as_str()))
        .one(&state.db)
        .await?;
    let refused = || AppError::LoginFailed(BAD_CREDENTIALS.into());

    let Some(mut person) = found else {
        password::verify(None, password).await?;
        record_attempt(state, None, Some("unknown_email"), &ip, &user_agent).await?;
        return Err(refused());
    };
    let status = person.status;

    if status == PersonStatus::Locked && person.locked_until.is_some_and(|until| until > now) {
        password::verify(None, password).await?;
        record_attempt(state, Some(person.id), Some("locked"), &ip, &user_agent).await?;
        return Err(refused());
    }

    if !password::verify(person.password_hash.clone(), password).await? {
        let reason = match status {
            PersonStatus::Invited => "not_activated",
            PersonStatus::Disabled => "disabled",
            _ => "wrong_password",
        };
        register_failure(state, &person).await?;
        record_attempt(state, Some(person.id), Some(reason), &ip, &user_agent).await?;
        return Err(refused());
    }

    // The right password: only now may the answer say more than "incorrect".
    if status == PersonStatus::Disabled {
        record_attempt(state, Some(person.id), Some("disabled"), &ip, &user_agent).await?;
        return Err(AppError::LoginFailed(
            "This account is disabled. Ask your administrator to enable it.".into(),
        ));
    }
    if status == PersonStatus::Locked {
        // The cool-down has passed.
        let next = person_status::apply(&state.db, &person, PersonEvent::LockExpired, now)
            .await
            .map_err(|_| refused())?;
        person.status = next;
    }
    person_status::apply(&state.db, &person, PersonEvent::SignedIn, now)
        .await
        .map_err(|_| refused())?;
    person::Entity::update_many()
        .col_expr(person::Column::FailedLogins, Expr::value(0))
        .col_expr(person::Column::LastLoginAt, Expr::value(Some(now)))
        .filter(person::Column::Id.eq(person.id))
        .exec(&state.db)
        .await?;

    record_attempt(state, Some(person.id), None, &ip, &user_agent).await?;
    tracing::info!(person.id = person.id, "signed in");
    auth::start_session(state, auth::SessionFor::Person(person.id), ip, user_agent).await
}

/// Counts a failure atomically (parallel attempts all count); at the limit, the state machine
/// decides what it means for this person: an active one is locked, others stay as they are.
async fn register_failure(state: &AppState, person: &person::Model) -> Result<(), AppError> {
    let now = state.clock.now();
    person::Entity::update_many()
        .col_expr(
            person::Column::FailedLogins,
            Expr::col(person::Column::FailedLogins).add(1),
        )
        .filter(person::Column::Id.eq(person.id))
        .exec(&state.db)
        .await?;
    person_status::apply(&state.db, person, PersonEvent::TooManyFailedSignIns, now).await?;
    Ok(())
}

//! Sign-in: password check, lockout after repeated failures, login history.

use crate::domain::{Email, PersonStatus};
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

/// The one answer for an unknown email, a wrong password and a person not yet activated, so that
/// the login form does not tell which addresses have accounts.
pub const BAD_CREDENTIALS: &str = "The email or password is incorrect.";

fn locked_message(minutes: i64) -> String {
    format!(
        "This account is locked after too many failed sign-ins. Try again in {minutes} \
         minute{} or ask an administrator to unlock it.",
        if minutes == 1 { "" } else { "s" }
    )
}

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

    let Some(person) = found else {
        // Same work as for a real person, so the answer takes as long.
        password::verify(None, password).await;
        record_attempt(state, None, Some("unknown_email"), &ip, &user_agent).await?;
        return Err(AppError::LoginFailed(BAD_CREDENTIALS.into()));
    };

    if let Some(until) = person.locked_until.filter(|until| *until > now) {
        password::verify(None, password).await;
        record_attempt(state, Some(person.id), Some("locked"), &ip, &user_agent).await?;
        let minutes = (until - now).num_seconds().div_euclid(60) + 1;
        return Err(AppError::LoginFailed(locked_message(minutes)));
    }

    let status = super::stored(PersonStatus::parse(&person.status))?;
    if !password::verify(person.password_hash.clone(), password).await {
        let reason = if status == PersonStatus::Invited {
            "not_activated"
        } else {
            "wrong_password"
        };
        register_failure(state, &person).await?;
        record_attempt(state, Some(person.id), Some(reason), &ip, &user_agent).await?;
        return Err(AppError::LoginFailed(BAD_CREDENTIALS.into()));
    }

    if status == PersonStatus::Disabled {
        record_attempt(state, Some(person.id), Some("disabled"), &ip, &user_agent).await?;
        return Err(AppError::LoginFailed(
            "This account is disabled. Ask your administrator to enable it.".into(),
        ));
    }

    let mut signed_in: person::ActiveModel = person.clone().into();
    signed_in.failed_logins = Set(0);
    signed_in.locked_until = Set(None);
    signed_in.status = Set(PersonStatus::Active.as_str().to_owned());
    signed_in.last_login_at = Set(Some(now));
    signed_in.updated_at = Set(now);
    signed_in.update(&state.db).await?;

    record_attempt(state, Some(person.id), None, &ip, &user_agent).await?;
    tracing::info!(person.id = person.id, "signed in");
    auth::start_session(state, person.id, None, ip, user_agent).await
}

/// Counts a failure atomically (parallel attempts all count) and locks at the limit.
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
    let lock = person::Entity::update_many()
        .col_expr(
            person::Column::Status,
            Expr::value(PersonStatus::Locked.as_str()),
        )
        .col_expr(
            person::Column::LockedUntil,
            Expr::value(Some(now + LOCKOUT)),
        )
        .col_expr(person::Column::FailedLogins, Expr::value(0))
        .col_expr(person::Column::UpdatedAt, Expr::value(now))
        .filter(person::Column::Id.eq(person.id))
        .filter(person::Column::FailedLogins.gte(MAX_FAILED_LOGINS))
        .exec(&state.db)
        .await?;
    if lock.rows_affected > 0 {
        tracing::warn!(
            person.id = person.id,
            "locked after repeated failed sign-ins"
        );
    }
    Ok(())
}

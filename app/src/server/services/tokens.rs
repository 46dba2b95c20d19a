//! Single-use links (activation, password reset, email change). The link carries a random token;
//! the database keeps only its SHA-256, an expiry and when it was used. A link is void once the
//! person's status or sign-in email changes (`revoke_all`).

use crate::error::AppError;
use crate::server::auth::{hash_token, new_token};
use crate::server::entities::person_token;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, Set,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Activation,
    PasswordReset,
    EmailChange,
}

/// A valid link: whose it is, and for an email change, the address it confirms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub person_id: i32,
    pub new_email: Option<String>,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Activation => "activation",
            Self::PasswordReset => "password_reset",
            Self::EmailChange => "email_change",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            Self::Activation => Duration::hours(48),
            Self::PasswordReset => Duration::hours(2),
            Self::EmailChange => Duration::hours(24),
        }
    }
}

/// Issues a new link token for `person_id`; earlier unused ones of the same purpose stop working.
pub async fn issue(
    db: &impl ConnectionTrait,
    person_id: i32,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    issue_with(db, person_id, purpose, None, now).await
}

/// Issues a link that confirms `new_email` as the person's sign-in email.
pub async fn issue_email_change(
    db: &impl ConnectionTrait,
    person_id: i32,
    new_email: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    issue_with(
        db,
        person_id,
        Purpose::EmailChange,
        Some(new_email.to_owned()),
        now,
    )
    .await
}

async fn issue_with(
    db: &impl ConnectionTrait,
    person_id: i32,
    purpose: Purpose,
    new_email: Option<String>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    person_token::Entity::update_many()
        .col_expr(person_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(person_token::Column::PersonId.eq(person_id))
        .filter(person_token::Column::Purpose.eq(purpose.as_str()))
        .filter(person_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let (token, hash) = new_token();
    person_token::ActiveModel {
        id: NotSet,
        person_id: Set(person_id),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(hash),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
        created_at: Set(now),
        new_email: Set(new_email),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Voids every unused link of the person (their status or sign-in email changed).
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    person_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    person_token::Entity::update_many()
        .col_expr(person_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(person_token::Column::PersonId.eq(person_id))
        .filter(person_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The link of a still-valid token, without using it up (to show the form).
pub async fn peek(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Link, AppError> {
    person_token::Entity::find()
        .filter(person_token::Column::TokenHash.eq(hash_token(token)))
        .filter(person_token::Column::Purpose.eq(purpose.as_str()))
        .filter(person_token::Column::UsedAt.is_null())
        .filter(person_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .map(|row| Link {
            person_id: row.person_id,
            new_email: row.new_email,
        })
        .ok_or_else(invalid_link)
}

/// Uses the token up and returns its link. Atomic: of two requests racing with one token, only
/// one gets the link.
pub async fn consume(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Link, AppError> {
    let link = peek(db, token, purpose, now).await?;
    let used = person_token::Entity::update_many()
        .col_expr(person_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(person_token::Column::TokenHash.eq(hash_token(token)))
        .filter(person_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected == 1 {
        Ok(link)
    } else {
        Err(invalid_link())
    }
}

fn invalid_link() -> AppError {
    AppError::validation(
        "token",
        "This link is invalid, was already used or has expired. Ask for a new one.",
    )
}

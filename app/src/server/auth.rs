//! Sessions and the calling `Actor`.
//!
//! The browser holds a random token in an HttpOnly cookie; the database holds only its SHA-256,
//! so a leaked database does not leak live sessions. Any server process can resolve any session.

use super::entities::{customer, person, reseller, session};
use super::state::AppState;
use crate::domain::{PersonStatus, Role};
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use http::HeaderMap;
use rand_core::{OsRng, RngCore};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "ccp_session";

/// Resolving a session writes `last_seen_at` at most this often, not on every request.
const TOUCH_EVERY: Duration = Duration::seconds(60);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random token (for the cookie or a link) and the hash to store.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex(&bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn session_cookie(token: &str, max_age: Duration, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        max_age.num_seconds().max(0),
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_session_cookie(secure: bool) -> String {
    session_cookie("", Duration::zero(), secure)
}

/// The session token from the request's `Cookie` header, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// The reseller user acting on a customer's behalf ("log in to CCP").
#[derive(Clone, Debug)]
pub struct Impersonator {
    pub person_id: i32,
    pub name: String,
    pub reseller_id: i32,
}

/// Who is calling: the person, their tenant, and who really sits at the keyboard.
#[derive(Clone, Debug)]
pub struct Actor {
    pub session_id: String,
    pub person_id: i32,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Set for customer people (and while impersonating).
    pub customer_id: Option<i32>,
    pub customer_name: Option<String>,
    /// The reseller the person belongs to, directly (staff) or through their customer.
    pub reseller_id: i32,
    pub reseller_name: String,
    pub impersonator: Option<Impersonator>,
}

/// Creates a session for `person_id` and returns the cookie token.
pub async fn start_session(
    state: &AppState,
    person_id: i32,
    impersonator_id: Option<i32>,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<String, AppError> {
    let now = state.clock.now();
    let (token, hash) = new_token();
    session::ActiveModel {
        id: Set(hash),
        person_id: Set(person_id),
        impersonator_id: Set(impersonator_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + state.settings.session_absolute),
        ip: Set(ip),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(255).collect())),
    }
    .insert(&state.db)
    .await?;
    Ok(token)
}

pub async fn end_session(state: &AppState, token: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(hash_token(token))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Removes sessions past their absolute or idle expiry.
pub async fn delete_expired_sessions(state: &AppState) -> Result<u64, AppError> {
    use sea_orm::sea_query::ExprTrait;
    let now = state.clock.now();
    let result = session::Entity::delete_many()
        .filter(
            session::Column::ExpiresAt
                .lte(now)
                .or(session::Column::LastSeenAt.lte(now - state.settings.session_idle)),
        )
        .exec(&state.db)
        .await?;
    Ok(result.rows_affected)
}

fn session_is_live(row: &session::Model, now: DateTime<Utc>, idle: Duration) -> bool {
    row.expires_at > now && row.last_seen_at + idle > now
}

/// The actor behind the request's session cookie, or `Unauthenticated`.
pub async fn actor_from_headers(state: &AppState, headers: &HeaderMap) -> Result<Actor, AppError> {
    let token = session_token(headers).ok_or(AppError::Unauthenticated)?;
    let session_id = hash_token(&token);
    let now = state.clock.now();
    let row = session::Entity::find_by_id(session_id.clone())
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !session_is_live(&row, now, state.settings.session_idle) {
        session::Entity::delete_by_id(session_id)
            .exec(&state.db)
            .await?;
        return Err(AppError::Unauthenticated);
    }

    let person = person::Entity::find_by_id(row.person_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    // A person disabled (or deleted) by an admin loses their sessions at the next request.
    if person.status == PersonStatus::Disabled {
        session::Entity::delete_many()
            .filter(session::Column::PersonId.eq(person.id))
            .exec(&state.db)
            .await?;
        return Err(AppError::Unauthenticated);
    }
    let role = person.role;

    let customer = match person.customer_id {
        Some(id) => customer::Entity::find_by_id(id).one(&state.db).await?,
        None => None,
    };
    let reseller_id = match (&customer, person.reseller_id) {
        (Some(c), _) => c.reseller_id,
        (None, Some(id)) => id,
        (None, None) => {
            tracing::error!(
                person.id = person.id,
                "person has neither customer nor reseller"
            );
            return Err(AppError::Internal);
        }
    };
    let reseller = reseller::Entity::find_by_id(reseller_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Internal)?;

    let impersonator = match row.impersonator_id {
        Some(id) => {
            let staff = person::Entity::find_by_id(id)
                .one(&state.db)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            // Only staff of the customer's own reseller may ever act for it.
            if staff.reseller_id != Some(reseller_id) {
                return Err(AppError::Unauthenticated);
            }
            Some(Impersonator {
                person_id: staff.id,
                name: staff.name,
                reseller_id,
            })
        }
        None => None,
    };

    if now - row.last_seen_at > TOUCH_EVERY {
        let mut touch: session::ActiveModel = row.into();
        touch.last_seen_at = Set(now);
        touch.update(&state.db).await?;
    }

    Ok(Actor {
        session_id,
        person_id: person.id,
        name: person.name,
        email: person.email,
        role,
        customer_id: customer.as_ref().map(|c| c.id),
        customer_name: customer.map(|c| c.name),
        reseller_id,
        reseller_name: reseller.name,
        impersonator,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(hash_token(&a), hash_a);
        assert_ne!(a, hash_a);
    }

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "theme=dark; ccp_session=abc123; other=1".parse().unwrap(),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("abc123"));
        headers.insert(http::header::COOKIE, "ccp_session=".parse().unwrap());
        assert_eq!(session_token(&headers), None);
    }

    #[test]
    fn cookie_flags() {
        let cookie = session_cookie("t", Duration::hours(1), true);
        assert!(cookie.contains("HttpOnly"));
        assert!(cookie.contains("SameSite=Lax"));
        assert!(cookie.contains("Secure"));
        assert!(cookie.contains("Max-Age=3600"));
        assert!(!session_cookie("t", Duration::hours(1), false).contains("Secure"));
    }
}

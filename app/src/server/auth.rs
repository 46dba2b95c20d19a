//! Sessions and the calling `Actor`.
//!
//! The browser holds a random token in an HttpOnly cookie; the database holds only its SHA-256,
//! so a leaked database does not leak live sessions. Any server process can resolve any session.

use super::entities::session;
use super::state::AppState;
use crate::domain::{PersonStatus, Role};
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use http::HeaderMap;
use rand_core::{OsRng, RngCore};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "ccp_session";
/// While reseller staff act for a customer, their own session's token waits here for the
/// return (the session cookie then holds the acting session's token).
pub const RETURN_COOKIE: &str = "ccp_return";

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

fn token_cookie(name: &str, token: &str, max_age: Duration, secure: bool) -> String {
    format!(
        "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        max_age.num_seconds().max(0),
        if secure { "; Secure" } else { "" }
    )
}

pub fn session_cookie(token: &str, max_age: Duration, secure: bool) -> String {
    token_cookie(SESSION_COOKIE, token, max_age, secure)
}

pub fn clear_session_cookie(secure: bool) -> String {
    session_cookie("", Duration::zero(), secure)
}

pub fn return_cookie(token: &str, max_age: Duration, secure: bool) -> String {
    token_cookie(RETURN_COOKIE, token, max_age, secure)
}

pub fn clear_return_cookie(secure: bool) -> String {
    return_cookie("", Duration::zero(), secure)
}

fn cookie_value(headers: &HeaderMap, cookie: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == cookie && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// The session token from the request's `Cookie` header, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, SESSION_COOKIE)
}

/// The token of the reseller's own session kept while they act for a customer, if any.
pub fn return_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, RETURN_COOKIE)
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

/// Who a new session is for: a person signing in, or reseller staff acting for a customer's
/// owner from their own session.
pub enum SessionFor<'a> {
    Person(i32),
    Acting { owner_id: i32, staff: &'a Actor },
}

/// Creates a session and returns the cookie token.
pub async fn start_session(
    state: &AppState,
    session_for: SessionFor<'_>,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<String, AppError> {
    let (person_id, impersonator_id, parent_session_id) = match session_for {
        SessionFor::Person(id) => (id, None, None),
        SessionFor::Acting { owner_id, staff } => (
            owner_id,
            Some(staff.person_id),
            Some(staff.session_id.clone()),
        ),
    };
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
        parent_session_id: Set(parent_session_id),
    }
    .insert(&state.db)
    .await?;
    Ok(token)
}

/// Signs out: ends the session, the sessions opened from it to act for customers, and, when it
/// is such a session, the reseller staff's own session it was opened from (signing out while
/// acting signs the person at the keyboard out).
pub async fn end_session(state: &AppState, token: &str) -> Result<(), AppError> {
    use sea_orm::sea_query::ExprTrait;
    let id = hash_token(token);
    let parent = session::Entity::find_by_id(id.clone())
        .one(&state.db)
        .await?
        .and_then(|s| s.parent_session_id);
    let mut ids = vec![id.clone()];
    ids.extend(parent);
    session::Entity::delete_many()
        .filter(
            session::Column::Id
                .is_in(ids)
                .or(session::Column::ParentSessionId.eq(id)),
        )
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Ends only this session (leaving a customer's panel keeps the reseller's own session).
pub async fn end_one_session(state: &AppState, session_id: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(session_id.to_owned())
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Removes sessions past their absolute or idle expiry (acting sessions have their own idle
/// limit).
pub async fn delete_expired_sessions(state: &AppState) -> Result<u64, AppError> {
    use sea_orm::sea_query::ExprTrait;
    let now = state.clock.now();
    let settings = &state.settings;
    let result = session::Entity::delete_many()
        .filter(
            session::Column::ExpiresAt
                .lte(now)
                .or(session::Column::ImpersonatorId
                    .is_null()
                    .and(session::Column::LastSeenAt.lte(now - settings.session_idle)))
                .or(session::Column::ImpersonatorId
                    .is_not_null()
                    .and(session::Column::LastSeenAt.lte(now - settings.acting_idle))),
        )
        .exec(&state.db)
        .await?;
    Ok(result.rows_affected)
}

/// The caller of one request, resolved at most once however many server functions the request
/// runs (a page render calls several). The server's router puts an empty one into every
/// request's extensions; `http::Extensions` clones share it, so every copy of the request parts
/// that Leptos hands to a server function sees the same cell.
#[derive(Clone, Default)]
pub struct CallerCache(std::sync::Arc<tokio::sync::OnceCell<Actor>>);

/// The actor behind the request's session cookie, or `Unauthenticated`; looked up once per
/// request when the request carries a [`CallerCache`].
pub async fn actor_from_parts(
    state: &AppState,
    parts: &http::request::Parts,
) -> Result<Actor, AppError> {
    match parts.extensions.get::<CallerCache>() {
        Some(CallerCache(cell)) => cell
            .get_or_try_init(|| actor_from_headers(state, &parts.headers))
            .await
            .cloned(),
        None => actor_from_headers(state, &parts.headers).await,
    }
}

/// One row: the session with its person, their customer, their reseller and, while a reseller's
/// staff acts for a customer, that staff member.
#[derive(Debug, sea_orm::FromQueryResult)]
struct SessionRow {
    person_id: i32,
    impersonator_id: Option<i32>,
    parent_session_id: Option<String>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    name: String,
    email: String,
    role: Role,
    status: PersonStatus,
    customer_id: Option<i32>,
    customer_name: Option<String>,
    reseller_id: Option<i32>,
    reseller_name: Option<String>,
    impersonator_name: Option<String>,
    impersonator_reseller_id: Option<i32>,
    impersonator_status: Option<PersonStatus>,
    /// The staff member's own session an acting session was opened from, if it still exists.
    parent_expires_at: Option<DateTime<Utc>>,
}

const SESSION_QUERY: &str = "SELECT s.person_id, s.impersonator_id, s.parent_session_id, s.last_seen_at, s.expires_at, \
     p.name, p.email, p.role, p.status, p.customer_id, c.name AS customer_name, \
     r.id AS reseller_id, r.name AS reseller_name, \
     i.name AS impersonator_name, i.reseller_id AS impersonator_reseller_id, \
     i.status AS impersonator_status, ps.expires_at AS parent_expires_at \
     FROM sessions s \
     JOIN people p ON p.id = s.person_id \
     LEFT JOIN customers c ON c.id = p.customer_id \
     LEFT JOIN resellers r ON r.id = COALESCE(c.reseller_id, p.reseller_id) \
     LEFT JOIN people i ON i.id = s.impersonator_id \
     LEFT JOIN sessions ps ON ps.id = s.parent_session_id \
     WHERE s.id = ";

/// The actor behind the session cookie in `headers`, or `Unauthenticated`: one statement, plus
/// a write at most once a minute (the idle clock) or when the session has ended.
pub async fn actor_from_headers(state: &AppState, headers: &HeaderMap) -> Result<Actor, AppError> {
    use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};
    let token = session_token(headers).ok_or(AppError::Unauthenticated)?;
    let session_id = hash_token(&token);
    let now = state.clock.now();
    let backend = state.db.get_database_backend();
    let placeholder = match backend {
        DbBackend::Postgres => "$1",
        _ => "?",
    };
    let statement = Statement::from_sql_and_values(
        backend,
        format!("{SESSION_QUERY}{placeholder}"),
        [session_id.clone().into()],
    );
    let row = match state.db.query_one_raw(statement).await? {
        Some(row) => SessionRow::from_query_result(&row, "")?,
        None => return Err(AppError::Unauthenticated),
    };
    let idle = match row.impersonator_id {
        Some(_) => state.settings.acting_idle,
        None => state.settings.session_idle,
    };
    if row.expires_at <= now || row.last_seen_at + idle <= now {
        session::Entity::delete_by_id(session_id)
            .exec(&state.db)
            .await?;
        return Err(AppError::Unauthenticated);
    }
    // A person disabled by an admin loses their sessions at the next request.
    if row.status == PersonStatus::Disabled {
        session::Entity::delete_many()
            .filter(session::Column::PersonId.eq(row.person_id))
            .exec(&state.db)
            .await?;
        return Err(AppError::Unauthenticated);
    }
    let (Some(reseller_id), Some(reseller_name)) = (row.reseller_id, row.reseller_name) else {
        tracing::error!(
            person.id = row.person_id,
            "person has neither customer nor reseller"
        );
        return Err(AppError::Internal);
    };
    let impersonator = match row.impersonator_id {
        // Only staff of the customer's own reseller may ever act for it, only while the staff
        // member may still sign in, and only while the session they acted from lives: whatever
        // ends a person's sessions (a password change, a reset, being disabled, signing out)
        // ends the sessions opened from them too.
        Some(id) => match (
            row.impersonator_name,
            row.impersonator_reseller_id,
            row.impersonator_status,
            row.parent_expires_at,
        ) {
            (Some(name), Some(staff_reseller), Some(status), Some(parent_expires))
                if staff_reseller == reseller_id
                    && status == PersonStatus::Active
                    && parent_expires > now =>
            {
                Some(Impersonator {
                    person_id: id,
                    name,
                    reseller_id,
                })
            }
            _ => {
                session::Entity::delete_by_id(session_id)
                    .exec(&state.db)
                    .await?;
                return Err(AppError::Unauthenticated);
            }
        },
        None => None,
    };

    if now - row.last_seen_at > TOUCH_EVERY {
        // Working in a customer's panel keeps the reseller's own session, which the return
        // restores, alive too.
        let mut touched = vec![session_id.clone()];
        touched.extend(row.parent_session_id);
        session::Entity::update_many()
            .col_expr(
                session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(session::Column::Id.is_in(touched))
            .exec(&state.db)
            .await?;
    }

    Ok(Actor {
        session_id,
        person_id: row.person_id,
        name: row.name,
        email: row.email,
        role: row.role,
        customer_id: row.customer_id,
        customer_name: row.customer_name,
        reseller_id,
        reseller_name,
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

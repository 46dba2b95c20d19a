//! The one door of every server function.
//!
//! A server function starts with [`authorize`] (a signed-in caller, admitted by an access rule
//! of `server::access`) or [`anonymous`] (sign-in, links and other pages without a session).
//! The rule is named at the top of the endpoint, so a reader sees who may call it; what the rule
//! admits the caller to (a customer account, a reseller) comes back as the call's `scope`, and
//! services take that scope instead of checking roles again.
//!
//! Errors get their HTTP status in one place, the server's API error layer, from
//! [`AppError::status_code`]: nothing here sets statuses.

use crate::error::AppError;
use crate::server::access::Access;
use crate::server::{Actor, AppState, auth};
use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::use_context;
use std::net::SocketAddr;

/// A signed-in caller admitted by an access rule.
pub struct Call<S> {
    pub state: AppState,
    pub actor: Actor,
    /// What the rule admitted the caller to: a `Tenant`, a `ResellerScope`, or `()`.
    pub scope: S,
    /// The client's address, for the audit log.
    pub ip: Option<String>,
}

impl<S> Call<S> {
    /// Counts `addresses` against the caller's budget of checks against existing sign-ins
    /// (sign-in emails are unique on the platform, so "already exists" says an address has an
    /// account somewhere).
    pub fn count_address_checks(&self, addresses: usize) -> Result<(), AppError> {
        let addresses = u32::try_from(addresses).unwrap_or(u32::MAX);
        self.state
            .limits
            .address_checks
            .check_n(&self.actor.person_id.to_string(), addresses)
    }
}

/// A caller without a session: sign-in, activation and reset links.
pub struct Visit {
    pub state: AppState,
    pub parts: Parts,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Authenticates the caller and admits them by the rule `A`, or refuses with `Unauthenticated`
/// (no valid session) or `Forbidden` (the rule does not admit this caller).
pub async fn authorize<A: Access>() -> Result<Call<A::Scope>, AppError> {
    let state = state()?;
    let parts = parts()?;
    let actor = auth::actor_from_parts(&state, &parts).await?;
    let scope = A::admit(&actor)?;
    Ok(Call {
        state,
        actor,
        scope,
        ip: client_ip(&parts),
    })
}

/// A request that needs no session.
pub fn anonymous() -> Result<Visit, AppError> {
    let parts = parts()?;
    Ok(Visit {
        state: state()?,
        ip: client_ip(&parts),
        user_agent: user_agent(&parts),
        parts,
    })
}

fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the leptos context");
        AppError::Internal
    })
}

/// The running request's head (its cookies, for instance).
pub fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the leptos context");
        AppError::Internal
    })
}

/// The client's socket address, when the request came over a socket.
fn peer(parts: &Parts) -> Option<SocketAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr)
}

/// The client's address as the socket saw it (the server runs behind no proxy by default).
pub fn client_ip(parts: &Parts) -> Option<String> {
    peer(parts).map(|addr| addr.ip().to_string())
}

/// True when the request came over the loopback interface (the developer's own machine).
pub fn from_loopback(parts: &Parts) -> bool {
    peer(parts).is_some_and(|addr| addr.ip().is_loopback())
}

pub fn user_agent(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Sets the session cookie on the answer (after sign-in, or after a link signed someone in).
pub fn set_session_cookie(state: &AppState, token: &str) {
    set_cookie(&auth::session_cookie(
        token,
        state.settings.session_absolute,
        state.settings.secure_cookies,
    ));
}

/// Adds a `Set-Cookie` header to the answer of the running server function.
pub fn set_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

//! What a server function needs from the request it serves: the state, the caller, the client.

use crate::error::AppError;
use crate::server::{Actor, AppState, auth};
use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::use_context;
use std::net::SocketAddr;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the leptos context");
        AppError::Internal
    })
}

pub fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the leptos context");
        AppError::Internal
    })
}

/// The authenticated caller, or `Unauthenticated`.
pub async fn actor() -> Result<(AppState, Actor), AppError> {
    let state = state()?;
    let actor = auth::actor_from_headers(&state, &parts()?.headers).await?;
    Ok((state, actor))
}

/// The client's address as the socket saw it (the server runs behind no proxy by default).
pub fn client_ip(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

pub fn user_agent(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Gives an error its HTTP status when the function was called over HTTP (not while rendering
/// a page on the server, where the page decides its own status).
pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result
        && let (Some(parts), Some(response)) = (
            use_context::<Parts>(),
            use_context::<leptos_axum::ResponseOptions>(),
        )
        && parts.uri.path().starts_with("/api/")
    {
        response.set_status(err.status_code());
    }
    result
}

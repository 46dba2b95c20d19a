//! The HTTP router: health checks, server functions, pages and static files, with their layers
//! (from the outside in: tracing, compression, security headers, cross-site refusal, body
//! limit, trailing slashes, one caller lookup per request, API error statuses).
//! Tests call [`router`] directly, without a socket.

use crate::{api_errors, origin, security};
use app::api::auth::PageCaller;
use app::error::MAX_REQUEST_BYTES;
use app::server::AppState;
use app::server::auth::CallerCache;
use app::{App, shell};
use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::ConnectionTrait;
use tower_http::compression::CompressionLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

#[derive(Clone, FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(app): State<AppState>) -> (StatusCode, &'static str) {
    match app.db.execute_unprepared("SELECT 1").await {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(err) => {
            tracing::error!(error = %err, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// `/users/4/` is `/users/4`: a page address with a trailing slash is sent to the one without
/// (308, so the method and body stay), instead of rendering a page under an address the route
/// table does not know.
async fn without_trailing_slash(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    if path.len() > 1 && path.ends_with('/') && !path.starts_with("/api/") {
        // Every slash at either end goes, so `//evil.example/` stays on this site.
        let trimmed = format!("/{}", path.trim_matches('/'));
        let target = match request.uri().query() {
            Some(query) => format!("{trimmed}?{query}"),
            None => trimmed,
        };
        // `//evil.example` must not become a redirect to another site.
        let target = if target.starts_with("//") {
            "/".to_owned()
        } else {
            target
        };
        return axum::response::Redirect::permanent(&target).into_response();
    }
    next.run(request).await
}

/// Gives the request an empty [`CallerCache`]: every server function the request runs (a page
/// render runs several) then shares one lookup of the session. A page request also gets its
/// caller found here, before rendering ([`PageCaller`]), so the shell draws at once.
async fn resolve_caller_once(
    State(app): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(CallerCache::default());
    if is_page(&parts) {
        let me = app::api::auth::signed_in_person(&app, &parts).await;
        parts.extensions.insert(PageCaller(me));
    }
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// A request for a page of the app (not a server function, an asset or a health check).
fn is_page(parts: &http::request::Parts) -> bool {
    let path = parts.uri.path();
    parts.method == http::Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && !path.rsplit('/').next().unwrap_or_default().contains('.')
        && !matches!(path, "/healthz" | "/readyz")
}

pub fn router(app: AppState, leptos_options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    // Runs inside every page render, after leptos_axum's own contexts: the state, and the nonce
    // the security layer chose for this request (replacing the one Leptos made), so the scripts
    // carry the nonce the response's policy names.
    let context = {
        let app = app.clone();
        move || {
            provide_context(app.clone());
            let nonce = use_context::<http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<security::PageNonce>().cloned());
            if let Some(nonce) = nonce {
                provide_context(leptos::nonce::Nonce::from_value(nonce.0));
            }
        }
    };
    let page = {
        let options = leptos_options.clone();
        move || shell(options.clone())
    };
    let headers = security::Headers {
        https: app.settings.secure_cookies,
        hashed_assets: leptos_options.hash_files,
    };
    let state = ServerState {
        leptos_options: leptos_options.clone(),
        app,
    };
    Router::<ServerState>::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .leptos_routes_with_context(&state, routes, context.clone(), page)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(context, shell))
        .layer(axum::middleware::from_fn(api_errors::statuses))
        .layer(axum::middleware::from_fn_with_state(
            state.app.clone(),
            resolve_caller_once,
        ))
        .layer(axum::middleware::from_fn(without_trailing_slash))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .layer(axum::middleware::from_fn(origin::refuse_cross_site))
        .layer(axum::middleware::from_fn(move |request, next| {
            security::add(headers, request, next)
        }))
        // Pages and server function answers; the built assets come precompressed from disk
        // (`--precompress`), and an answer that already has an encoding is left alone.
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

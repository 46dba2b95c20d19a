//! Security headers on every response. Pages set their own Content-Security-Policy with a
//! nonce (`app::server::page_policy`); everything else gets a policy that allows nothing, so a
//! JSON answer or a file opened as a page runs no script and cannot be framed.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};

const NOTHING_ALLOWED: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The layer's settings: HSTS only when the panel is served over HTTPS.
#[derive(Clone, Copy)]
pub struct Headers {
    pub https: bool,
}

pub async fn add(headers: Headers, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let out = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        out.entry(name)
            .or_insert_with(|| HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, NOTHING_ALLOWED);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    // Links carry tokens in their query (activation, reset): never send them to another site.
    set(header::REFERRER_POLICY, "same-origin");
    set(
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    );
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if api || html {
        set(header::CACHE_CONTROL, "no-store");
    }
    if headers.https {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

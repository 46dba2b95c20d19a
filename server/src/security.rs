//! Security headers on every response. Each request gets a fresh nonce here, handed to the
//! page render (which puts it on its inline scripts, see `router`); an HTML answer gets the page
//! policy with that nonce (`app::server::page_policy`), anything else a policy that allows
//! nothing, so a JSON answer or a file opened as a page runs no script and cannot be framed.
//!
//! The header is set here, from the request, and not by the render through leptos_axum's
//! response options: under concurrent load those were seen to lose the header now and then,
//! which left a page with its scripts blocked and dead.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};

const NOTHING_ALLOWED: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The layer's settings: HSTS only when the panel is served over HTTPS; long caching of the
/// built assets only when their names carry a hash of their content.
#[derive(Clone, Copy)]
pub struct Headers {
    pub https: bool,
    pub hashed_assets: bool,
}

/// What a browser may keep, by kind of answer. Pages and server function answers may be about a
/// signed-in person: never stored. A hashed asset never changes under its name. Other files
/// (the favicon, or assets without hashes) are kept but asked about again. Only a file that was
/// found is kept for good: a redirect or a 404 under `/pkg/` may name a file that a later build
/// adds.
fn cache_policy(
    path: &str,
    status: http::StatusCode,
    dynamic: bool,
    hashed_assets: bool,
) -> &'static str {
    let found = status.is_success() || status == http::StatusCode::NOT_MODIFIED;
    if dynamic {
        "no-store"
    } else if hashed_assets && found && path.starts_with("/pkg/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// The nonce of the page being rendered for this request.
#[derive(Clone, Debug)]
pub struct PageNonce(pub String);

pub async fn add(headers: Headers, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let api = path.starts_with("/api/");
    // 128 random bits, hex: a valid nonce, never guessable, never reused.
    let nonce = app::server::auth::new_token().0[..32].to_owned();
    request.extensions_mut().insert(PageNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let status = response.status();
    let out = response.headers_mut();
    if html {
        match HeaderValue::from_str(&app::server::page_policy::content_security_policy(&nonce)) {
            Ok(policy) => {
                out.insert(header::CONTENT_SECURITY_POLICY, policy);
            }
            Err(_) => {
                out.insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(NOTHING_ALLOWED),
                );
            }
        }
    }
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
    set(
        header::CACHE_CONTROL,
        cache_policy(&path, status, api || html, headers.hashed_assets),
    );
    // The file handler picks a precompressed `.br` or `.gz` by the request's Accept-Encoding
    // without saying so: a shared cache would hand a brotli body to a browser that asked for
    // none, for a year.
    set(header::VARY, "accept-encoding");
    if headers.https {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::cache_policy;
    use http::StatusCode;

    #[test]
    fn only_hashed_assets_are_cached_for_good() {
        let ok = StatusCode::OK;
        assert_eq!(cache_policy("/users", ok, true, true), "no-store");
        assert_eq!(cache_policy("/api/list_users", ok, true, true), "no-store");
        for found in [ok, StatusCode::NOT_MODIFIED] {
            assert_eq!(
                cache_policy("/pkg/ccp.abc123.wasm", found, false, true),
                "public, max-age=31536000, immutable"
            );
        }
        assert_eq!(cache_policy("/pkg/ccp.wasm", ok, false, false), "no-cache");
        assert_eq!(cache_policy("/favicon.ico", ok, false, true), "no-cache");
    }

    #[test]
    fn a_missing_or_moved_asset_is_asked_about_again() {
        for status in [StatusCode::PERMANENT_REDIRECT, StatusCode::NOT_FOUND] {
            assert_eq!(
                cache_policy("/pkg/ccp.abc123.wasm/", status, false, true),
                "no-cache"
            );
        }
    }
}

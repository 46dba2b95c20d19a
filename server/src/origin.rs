//! Refuses state-changing requests sent by another site (CSRF defence in depth, on top of the
//! SameSite=Lax session cookie). Browsers send `Origin` with every POST; a state change that
//! carries neither `Origin` nor `Sec-Fetch-Site: same-origin` is refused too, so a request
//! whose origin cannot be told is never taken as our own.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, Method, StatusCode, header};

/// True when the browser says the request comes from another origin than the one it targets.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("null");
        let origin_host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"));
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        return match (origin_host, host) {
            (Some(origin_host), Some(host)) => !origin_host.eq_ignore_ascii_case(host),
            _ => true,
        };
    }
    // Without Origin, only a browser's own word that the request is same-origin will do.
    headers
        .get("sec-fetch-site")
        .is_none_or(|v| v.as_bytes() != b"same-origin")
}

pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
        return (
            StatusCode::FORBIDDEN,
            "Cross-site request refused: this action must come from the panel itself.",
        )
            .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn same_origin_passes() {
        assert!(!is_cross_site(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
    }

    #[test]
    fn other_origins_are_refused() {
        assert!(is_cross_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(is_cross_site(&headers(&[
            ("origin", "null"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        // Neither Origin nor Sec-Fetch-Site: the origin cannot be told, so it is not ours.
        assert!(is_cross_site(&headers(&[("host", "127.0.0.1:3000")])));
        assert!(is_cross_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("referer", "http://evil.example/")
        ])));
    }
}

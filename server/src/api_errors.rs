//! Every server function's error leaves with the HTTP status its `AppError` names.
//!
//! A server function that fails answers `500` with its serialized `AppError`, including
//! failures before its body runs (a missing or malformed argument, an unreadable body). This
//! layer reads that error back and sets the status from `AppError::status_code`, and
//! `Retry-After` where the error says how long to wait: one place, for every function.
//! Bodies over the limit are refused here before any function reads them.

use app::error::{AppError, MAX_REQUEST_BYTES, too_large_message};
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

/// The header server functions put on error answers.
const SERVER_FN_ERROR: &str = "serverfnerror";
/// Error answers are small; anything bigger is not an `AppError`.
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// Sets `Retry-After` when the error says how long to wait.
fn set_retry_after(headers: &mut http::HeaderMap, err: &AppError) {
    if let Some(seconds) = err.retry_after() {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
}

fn error_response(err: &AppError) -> Response {
    let mut response = (
        err.status_code(),
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(err).unwrap_or_default(),
    )
        .into_response();
    set_retry_after(response.headers_mut(), err);
    response
}

pub async fn statuses(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_REQUEST_BYTES as u64) {
        return error_response(&AppError::PayloadTooLarge(too_large_message()));
    }
    let response = next.run(request).await;
    if !response.headers().contains_key(SERVER_FN_ERROR) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BYTES).await else {
        return error_response(&AppError::Internal);
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = err.status_code();
        set_retry_after(&mut parts.headers, &err);
    } else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
    }
    Response::from_parts(parts, Body::from(bytes))
}

//! `AppError`: the one error type of every server function.
//!
//! Each variant is something the client can act on. `Internal` carries no detail: the cause is
//! logged on the server where it happened and never sent to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session: sign in (again).
    #[error("Please sign in to continue.")]
    Unauthenticated,
    /// Signed in, but the role does not allow this.
    #[error("Your role does not allow this action.")]
    Forbidden,
    /// The role allows this kind of action, but not on this target (e.g. an admin and the
    /// owner); the message says why.
    #[error("{0}")]
    NotAllowed(String),
    /// Does not exist, or belongs to another tenant (which must not be revealed).
    #[error("We could not find what you asked for.")]
    NotFound,
    /// Sign-in refused; the message is the same for an unknown email and a wrong password.
    #[error("{0}")]
    LoginFailed(String),
    /// Bad input; `field` names the form field ("" when it concerns the whole form).
    #[error("{message}")]
    Validation { field: String, message: String },
    /// The request clashes with the current state (duplicate, already changed...).
    #[error("{0}")]
    Conflict(String),
    /// The request itself could not be read (malformed or missing arguments, unknown values of
    /// a fixed set); the message says what.
    #[error("{0}")]
    BadRequest(String),
    /// The request body is over the server's limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Too many attempts from this client or for this account; try again after the wait.
    #[error("{}", too_many_message(*retry_after_seconds))]
    TooManyRequests { retry_after_seconds: u64 },
    /// The server is at its limit for costly work (password hashing); try again shortly.
    #[error("The server is busy. Please try again in a few seconds.")]
    Busy,
    /// Something failed on the server; details are in the server log only.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The browser could not reach the server or read its answer.
    #[error("Could not reach the server. Check your connection and try again.")]
    Network,
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// The message to show next to `field`, if this error is about it.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation { field: f, message } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// The HTTP status the server answers with.
    pub fn status_code(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            Self::Unauthenticated | Self::LoginFailed(_) => S::UNAUTHORIZED,
            Self::Forbidden | Self::NotAllowed(_) => S::FORBIDDEN,
            Self::NotFound => S::NOT_FOUND,
            Self::Validation { .. } => S::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) => S::CONFLICT,
            Self::BadRequest(_) => S::BAD_REQUEST,
            Self::PayloadTooLarge(_) => S::PAYLOAD_TOO_LARGE,
            Self::TooManyRequests { .. } => S::TOO_MANY_REQUESTS,
            Self::Busy => S::SERVICE_UNAVAILABLE,
            Self::Internal | Self::Network => S::INTERNAL_SERVER_ERROR,
        }
    }

    /// Seconds the client should wait before trying again (`Retry-After`), when that is known.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::TooManyRequests {
                retry_after_seconds,
            } => Some(*retry_after_seconds),
            Self::Busy => Some(BUSY_RETRY_SECONDS),
            _ => None,
        }
    }
}

/// What a busy server asks the client to wait.
pub const BUSY_RETRY_SECONDS: u64 = 2;

fn too_many_message(seconds: u64) -> String {
    let wait = if seconds <= 90 {
        format!(
            "{} second{}",
            seconds.max(1),
            if seconds == 1 { "" } else { "s" }
        )
    } else {
        let minutes = seconds.div_ceil(60);
        format!("{minutes} minutes")
    };
    format!("Too many attempts. Please wait {wait} and try again.")
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // On the server, these mean the request's body could not be read: over the size
            // limit, cut off, not text. In the browser they mean the server could not be
            // reached or its answer not read.
            ServerFnErrorErr::Request(detail) | ServerFnErrorErr::Deserialization(detail)
                if cfg!(feature = "ssr") =>
            {
                if detail.contains("length limit") {
                    Self::PayloadTooLarge(too_large_message())
                } else {
                    Self::BadRequest("The request could not be read. Please try again.".into())
                }
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => Self::Network,
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
                Self::BadRequest(format!(
                    "The request was incomplete or malformed ({}).",
                    detail.chars().take(200).collect::<String>()
                ))
            }
            _ => Self::Internal,
        }
    }
}

/// The most a request body may hold; a CSV import is limited to less than this by its own rule,
/// so that its clearer message is the one people see.
pub const MAX_REQUEST_BYTES: usize = 3 * 1024 * 1024;

pub fn too_large_message() -> String {
    format!(
        "The request is too large: at most {} MB can be sent at once.",
        MAX_REQUEST_BYTES / (1024 * 1024)
    )
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        Self::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

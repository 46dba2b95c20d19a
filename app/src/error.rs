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
            Self::Internal | Self::Network => S::INTERNAL_SERVER_ERROR,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => Self::Network,
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
                Self::validation(
                    "",
                    format!("The request was incomplete or malformed ({detail})."),
                )
            }
            _ => Self::Internal,
        }
    }
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

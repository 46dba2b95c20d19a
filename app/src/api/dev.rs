//! Developer pages, available only when the server runs in demo mode, to its own machine.

use crate::dto::dev::OutboxEmail;
use crate::error::AppError;
use leptos::prelude::*;

/// The latest emails. Demo mode only, and only for a client on the server's own machine: the
/// emails hold live activation and reset links. In production this does not exist (`NotFound`).
#[server(endpoint = "list_outbox")]
pub async fn list_outbox() -> Result<Vec<OutboxEmail>, AppError> {
    use super::context;
    use crate::server::services::outbox;

    let visit = context::anonymous()?;
    if !visit.state.settings.demo_mode || !context::from_loopback(&visit.parts) {
        return Err(AppError::NotFound);
    }
    outbox::list_recent(&visit.state.db, 100).await
}

//! Developer pages, available only when the server runs in demo mode, to its own machine.

use crate::dto::dev::OutboxEmail;
use crate::error::AppError;
use leptos::prelude::*;

/// The latest emails to the people of the caller's account (for its owner and admins), or of the
/// caller's reseller and all its customers (for reseller staff). Demo mode only, and only for a
/// client on the server's own machine: the emails hold live activation and reset links, which
/// are the keys to those people's accounts. In production this does not exist (`NotFound`).
#[server(endpoint = "list_outbox")]
pub async fn list_outbox() -> Result<Vec<OutboxEmail>, AppError> {
    use super::context;
    use crate::server::access::OutboxReader;
    use crate::server::services::outbox;

    let visit = context::anonymous()?;
    if !visit.state.settings.demo_mode || !context::from_loopback(&visit.parts) {
        return Err(AppError::NotFound);
    }
    let call = context::authorize::<OutboxReader>().await?;
    outbox::list_for(&call.state.db, call.scope, 100).await
}

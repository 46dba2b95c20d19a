//! Housekeeping: expired sessions are deleted and idle rate-limit buckets forgotten now and
//! then, so neither the table nor the memory grows forever.

use crate::server::{AppState, auth};

const EVERY: std::time::Duration = std::time::Duration::from_secs(300);

pub async fn run(state: AppState) {
    let mut every = tokio::time::interval(EVERY);
    loop {
        every.tick().await;
        if let Err(err) = auth::delete_expired_sessions(&state).await {
            tracing::warn!(error = %err, "session sweep failed");
        }
        state.limits.forget_idle();
    }
}

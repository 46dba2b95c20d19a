//! The scheduler of this process, once a minute: every subscription whose period has ended
//! renews or ends and the notices due are sent (`services::renewals`), and the vendor's usage of
//! the day is recorded with its alerts (`services::usage`). Both are safe with several
//! processes. The first pass comes one interval after start, so a fresh demo shows its due
//! renewal happen a minute after the panel is up.

use crate::server::AppState;
use crate::server::services::{renewals, usage};
use crate::server::vendor::VendorConnector;
use std::sync::Arc;

const EVERY: std::time::Duration = std::time::Duration::from_secs(60);

pub async fn run(state: AppState, vendor: Arc<dyn VendorConnector>) {
    let start = tokio::time::Instant::now() + EVERY;
    let mut every = tokio::time::interval_at(start, EVERY);
    loop {
        every.tick().await;
        match renewals::run_due(&state).await {
            Ok(pass) if pass != renewals::Pass::default() => {
                tracing::info!(
                    renewals = pass.renewals_placed,
                    ended = pass.ended,
                    notices = pass.notices,
                    cancellations_approved = pass.cancellations_approved,
                    "renewal pass"
                );
                if pass.renewals_placed > 0 || pass.cancellations_approved > 0 {
                    state.order_placed.notify_one();
                }
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "renewal pass failed"),
        }
        let today = state.clock.now().date_naive();
        match usage::record_day(&state, vendor.as_ref(), today).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(figures = n, "usage recorded"),
            Err(err) => tracing::warn!(error = %err, "usage report failed"),
        }
    }
}

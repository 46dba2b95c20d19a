//! The fulfilment worker: a few tasks per process that take due orders one at a time. Any
//! number of processes may run it against one database (see `services::fulfilment`).

use crate::server::AppState;
use crate::server::services::fulfilment;
use crate::server::vendor::VendorConnector;
use std::sync::Arc;
use std::time::Duration;

/// How often an idle worker looks at the queue (for retries that come due, orders placed
/// through another process, and leases that ran out).
const IDLE_POLL: Duration = Duration::from_millis(1000);

/// Starts `tasks` workers; each returns only if the runtime stops.
pub fn spawn(state: AppState, vendor: Arc<dyn VendorConnector>, tasks: usize) {
    for _ in 0..tasks {
        tokio::spawn(run(state.clone(), vendor.clone()));
    }
}

async fn run(state: AppState, vendor: Arc<dyn VendorConnector>) {
    loop {
        match fulfilment::fulfil_next(&state, vendor.as_ref()).await {
            Ok(Some(_)) => continue,
            Ok(None) => {
                // Woken at once when this process takes an order, else after a short while.
                let _ = tokio::time::timeout(IDLE_POLL, state.order_placed.notified()).await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "fulfilment round failed");
                tokio::time::sleep(IDLE_POLL).await;
            }
        }
    }
}

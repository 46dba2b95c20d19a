//! Background work, shared safely between server processes through the database. Every loop a
//! server process runs is started here, by `start`, so one place lists them all.

pub mod email;
pub mod fulfilment;
pub mod schedule;
pub mod sweep;

use crate::server::AppState;
use crate::server::vendor::VendorConnector;
use std::sync::Arc;

/// What the loops of one process need besides the state.
pub struct Workers {
    pub vendor: Arc<dyn VendorConnector>,
    /// Fulfilment tasks in this process.
    pub fulfilment_tasks: usize,
    /// Without a mailer, emails stay in the outbox (demo mode shows them).
    pub mailer: Option<email::SmtpMailer>,
}

/// Starts every background loop of this process; each runs until the runtime stops.
pub fn start(state: &AppState, workers: Workers) {
    tokio::spawn(sweep::run(state.clone()));
    tokio::spawn(schedule::run(state.clone(), workers.vendor.clone()));
    fulfilment::spawn(state.clone(), workers.vendor, workers.fulfilment_tasks);
    match workers.mailer {
        Some(mailer) => {
            tokio::spawn(email::run(state.clone(), mailer));
        }
        None => tracing::info!("no CCP_SMTP_URL: emails stay in the outbox"),
    }
}

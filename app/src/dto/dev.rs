//! Developer pages, available only when the server runs in demo mode, to its own machine.

use crate::domain::EmailStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An email of the outbox, for the developer outbox page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxEmail {
    pub id: i32,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    pub status: EmailStatus,
    pub created_at: DateTime<Utc>,
}

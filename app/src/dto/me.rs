//! Self-service: what every signed-in customer person may see about themselves.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A license of a subscription assigned to the caller.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyService {
    pub product_name: String,
    pub vendor: String,
    pub icon: String,
    pub color: String,
    pub resource_name: String,
    pub assigned_at: DateTime<Utc>,
}

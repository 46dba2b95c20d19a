//! The reseller panel: a reseller's staff see their own customers only.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResellerCustomer {
    pub id: i32,
    pub name: String,
    pub country: String,
    pub people: u64,
    pub live_subscriptions: u64,
}

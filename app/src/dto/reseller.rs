//! The reseller panel: a reseller's staff see their own customers only.

use crate::domain::{CustomerStatus, Page, PersonStatus};
use crate::dto::activity::ActivityEntry;
use crate::dto::billing::DocumentRow;
use crate::dto::orders::OrderRow;
use crate::dto::subscriptions::SubscriptionSummary;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The figures on the reseller's home, and its one setting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResellerOverview {
    pub reseller_name: String,
    pub customers: u64,
    pub live_subscriptions: u64,
    pub pending_cancellations: u64,
    /// Cancellation requests are approved as they come, without waiting for a decision.
    pub auto_approve_cancellations: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResellerCustomer {
    pub id: i32,
    pub name: String,
    pub country: String,
    pub status: CustomerStatus,
    /// `None` when the customer has no owner (which only old data can have).
    pub owner_status: Option<PersonStatus>,
    pub people: u64,
    pub live_subscriptions: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerOwner {
    pub name: String,
    pub email: String,
    pub status: PersonStatus,
}

/// A customer's general information page in the reseller panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerDetail {
    pub id: i32,
    pub name: String,
    pub status: CustomerStatus,
    pub country: String,
    pub currency: String,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub owner: Option<CustomerOwner>,
    pub people: u64,
    pub subscriptions: Vec<SubscriptionSummary>,
    pub recent_orders: Vec<OrderRow>,
    pub recent_documents: Vec<DocumentRow>,
}

/// How many orders and documents the customer's page lists.
pub const CUSTOMER_RECENT: u64 = 5;

/// One entry of the reseller's activity: what its staff did, here or in a customer's panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResellerActivityEntry {
    pub entry: ActivityEntry,
    pub customer_id: Option<i32>,
    pub customer_name: Option<String>,
}

pub type ResellerActivityPage = Page<ResellerActivityEntry>;

pub const RESELLER_ACTIVITY_PER_PAGE: u64 = 50;

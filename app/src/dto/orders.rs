//! Orders: pricing one before it is placed, placing it (idempotently), and following it.

use crate::domain::pricing::QuoteLine;
use crate::domain::{Money, OrderStatus, OrderType, Page};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What the customer asks for: a plan and the starting limit of each of its resources.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderRequest {
    pub plan_id: i32,
    /// (resource rate id, units). A resource left out starts at its default.
    pub resources: Vec<(i32, i64)>,
}

/// The price before confirming, computed by the code that later writes the invoice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderPreview {
    pub product_name: String,
    pub plan_name: String,
    pub lines: Vec<QuoteLine>,
    pub total: Money,
    /// The free days the subscription starts with (0 = none).
    pub trial_days: i32,
    /// The plan has a trial the customer already used.
    pub trial_used: bool,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// What each later period costs at these quantities, before tax.
    pub recurring: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlacedOrder {
    pub id: i32,
    pub number: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderRow {
    pub id: i32,
    pub number: String,
    pub order_type: OrderType,
    pub status: OrderStatus,
    pub product_name: String,
    pub plan_name: String,
    pub total: Money,
    pub created_at: DateTime<Utc>,
}

pub const ORDERS_PER_PAGE: u64 = 25;

pub type OrderPage = Page<OrderRow>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub status: OrderStatus,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub row: OrderRow,
    pub lines: Vec<QuoteLine>,
    pub events: Vec<OrderEvent>,
    /// The vendor's reason, for a failed order.
    pub failure_reason: Option<String>,
    pub subscription_id: Option<i32>,
    pub invoice_id: Option<i32>,
    /// The credit note of a change that lowered a limit.
    pub credit_note_id: Option<i32>,
    pub placed_by: Option<String>,
}

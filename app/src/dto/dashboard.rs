//! The home dashboard of a customer account.

use crate::domain::{Money, OrderStatus, OrderType, SubscriptionStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusCount {
    pub status: SubscriptionStatus,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: i32,
    pub number: String,
    pub order_type: OrderType,
    pub status: OrderStatus,
    /// What the order is about, e.g. "Microsoft 365 Business Basic — Annual".
    pub subject: String,
    pub total: Money,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RenewalDue {
    pub subscription_id: i32,
    pub product_name: String,
    pub plan_name: String,
    pub renews_on: NaiveDate,
    pub auto_renew: bool,
    /// What the renewal will charge, tax included; `None` when the subscription ends instead.
    pub amount: Option<Money>,
    /// In its free trial: the renewal starts the first paid period.
    pub trial: bool,
}

/// A quota resource at 80 % of its limit or more.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageWarning {
    pub subscription_id: i32,
    pub product_name: String,
    pub resource_name: String,
    pub unit: String,
    pub used: i64,
    pub limit: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub customer_name: String,
    pub subscriptions_by_status: Vec<StatusCount>,
    pub people_count: u64,
    pub recent_orders: Vec<OrderSummary>,
    /// Live subscriptions whose period ends in the next 30 days, soonest first.
    pub renewals_due: Vec<RenewalDue>,
    pub usage_warnings: Vec<UsageWarning>,
}

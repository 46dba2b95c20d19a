//! Subscriptions of the caller's customer account (read-only; changes go through orders).

use crate::domain::{BillingPeriod, Money, ResourceKind, SubscriptionStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a list row and a card show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionSummary {
    pub id: i32,
    pub product_name: String,
    pub vendor: String,
    pub icon: String,
    pub color: String,
    pub plan_name: String,
    pub billing_period: BillingPeriod,
    pub status: SubscriptionStatus,
    pub period_end: NaiveDate,
    pub auto_renew: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceLine {
    pub name: String,
    pub unit: String,
    pub kind: ResourceKind,
    pub included: i64,
    pub limit: i64,
    pub max: Option<i64>,
    /// Quotas: measured usage. Licenses: number of people assigned.
    pub used: i64,
    /// A reduction waiting for the renewal.
    pub scheduled: Option<i64>,
    pub unit_price: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionDetail {
    pub summary: SubscriptionSummary,
    pub start_date: NaiveDate,
    pub period_start: NaiveDate,
    pub trial_ends_on: Option<NaiveDate>,
    /// What one period costs at the current limits: base price plus units above the included.
    pub recurring_price: Money,
    /// What the renewal's invoice totals, tax included: the limits the next period starts with
    /// (reductions scheduled for it applied), as Home shows it.
    pub renewal_price: Money,
    pub resources: Vec<ResourceLine>,
}

/// The usage of one quota resource over the last days, for its chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageSeries {
    pub resource_name: String,
    pub unit: String,
    pub limit: i64,
    /// The latest figure.
    pub used: i64,
    /// The chart's first and last day.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// (day, units), oldest first; days without a report are missing.
    pub points: Vec<(NaiveDate, i64)>,
}

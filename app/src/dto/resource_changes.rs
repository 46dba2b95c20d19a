//! Changing the limits of a running subscription: the form's data, the request, and the priced
//! preview (computed by the code that later writes the documents).

use crate::domain::resource_change::{ChangeQuote, ResourceLimit};
use crate::domain::{BillingPeriod, Money, ResourceKind, SubscriptionStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One resource as the form shows it, with everything its field checks against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeableResource {
    pub rate_id: i32,
    pub name: String,
    pub unit: String,
    pub kind: ResourceKind,
    pub included: i64,
    pub limit: i64,
    pub min: i64,
    pub max: Option<i64>,
    /// Assigned licenses, or the quota's usage.
    pub in_use: i64,
    pub unit_price: Money,
    pub downsize_window_days: i32,
    /// The last day of this period on which a reduction is credited; `None`: reductions wait
    /// for the renewal.
    pub lowerable_until: Option<NaiveDate>,
    /// A reduction scheduled for the renewal.
    pub scheduled: Option<i64>,
}

impl ChangeableResource {
    /// The domain's view, so the browser checks a typed limit by the server's own rules.
    pub fn rule(&self) -> ResourceLimit {
        ResourceLimit {
            name: self.name.clone(),
            unit: self.unit.clone(),
            kind: self.kind,
            included: self.included,
            limit: self.limit,
            min: self.min,
            max: self.max,
            in_use: self.in_use,
            unit_price_cents: self.unit_price.cents,
            downsize_window_days: self.downsize_window_days,
        }
    }
}

impl ResourceChangeForm {
    pub fn period(&self) -> crate::domain::resource_change::Period {
        crate::domain::resource_change::Period {
            start: self.period_start,
            end: self.period_end,
        }
    }
}

/// An order, by id and number, for a link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderLink {
    pub id: i32,
    pub number: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceChangeForm {
    pub subscription_id: i32,
    pub product_name: String,
    pub vendor: String,
    pub icon: String,
    pub color: String,
    pub plan_name: String,
    pub billing_period: BillingPeriod,
    pub status: SubscriptionStatus,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The server's date, which prices the change (the browser checks reductions against it).
    pub today: NaiveDate,
    pub resources: Vec<ChangeableResource>,
    /// What a period costs at today's limits, before tax.
    pub recurring: Money,
    /// A change of this subscription still in progress: no second one until it ends.
    pub open_change: Option<OrderLink>,
    /// Why the limits cannot change now at all (the subscription is not running).
    pub closed: Option<String>,
}

/// New limits for some resources of a subscription; a resource left out keeps its limit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceChangeRequest {
    pub subscription_id: i32,
    /// (resource rate id, new limit).
    pub limits: Vec<(i32, i64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceChangePreview {
    pub quote: ChangeQuote,
    /// The names of the resources `quote.moves` points at, in the same order as the form.
    pub resource_names: Vec<String>,
    /// What the next period costs before tax without this change (with the reductions
    /// scheduled for the renewal), and with it. (`quote.recurring` is at the asked limits
    /// alone.)
    pub recurring_before: Money,
    pub recurring_after: Money,
    /// Reductions scheduled for the renewal that this change replaces, in words.
    pub replaces: Vec<String>,
    pub period_end: NaiveDate,
    /// The change is free: the subscription is in its trial.
    pub trial: bool,
}

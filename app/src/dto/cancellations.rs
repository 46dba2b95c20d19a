//! Cancelling a subscription: what the form shows before the person asks (the refund, what
//! happens to licenses, when the service stops), the request, and a request as the reseller
//! decides it.

use super::resource_changes::OrderLink;
use crate::domain::cancellation::{CancelReason, RefundQuote};
use crate::domain::{Money, SubscriptionStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CancellationForm {
    pub subscription_id: i32,
    pub product_name: String,
    pub plan_name: String,
    pub status: SubscriptionStatus,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The plan's refund policy in words, as the marketplace showed it.
    pub policy: String,
    /// The refund a request today gets, priced by the code that writes the credit note.
    pub refund: RefundQuote,
    /// Licenses assigned to people today: released when the service stops.
    pub licenses_assigned: i64,
    /// The cancellation already asked for and not yet decided.
    pub pending: Option<OrderLink>,
    /// Why the subscription cannot be cancelled now, if it cannot.
    pub blocked: Option<String>,
}

/// What the person asks: a reason from the fixed list and an optional comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CancellationRequest {
    pub subscription_id: i32,
    pub reason: CancelReason,
    #[serde(default)]
    pub comment: Option<String>,
}

/// A cancellation request as the reseller sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingCancellation {
    pub order_id: i32,
    pub order_number: String,
    pub customer_id: i32,
    pub customer_name: String,
    pub subscription_id: i32,
    pub product_name: String,
    pub plan_name: String,
    pub reason: CancelReason,
    pub comment: Option<String>,
    /// The refund the credit note will carry when approved.
    pub refund: Money,
    pub requested_at: DateTime<Utc>,
    pub requested_by: Option<String>,
}

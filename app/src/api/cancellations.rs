//! Cancelling subscriptions: the customer's side (the form with its refund, asking, taking the
//! request back) and the reseller's (the requests waiting, approving or rejecting one).

use crate::dto::cancellations::{CancellationForm, CancellationRequest, PendingCancellation};
use crate::dto::orders::PlacedOrder;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "get_cancellation_form")]
pub async fn get_cancellation_form(subscription_id: i32) -> Result<CancellationForm, AppError> {
    use super::context;
    use crate::server::services::cancellations;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    cancellations::get_form(&call.state, call.scope, subscription_id).await
}

/// Asks for the cancellation. `idempotency_key` is made once per form; `expected_refund` is
/// the refund the person read (cents): a different one now is refused.
#[server(endpoint = "request_cancellation", input = leptos::server_fn::codec::Json)]
pub async fn request_cancellation(
    request: CancellationRequest,
    idempotency_key: String,
    #[server(default)] expected_refund: Option<i64>,
) -> Result<PlacedOrder, AppError> {
    use super::context;
    use crate::server::services::cancellations;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let key = super::orders::checked_key(&idempotency_key)?;
    cancellations::request_cancellation(
        &call.state,
        &call.actor,
        call.scope,
        &request,
        key,
        expected_refund,
        call.ip,
    )
    .await
}

/// Takes back a cancellation request the reseller has not decided yet.
#[server(endpoint = "withdraw_cancellation")]
pub async fn withdraw_cancellation(order_id: i32) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::cancellations;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    cancellations::withdraw_cancellation(&call.state, &call.actor, call.scope, order_id, call.ip)
        .await
}

/// The cancellation requests of the reseller's customers waiting for a decision.
#[server(endpoint = "list_pending_cancellations")]
pub async fn list_pending_cancellations() -> Result<Vec<PendingCancellation>, AppError> {
    use super::context;
    use crate::server::services::cancellations;

    let call = context::authorize::<crate::server::access::ResellerStaff>().await?;
    cancellations::list_pending(&call.state.db, call.scope).await
}

/// Approves a request: the vendor ends the service, then the refund's credit note is written.
#[server(endpoint = "approve_cancellation")]
pub async fn approve_cancellation(order_id: i32) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::cancellations::{self, Decision};

    let call = context::authorize::<crate::server::access::ResellerStaff>().await?;
    cancellations::decide_cancellation(
        &call.state,
        &call.actor,
        call.scope,
        order_id,
        Decision::Approve,
        call.ip,
    )
    .await
}

/// Rejects a request with the reason the customer reads; the subscription runs on.
#[server(endpoint = "reject_cancellation")]
pub async fn reject_cancellation(order_id: i32, reason: String) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::cancellations::{self, Decision};

    let call = context::authorize::<crate::server::access::ResellerStaff>().await?;
    cancellations::decide_cancellation(
        &call.state,
        &call.actor,
        call.scope,
        order_id,
        Decision::Reject { reason },
        call.ip,
    )
    .await
}

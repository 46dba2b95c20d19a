//! Adding or removing resources of a subscription: the form, the priced preview, and placing
//! the `change` order (idempotently, like a new order).

use crate::dto::orders::PlacedOrder;
use crate::dto::resource_changes::{
    ResourceChangeForm, ResourceChangePreview, ResourceChangeRequest,
};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "get_resource_change_form")]
pub async fn get_resource_change_form(
    subscription_id: i32,
) -> Result<ResourceChangeForm, AppError> {
    use super::context;
    use crate::server::services::resource_changes;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    resource_changes::get_form(&call.state, call.scope, subscription_id).await
}

/// Prices new limits without placing anything.
#[server(endpoint = "preview_resource_change", input = leptos::server_fn::codec::Json)]
pub async fn preview_resource_change(
    request: ResourceChangeRequest,
) -> Result<ResourceChangePreview, AppError> {
    use super::context;
    use crate::server::services::resource_changes;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    resource_changes::preview_resource_change(&call.state, call.scope, &request).await
}

/// Places the change. `idempotency_key` is made once per form; `expected_net` is the amount
/// confirmed (charged minus credited, in cents): a different price now is refused.
#[server(endpoint = "submit_resource_change", input = leptos::server_fn::codec::Json)]
pub async fn submit_resource_change(
    request: ResourceChangeRequest,
    idempotency_key: String,
    #[server(default)] expected_net: Option<i64>,
) -> Result<PlacedOrder, AppError> {
    use super::context;
    use crate::server::services::resource_changes;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let key = super::orders::checked_key(&idempotency_key)?;
    resource_changes::submit_resource_change(
        &call.state,
        &call.actor,
        call.scope,
        &request,
        key,
        expected_net,
        call.ip,
    )
    .await
}

/// Schedules a reduction of one resource for the renewal (`units`), or cancels it (no `units`):
/// for a reduction its window no longer allows now.
#[server(endpoint = "schedule_reduction")]
pub async fn schedule_reduction(
    subscription_id: i32,
    rate_id: i32,
    #[server(default)] units: Option<i64>,
) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::resource_changes;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    resource_changes::schedule_reduction(
        &call.state,
        &call.actor,
        call.scope,
        subscription_id,
        rate_id,
        units,
        call.ip,
    )
    .await
}

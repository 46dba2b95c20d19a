//! Orders: pricing one before it is placed, placing it (idempotently), and following it.

use crate::dto::orders::{
    OrderDetail, OrderPage, OrderPreview, OrderRequest, OrderRow, PlacedOrder,
};
use crate::error::AppError;
use leptos::prelude::*;

/// Prices an order without placing it.
#[server(endpoint = "preview_order", input = leptos::server_fn::codec::Json)]
pub async fn preview_order(request: OrderRequest) -> Result<OrderPreview, AppError> {
    use super::context;
    use crate::server::services::orders;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let checked = orders::check_request(&call.state, call.scope, &request).await?;
    Ok(checked.preview)
}

/// Places an order. `idempotency_key` is made by the browser once per order form: sending it
/// again (double click, retry, reload) answers with the order already placed. `expected_total`
/// is the total the customer saw, in cents: a different price now is refused with `Conflict`.
#[server(endpoint = "submit_order", input = leptos::server_fn::codec::Json)]
pub async fn submit_order(
    request: OrderRequest,
    idempotency_key: String,
    #[server(default)] expected_total: Option<i64>,
) -> Result<PlacedOrder, AppError> {
    use super::context;
    use crate::server::services::orders;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let key = checked_key(&idempotency_key)?;
    orders::submit_order(
        &call.state,
        &call.actor,
        call.scope,
        &request,
        key,
        expected_total,
        call.ip,
    )
    .await
}

/// The idempotency key a form sent, as the browser makes them (16–64 letters, digits, `-`, `_`).
#[cfg(feature = "ssr")]
pub(super) fn checked_key(key: &str) -> Result<&str, AppError> {
    let key = key.trim();
    if (16..=64).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Ok(key);
    }
    Err(AppError::validation(
        "idempotency_key",
        "The order form is out of date: reload the page and try again.",
    ))
}

/// The account's orders, newest first. `order_type` and `status` empty mean any.
#[server(endpoint = "list_orders")]
pub async fn list_orders(
    order_type: String,
    status: String,
    page: u64,
) -> Result<OrderPage, AppError> {
    use super::context;
    use crate::domain::filter::optional;
    use crate::domain::{OrderStatus, OrderType, PageRequest};
    use crate::dto::orders::ORDERS_PER_PAGE;
    use crate::server::services::orders;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let order_type = optional(&order_type, OrderType::parse)
        .map_err(|_| AppError::validation("order_type", "Choose a kind of order from the list."))?;
    let status = optional(&status, OrderStatus::parse)
        .map_err(|_| AppError::validation("status", "Choose a status from the list."))?;
    let page = PageRequest::new(page, ORDERS_PER_PAGE);
    orders::list_orders(&call.state.db, call.scope, order_type, status, page).await
}

#[server(endpoint = "get_order")]
pub async fn get_order(id: i32) -> Result<OrderDetail, AppError> {
    use super::context;
    use crate::server::services::orders;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    orders::get_order(&call.state.db, call.scope, id).await
}

/// The account's orders still in progress, for pages that show them live.
#[server(endpoint = "list_orders_in_progress")]
pub async fn list_orders_in_progress() -> Result<Vec<OrderRow>, AppError> {
    use super::context;
    use crate::server::services::orders;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    orders::in_progress(&call.state.db, call.scope).await
}

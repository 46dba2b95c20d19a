//! Orders: pricing one before it is placed, placing it (idempotently), and following it.

use crate::domain::pricing::QuoteLine;
use crate::domain::{Money, OrderStatus, OrderType};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
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
/// Pages beyond this are refused by clamping: no offset can overflow.
pub const MAX_PAGE: u64 = 100_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderPage {
    pub rows: Vec<OrderRow>,
    pub page: u64,
    pub has_next: bool,
}

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
    pub placed_by: Option<String>,
}

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
    let key = idempotency_key.trim();
    if key.len() < 16
        || key.len() > 64
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::validation(
            "idempotency_key",
            "The order form is out of date: reload the page and try again.",
        ));
    }
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

/// The account's orders, newest first. `order_type` and `status` empty mean any.
#[server(endpoint = "list_orders")]
pub async fn list_orders(
    order_type: String,
    status: String,
    page: u64,
) -> Result<OrderPage, AppError> {
    use super::context;
    use crate::server::services::orders;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let order_type = Some(order_type.as_str())
        .filter(|t| !t.is_empty())
        .map(|t| {
            OrderType::parse(t).map_err(|_| {
                AppError::validation("order_type", "Choose a kind of order from the list.")
            })
        })
        .transpose()?;
    let status = Some(status.as_str())
        .filter(|s| !s.is_empty())
        .map(|s| {
            OrderStatus::parse(s)
                .map_err(|_| AppError::validation("status", "Choose a status from the list."))
        })
        .transpose()?;
    orders::list_orders(
        &call.state.db,
        call.scope,
        order_type,
        status,
        page.clamp(1, MAX_PAGE),
    )
    .await
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

//! Subscriptions of the caller's customer account (read-only; changes go through orders).

use crate::dto::subscriptions::{SubscriptionDetail, SubscriptionSummary};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "list_subscriptions")]
pub async fn list_subscriptions() -> Result<Vec<SubscriptionSummary>, AppError> {
    use super::context;
    use crate::server::services;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    services::subscriptions::list_subscriptions(&call.state.db, call.scope).await
}

#[server(endpoint = "get_subscription")]
pub async fn get_subscription(id: i32) -> Result<SubscriptionDetail, AppError> {
    use super::context;
    use crate::server::services;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    services::subscriptions::get_subscription(&call.state.db, call.scope, id).await
}

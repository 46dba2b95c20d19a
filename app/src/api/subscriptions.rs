//! Subscriptions of the caller's customer account. Limits change only through orders
//! (`resource_changes`); the one setting changed in place is auto-renew, which decides what the
//! end of the period does.

use crate::dto::subscriptions::{SubscriptionDetail, SubscriptionSummary, UsageSeries};
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
    services::subscriptions::get_subscription(&call.state, call.scope, id).await
}

/// Turns auto-renew of a running subscription on or off; answers the new setting.
#[server(endpoint = "set_auto_renew")]
pub async fn set_auto_renew(subscription_id: i32, auto_renew: bool) -> Result<bool, AppError> {
    use super::context;
    use crate::server::services;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    services::renewals::set_auto_renew(
        &call.state,
        &call.actor,
        call.scope,
        subscription_id,
        auto_renew,
        call.ip,
    )
    .await
}

/// The last 30 days of usage of each quota resource of a subscription, for its charts.
#[server(endpoint = "get_usage_history")]
pub async fn get_usage_history(subscription_id: i32) -> Result<Vec<UsageSeries>, AppError> {
    use super::context;
    use crate::server::services;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    services::usage::history(&call.state, call.scope, subscription_id).await
}

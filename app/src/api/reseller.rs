//! The reseller panel: a reseller's staff see their own customers only.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResellerCustomer {
    pub id: i32,
    pub name: String,
    pub country: String,
    pub people: u64,
    pub live_subscriptions: u64,
}

#[server(endpoint = "list_reseller_customers")]
pub async fn list_reseller_customers() -> Result<Vec<ResellerCustomer>, AppError> {
    use super::context;
    use crate::server::services;

    let call = context::authorize::<crate::server::access::ResellerStaff>().await?;
    services::reseller::list_customers(&call.state.db, call.scope).await
}

//! The reseller panel: a reseller's staff see their own customers only.

use crate::dto::reseller::ResellerCustomer;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "list_reseller_customers")]
pub async fn list_reseller_customers() -> Result<Vec<ResellerCustomer>, AppError> {
    use super::context;
    use crate::server::services;

    let call = context::authorize::<crate::server::access::ResellerStaff>().await?;
    services::reseller::list_customers(&call.state.db, call.scope).await
}

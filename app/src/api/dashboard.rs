//! The home dashboard of a customer account.

use crate::dto::dashboard::Dashboard;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "get_dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use super::context;
    use crate::server::services;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    services::dashboard::load_dashboard(&call.state, call.scope).await
}

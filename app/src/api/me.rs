//! Self-service: what every signed-in customer person may see about themselves.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A license of a subscription assigned to the caller.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyService {
    pub product_name: String,
    pub vendor: String,
    pub icon: String,
    pub color: String,
    pub resource_name: String,
    pub assigned_at: DateTime<Utc>,
}

#[server(endpoint = "list_my_services")]
pub async fn list_my_services() -> Result<Vec<MyService>, AppError> {
    use super::context;
    use crate::server::services;

    let call = context::authorize::<crate::server::access::CustomerPerson>().await?;
    services::people::list_services_of(&call.state.db, call.scope, call.actor.person_id).await
}

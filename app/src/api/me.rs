//! Self-service: what every signed-in customer person may see about themselves.

use crate::dto::me::MyService;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "list_my_services")]
pub async fn list_my_services() -> Result<Vec<MyService>, AppError> {
    use super::context;
    use crate::server::services;

    let call = context::authorize::<crate::server::access::CustomerPerson>().await?;
    services::licenses::held_by(&call.state.db, call.scope, call.actor.person_id).await
}

//! In-app notifications of the signed-in person: the bell's unread count, the list, reading.

use crate::dto::notifications::NotificationList;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "count_unread_notifications")]
pub async fn count_unread_notifications() -> Result<u64, AppError> {
    use super::context;
    use crate::server::services::notifications;

    let call = context::authorize::<crate::server::access::SignedIn>().await?;
    notifications::count_unread(&call.state.db, call.actor.person_id).await
}

#[server(endpoint = "list_notifications")]
pub async fn list_notifications() -> Result<NotificationList, AppError> {
    use super::context;
    use crate::server::services::notifications;

    let call = context::authorize::<crate::server::access::SignedIn>().await?;
    notifications::list(&call.state.db, call.actor.person_id).await
}

/// Marks one notification read, or all of them when `id` is 0.
#[server(endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read(id: i32) -> Result<u64, AppError> {
    use super::context;
    use crate::server::services::notifications;

    let call = context::authorize::<crate::server::access::SignedIn>().await?;
    let now = call.state.clock.now();
    notifications::mark_read(
        &call.state.db,
        call.actor.person_id,
        (id != 0).then_some(id),
        now,
    )
    .await
}

//! The account's activity log (the audit trail), for owner and admins.

use crate::dto::activity::ActivityPage;
use crate::error::AppError;
use leptos::prelude::*;

/// `from` and `to` are optional days (`YYYY-MM-DD`, empty for open-ended), both included.
#[server(endpoint = "list_activity")]
pub async fn list_activity(
    area: String,
    from: String,
    to: String,
    page: u64,
) -> Result<ActivityPage, AppError> {
    use super::context;
    use crate::dto::activity::{ACTIVITY_AREAS, ACTIVITY_PER_PAGE};
    use crate::server::services::audit;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let prefix = match area.as_str() {
        "" => None,
        value => Some(
            ACTIVITY_AREAS
                .iter()
                .find(|(v, _, _)| *v == value)
                .map(|(_, _, prefix)| *prefix)
                .ok_or_else(|| AppError::validation("area", "Unknown kind of activity."))?,
        ),
    };
    let range = crate::domain::filter::DayRange::parse(&from, &to)
        .map_err(|(field, message)| AppError::validation(field, message))?;
    let filter = audit::Filter {
        action_prefix: prefix,
        from: range.from,
        to: range.to,
    };
    audit::list_for_customer(
        &call.state.db,
        call.scope,
        &filter,
        crate::domain::PageRequest::new(page, ACTIVITY_PER_PAGE),
    )
    .await
}

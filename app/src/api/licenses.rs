//! Assigning licenses of license-type resources to people of the account.

use crate::dto::licenses::{LicenseHolders, LicenseSlot};
use crate::error::AppError;
use leptos::prelude::*;

/// Every license of the account's live subscriptions, and which ones `person_id` holds.
#[server(endpoint = "list_license_slots")]
pub async fn list_license_slots(person_id: i32) -> Result<Vec<LicenseSlot>, AppError> {
    use super::context;
    use crate::server::services::licenses;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    licenses::slots_for_person(&call.state.db, call.scope, person_id).await
}

/// Gives `person_id` one license of the resource; refused when all licenses are taken.
#[server(endpoint = "assign_license")]
pub async fn assign_license(resource_id: i32, person_id: i32) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::licenses;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    licenses::assign(
        &call.state,
        &call.actor,
        call.scope,
        call.ip,
        resource_id,
        person_id,
    )
    .await
}

#[server(endpoint = "unassign_license")]
pub async fn unassign_license(resource_id: i32, person_id: i32) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::licenses;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    licenses::unassign(
        &call.state,
        &call.actor,
        call.scope,
        call.ip,
        resource_id,
        person_id,
    )
    .await
}

#[server(endpoint = "list_license_holders")]
pub async fn list_license_holders(subscription_id: i32) -> Result<Vec<LicenseHolders>, AppError> {
    use super::context;
    use crate::server::services::licenses;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    licenses::holders_of(&call.state.db, call.scope, subscription_id).await
}

/// Assigns a license to the person of the account with this sign-in email.
#[server(endpoint = "assign_license_by_email")]
pub async fn assign_license_by_email(resource_id: i32, email: String) -> Result<(), AppError> {
    use super::context;
    use crate::domain::Email;
    use crate::server::services::licenses;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let email = Email::parse(&email).map_err(|m| AppError::validation("email", m))?;
    let person_id =
        licenses::holder_by_email(&call.state.db, call.scope, resource_id, &email).await?;
    licenses::assign(
        &call.state,
        &call.actor,
        call.scope,
        call.ip,
        resource_id,
        person_id,
    )
    .await
}

//! Assigning licenses of license-type resources to people of the account.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A license-type resource of a live subscription, seen from one person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenseSlot {
    pub subscription_id: i32,
    pub resource_id: i32,
    pub product_name: String,
    pub resource_name: String,
    pub limit: i64,
    pub assigned: i64,
    /// Whether the person in question holds one of these licenses.
    pub held: bool,
}

/// Every license of the account's live subscriptions, and which ones `person_id` holds.
#[server(endpoint = "list_license_slots")]
pub async fn list_license_slots(person_id: i32) -> Result<Vec<LicenseSlot>, AppError> {
    use super::context;
    use crate::server::services::licenses;

    context::finish(
        async {
            let (state, actor) = context::actor().await?;
            let customer_id = actor.require_account_manager()?;
            licenses::slots_for_person(&state.db, customer_id, person_id).await
        }
        .await,
    )
}

/// Gives `person_id` one license of the resource; refused when all licenses are taken.
#[server(endpoint = "assign_license")]
pub async fn assign_license(resource_id: i32, person_id: i32) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::licenses;

    context::finish(
        async {
            let (state, actor) = context::actor().await?;
            let ip = context::client_ip(&context::parts()?);
            licenses::assign(&state, &actor, ip, resource_id, person_id).await
        }
        .await,
    )
}

#[server(endpoint = "unassign_license")]
pub async fn unassign_license(resource_id: i32, person_id: i32) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::licenses;

    context::finish(
        async {
            let (state, actor) = context::actor().await?;
            let ip = context::client_ip(&context::parts()?);
            licenses::unassign(&state, &actor, ip, resource_id, person_id).await
        }
        .await,
    )
}

/// A person holding a license.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenseHolder {
    pub person_id: i32,
    pub name: String,
    pub email: String,
}

/// A license-type resource of one subscription, with who holds its licenses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenseHolders {
    pub resource_id: i32,
    pub resource_name: String,
    pub limit: i64,
    pub holders: Vec<LicenseHolder>,
}

#[server(endpoint = "list_license_holders")]
pub async fn list_license_holders(subscription_id: i32) -> Result<Vec<LicenseHolders>, AppError> {
    use super::context;
    use crate::server::services::licenses;

    context::finish(
        async {
            let (state, actor) = context::actor().await?;
            let customer_id = actor.require_account_manager()?;
            licenses::holders_of(&state.db, customer_id, subscription_id).await
        }
        .await,
    )
}

/// Assigns a license to the person of the account with this sign-in email.
#[server(endpoint = "assign_license_by_email")]
pub async fn assign_license_by_email(resource_id: i32, email: String) -> Result<(), AppError> {
    use super::context;
    use crate::domain::Email;
    use crate::server::services::licenses;

    context::finish(
        async {
            let (state, actor) = context::actor().await?;
            let customer_id = actor.require_account_manager()?;
            let email = Email::parse(&email).map_err(|m| AppError::validation("email", m))?;
            let person_id = licenses::person_by_email(&state.db, customer_id, &email).await?;
            let ip = context::client_ip(&context::parts()?);
            licenses::assign(&state, &actor, ip, resource_id, person_id).await
        }
        .await,
    )
}

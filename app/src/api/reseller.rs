//! The reseller panel: a reseller's staff see and create their own customers only. Every function
//! here admits reseller staff in their own panel (`ResellerStaff`), never a session acting for a
//! customer.

use crate::domain::customer::CustomerForm;
use crate::dto::reseller::{
    CustomerDetail, ResellerActivityPage, ResellerCustomer, ResellerOverview,
};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "get_reseller_overview")]
pub async fn get_reseller_overview() -> Result<ResellerOverview, AppError> {
    use super::context;
    use crate::server::access::ResellerStaff;
    use crate::server::services::reseller;

    let call = context::authorize::<ResellerStaff>().await?;
    reseller::overview(&call.state.db, call.scope).await
}

/// The reseller's customers whose name or contact email contains `search`; `status` is a
/// customer status or empty for all.
#[server(endpoint = "list_reseller_customers")]
pub async fn list_reseller_customers(
    search: String,
    status: String,
) -> Result<Vec<ResellerCustomer>, AppError> {
    use super::context;
    use crate::domain::filter::optional;
    use crate::domain::{CustomerStatus, SearchText};
    use crate::server::access::ResellerStaff;
    use crate::server::services::reseller;

    let call = context::authorize::<ResellerStaff>().await?;
    let search = SearchText::parse(&search).map_err(|m| AppError::validation("search", m))?;
    let status = optional(&status, |s| {
        CustomerStatus::parse(s).map_err(|_| "Unknown customer status.")
    })
    .map_err(|m| AppError::validation("status", m))?;
    reseller::list_customers(&call.state.db, call.scope, &search, status).await
}

#[server(endpoint = "get_reseller_customer")]
pub async fn get_reseller_customer(customer_id: i32) -> Result<CustomerDetail, AppError> {
    use super::context;
    use crate::server::access::ResellerStaff;
    use crate::server::services::reseller;

    let call = context::authorize::<ResellerStaff>().await?;
    reseller::get_customer(&call.state, call.scope, customer_id).await
}

/// Creates a customer and invites its owner with a welcome email; answers the customer's id.
#[server(endpoint = "create_customer", input = leptos::server_fn::codec::Json)]
pub async fn create_customer(form: CustomerForm) -> Result<i32, AppError> {
    use super::context;
    use crate::server::access::ResellerStaff;
    use crate::server::services::reseller;

    let call = context::authorize::<ResellerStaff>().await?;
    let new = form
        .parse()
        .map_err(|e| AppError::validation(e.field, e.message))?;
    // "A person with this email already exists" tells whether an address has an account.
    call.count_address_checks(1)?;
    reseller::create_customer(&call.state, &call.actor, call.scope, call.ip, new).await
}

/// Sends the welcome email again to the customer's owner who has not activated yet.
#[server(endpoint = "resend_welcome")]
pub async fn resend_welcome(customer_id: i32) -> Result<(), AppError> {
    use super::context;
    use crate::server::access::ResellerStaff;
    use crate::server::services::reseller;

    let call = context::authorize::<ResellerStaff>().await?;
    // Each sends an email with a link: a few per customer, as for "forgot password".
    call.state
        .limits
        .reset_request_account
        .check(&format!("welcome-{customer_id}"))?;
    reseller::resend_welcome(&call.state, &call.actor, call.scope, call.ip, customer_id).await
}

/// Turns automatic approval of the customers' cancellation requests on or off.
#[server(endpoint = "set_auto_approve_cancellations")]
pub async fn set_auto_approve_cancellations(on: bool) -> Result<bool, AppError> {
    use super::context;
    use crate::server::access::ResellerStaff;
    use crate::server::services::reseller;

    let call = context::authorize::<ResellerStaff>().await?;
    reseller::set_auto_approve(&call.state, &call.actor, call.scope, call.ip, on).await
}

#[server(endpoint = "list_reseller_activity")]
pub async fn list_reseller_activity(page: u64) -> Result<ResellerActivityPage, AppError> {
    use super::context;
    use crate::domain::PageRequest;
    use crate::dto::reseller::RESELLER_ACTIVITY_PER_PAGE;
    use crate::server::access::ResellerStaff;
    use crate::server::services::reseller;

    let call = context::authorize::<ResellerStaff>().await?;
    let page = PageRequest::new(page, RESELLER_ACTIVITY_PER_PAGE);
    reseller::list_activity(&call.state.db, call.scope, page).await
}

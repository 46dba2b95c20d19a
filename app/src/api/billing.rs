//! Billing documents of the caller's account: invoices now, credit notes with cancellations.

use crate::dto::billing::{BillingOverview, DocumentDetail};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "list_documents")]
pub async fn list_documents(page: u64) -> Result<BillingOverview, AppError> {
    use super::context;
    use crate::server::services::billing;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let page = crate::domain::PageRequest::new(page, crate::dto::billing::DOCUMENTS_PER_PAGE);
    let today = call.state.clock.now().date_naive();
    billing::list_documents(&call.state.db, call.scope, page, today).await
}

#[server(endpoint = "get_document")]
pub async fn get_document(id: i32) -> Result<DocumentDetail, AppError> {
    use super::context;
    use crate::server::services::billing;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let today = call.state.clock.now().date_naive();
    billing::get_document(&call.state.db, call.scope, id, today).await
}

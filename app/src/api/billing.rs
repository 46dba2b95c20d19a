//! Billing documents of the caller's account: invoices now, credit notes with cancellations.

use crate::domain::Money;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: i32,
    pub number: String,
    /// `invoice` or `credit_note`.
    pub kind: String,
    pub issued_at: DateTime<Utc>,
    pub total: Money,
    pub order_id: Option<i32>,
    pub order_number: Option<String>,
}

pub const DOCUMENTS_PER_PAGE: u64 = 25;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BillingOverview {
    /// Invoiced less credited, per currency.
    pub balances: Vec<Money>,
    pub documents: Vec<DocumentRow>,
    pub page: u64,
    pub has_next: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentLine {
    pub description: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub email: String,
    pub country: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentDetail {
    pub row: DocumentRow,
    pub seller: Party,
    pub buyer: Party,
    pub lines: Vec<DocumentLine>,
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "credit_note" => "Credit note",
        _ => "Invoice",
    }
}

#[server(endpoint = "list_documents")]
pub async fn list_documents(page: u64) -> Result<BillingOverview, AppError> {
    use super::context;
    use crate::server::services::billing;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let page = page.clamp(1, super::orders::MAX_PAGE);
    billing::list_documents(&call.state.db, call.scope, page).await
}

#[server(endpoint = "get_document")]
pub async fn get_document(id: i32) -> Result<DocumentDetail, AppError> {
    use super::context;
    use crate::server::services::billing;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    billing::get_document(&call.state.db, call.scope, id).await
}

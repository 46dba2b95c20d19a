//! Billing documents of the caller's account: invoices now, credit notes with cancellations.

use crate::domain::{DocumentKind, Money, Page};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: i32,
    pub number: String,
    pub kind: DocumentKind,
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
    pub documents: Page<DocumentRow>,
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

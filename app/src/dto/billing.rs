//! Billing documents of the caller's account: invoices now, credit notes with cancellations;
//! where each stands, and what is due.

use crate::domain::pricing::LineKind;
use crate::domain::{DocumentKind, DocumentStatus, Money, Page, Standing};
use chrono::{DateTime, NaiveDate, Utc};
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
    pub status: DocumentStatus,
    /// The status as of today, with an open invoice past its due date called out.
    pub standing: Standing,
    /// `None` for a credit note: nothing is due on it.
    pub due_on: Option<NaiveDate>,
    pub paid_at: Option<DateTime<Utc>>,
}

pub const DOCUMENTS_PER_PAGE: u64 = 25;

/// What the account has to pay in one currency: its open invoices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmountDue {
    pub amount: Money,
    pub open_invoices: u64,
    /// The earliest due date of the open invoices.
    pub earliest_due: Option<NaiveDate>,
    /// The part of `amount` past its due date.
    pub overdue: Money,
    pub overdue_invoices: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BillingOverview {
    /// One entry per currency with open invoices; empty when nothing is due.
    pub due: Vec<AmountDue>,
    /// Invoices paid since `paid_since`, per currency.
    pub paid: Vec<Money>,
    /// A year before today.
    pub paid_since: NaiveDate,
    pub documents: Page<DocumentRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentLine {
    /// `None` only on some lines written before lines had kinds.
    pub kind: Option<LineKind>,
    /// The line's own words: the resource ("Licenses"), "Setup fee", the trial, the tax.
    pub description: String,
    pub product: Option<String>,
    pub plan: Option<String>,
    pub resource: Option<String>,
    /// The span of service: its first day, and the first day after it (print the last day
    /// with `domain::billing::last_day`).
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub quantity: i64,
    pub unit_price: Money,
    pub amount: Money,
    /// A prorated line (a change in mid-period): the amount is quantity × unit price for this
    /// many days of the period's days.
    pub prorated: Option<(i32, i32)>,
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
    /// What is left to pay on this document: its total while open, nothing otherwise.
    pub amount_due: Money,
}

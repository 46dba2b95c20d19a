//! Billing documents of a customer account, what the account has to pay, and the one place
//! documents are written (`write_document`): whatever causes a document (a completed order
//! now; changes, renewals and refunds later) hands over its lines, and the total is their sum.
//! A document's status then moves only through `record_payment` (and, later, a credit note),
//! as `DocumentStatus::can_become` allows; the rules are in `domain::billing`.

use super::audit;
use crate::domain::billing::{self, check_payment, issue_terms};
use crate::domain::pricing::LineKind;
use crate::domain::resource_change::prorate;
use crate::domain::{Currency, DocumentKind, DocumentStatus, Money, PageRequest, Standing};
use crate::dto::billing::{
    AmountDue, BillingOverview, DocumentDetail, DocumentLine, DocumentRow, Party,
};
use crate::error::AppError;
use crate::server::Tenant;
use crate::server::entities::{billing_document, billing_document_line, customer, order, reseller};
use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;

/// A document's number, from its row id: `INV-005012`, `CN-005013`.
pub fn document_number(kind: DocumentKind, id: i32) -> String {
    let prefix = match kind {
        DocumentKind::Invoice => "INV",
        DocumentKind::CreditNote => "CN",
    };
    format!("{prefix}-{:06}", 5000 + i64::from(id))
}

/// A document about to be written. Amounts of a credit note are positive: the kind gives the
/// sign in the balance.
pub struct NewDocument {
    pub customer_id: i32,
    pub order_id: Option<i32>,
    pub kind: DocumentKind,
    pub currency: Currency,
    pub lines: Vec<NewDocumentLine>,
    pub issued_at: DateTime<Utc>,
}

/// A line about to be written: what it charges for, in the words of the day, and the span of
/// service it covers (its own, so a prorated change can cover part of a period).
pub struct NewDocumentLine {
    pub kind: LineKind,
    pub description: String,
    pub product_name: Option<String>,
    pub plan_name: Option<String>,
    pub resource_name: Option<String>,
    /// First day, and the first day after.
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    /// For a prorated line: (days charged or credited, days of the period).
    pub proration: Option<(i64, i64)>,
}

impl NewDocumentLine {
    /// Whether the line reads quantity × unit price = amount, or that for its prorated days.
    fn multiplies_out(&self) -> bool {
        let full = self.quantity.checked_mul(self.unit_price_cents);
        let expected = match self.proration {
            None => full,
            Some((days, of)) => full.and_then(|full| prorate(full, days, of)),
        };
        expected == Some(self.amount_cents)
    }
}

/// Writes a billing document with its lines, in the status and with the due date the rules
/// give it; run it inside the transaction of the change it documents, so there is never a
/// change without its document nor a document without a change. Every line must read
/// quantity × unit price = amount (prorated by its days, for a change in mid-period), so a
/// reader can check it; one that does not is a bug.
pub async fn write_document(
    db: &impl ConnectionTrait,
    new: NewDocument,
) -> Result<billing_document::Model, AppError> {
    for line in &new.lines {
        if !line.multiplies_out() {
            tracing::error!(
                customer.id = new.customer_id,
                line = %line.description,
                "a document line does not multiply out"
            );
            return Err(AppError::Internal);
        }
    }
    let total = new
        .lines
        .iter()
        .try_fold(0i64, |sum, line| sum.checked_add(line.amount_cents))
        .ok_or(AppError::Internal)?;
    let terms = issue_terms(new.kind, total, new.issued_at).map_err(|err| {
        tracing::error!(customer.id = new.customer_id, error = %err, "document not issued");
        AppError::Internal
    })?;
    let document = billing_document::ActiveModel {
        id: NotSet,
        // A unique placeholder until the id, which the number is made from, is known.
        number: Set(format!("pending-{}", crate::server::auth::new_token().1)),
        customer_id: Set(new.customer_id),
        order_id: Set(new.order_id),
        kind: Set(new.kind),
        currency: Set(new.currency),
        total_cents: Set(total),
        issued_at: Set(new.issued_at),
        status: Set(terms.status),
        due_on: Set(terms.due_on),
        paid_at: Set(terms.paid_at),
    }
    .insert(db)
    .await?;
    let number = document_number(new.kind, document.id);
    billing_document::Entity::update_many()
        .col_expr(
            billing_document::Column::Number,
            Expr::value(number.clone()),
        )
        .filter(billing_document::Column::Id.eq(document.id))
        .exec(db)
        .await?;
    let lines: Vec<billing_document_line::ActiveModel> = new
        .lines
        .into_iter()
        .map(|line| billing_document_line::ActiveModel {
            id: NotSet,
            document_id: Set(document.id),
            kind: Set(Some(line.kind)),
            description: Set(line.description),
            product_name: Set(line.product_name),
            plan_name: Set(line.plan_name),
            resource_name: Set(line.resource_name),
            period_start: Set(line.period.map(|(start, _)| start)),
            period_end: Set(line.period.map(|(_, end)| end)),
            quantity: Set(line.quantity),
            unit_price_cents: Set(line.unit_price_cents),
            amount_cents: Set(line.amount_cents),
            prorated_days: Set(line.proration.and_then(|(d, _)| i32::try_from(d).ok())),
            period_days: Set(line.proration.and_then(|(_, p)| i32::try_from(p).ok())),
        })
        .collect();
    if !lines.is_empty() {
        billing_document_line::Entity::insert_many(lines)
            .exec(db)
            .await?;
    }
    Ok(billing_document::Model { number, ..document })
}

async fn rows(
    db: &impl ConnectionTrait,
    documents: Vec<billing_document::Model>,
    today: NaiveDate,
) -> Result<Vec<DocumentRow>, AppError> {
    let numbers: HashMap<i32, String> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .column(order::Column::Number)
        .filter(order::Column::Id.is_in(documents.iter().filter_map(|d| d.order_id)))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    documents
        .into_iter()
        .map(|d| {
            Ok(DocumentRow {
                id: d.id,
                total: Money::new(d.total_cents, d.currency),
                order_number: d.order_id.and_then(|id| numbers.get(&id).cloned()),
                order_id: d.order_id,
                number: d.number,
                kind: d.kind,
                issued_at: d.issued_at,
                status: d.status,
                standing: Standing::of(d.status, d.due_on, today),
                due_on: d.due_on,
                paid_at: d.paid_at,
            })
        })
        .collect()
}

/// `SUM(column)` as a 64-bit integer: PostgreSQL sums BIGINT into NUMERIC otherwise.
fn sum_as_bigint(column: billing_document::Column) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{Alias, ExprTrait};
    column.sum().cast_as(Alias::new("BIGINT"))
}

/// The account's open invoices, summed per currency, with the earliest due date and the part
/// that is overdue on `today`.
async fn amounts_due(
    db: &impl ConnectionTrait,
    customer_id: i32,
    today: NaiveDate,
) -> Result<Vec<AmountDue>, AppError> {
    let open = billing_document::Entity::find()
        .select_only()
        .column(billing_document::Column::Currency)
        .column(billing_document::Column::TotalCents)
        .column(billing_document::Column::DueOn)
        .filter(billing_document::Column::CustomerId.eq(customer_id))
        .filter(billing_document::Column::Kind.eq(DocumentKind::Invoice))
        .filter(billing_document::Column::Status.eq(DocumentStatus::Open))
        .order_by_asc(billing_document::Column::Id)
        .into_tuple::<(Currency, i64, Option<NaiveDate>)>()
        .all(db)
        .await?;
    let mut due: Vec<AmountDue> = Vec::new();
    for (currency, total, due_on) in open {
        let index = match due.iter().position(|d| d.amount.currency == currency) {
            Some(index) => index,
            None => {
                due.push(AmountDue {
                    amount: Money::new(0, currency),
                    open_invoices: 0,
                    earliest_due: None,
                    overdue: Money::new(0, currency),
                    overdue_invoices: 0,
                });
                due.len() - 1
            }
        };
        let entry = &mut due[index];
        let left = Money::new(DocumentStatus::Open.left_to_pay(total), currency);
        entry.amount = entry.amount.checked_add(left).ok_or(AppError::Internal)?;
        entry.open_invoices += 1;
        entry.earliest_due = match (entry.earliest_due, due_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if DocumentStatus::Open.is_overdue(due_on, today) {
            entry.overdue = entry.overdue.checked_add(left).ok_or(AppError::Internal)?;
            entry.overdue_invoices += 1;
        }
    }
    Ok(due)
}

/// The overview of Billing: what is due, what was paid in the last twelve months, and one
/// page of documents, newest first. `today` decides what is overdue.
pub async fn list_documents(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    page: PageRequest,
    today: NaiveDate,
) -> Result<BillingOverview, AppError> {
    let customer_id = tenant.customer_id();
    let found = billing_document::Entity::find()
        .filter(billing_document::Column::CustomerId.eq(customer_id))
        .order_by_desc(billing_document::Column::IssuedAt)
        .order_by_desc(billing_document::Column::Id)
        .offset(page.offset())
        .limit(page.fetch())
        .all(db)
        .await?;
    let mut found = page.page_of(found);
    let models = std::mem::take(&mut found.rows);

    let paid_since = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    let since = paid_since.and_time(chrono::NaiveTime::MIN).and_utc();
    let sums = billing_document::Entity::find()
        .select_only()
        .column(billing_document::Column::Currency)
        .column_as(sum_as_bigint(billing_document::Column::TotalCents), "total")
        .filter(billing_document::Column::CustomerId.eq(customer_id))
        .filter(billing_document::Column::Kind.eq(DocumentKind::Invoice))
        .filter(billing_document::Column::Status.eq(DocumentStatus::Paid))
        .filter(billing_document::Column::PaidAt.gte(since))
        .group_by(billing_document::Column::Currency)
        .into_tuple::<(Currency, Option<i64>)>()
        .all(db)
        .await?;
    let paid = sums
        .into_iter()
        .map(|(currency, total)| Money::new(total.unwrap_or(0), currency))
        .collect();
    Ok(BillingOverview {
        due: amounts_due(db, customer_id, today).await?,
        paid,
        paid_since,
        documents: found.with_rows(rows(db, models, today).await?),
    })
}

/// Records that an open invoice was paid in full at `paid_at`: it becomes `paid`, once. There
/// is no payment processor yet; the demo data and (later) the reseller panel record payments
/// received elsewhere. A payment on a paid invoice or on a credit note is refused
/// (`Conflict`), as is a race lost to another recording of the same payment. Run it in a
/// write transaction (`transaction::begin_write`): the payment and its audit entry are one.
pub async fn record_payment(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    document_id: i32,
    paid_at: DateTime<Utc>,
) -> Result<DocumentRow, AppError> {
    let customer_id = tenant.customer_id();
    let document = billing_document::Entity::find_by_id(document_id)
        .filter(billing_document::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    check_payment(document.kind, document.status)
        .map_err(|err| AppError::Conflict(err.to_string()))?;
    if paid_at < document.issued_at {
        return Err(AppError::validation(
            "paid_at",
            "A payment cannot be dated before the invoice was issued.",
        ));
    }
    let moved = billing_document::Entity::update_many()
        .col_expr(
            billing_document::Column::Status,
            Expr::value(DocumentStatus::Paid),
        )
        .col_expr(billing_document::Column::PaidAt, Expr::value(Some(paid_at)))
        .filter(billing_document::Column::Id.eq(document.id))
        .filter(billing_document::Column::Status.eq(DocumentStatus::Open))
        .exec(db)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::Conflict(
            billing::PaymentError::AlreadyPaid.to_string(),
        ));
    }
    let buyer = customer::Entity::find_by_id(customer_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    audit::record_system(
        db,
        &buyer,
        "Billing",
        paid_at,
        audit::Entry {
            action: "invoice.paid",
            target_type: "billing_document",
            target_id: Some(document.number.clone()),
            details: Some(serde_json::json!({
                "total_cents": document.total_cents,
                "currency": document.currency,
            })),
        },
    )
    .await?;
    tracing::info!(
        document.id = document.id,
        customer.id = customer_id,
        "payment recorded"
    );
    let paid = billing_document::Model {
        status: DocumentStatus::Paid,
        paid_at: Some(paid_at),
        ..document
    };
    rows(db, vec![paid], paid_at.date_naive())
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

pub async fn get_document(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: i32,
    today: NaiveDate,
) -> Result<DocumentDetail, AppError> {
    let customer_id = tenant.customer_id();
    let document = billing_document::Entity::find_by_id(id)
        .filter(billing_document::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let buyer = customer::Entity::find_by_id(customer_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let seller = reseller::Entity::find_by_id(buyer.reseller_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let currency = document.currency;
    let lines = billing_document_line::Entity::find()
        .filter(billing_document_line::Column::DocumentId.eq(id))
        .order_by_asc(billing_document_line::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|l| DocumentLine {
            kind: l.kind,
            unit_price: Money::new(l.unit_price_cents, currency),
            amount: Money::new(l.amount_cents, currency),
            description: l.description,
            product: l.product_name,
            plan: l.plan_name,
            resource: l.resource_name,
            period_start: l.period_start,
            period_end: l.period_end,
            quantity: l.quantity,
            prorated: l.prorated_days.zip(l.period_days),
        })
        .collect();
    let amount_due = Money::new(document.status.left_to_pay(document.total_cents), currency);
    let row = rows(db, vec![document], today)
        .await?
        .pop()
        .ok_or(AppError::Internal)?;
    Ok(DocumentDetail {
        row,
        seller: Party {
            name: seller.name,
            email: seller.contact_email,
            country: None,
        },
        buyer: Party {
            name: buyer.name,
            email: buyer.contact_email,
            country: Some(buyer.country),
        },
        lines,
        amount_due,
    })
}

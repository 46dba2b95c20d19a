//! Billing documents of a customer account and its balance, and the one place they are
//! written (`write_document`): whatever causes a document (a completed order now; changes,
//! renewals and refunds later) hands over its lines, and the total is their sum.

use crate::domain::{Currency, DocumentKind, Money, PageRequest};
use crate::dto::billing::{BillingOverview, DocumentDetail, DocumentLine, DocumentRow, Party};
use crate::error::AppError;
use crate::server::Tenant;
use crate::server::entities::{billing_document, billing_document_line, customer, order, reseller};
use chrono::{DateTime, Utc};
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

pub struct NewDocumentLine {
    pub description: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
}

/// Writes a billing document with its lines; run it inside the transaction of the change it
/// documents, so there is never a change without its document nor a document without a change.
pub async fn write_document(
    db: &impl ConnectionTrait,
    new: NewDocument,
) -> Result<billing_document::Model, AppError> {
    let total = new
        .lines
        .iter()
        .try_fold(0i64, |sum, line| sum.checked_add(line.amount_cents))
        .ok_or(AppError::Internal)?;
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
            description: Set(line.description),
            quantity: Set(line.quantity),
            unit_price_cents: Set(line.unit_price_cents),
            amount_cents: Set(line.amount_cents),
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
            })
        })
        .collect()
}

/// `SUM(column)` as a 64-bit integer: PostgreSQL sums BIGINT into NUMERIC otherwise.
fn sum_as_bigint(column: billing_document::Column) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{Alias, ExprTrait};
    column.sum().cast_as(Alias::new("BIGINT"))
}

pub async fn list_documents(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    page: PageRequest,
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

    // Invoiced less credited, per currency, over every document of the account.
    let sums = billing_document::Entity::find()
        .select_only()
        .column(billing_document::Column::Currency)
        .column(billing_document::Column::Kind)
        .column_as(sum_as_bigint(billing_document::Column::TotalCents), "total")
        .filter(billing_document::Column::CustomerId.eq(customer_id))
        .group_by(billing_document::Column::Currency)
        .group_by(billing_document::Column::Kind)
        .into_tuple::<(Currency, DocumentKind, Option<i64>)>()
        .all(db)
        .await?;
    let mut balances: Vec<Money> = Vec::new();
    for (currency, kind, total) in sums {
        let signed = Money::new(kind.sign() * total.unwrap_or(0), currency);
        match balances.iter_mut().find(|m| m.currency == signed.currency) {
            Some(balance) => {
                *balance = balance.checked_add(signed).ok_or(AppError::Internal)?;
            }
            None => balances.push(signed),
        }
    }
    Ok(BillingOverview {
        balances,
        documents: found.with_rows(rows(db, models).await?),
    })
}

pub async fn get_document(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: i32,
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
        .map(|l| {
            Ok(DocumentLine {
                unit_price: Money::new(l.unit_price_cents, currency),
                amount: Money::new(l.amount_cents, currency),
                description: l.description,
                quantity: l.quantity,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let row = rows(db, vec![document])
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
    })
}

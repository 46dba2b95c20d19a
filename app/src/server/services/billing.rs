//! Billing documents of a customer account and its balance.

use crate::domain::{Currency, DocumentKind, Money, PageRequest};
use crate::dto::billing::{BillingOverview, DocumentDetail, DocumentLine, DocumentRow, Party};
use crate::error::AppError;
use crate::server::Tenant;
use crate::server::entities::{billing_document, billing_document_line, customer, order, reseller};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

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
    let currency = document.currency.clone();
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

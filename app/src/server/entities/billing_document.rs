//! `billing_documents`: documents of each `kind` issued to a customer, optionally for an order,
//! with where each stands (`status`, moved only through `DocumentStatus::can_become`).

use crate::domain::{Currency, DocumentKind, DocumentStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub number: String,
    pub customer_id: i32,
    pub order_id: Option<i32>,
    pub kind: DocumentKind,
    #[sea_orm(column_type = "String(StringLen::N(3))")]
    pub currency: Currency,
    pub total_cents: i64,
    pub issued_at: DateTimeUtc,
    pub status: DocumentStatus,
    /// `None` for a credit note: nothing is due on it.
    pub due_on: Option<Date>,
    pub paid_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

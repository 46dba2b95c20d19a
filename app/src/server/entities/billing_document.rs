//! `billing_documents`: documents of each `kind` issued to a customer, optionally for an order.

use crate::domain::{Currency, DocumentKind};
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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! `billing_document_lines`: the priced lines of a billing document, each naming what it
//! charges for as it was called on the day it was issued (a later rename in the catalog does
//! not change a document), and the span of service it covers, if any.

use crate::domain::pricing::LineKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_document_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    /// `None` only on lines written before lines had kinds that no order line matched.
    pub kind: Option<LineKind>,
    pub description: String,
    pub product_name: Option<String>,
    pub plan_name: Option<String>,
    pub resource_name: Option<String>,
    /// The span of service, first day to the first day after; its own on each line, so a
    /// prorated change can cover part of a period.
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    /// For a prorated line: `amount` is `quantity × unit price` for this many days of the
    /// period's days (see `domain::resource_change::prorate`).
    pub prorated_days: Option<i32>,
    pub period_days: Option<i32>,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! `order_lines`: the priced lines of an order.

use crate::domain::pricing::LineKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub order_id: i32,
    pub kind: LineKind,
    pub description: String,
    pub resource_rate_id: Option<i32>,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    /// A line of the credit note the order writes (a reduction), not of its invoice.
    pub credit: bool,
    /// For a prorated line: the days charged or credited, of the period's days.
    pub prorated_days: Option<i32>,
    pub period_days: Option<i32>,
}

/// The rows this one points at; joins go through these.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::order::Entity",
        from = "Column::OrderId",
        to = "super::order::Column::Id"
    )]
    Order,
}

impl Related<super::order::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Order.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

//! `plans`: the priced plans of a product: billing period, price, trial and refund rules.

use crate::domain::{BillingPeriod, Currency};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub product_id: i32,
    pub sku: String,
    pub name: String,
    pub billing_period: BillingPeriod,
    #[sea_orm(column_type = "String(StringLen::N(3))")]
    pub currency: Currency,
    pub price_cents: i64,
    pub setup_fee_cents: i64,
    pub trial_days: i32,
    pub full_refund_days: i32,
    pub prorated_refund_days: i32,
    pub cancellable_online: bool,
    pub active: bool,
}

/// The rows this one points at; joins go through these.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::product::Entity",
        from = "Column::ProductId",
        to = "super::product::Column::Id"
    )]
    Product,
}

impl Related<super::product::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

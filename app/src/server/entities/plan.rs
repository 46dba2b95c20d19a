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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

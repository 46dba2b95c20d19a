//! `customers`: every customer company of a reseller, with its country, currency and status.

use crate::domain::{Currency, CustomerStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reseller_id: i32,
    pub name: String,
    pub contact_email: String,
    pub country: String,
    #[sea_orm(column_type = "String(StringLen::N(3))")]
    pub currency: Currency,
    pub status: CustomerStatus,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

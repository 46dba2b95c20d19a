//! `products`: the catalog's products, each sold through one or more plans.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub sku: String,
    pub vendor: String,
    pub name: String,
    pub category: String,
    pub short_description: String,
    #[sea_orm(column_type = "Text")]
    pub long_description: String,
    pub icon: String,
    pub color: String,
    pub demo_always_fails: bool,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

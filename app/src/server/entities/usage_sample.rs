//! `usage_samples`: the usage of a quota resource the vendor reported on a day (one a day).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_samples")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub subscription_resource_id: i32,
    pub day: Date,
    pub units: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! `license_assignments`: which person holds a license of a subscription resource.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "license_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub subscription_resource_id: i32,
    pub person_id: i32,
    pub assigned_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! `resource_rates`: what a plan includes or charges for, with its limits and unit price.

use crate::domain::ResourceKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "resource_rates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub plan_id: i32,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: ResourceKind,
    pub included_units: i64,
    pub min_units: i64,
    pub max_units: Option<i64>,
    pub unit_price_cents: i64,
    pub downsize_window_days: i32,
}

/// The rows this one points at; joins go through these.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::plan::Entity",
        from = "Column::PlanId",
        to = "super::plan::Column::Id"
    )]
    Plan,
}

impl Related<super::plan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plan.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

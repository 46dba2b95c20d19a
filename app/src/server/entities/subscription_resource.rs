//! `subscription_resources`: the limit and usage of one resource rate within a subscription.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscription_resources")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub subscription_id: i32,
    pub resource_rate_id: i32,
    pub limit_units: i64,
    pub usage_units: i64,
    /// The last usage threshold announced, in percent of the limit: 0, 80 or 100.
    pub usage_alert: i32,
    /// A lower limit the next renewal applies (a reduction asked for after its window).
    pub scheduled_limit: Option<i64>,
}

/// The rows this one points at; joins go through these.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::subscription::Entity",
        from = "Column::SubscriptionId",
        to = "super::subscription::Column::Id"
    )]
    Subscription,
    #[sea_orm(
        belongs_to = "super::resource_rate::Entity",
        from = "Column::ResourceRateId",
        to = "super::resource_rate::Column::Id"
    )]
    ResourceRate,
}

impl Related<super::subscription::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscription.def()
    }
}

impl Related<super::resource_rate::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ResourceRate.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

//! `subscriptions`: a customer's subscription to a plan, with its current billing period.

use crate::domain::SubscriptionStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub plan_id: i32,
    pub status: SubscriptionStatus,
    pub start_date: Date,
    pub period_start: Date,
    pub period_end: Date,
    pub trial_ends_on: Option<Date>,
    pub auto_renew: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub terminated_at: Option<DateTimeUtc>,
}

/// The rows this one points at; joins go through these.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::Id"
    )]
    Customer,
    #[sea_orm(
        belongs_to = "super::plan::Entity",
        from = "Column::PlanId",
        to = "super::plan::Column::Id"
    )]
    Plan,
}

impl Related<super::customer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl Related<super::plan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plan.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

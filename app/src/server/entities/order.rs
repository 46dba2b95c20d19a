//! `orders`: a customer's orders, queued and processed by the worker.

use crate::domain::{Currency, OrderStatus, OrderType, SubscriptionStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub number: String,
    pub customer_id: i32,
    pub subscription_id: Option<i32>,
    pub plan_id: Option<i32>,
    pub order_type: OrderType,
    pub status: OrderStatus,
    pub idempotency_key: String,
    #[sea_orm(column_type = "String(StringLen::N(3))")]
    pub currency: Currency,
    pub total_cents: i64,
    pub created_by: Option<i32>,
    pub impersonator_id: Option<i32>,
    pub failure_reason: Option<String>,
    pub cancel_reason: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub cancel_comment: Option<String>,
    pub decision_reason: Option<String>,
    /// For a cancellation: the subscription's status when it was asked for, which it returns to
    /// when the request is withdrawn or rejected.
    pub cancel_status_before: Option<SubscriptionStatus>,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! `audit_log`: append-only record of who did what; no foreign keys, entries outlive people.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reseller_id: Option<i32>,
    pub customer_id: Option<i32>,
    pub actor_id: Option<i32>,
    pub actor_name: Option<String>,
    pub impersonator_id: Option<i32>,
    pub impersonator_name: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub details: Option<String>,
    pub ip: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

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

/// The rows this one points at; joins go through these.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::subscription_resource::Entity",
        from = "Column::SubscriptionResourceId",
        to = "super::subscription_resource::Column::Id"
    )]
    SubscriptionResource,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Person,
}

impl Related<super::subscription_resource::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SubscriptionResource.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

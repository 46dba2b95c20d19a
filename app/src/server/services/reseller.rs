//! The reseller's view of its customers.

use crate::domain::SubscriptionStatus;
use crate::dto::reseller::ResellerCustomer;
use crate::error::AppError;
use crate::server::ResellerScope;
use crate::server::entities::{customer, person, subscription};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

async fn count_by_customer<E: EntityTrait>(
    db: &impl ConnectionTrait,
    query: sea_orm::Select<E>,
    customer_col: E::Column,
    id_col: E::Column,
) -> Result<HashMap<i32, u64>, AppError> {
    Ok(query
        .select_only()
        .column(customer_col)
        .column_as(id_col.count(), "count")
        .group_by(customer_col)
        .into_tuple::<(Option<i32>, i64)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, n.max(0) as u64)))
        .collect())
}

pub async fn list_customers(
    db: &impl ConnectionTrait,
    scope: ResellerScope,
) -> Result<Vec<ResellerCustomer>, AppError> {
    let reseller_id = scope.reseller_id();
    let customers = customer::Entity::find()
        .filter(customer::Column::ResellerId.eq(reseller_id))
        .order_by_asc(customer::Column::Name)
        .all(db)
        .await?;
    let ids: Vec<i32> = customers.iter().map(|c| c.id).collect();
    let people = count_by_customer(
        db,
        person::Entity::find().filter(person::Column::CustomerId.is_in(ids.clone())),
        person::Column::CustomerId,
        person::Column::Id,
    )
    .await?;
    let live = count_by_customer(
        db,
        subscription::Entity::find()
            .filter(subscription::Column::CustomerId.is_in(ids))
            .filter(subscription::Column::Status.is_in(SubscriptionStatus::live())),
        subscription::Column::CustomerId,
        subscription::Column::Id,
    )
    .await?;
    Ok(customers
        .into_iter()
        .map(|c| ResellerCustomer {
            people: people.get(&c.id).copied().unwrap_or(0),
            live_subscriptions: live.get(&c.id).copied().unwrap_or(0),
            id: c.id,
            name: c.name,
            country: c.country,
        })
        .collect())
}

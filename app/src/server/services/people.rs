//! People of a customer account.

use crate::api::me::MyService;
use crate::error::AppError;
use crate::server::entities::{
    license_assignment, plan, product, resource_rate, subscription, subscription_resource,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The licenses assigned to one person of the account, newest first.
pub async fn list_services_of(
    db: &impl ConnectionTrait,
    customer_id: i32,
    person_id: i32,
) -> Result<Vec<MyService>, AppError> {
    let assignments = license_assignment::Entity::find()
        .filter(license_assignment::Column::PersonId.eq(person_id))
        .all(db)
        .await?;
    if assignments.is_empty() {
        return Ok(Vec::new());
    }
    let resources: HashMap<i32, subscription_resource::Model> =
        subscription_resource::Entity::find()
            .filter(
                subscription_resource::Column::Id
                    .is_in(assignments.iter().map(|a| a.subscription_resource_id)),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
    // Scoped to the caller's account: an assignment can only point into it, but never trust that.
    let subscriptions: HashMap<i32, subscription::Model> = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(customer_id))
        .filter(subscription::Column::Id.is_in(resources.values().map(|r| r.subscription_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let rates: HashMap<i32, resource_rate::Model> = resource_rate::Entity::find()
        .filter(resource_rate::Column::Id.is_in(resources.values().map(|r| r.resource_rate_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let plans: HashMap<i32, plan::Model> = plan::Entity::find()
        .filter(plan::Column::Id.is_in(subscriptions.values().map(|s| s.plan_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let products: HashMap<i32, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(plans.values().map(|p| p.product_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();

    let mut out: Vec<MyService> = assignments
        .iter()
        .filter_map(|a| {
            let resource = resources.get(&a.subscription_resource_id)?;
            let subscription = subscriptions.get(&resource.subscription_id)?;
            let rate = rates.get(&resource.resource_rate_id)?;
            let product = products.get(&plans.get(&subscription.plan_id)?.product_id)?;
            Some(MyService {
                product_name: product.name.clone(),
                vendor: product.vendor.clone(),
                icon: product.icon.clone(),
                color: product.color.clone(),
                resource_name: rate.name.clone(),
                assigned_at: a.assigned_at,
            })
        })
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.assigned_at));
    Ok(out)
}

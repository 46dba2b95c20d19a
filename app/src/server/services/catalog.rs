//! Read access to the catalog (products, plans, resource rates).

use crate::error::AppError;
use crate::server::entities::{plan, product};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// Plans by id with their product, for the given ids (one query each, whatever the count).
pub async fn plans_with_products(
    db: &impl ConnectionTrait,
    plan_ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, (plan::Model, product::Model)>, AppError> {
    let mut ids: Vec<i32> = plan_ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let plans = plan::Entity::find()
        .filter(plan::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let products: HashMap<i32, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(plans.iter().map(|p| p.product_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut out = HashMap::with_capacity(plans.len());
    for plan in plans {
        let product = products.get(&plan.product_id).cloned().ok_or_else(|| {
            tracing::error!(plan.id = plan.id, "plan without product");
            AppError::Internal
        })?;
        out.insert(plan.id, (plan, product));
    }
    Ok(out)
}

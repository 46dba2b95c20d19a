//! The catalog every installation sells from: the versioned file `seed/catalog.json`, loaded
//! into an empty database at start (in production as in the demo). Later versions of the file
//! are for a catalog-update step; version 1 is all there is.

use crate::domain::{BillingPeriod, Currency, ResourceKind};
use crate::error::AppError;
use crate::server::entities::{plan, product, resource_rate};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, NotSet, PaginatorTrait, Set};
use serde::Deserialize;

const CATALOG_JSON: &str = include_str!("../../../seed/catalog.json");

#[derive(Deserialize)]
struct Catalog {
    version: u32,
    currency: Currency,
    products: Vec<CatalogProduct>,
}

#[derive(Deserialize)]
struct CatalogProduct {
    sku: String,
    vendor: String,
    name: String,
    category: String,
    short_description: String,
    long_description: String,
    icon: String,
    color: String,
    #[serde(default)]
    demo_always_fails: bool,
    plans: Vec<CatalogPlan>,
}

#[derive(Deserialize)]
struct CatalogPlan {
    sku: String,
    name: String,
    billing_period: BillingPeriod,
    price_cents: i64,
    setup_fee_cents: i64,
    trial_days: i32,
    full_refund_days: i32,
    prorated_refund_days: i32,
    cancellable_online: bool,
    resources: Vec<CatalogResource>,
}

#[derive(Deserialize)]
struct CatalogResource {
    code: String,
    name: String,
    unit: String,
    kind: ResourceKind,
    included: i64,
    min: i64,
    max: Option<i64>,
    unit_price_cents: i64,
    downsize_window_days: i32,
}

fn invalid(message: String) -> AppError {
    tracing::error!(%message, "seed/catalog.json is invalid");
    AppError::Internal
}

fn parse_catalog() -> Result<Catalog, AppError> {
    let catalog: Catalog =
        serde_json::from_str(CATALOG_JSON).map_err(|e| invalid(e.to_string()))?;
    if catalog.version != 1 {
        return Err(invalid(format!("unsupported version {}", catalog.version)));
    }
    for product in &catalog.products {
        for plan in &product.plans {
            for r in &plan.resources {
                if r.min < 0 || r.max.is_some_and(|max| max < r.min || max < r.included) {
                    return Err(invalid(format!("{}: bad limits for {}", plan.sku, r.code)));
                }
            }
        }
    }
    Ok(catalog)
}

/// Loads the catalog when the database has none. Returns whether it did.
pub async fn load_if_empty(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if product::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let catalog = parse_catalog()?;
    for p in catalog.products {
        let product_row = product::ActiveModel {
            id: NotSet,
            sku: Set(p.sku),
            vendor: Set(p.vendor),
            name: Set(p.name),
            category: Set(p.category),
            short_description: Set(p.short_description),
            long_description: Set(p.long_description),
            icon: Set(p.icon),
            color: Set(p.color),
            demo_always_fails: Set(p.demo_always_fails),
            active: Set(true),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
        for pl in p.plans {
            let plan_row = plan::ActiveModel {
                id: NotSet,
                product_id: Set(product_row.id),
                sku: Set(pl.sku),
                name: Set(pl.name),
                billing_period: Set(pl.billing_period),
                currency: Set(catalog.currency),
                price_cents: Set(pl.price_cents),
                setup_fee_cents: Set(pl.setup_fee_cents),
                trial_days: Set(pl.trial_days),
                full_refund_days: Set(pl.full_refund_days),
                prorated_refund_days: Set(pl.prorated_refund_days),
                cancellable_online: Set(pl.cancellable_online),
                active: Set(true),
            }
            .insert(db)
            .await?;
            for r in pl.resources {
                resource_rate::ActiveModel {
                    id: NotSet,
                    plan_id: Set(plan_row.id),
                    code: Set(r.code),
                    name: Set(r.name),
                    unit: Set(r.unit),
                    kind: Set(r.kind),
                    included_units: Set(r.included),
                    min_units: Set(r.min),
                    max_units: Set(r.max),
                    unit_price_cents: Set(r.unit_price_cents),
                    downsize_window_days: Set(r.downsize_window_days),
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_catalog_parses() {
        let catalog = super::parse_catalog().expect("seed/catalog.json");
        assert!(catalog.products.len() >= 10);
        let categories: std::collections::HashSet<_> = catalog
            .products
            .iter()
            .map(|p| p.category.as_str())
            .collect();
        assert!(categories.len() >= 4);
    }
}

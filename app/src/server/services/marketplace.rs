//! The catalog as the marketplace shows it: searching products, and a product's plans with what
//! the customer may choose and whether its trial is still available to them.

use crate::domain::ordering::refund_policy_words;
use crate::domain::pricing::{PlanPrice, ResourceQuantity, quote_new_subscription};
use crate::domain::{Currency, Money};
use crate::dto::marketplace::{
    CategoryCount, Marketplace, PlanOffer, ProductCard, ProductDetail, RateOffer,
};
use crate::error::AppError;
use crate::server::Tenant;
use crate::server::entities::{plan, product, resource_rate, trial_claim};
use sea_orm::sea_query::{Expr, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;

/// The quantity an order form starts with: the minimum, and at least what the plan includes.
pub fn default_units(rate: &resource_rate::Model) -> i64 {
    rate.min_units.max(rate.included_units)
}

/// What one period of `plan` costs at the smallest quantities it can be bought with.
fn entry_price(plan: &plan::Model, rates: &[resource_rate::Model]) -> Result<Money, AppError> {
    let price = PlanPrice {
        name: plan.name.clone(),
        currency: plan.currency,
        price_cents: plan.price_cents,
        setup_fee_cents: 0,
        trial_days: 0,
    };
    let quantities: Vec<ResourceQuantity> = rates
        .iter()
        .map(|r| ResourceQuantity {
            name: r.name.clone(),
            included: r.included_units,
            quantity: default_units(r),
            unit_price_cents: r.unit_price_cents,
        })
        .collect();
    quote_new_subscription(&price, &quantities, None)
        .map(|q| q.total)
        .map_err(|err| {
            tracing::error!(plan.id = plan.id, error = %err, "cannot price a plan");
            AppError::Internal
        })
}

/// `%word%` for LIKE, with the wildcard characters of the word itself escaped.
fn contains(word: &str) -> LikeExpr {
    let escaped: String = word
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// The word appears, ignoring case, in a product's name, vendor, category or description.
fn word_matches(word: &str) -> Condition {
    use sea_orm::sea_query::ExprTrait;
    let pattern = contains(&word.to_lowercase());
    [
        product::Column::Name,
        product::Column::Vendor,
        product::Column::Category,
        product::Column::ShortDescription,
    ]
    .into_iter()
    .fold(Condition::any(), |any, column| {
        any.add(Expr::expr(Func::lower(Expr::col(column))).like(pattern.clone()))
    })
}

async fn rates_by_plan(
    db: &impl ConnectionTrait,
    plan_ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, Vec<resource_rate::Model>>, AppError> {
    let mut out: HashMap<i32, Vec<resource_rate::Model>> = HashMap::new();
    for rate in resource_rate::Entity::find()
        .filter(resource_rate::Column::PlanId.is_in(plan_ids))
        .order_by_asc(resource_rate::Column::Id)
        .all(db)
        .await?
    {
        out.entry(rate.plan_id).or_default().push(rate);
    }
    Ok(out)
}

/// A "from" price of a product tile.
struct FromPrice {
    monthly: Money,
    /// `None`: a whole plan at its smallest quantities; `Some(unit)`: one unit.
    per_unit: Option<String>,
}

/// A period's price by the month, rounded up: a "from" price never promises less than is
/// charged.
fn monthly(cents: i64, months: i64) -> i64 {
    (cents + months.max(1) - 1).div_euclid(months.max(1))
}

/// Cards for `products`, each with the lowest entry price over its active plans.
async fn cards(
    db: &impl ConnectionTrait,
    products: Vec<product::Model>,
) -> Result<Vec<ProductCard>, AppError> {
    let plans = plan::Entity::find()
        .filter(plan::Column::ProductId.is_in(products.iter().map(|p| p.id)))
        .filter(plan::Column::Active.eq(true))
        .all(db)
        .await?;
    let rates = rates_by_plan(db, plans.iter().map(|p| p.id)).await?;
    // The cheapest plan by its price a month. A plan that costs nothing until something is
    // used (pay as you go) offers its cheapest unit instead, and that is the product's way in:
    // nothing to pay up front beats any plan price.
    let mut cheapest: HashMap<i32, FromPrice> = HashMap::new();
    let mut trials: HashMap<i32, bool> = HashMap::new();
    for plan in &plans {
        let plan_rates = rates.get(&plan.id).map_or(&[][..], Vec::as_slice);
        let price = entry_price(plan, plan_rates)?;
        *trials.entry(plan.product_id).or_default() |= plan.trial_days > 0;
        let months = i64::from(plan.billing_period.months());
        let offers = if price.cents > 0 {
            vec![FromPrice {
                per_unit: None,
                monthly: Money::new(monthly(price.cents, months), plan.currency),
            }]
        } else {
            plan_rates
                .iter()
                .filter(|r| r.unit_price_cents > 0)
                .map(|r| FromPrice {
                    per_unit: Some(r.unit.clone()),
                    monthly: Money::new(monthly(r.unit_price_cents, months), plan.currency),
                })
                .collect()
        };
        for offer in offers {
            let better = cheapest.get(&plan.product_id).is_none_or(|best| {
                (offer.per_unit.is_none(), offer.monthly.cents)
                    < (best.per_unit.is_none(), best.monthly.cents)
            });
            if better {
                cheapest.insert(plan.product_id, offer);
            }
        }
    }
    Ok(products
        .into_iter()
        .map(|p| {
            let from = cheapest.remove(&p.id);
            ProductCard {
                id: p.id,
                from_monthly: from.as_ref().map(|f| f.monthly),
                from_unit: from.and_then(|f| f.per_unit),
                has_trial: trials.get(&p.id).copied().unwrap_or(false),
                vendor: p.vendor,
                name: p.name,
                category: p.category,
                short_description: p.short_description,
                icon: p.icon,
                color: p.color,
            }
        })
        .collect())
}

pub async fn list_products(
    db: &impl ConnectionTrait,
    search: &str,
    category: &str,
) -> Result<Marketplace, AppError> {
    let categories = product::Entity::find()
        .select_only()
        .column(product::Column::Category)
        .column_as(product::Column::Id.count(), "products")
        .filter(product::Column::Active.eq(true))
        .group_by(product::Column::Category)
        .order_by_asc(product::Column::Category)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(name, products)| CategoryCount {
            name,
            products: products.max(0) as u64,
        })
        .collect();

    let mut matching = Condition::all().add(product::Column::Active.eq(true));
    if !category.is_empty() {
        matching = matching.add(product::Column::Category.eq(category));
    }
    for word in search.split_whitespace() {
        matching = matching.add(word_matches(word));
    }
    let products = product::Entity::find()
        .filter(matching)
        .order_by_asc(product::Column::Name)
        .all(db)
        .await?;
    Ok(Marketplace {
        categories,
        products: cards(db, products).await?,
    })
}

/// Whether the customer has used the trial of `product_id` (or has one on order).
pub async fn trial_used(
    db: &impl ConnectionTrait,
    customer_id: i32,
    product_id: i32,
) -> Result<bool, AppError> {
    Ok(trial_claim::Entity::find()
        .filter(trial_claim::Column::CustomerId.eq(customer_id))
        .filter(trial_claim::Column::ProductId.eq(product_id))
        .count(db)
        .await?
        > 0)
}

pub fn rate_offer(rate: &resource_rate::Model, currency: Currency) -> Result<RateOffer, AppError> {
    Ok(RateOffer {
        id: rate.id,
        name: rate.name.clone(),
        unit: rate.unit.clone(),
        kind: rate.kind,
        included: rate.included_units,
        min: rate.min_units,
        max: rate.max_units,
        unit_price: Money::new(rate.unit_price_cents, currency),
        default_units: default_units(rate),
    })
}

pub async fn get_product(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: i32,
) -> Result<ProductDetail, AppError> {
    let customer_id = tenant.customer_id();
    let product = product::Entity::find_by_id(id)
        .filter(product::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let plans = plan::Entity::find()
        .filter(plan::Column::ProductId.eq(id))
        .filter(plan::Column::Active.eq(true))
        .order_by_asc(plan::Column::Id)
        .all(db)
        .await?;
    let rates = rates_by_plan(db, plans.iter().map(|p| p.id)).await?;
    let trial_used = trial_used(db, customer_id, id).await?;
    let long_description = product.long_description.clone();
    let offers = plans
        .iter()
        .map(|plan| {
            Ok(PlanOffer {
                id: plan.id,
                name: plan.name.clone(),
                billing_period: plan.billing_period,
                price: Money::new(plan.price_cents, plan.currency),
                from_price: entry_price(plan, rates.get(&plan.id).map_or(&[], Vec::as_slice))?,
                setup_fee: Money::new(plan.setup_fee_cents, plan.currency),
                trial_days: plan.trial_days,
                trial_available: plan.trial_days > 0 && !trial_used,
                refund_policy: refund_policy_words(
                    plan.full_refund_days,
                    plan.prorated_refund_days,
                ),
                cancellable_online: plan.cancellable_online,
                resources: rates
                    .get(&plan.id)
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .map(|r| rate_offer(r, plan.currency))
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let card = cards(db, vec![product])
        .await?
        .pop()
        .ok_or(AppError::Internal)?;
    Ok(ProductDetail {
        card,
        long_description,
        plans: offers,
    })
}

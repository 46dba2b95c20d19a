//! Subscriptions of one customer account.

use super::catalog;
use crate::domain::pricing::{PlanPrice, ResourceQuantity, quote_new_subscription};
use crate::domain::{Money, ResourceKind};
use crate::dto::subscriptions::{ResourceLine, SubscriptionDetail, SubscriptionSummary};
use crate::error::AppError;
use crate::server::entities::{
    license_assignment, plan, product, resource_rate, subscription, subscription_resource,
};
use crate::server::{AppState, Tenant};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

fn summary(
    s: &subscription::Model,
    plan: &plan::Model,
    product: &product::Model,
) -> Result<SubscriptionSummary, AppError> {
    Ok(SubscriptionSummary {
        id: s.id,
        product_name: product.name.clone(),
        vendor: product.vendor.clone(),
        icon: product.icon.clone(),
        color: product.color.clone(),
        plan_name: plan.name.clone(),
        billing_period: plan.billing_period,
        status: s.status,
        period_end: s.period_end,
        auto_renew: s.auto_renew,
    })
}

/// The price of one renewal: the first-period price without trial and setup fee.
fn recurring_price(plan: &plan::Model, quantities: &[ResourceQuantity]) -> Result<Money, AppError> {
    let plan_price = PlanPrice {
        name: plan.name.clone(),
        currency: plan.currency,
        price_cents: plan.price_cents,
        setup_fee_cents: 0,
        trial_days: 0,
    };
    quote_new_subscription(&plan_price, quantities, None)
        .map(|quote| quote.total)
        .map_err(|err| {
            tracing::error!(plan.id = plan.id, error = %err, "cannot price a subscription");
            AppError::Internal
        })
}

/// Every subscription of the account, live ones first, then by product name.
pub async fn list_subscriptions(
    db: &impl ConnectionTrait,
    tenant: Tenant,
) -> Result<Vec<SubscriptionSummary>, AppError> {
    let customer_id = tenant.customer_id();
    let rows = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(customer_id))
        .order_by_desc(subscription::Column::CreatedAt)
        .all(db)
        .await?;
    let plans = catalog::plans_with_products(db, rows.iter().map(|s| s.plan_id)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for s in &rows {
        let (plan, product) = plans.get(&s.plan_id).ok_or(AppError::Internal)?;
        out.push(summary(s, plan, product)?);
    }
    out.sort_by(|a, b| {
        (!a.status.is_live(), &a.product_name).cmp(&(!b.status.is_live(), &b.product_name))
    });
    Ok(out)
}

/// The customer's subscription `id` with its plan and product; `NotFound` when it is not this
/// customer's.
pub async fn find_with_plan(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: i32,
) -> Result<(subscription::Model, plan::Model, product::Model), AppError> {
    let s = subscription::Entity::find_by_id(id)
        .filter(subscription::Column::CustomerId.eq(tenant.customer_id()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (plan, product) = catalog::plans_with_products(db, [s.plan_id])
        .await?
        .remove(&s.plan_id)
        .ok_or(AppError::Internal)?;
    Ok((s, plan, product))
}

/// One subscription with its resources; `NotFound` when it is not this customer's.
pub async fn get_subscription(
    state: &AppState,
    tenant: Tenant,
    id: i32,
) -> Result<SubscriptionDetail, AppError> {
    let db = &state.db;
    let (s, plan, product) = find_with_plan(db, tenant, id).await?;
    let (plan, product) = (&plan, &product);

    let resources = resources_of(db, &s).await?;
    let mut lines = Vec::with_capacity(resources.len());
    let mut quantities = Vec::with_capacity(resources.len());
    for InUse {
        row: r,
        rate,
        in_use,
    } in &resources
    {
        let kind = rate.kind;
        quantities.push(ResourceQuantity {
            name: rate.name.clone(),
            included: rate.included_units,
            quantity: r.limit_units,
            unit_price_cents: rate.unit_price_cents,
        });
        lines.push(ResourceLine {
            name: rate.name.clone(),
            unit: rate.unit.clone(),
            kind,
            included: rate.included_units,
            limit: r.limit_units,
            max: rate.max_units,
            used: *in_use,
            scheduled: r.scheduled_limit,
            unit_price: Money::new(rate.unit_price_cents, plan.currency),
        });
    }

    Ok(SubscriptionDetail {
        summary: summary(&s, plan, product)?,
        start_date: s.start_date,
        period_start: s.period_start,
        trial_ends_on: s.trial_ends_on,
        recurring_price: recurring_price(plan, &quantities)?,
        // Priced as the renewal will be (found by the break-it review: this page showed the
        // price at today's limits while Home showed the renewal's).
        renewal_price: super::renewals::renewal_quote(db, state, &s, plan)
            .await?
            .quote
            .total,
        resources: lines,
    })
}

/// One resource of a subscription with its rate and what of it is in use.
pub struct InUse {
    pub row: subscription_resource::Model,
    pub rate: resource_rate::Model,
    /// Licenses: the people assigned. Quotas: the usage the vendor last reported.
    pub in_use: i64,
}

impl InUse {
    /// The limit the next period starts with: a scheduled reduction, while it still holds what
    /// is in use; otherwise today's limit.
    pub fn renewal_limit(&self) -> i64 {
        self.row
            .scheduled_limit
            .filter(|s| *s < self.row.limit_units && *s >= self.in_use)
            .unwrap_or(self.row.limit_units)
    }
}

/// The resources of a subscription, in the plan's order.
pub async fn resources_of(
    db: &impl ConnectionTrait,
    s: &subscription::Model,
) -> Result<Vec<InUse>, AppError> {
    let resources = subscription_resource::Entity::find()
        .filter(subscription_resource::Column::SubscriptionId.eq(s.id))
        .order_by_asc(subscription_resource::Column::ResourceRateId)
        .all(db)
        .await?;
    let mut rates: HashMap<i32, resource_rate::Model> = resource_rate::Entity::find()
        .filter(resource_rate::Column::PlanId.eq(s.plan_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let assigned: HashMap<i32, i64> = license_assignment::Entity::find()
        .select_only()
        .column(license_assignment::Column::SubscriptionResourceId)
        .column_as(license_assignment::Column::Id.count(), "count")
        .filter(
            license_assignment::Column::SubscriptionResourceId
                .is_in(resources.iter().map(|r| r.id)),
        )
        .group_by(license_assignment::Column::SubscriptionResourceId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    resources
        .into_iter()
        .map(|row| {
            let rate = rates
                .remove(&row.resource_rate_id)
                .ok_or(AppError::Internal)?;
            let in_use = match rate.kind {
                ResourceKind::License => assigned.get(&row.id).copied().unwrap_or(0),
                ResourceKind::Quota => row.usage_units,
            };
            Ok(InUse { row, rate, in_use })
        })
        .collect()
}

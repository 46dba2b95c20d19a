//! The figures on a customer's home page.

use super::{catalog, renewals, usage};
use crate::domain::{Money, SubscriptionStatus};
use crate::dto::dashboard::{Dashboard, OrderSummary, RenewalDue, StatusCount};
use crate::error::AppError;
use crate::server::entities::{customer, order, person, subscription};
use crate::server::{AppState, Tenant};
use chrono::Days;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

const RECENT_ORDERS: u64 = 5;
const RENEWAL_HORIZON_DAYS: u64 = 30;

pub async fn load_dashboard(state: &AppState, tenant: Tenant) -> Result<Dashboard, AppError> {
    let db = &state.db;
    let today = state.clock.now().date_naive();
    let customer_id = tenant.customer_id();
    let customer = customer::Entity::find_by_id(customer_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;

    let counts: Vec<(SubscriptionStatus, i64)> = subscription::Entity::find()
        .select_only()
        .column(subscription::Column::Status)
        .column_as(subscription::Column::Id.count(), "count")
        .filter(subscription::Column::CustomerId.eq(customer_id))
        .group_by(subscription::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut subscriptions_by_status = counts
        .into_iter()
        .map(|(status, count)| {
            Ok(StatusCount {
                status,
                count: count.max(0) as u64,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    subscriptions_by_status
        .sort_by_key(|c| SubscriptionStatus::ALL.iter().position(|s| *s == c.status));

    let people_count = person::Entity::find()
        .filter(person::Column::CustomerId.eq(customer_id))
        .count(db)
        .await?;

    let orders = order::Entity::find()
        .filter(order::Column::CustomerId.eq(customer_id))
        .order_by_desc(order::Column::CreatedAt)
        .order_by_desc(order::Column::Id)
        .limit(RECENT_ORDERS)
        .all(db)
        .await?;

    let horizon = today + Days::new(RENEWAL_HORIZON_DAYS);
    let renewing = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(customer_id))
        .filter(subscription::Column::Status.is_in(SubscriptionStatus::live()))
        .filter(subscription::Column::PeriodEnd.gte(today))
        .filter(subscription::Column::PeriodEnd.lte(horizon))
        .order_by_asc(subscription::Column::PeriodEnd)
        .all(db)
        .await?;

    let plans = catalog::plans_with_products(
        db,
        orders
            .iter()
            .filter_map(|o| o.plan_id)
            .chain(renewing.iter().map(|s| s.plan_id)),
    )
    .await?;

    let recent_orders = orders
        .into_iter()
        .map(|o| {
            let subject = o
                .plan_id
                .and_then(|id| plans.get(&id))
                .map(|(plan, product)| format!("{} — {}", product.name, plan.name))
                .unwrap_or_default();
            Ok(OrderSummary {
                id: o.id,
                number: o.number,
                order_type: o.order_type,
                status: o.status,
                subject,
                total: Money::new(o.total_cents, o.currency),
                created_at: o.created_at,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;

    let mut renewals_due = Vec::with_capacity(renewing.len());
    for s in renewing {
        let Some((plan, product)) = plans.get(&s.plan_id) else {
            continue;
        };
        let amount = if s.auto_renew {
            Some(
                renewals::renewal_quote(db, state, &s, plan)
                    .await?
                    .quote
                    .total,
            )
        } else {
            None
        };
        renewals_due.push(RenewalDue {
            subscription_id: s.id,
            product_name: product.name.clone(),
            plan_name: plan.name.clone(),
            renews_on: s.period_end,
            auto_renew: s.auto_renew,
            trial: s.status == SubscriptionStatus::Trial,
            amount,
        });
    }

    let usage_warnings = usage::warnings(db, tenant).await?;
    Ok(Dashboard {
        usage_warnings,
        customer_name: customer.name,
        subscriptions_by_status,
        people_count,
        recent_orders,
        renewals_due,
    })
}

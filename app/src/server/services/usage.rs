//! Usage of quota resources (storage and the like): the vendor's daily report, recorded once a
//! day per resource, the alerts when usage crosses 80 % and 100 % of the limit (once per
//! crossing, `domain::usage`), and the last 30 days for the chart.
//!
//! Once with several processes: a day's figure is recorded by the process whose row in
//! `usage_samples` (unique per resource and day) was written, in the same transaction as the
//! new usage and its alert.

use super::notifications;
use crate::domain::usage::{crossing, level, percent};
use crate::domain::{ResourceKind, SubscriptionStatus};
use crate::dto::dashboard::UsageWarning;
use crate::dto::subscriptions::UsageSeries;
use crate::error::AppError;
use crate::server::entities::{
    plan, product, resource_rate, subscription, subscription_resource, usage_sample,
};
use crate::server::vendor::{UsageQuery, VendorConnector};
use crate::server::{AppState, Tenant};
use chrono::{Days, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// Days the chart shows.
pub const HISTORY_DAYS: u64 = 30;

/// A quota resource of a running subscription.
struct Quota {
    row: subscription_resource::Model,
    rate: resource_rate::Model,
    subscription: subscription::Model,
}

async fn running_quotas(db: &impl ConnectionTrait) -> Result<Vec<Quota>, AppError> {
    let subscriptions: HashMap<i32, subscription::Model> = subscription::Entity::find()
        .filter(subscription::Column::Status.is_in(
            [SubscriptionStatus::Active, SubscriptionStatus::Trial].map(SubscriptionStatus::as_str),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let rates: HashMap<i32, resource_rate::Model> = resource_rate::Entity::find()
        .filter(resource_rate::Column::Kind.eq(ResourceKind::Quota))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let rows = subscription_resource::Entity::find()
        .filter(subscription_resource::Column::SubscriptionId.is_in(subscriptions.keys().copied()))
        .filter(subscription_resource::Column::ResourceRateId.is_in(rates.keys().copied()))
        .order_by_asc(subscription_resource::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(Quota {
                rate: rates.get(&row.resource_rate_id)?.clone(),
                subscription: subscriptions.get(&row.subscription_id)?.clone(),
                row,
            })
        })
        .collect())
}

/// Asks the vendor for `day`'s usage of every quota resource not yet reported that day;
/// answers how many figures were recorded. A vendor error skips the resource until the next
/// pass.
pub async fn record_day(
    state: &AppState,
    vendor: &dyn VendorConnector,
    day: NaiveDate,
) -> Result<usize, AppError> {
    let mut recorded = 0;
    for quota in running_quotas(&state.db).await? {
        let samples = usage_sample::Entity::find()
            .filter(usage_sample::Column::SubscriptionResourceId.eq(quota.row.id))
            .filter(usage_sample::Column::Day.lte(day))
            .order_by_desc(usage_sample::Column::Day)
            .one(&state.db)
            .await?;
        if samples.as_ref().is_some_and(|s| s.day == day) {
            continue;
        }
        let query = UsageQuery {
            subscription_resource_id: quota.row.id,
            resource_code: quota.rate.code.clone(),
            limit: quota.row.limit_units,
            start: quota.subscription.start_date,
            day,
            previous: samples.map(|s| s.units),
        };
        let units = match vendor.report_usage(&query).await {
            Ok(Some(units)) => units.max(0),
            Ok(None) => continue,
            Err(err) => {
                tracing::warn!(subscription_resource.id = quota.row.id, error = ?err, "no usage report");
                continue;
            }
        };
        if record(state, &quota, day, units).await? {
            recorded += 1;
        }
    }
    Ok(recorded)
}

/// Records one figure with its alert; `false` when another process recorded the day first.
async fn record(
    state: &AppState,
    quota: &Quota,
    day: NaiveDate,
    units: i64,
) -> Result<bool, AppError> {
    let now = state.clock.now();
    let txn = crate::server::transaction::begin_write(&state.db).await?;
    let row = usage_sample::ActiveModel {
        id: NotSet,
        subscription_resource_id: Set(quota.row.id),
        day: Set(day),
        units: Set(units),
    };
    if !crate::server::transaction::insert_once(&txn, row).await? {
        txn.rollback().await?;
        return Ok(false);
    }
    // A day before the latest one (a late report) is kept for the chart only.
    let latest = usage_sample::Entity::find()
        .filter(usage_sample::Column::SubscriptionResourceId.eq(quota.row.id))
        .filter(usage_sample::Column::Day.gt(day))
        .one(&txn)
        .await?
        .is_none();
    if latest {
        let current = subscription_resource::Entity::find_by_id(quota.row.id)
            .one(&txn)
            .await?
            .ok_or(AppError::Internal)?;
        let (level, announce) = crossing(current.usage_alert, units, current.limit_units);
        subscription_resource::Entity::update_many()
            .col_expr(
                subscription_resource::Column::UsageUnits,
                Expr::value(units),
            )
            .col_expr(
                subscription_resource::Column::UsageAlert,
                Expr::value(level),
            )
            .filter(subscription_resource::Column::Id.eq(quota.row.id))
            .exec(&txn)
            .await?;
        if let Some(threshold) = announce {
            alert(
                &txn,
                state,
                quota,
                units,
                current.limit_units,
                threshold,
                now,
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(true)
}

async fn alert(
    db: &impl ConnectionTrait,
    state: &AppState,
    quota: &Quota,
    units: i64,
    limit: i64,
    threshold: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let plan = plan::Entity::find_by_id(quota.subscription.plan_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let product = product::Entity::find_by_id(plan.product_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let resource = &quota.rate.name;
    let unit = &quota.rate.unit;
    let title = if threshold >= 100 {
        format!("{resource} of {} is full", product.name)
    } else {
        format!(
            "{resource} of {} is at {}% of its limit",
            product.name,
            percent(units, limit)
        )
    };
    notifications::tell_managers(
        db,
        state,
        quota.subscription.customer_id,
        notifications::Message {
            kind: "usage_alert",
            title,
            body: format!(
                "{units} of {limit} {unit} are in use ({}%). Add more before it runs out.",
                percent(units, limit)
            ),
            link: format!("/subscriptions/{}/resources", quota.subscription.id),
        },
        now,
    )
    .await
}

/// The last 30 days of every quota resource of a subscription of `tenant`'s account.
pub async fn history(
    state: &AppState,
    tenant: Tenant,
    subscription_id: i32,
) -> Result<Vec<UsageSeries>, AppError> {
    let db = &state.db;
    let s = subscription::Entity::find_by_id(subscription_id)
        .filter(subscription::Column::CustomerId.eq(tenant.customer_id()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock.now().date_naive();
    let from = today - Days::new(HISTORY_DAYS - 1);
    let mut out = Vec::new();
    for r in super::subscriptions::resources_of(db, &s).await? {
        if r.rate.kind != ResourceKind::Quota {
            continue;
        }
        let points = usage_sample::Entity::find()
            .filter(usage_sample::Column::SubscriptionResourceId.eq(r.row.id))
            .filter(usage_sample::Column::Day.gte(from))
            .filter(usage_sample::Column::Day.lte(today))
            .order_by_asc(usage_sample::Column::Day)
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.day, p.units))
            .collect();
        out.push(UsageSeries {
            resource_name: r.rate.name.clone(),
            unit: r.rate.unit.clone(),
            limit: r.row.limit_units,
            used: r.in_use,
            from,
            to: today,
            points,
        });
    }
    Ok(out)
}

/// The account's quota resources at 80 % of their limit or more, fullest first.
pub async fn warnings(
    db: &impl ConnectionTrait,
    tenant: Tenant,
) -> Result<Vec<UsageWarning>, AppError> {
    let mut out = Vec::new();
    let quotas = running_quotas(db).await?;
    let mine: Vec<&Quota> = quotas
        .iter()
        .filter(|q| q.subscription.customer_id == tenant.customer_id())
        .filter(|q| level(q.row.usage_units, q.row.limit_units) > 0)
        .collect();
    let plans =
        super::catalog::plans_with_products(db, mine.iter().map(|q| q.subscription.plan_id))
            .await?;
    for q in mine {
        let Some((_, product)) = plans.get(&q.subscription.plan_id) else {
            continue;
        };
        out.push(UsageWarning {
            subscription_id: q.subscription.id,
            product_name: product.name.clone(),
            resource_name: q.rate.name.clone(),
            unit: q.rate.unit.clone(),
            used: q.row.usage_units,
            limit: q.row.limit_units,
        });
    }
    out.sort_by_key(|w| std::cmp::Reverse(percent(w.used, w.limit)));
    Ok(out)
}

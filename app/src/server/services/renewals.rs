//! The end of a subscription's period, done by the scheduler in every server process: a
//! `renewal` order when auto-renew is on (fulfilment then moves the subscription into its next
//! period and writes the invoice), the end of the subscription when it is off, and the notices
//! 30 and 7 days before. The rules are in `domain::renewal`.
//!
//! Exactly once with several processes, by the database: a renewal order's idempotency key
//! names the subscription and the period it ends (`renewal-<id>-<date>`), so the unique key on
//! (customer, key) lets only one process place it; ending is one conditional update that only
//! one process can make; a notice is sent only by the process whose row in
//! `subscription_notices` (unique per subscription, period and notice) was written.

use super::orders::{self, NewOrder, NewOrderLine, PlacedBy};
use super::subscriptions::resources_of;
use super::{audit, catalog, notifications};
use crate::domain::pricing::{PlanPrice, Quote, ResourceQuantity, quote_new_subscription};
use crate::domain::renewal::{AtPeriodEnd, at_period_end, next_period, notice_due};
use crate::domain::resource_change::Period;
use crate::domain::{OrderType, SubscriptionStatus};
use crate::error::AppError;
use crate::server::entities::{
    customer, license_assignment, plan, subscription, subscription_notice, subscription_resource,
};
use crate::server::{Actor, AppState, Tenant};
use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect, Set,
};

/// The name renewals are audited under.
pub const SYSTEM: &str = "Renewal";
/// Subscriptions looked at per pass; the rest wait for the next pass.
const BATCH: u64 = 200;

pub(super) const RUNNING: [SubscriptionStatus; 2] =
    [SubscriptionStatus::Active, SubscriptionStatus::Trial];

fn running() -> [&'static str; 2] {
    RUNNING.map(SubscriptionStatus::as_str)
}

/// The first paid day, which the periods keep to.
fn anchor(s: &subscription::Model) -> NaiveDate {
    s.trial_ends_on.unwrap_or(s.start_date)
}

/// The period after the current one.
pub fn following_period(s: &subscription::Model, plan: &plan::Model) -> Period {
    next_period(anchor(s), s.period_end, plan.billing_period)
}

/// A renewal priced: its quote, the resource rate of each quote line, and the limit each
/// resource starts the next period with, as (rate, units, today's limit).
pub struct RenewalQuote {
    pub quote: Quote,
    pub line_rates: Vec<Option<i32>>,
    pub limits: Vec<(i32, i64, Option<i64>)>,
}

/// What the next period costs, tax included: at today's limits, or at a reduction scheduled for
/// the renewal.
pub async fn renewal_quote(
    db: &impl ConnectionTrait,
    state: &AppState,
    s: &subscription::Model,
    plan: &plan::Model,
) -> Result<RenewalQuote, AppError> {
    let resources = resources_of(db, s).await?;
    let quantities: Vec<ResourceQuantity> = resources
        .iter()
        .map(|r| ResourceQuantity {
            name: r.rate.name.clone(),
            included: r.rate.included_units,
            quantity: r.renewal_limit(),
            unit_price_cents: r.rate.unit_price_cents,
        })
        .collect();
    let price = PlanPrice {
        name: plan.name.clone(),
        currency: plan.currency,
        price_cents: plan.price_cents,
        setup_fee_cents: 0,
        trial_days: 0,
    };
    let quote = quote_new_subscription(&price, &quantities, state.settings.tax.as_ref()).map_err(
        |err| {
            tracing::error!(subscription.id = s.id, error = %err, "cannot price a renewal");
            AppError::Internal
        },
    )?;
    let line_rates = quote
        .lines
        .iter()
        .map(|l| l.resource.and_then(|i| resources.get(i)).map(|r| r.rate.id))
        .collect();
    let limits = resources
        .iter()
        .map(|r| (r.rate.id, r.renewal_limit(), Some(r.row.limit_units)))
        .collect();
    Ok(RenewalQuote {
        quote,
        line_rates,
        limits,
    })
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub renewals_placed: usize,
    pub ended: usize,
    /// Cancellation requests approved because the paid period is over.
    pub cancellations_approved: usize,
    pub notices: usize,
}

/// One pass of the scheduler on the clock's today: every running subscription whose period has
/// ended renews or ends, and every notice due is sent. A subscription that fails is logged and
/// tried again on the next pass; it never stops the others.
pub async fn run_due(state: &AppState) -> Result<Pass, AppError> {
    let today = state.clock.now().date_naive();
    let mut pass = Pass::default();
    let due = subscription::Entity::find()
        .filter(subscription::Column::Status.is_in(running()))
        .filter(subscription::Column::PeriodEnd.lte(today))
        .order_by_asc(subscription::Column::PeriodEnd)
        .order_by_asc(subscription::Column::Id)
        .limit(BATCH)
        .all(&state.db)
        .await?;
    for s in due {
        let result = match at_period_end(s.status, s.auto_renew, s.period_end, today) {
            AtPeriodEnd::Renew => place_renewal(state, &s).await.map(|placed| {
                pass.renewals_placed += usize::from(placed);
            }),
            AtPeriodEnd::End => end_without_renewal(state, &s, today).await.map(|ended| {
                pass.ended += usize::from(ended);
            }),
            AtPeriodEnd::Nothing => Ok(()),
        };
        if let Err(err) = result {
            tracing::error!(subscription.id = s.id, error = %err, "period end not handled");
        }
    }
    // A cancellation still waiting when the paid period is over is approved: the service does
    // not run unpaid while the reseller has not decided.
    match super::cancellations::approve_due(state).await {
        Ok(n) => pass.cancellations_approved = n,
        Err(err) => tracing::error!(error = %err, "cancellations due not approved"),
    }
    let horizon = today + Days::new(31);
    let soon = subscription::Entity::find()
        .filter(subscription::Column::Status.is_in(running()))
        .filter(subscription::Column::PeriodEnd.gt(today))
        .filter(subscription::Column::PeriodEnd.lte(horizon))
        .order_by_asc(subscription::Column::Id)
        .limit(BATCH)
        .all(&state.db)
        .await?;
    for s in soon {
        let period = Period {
            start: s.period_start,
            end: s.period_end,
        };
        let Some(days) = notice_due(period, today) else {
            continue;
        };
        match send_notice(state, &s, days).await {
            Ok(sent) => pass.notices += usize::from(sent),
            Err(err) => tracing::error!(subscription.id = s.id, error = %err, "notice not sent"),
        }
    }
    Ok(pass)
}

/// Places the renewal order of the period that has ended; `false` when another process (or an
/// earlier pass) already has, or while a change of the subscription is still open.
async fn place_renewal(state: &AppState, s: &subscription::Model) -> Result<bool, AppError> {
    let (plan, product) = catalog::plans_with_products(&state.db, [s.plan_id])
        .await?
        .remove(&s.plan_id)
        .ok_or(AppError::Internal)?;
    let next = following_period(s, &plan);
    let RenewalQuote {
        quote,
        line_rates: rates,
        limits,
    } = renewal_quote(&state.db, state, s, &plan).await?;
    let lines = quote
        .lines
        .iter()
        .zip(rates)
        .map(|(line, rate)| NewOrderLine {
            kind: line.kind,
            description: line.description.clone(),
            resource_rate_id: rate,
            quantity: line.quantity,
            unit_price_cents: line.unit_price.cents,
            amount_cents: line.amount.cents,
            period: Some((next.start, next.end)),
            credit: false,
            proration: None,
        })
        .collect();
    let new = NewOrder {
        order_type: OrderType::Renewal,
        subscription_id: Some(s.id),
        plan: &plan,
        total_cents: quote.total.cents,
        lines,
        // The limits carry into the new period as they are, or as a scheduled reduction sets them.
        resources: limits,
        trial_of_product: None,
        cancellation: None,
        details: serde_json::json!({
            "product": product.name,
            "plan": plan.name,
            "subscription_id": s.id,
            "period": [next.start, next.end],
            "total_cents": quote.total.cents,
            "currency": plan.currency,
        }),
    };
    let key = format!("renewal-{}-{}", s.id, s.period_end);
    let tenant = Tenant::for_system_task(s.customer_id);
    let placed = orders::place(state, PlacedBy::System(SYSTEM), tenant, &key, new, None).await?;
    if let Some(placed) = &placed {
        tracing::info!(
            order.id = placed.id,
            subscription.id = s.id,
            "renewal placed"
        );
    }
    Ok(placed.is_some())
}

async fn end_without_renewal(
    state: &AppState,
    s: &subscription::Model,
    today: NaiveDate,
) -> Result<bool, AppError> {
    // A change still open ends first (it fails, or completes and is invoiced): a later pass
    // ends the subscription.
    if super::resource_changes::open_change(&state.db, s.id)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let now = state.clock.now();
    let txn = crate::server::transaction::begin_write(&state.db).await?;
    // Only while auto-renew is still off and the period still over: a person who turned it on
    // a moment ago wins.
    let ended = terminate(&txn, s.id, &RUNNING, now, |update| {
        update
            .filter(subscription::Column::AutoRenew.eq(false))
            .filter(subscription::Column::PeriodEnd.lte(today))
    })
    .await?;
    if ended {
        let product = product_of(&txn, s).await?;
        tell(
            &txn,
            state,
            s,
            "subscription_ended",
            format!("{product} has ended"),
            format!(
                "{product} has ended: it was not set to renew, and its last paid day was {}. Its licenses have been released.",
                crate::domain::billing::last_day(s.period_end).format("%b %-d, %Y")
            ),
            now,
        )
        .await?;
        audit_system(&txn, s, "subscription.terminated", "not renewed", now).await?;
    }
    txn.commit().await?;
    Ok(ended)
}

/// Ends a subscription that is in one of `from` (each a status the subscription state machine
/// lets end) and releases its licenses; `false` when it no longer was or `guard` did not hold,
/// and then nothing changed.
pub async fn terminate(
    db: &impl ConnectionTrait,
    subscription_id: i32,
    from: &[SubscriptionStatus],
    now: DateTime<Utc>,
    guard: impl FnOnce(
        sea_orm::UpdateMany<subscription::Entity>,
    ) -> sea_orm::UpdateMany<subscription::Entity>,
) -> Result<bool, AppError> {
    if !from
        .iter()
        .all(|s| s.can_become(SubscriptionStatus::Terminated))
    {
        return Err(AppError::Internal);
    }
    let update = subscription::Entity::update_many()
        .col_expr(
            subscription::Column::Status,
            Expr::value(SubscriptionStatus::Terminated),
        )
        .col_expr(subscription::Column::TerminatedAt, Expr::value(Some(now)))
        .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(subscription_id))
        .filter(subscription::Column::Status.is_in(from.iter().map(|s| s.as_str())));
    if guard(update).exec(db).await?.rows_affected != 1 {
        return Ok(false);
    }
    let resources: Vec<i32> = subscription_resource::Entity::find()
        .select_only()
        .column(subscription_resource::Column::Id)
        .filter(subscription_resource::Column::SubscriptionId.eq(subscription_id))
        .into_tuple()
        .all(db)
        .await?;
    license_assignment::Entity::delete_many()
        .filter(license_assignment::Column::SubscriptionResourceId.is_in(resources))
        .exec(db)
        .await?;
    Ok(true)
}

/// Moves a subscription into the period its completed renewal paid for (a trial into its first
/// paid period), only from the period the renewal was placed for. Returns the new period.
pub async fn start_next_period(
    db: &impl ConnectionTrait,
    s: &subscription::Model,
    plan: &plan::Model,
    now: DateTime<Utc>,
) -> Result<Period, AppError> {
    let next = following_period(s, plan);
    if !s.status.can_become(SubscriptionStatus::Active) && s.status != SubscriptionStatus::Active {
        return Err(AppError::Internal);
    }
    let moved = subscription::Entity::update_many()
        .col_expr(subscription::Column::PeriodStart, Expr::value(next.start))
        .col_expr(subscription::Column::PeriodEnd, Expr::value(next.end))
        .col_expr(
            subscription::Column::Status,
            Expr::value(SubscriptionStatus::Active),
        )
        .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(s.id))
        .filter(subscription::Column::PeriodEnd.eq(s.period_end))
        .filter(subscription::Column::Status.is_in(running()))
        .exec(db)
        .await?;
    if moved.rows_affected != 1 {
        tracing::error!(
            subscription.id = s.id,
            "subscription moved while its renewal was open"
        );
        return Err(AppError::Internal);
    }
    Ok(next)
}

/// Sends the notice `days` before the period ends, unless it was sent already.
async fn send_notice(
    state: &AppState,
    s: &subscription::Model,
    days: i64,
) -> Result<bool, AppError> {
    let (plan, product) = catalog::plans_with_products(&state.db, [s.plan_id])
        .await?
        .remove(&s.plan_id)
        .ok_or(AppError::Internal)?;
    let price = renewal_quote(&state.db, state, s, &plan).await?.quote.total;
    let now = state.clock.now();
    let txn = crate::server::transaction::begin_write(&state.db).await?;
    let row = subscription_notice::ActiveModel {
        id: NotSet,
        subscription_id: Set(s.id),
        period_end: Set(s.period_end),
        days_before: Set(i32::try_from(days).unwrap_or(i32::MAX)),
        created_at: Set(now),
    };
    if !crate::server::transaction::insert_once(&txn, row).await? {
        txn.rollback().await?;
        return Ok(false);
    }
    let on = s.period_end.format("%b %-d, %Y");
    // Ending, it is used until the day before: the last day paid for.
    let last = crate::domain::billing::last_day(s.period_end).format("%b %-d, %Y");
    let name = &product.name;
    let trial = s.status == SubscriptionStatus::Trial;
    let (title, body) = match (s.auto_renew, trial) {
        (true, false) => (
            format!("{name} renews on {on}"),
            format!(
                "{name} renews automatically on {on} for {price}. To end it instead, turn auto-renew off on its page."
            ),
        ),
        (true, true) => (
            format!("The free trial of {name} ends on {last}"),
            format!(
                "The free trial of {name} ends on {last}; its first paid period starts on {on} at {price}. To end it instead, turn auto-renew off on its page."
            ),
        ),
        (false, _) => (
            format!("{name} ends on {last}"),
            format!(
                "{name} ends on {last}: auto-renew is off. To keep it, turn auto-renew on on its page."
            ),
        ),
    };
    tell(&txn, state, s, "renewal_notice", title, body, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// Turns auto-renew on or off (owner or admin), audited; answers the new setting. Only a running
/// subscription has a renewal to decide; setting what is already set changes nothing.
pub async fn set_auto_renew(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    id: i32,
    on: bool,
    ip: Option<String>,
) -> Result<bool, AppError> {
    let s = subscription::Entity::find_by_id(id)
        .filter(subscription::Column::CustomerId.eq(tenant.customer_id()))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !RUNNING.contains(&s.status) {
        return Err(AppError::Conflict(format!(
            "This subscription is {}: it has no renewal to set.",
            s.status.label().to_lowercase()
        )));
    }
    if s.auto_renew == on {
        return Ok(on);
    }
    if !on
        && let Some(open) = super::resource_changes::open_change(&state.db, s.id).await?
        && open.order_type == OrderType::Renewal
    {
        return Err(AppError::Conflict(format!(
            "The renewal is already under way (order {}): it can no longer be stopped.",
            open.number
        )));
    }
    let now = state.clock.now();
    let txn = crate::server::transaction::begin_write(&state.db).await?;
    let updated = subscription::Entity::update_many()
        .col_expr(subscription::Column::AutoRenew, Expr::value(on))
        .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(s.id))
        .filter(subscription::Column::AutoRenew.eq(!on))
        .filter(subscription::Column::Status.is_in(running()))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 1 {
        let product = product_of(&txn, &s).await?;
        audit::record(
            &txn,
            actor,
            ip,
            now,
            audit::Entry {
                action: if on {
                    "subscription.auto_renew_on"
                } else {
                    "subscription.auto_renew_off"
                },
                target_type: "subscription",
                target_id: Some(s.id.to_string()),
                details: Some(serde_json::json!({
                    "product": product,
                    "period_end": s.period_end,
                })),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(on)
}

async fn product_of(
    db: &impl ConnectionTrait,
    s: &subscription::Model,
) -> Result<String, AppError> {
    catalog::plans_with_products(db, [s.plan_id])
        .await?
        .remove(&s.plan_id)
        .map(|(_, product)| product.name)
        .ok_or(AppError::Internal)
}

async fn tell(
    db: &impl ConnectionTrait,
    state: &AppState,
    s: &subscription::Model,
    kind: &'static str,
    title: String,
    body: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notifications::tell_managers(
        db,
        state,
        s.customer_id,
        notifications::Message {
            kind,
            title,
            body,
            link: format!("/subscriptions/{}", s.id),
        },
        now,
    )
    .await
}

pub async fn audit_system(
    db: &impl ConnectionTrait,
    s: &subscription::Model,
    action: &'static str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let customer = customer::Entity::find_by_id(s.customer_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    audit::record_system(
        db,
        &customer,
        SYSTEM,
        now,
        audit::Entry {
            action,
            target_type: "subscription",
            target_id: Some(s.id.to_string()),
            details: Some(serde_json::json!({ "reason": reason })),
        },
    )
    .await
}

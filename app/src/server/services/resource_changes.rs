//! Changing the limits of a running subscription through a `change` order: the form's data,
//! checking and pricing a request (by `domain::resource_change`, the code that later writes the
//! documents), placing the order exactly once, and applying the new limits when the vendor has
//! made the change (called by fulfilment, inside its transaction).
//!
//! One change per subscription is open at a time. The check before placing gives the clear
//! message; the unique index `ux_orders_one_open_change` is what makes it true when requests
//! race, so every order is priced from limits no other open order is about to move.

use super::orders::{self, NewOrder, NewOrderLine};
use super::subscriptions::{InUse, resources_of};
use crate::domain::resource_change::{
    ChangeQuote, ChangeRefused, ChangeTerms, LimitChange, Period, ResourceLimit, quote_change,
};
use crate::domain::{Money, OrderStatus, OrderType, SubscriptionStatus};
use crate::dto::orders::PlacedOrder;
use crate::dto::resource_changes::{
    ChangeableResource, OrderLink, ResourceChangeForm, ResourceChangePreview, ResourceChangeRequest,
};
use crate::error::AppError;
use crate::server::entities::{
    order, order_resource, plan, product, subscription, subscription_resource,
};
use crate::server::{Actor, AppState, Tenant};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// A subscription with what its change rules need.
struct Loaded {
    subscription: subscription::Model,
    plan: plan::Model,
    product: product::Model,
    resources: Vec<InUse>,
    open_change: Option<order::Model>,
}

impl Loaded {
    fn period(&self) -> Period {
        Period {
            start: self.subscription.period_start,
            end: self.subscription.period_end,
        }
    }

    fn rules(&self) -> Vec<ResourceLimit> {
        self.resources
            .iter()
            .map(|r| ResourceLimit {
                name: r.rate.name.clone(),
                unit: r.rate.unit.clone(),
                kind: r.rate.kind,
                included: r.rate.included_units,
                limit: r.row.limit_units,
                min: r.rate.min_units,
                max: r.rate.max_units,
                in_use: r.in_use,
                unit_price_cents: r.rate.unit_price_cents,
                downsize_window_days: r.rate.downsize_window_days,
            })
            .collect()
    }

    fn trial(&self) -> bool {
        self.subscription.status == SubscriptionStatus::Trial
    }

    /// What the next period costs before tax: each resource at the limit it renews with (a
    /// reduction scheduled for the renewal applies), or at `asked` where a change moves it (the
    /// change replaces a reduction scheduled for that resource).
    fn renewal_cents(&self, asked: Option<&[i64]>) -> Option<i64> {
        self.rules()
            .iter()
            .zip(&self.resources)
            .enumerate()
            .try_fold(self.plan.price_cents, |sum, (i, (rule, r))| {
                let limit = match asked.and_then(|a| a.get(i)) {
                    Some(&to) if to != rule.limit => to,
                    _ => r.renewal_limit(),
                };
                sum.checked_add(rule.recurring_cents(limit)?)
            })
    }

    /// Why no change can be placed now, if one cannot.
    fn closed(&self) -> Option<String> {
        match self.subscription.status {
            status if status.can_change_limits() => None,
            SubscriptionStatus::CancellationPending => Some(
                "A cancellation of this subscription is waiting for approval: its limits cannot change meanwhile."
                    .into(),
            ),
            status => Some(format!(
                "This subscription is {}: its limits cannot change.",
                status.label().to_lowercase()
            )),
        }
    }
}

fn open_change_message(open: &order::Model) -> String {
    let what = match open.order_type {
        OrderType::Renewal => "the renewal",
        _ => "a change",
    };
    format!(
        "Order {}, {what} of this subscription, is still in progress. When it has completed, change the limits again.",
        open.number
    )
}

/// The open order that moves the subscription (a change or a renewal), if there is one: the
/// unique index `ux_orders_one_open_change` allows one at a time.
pub(super) async fn open_change(
    db: &impl ConnectionTrait,
    subscription_id: i32,
) -> Result<Option<order::Model>, AppError> {
    Ok(order::Entity::find()
        .filter(order::Column::SubscriptionId.eq(subscription_id))
        .filter(
            order::Column::OrderType
                .is_in([OrderType::Change, OrderType::Renewal].map(OrderType::as_str)),
        )
        .filter(
            order::Column::Status.is_in(
                [OrderStatus::Submitted, OrderStatus::Provisioning].map(OrderStatus::as_str),
            ),
        )
        .one(db)
        .await?)
}

/// The subscription, `NotFound` when it is not this customer's.
async fn load(db: &impl ConnectionTrait, tenant: Tenant, id: i32) -> Result<Loaded, AppError> {
    let (subscription, plan, product) =
        super::subscriptions::find_with_plan(db, tenant, id).await?;
    let resources = resources_of(db, &subscription).await?;
    let open_change = open_change(db, subscription.id).await?;
    Ok(Loaded {
        subscription,
        plan,
        product,
        resources,
        open_change,
    })
}

/// What the "Add or remove resources" form shows.
pub async fn get_form(
    state: &AppState,
    tenant: Tenant,
    id: i32,
) -> Result<ResourceChangeForm, AppError> {
    let loaded = load(&state.db, tenant, id).await?;
    let currency = loaded.plan.currency;
    let period = loaded.period();
    let resources = loaded
        .rules()
        .into_iter()
        .zip(&loaded.resources)
        .map(|(rule, r)| ChangeableResource {
            rate_id: r.rate.id,
            lowerable_until: rule.last_downsize_day(period),
            scheduled: r.row.scheduled_limit,
            name: rule.name,
            unit: rule.unit,
            kind: rule.kind,
            included: rule.included,
            limit: rule.limit,
            min: rule.min,
            max: rule.max,
            in_use: rule.in_use,
            unit_price: Money::new(rule.unit_price_cents, currency),
            downsize_window_days: rule.downsize_window_days,
        })
        .collect();
    let s = &loaded.subscription;
    Ok(ResourceChangeForm {
        subscription_id: s.id,
        product_name: loaded.product.name.clone(),
        vendor: loaded.product.vendor.clone(),
        icon: loaded.product.icon.clone(),
        color: loaded.product.color.clone(),
        plan_name: loaded.plan.name.clone(),
        billing_period: loaded.plan.billing_period,
        status: s.status,
        period_start: s.period_start,
        period_end: s.period_end,
        today: state.clock.now().date_naive(),
        recurring: Money::new(
            loaded.renewal_cents(None).ok_or(AppError::Internal)?,
            currency,
        ),
        open_change: loaded.open_change.as_ref().map(|o| OrderLink {
            id: o.id,
            number: o.number.clone(),
        }),
        closed: loaded.closed(),
        resources,
    })
}

/// A request that passed every check, with its price.
struct CheckedChange {
    loaded: Loaded,
    /// The new limit of every resource, in the order of `loaded.resources`.
    asked: Vec<i64>,
    quote: ChangeQuote,
}

async fn check_change(
    state: &AppState,
    tenant: Tenant,
    request: &ResourceChangeRequest,
) -> Result<CheckedChange, AppError> {
    let loaded = load(&state.db, tenant, request.subscription_id).await?;
    if let Some(reason) = loaded.closed() {
        return Err(AppError::Conflict(reason));
    }
    if let Some(open) = &loaded.open_change {
        return Err(AppError::Conflict(open_change_message(open)));
    }
    let today = state.clock.now().date_naive();
    if today >= loaded.subscription.period_end {
        // The scheduler renews it within the minute; priced now, the change would cover no day.
        return Err(AppError::Conflict(
            "This subscription is renewing today. Change its limits once the renewal has completed."
                .into(),
        ));
    }
    for (n, (rate_id, _)) in request.limits.iter().enumerate() {
        if request.limits[..n].iter().any(|(id, _)| id == rate_id) {
            return Err(AppError::validation(
                "resources",
                "A resource appears twice in this change. Reload the page and try again.",
            ));
        }
        if !loaded.resources.iter().any(|r| r.rate.id == *rate_id) {
            return Err(AppError::validation(
                "resources",
                "A resource of this change is not part of the subscription. Reload the page and try again.",
            ));
        }
    }
    let asked: Vec<i64> = loaded
        .resources
        .iter()
        .map(|r| {
            request
                .limits
                .iter()
                .find(|(id, _)| *id == r.rate.id)
                .map_or(r.row.limit_units, |(_, units)| *units)
        })
        .collect();
    let terms = ChangeTerms {
        plan_price_cents: loaded.plan.price_cents,
        period: loaded.period(),
        today,
        trial: loaded.trial(),
        currency: loaded.plan.currency,
        tax: state.settings.tax.as_ref(),
    };
    let quote = quote_change(&loaded.rules(), &asked, &terms).map_err(|refused| match refused {
        ChangeRefused::Resource { index, reason } => {
            let field = loaded
                .resources
                .get(index)
                .map_or("resources".to_owned(), |r| {
                    format!("resource-{}", r.rate.id)
                });
            AppError::validation(&field, reason.to_string())
        }
        other => AppError::validation("resources", other.to_string()),
    })?;
    Ok(CheckedChange {
        loaded,
        asked,
        quote,
    })
}

/// Prices a change without placing it.
pub async fn preview_resource_change(
    state: &AppState,
    tenant: Tenant,
    request: &ResourceChangeRequest,
) -> Result<ResourceChangePreview, AppError> {
    let checked = check_change(state, tenant, request).await?;
    let loaded = &checked.loaded;
    let currency = loaded.plan.currency;
    let renewal = |asked| {
        loaded
            .renewal_cents(asked)
            .map(|cents| Money::new(cents, currency))
            .ok_or(AppError::Internal)
    };
    // A change replaces a reduction scheduled for a resource it moves (found by the break-it
    // review: a raise kept it, so the renewal took back what had just been paid for).
    let replaces = checked
        .quote
        .moves
        .iter()
        .filter_map(|m| {
            let r = loaded.resources.get(m.resource)?;
            let scheduled = r.row.scheduled_limit?;
            Some(format!(
                "This replaces the reduction of {} to {scheduled} scheduled for the renewal: it renews at {}.",
                r.rate.name, m.to
            ))
        })
        .collect();
    Ok(ResourceChangePreview {
        resource_names: loaded
            .resources
            .iter()
            .map(|r| r.rate.name.clone())
            .collect(),
        recurring_before: renewal(None)?,
        recurring_after: renewal(Some(&checked.asked))?,
        replaces,
        period_end: loaded.subscription.period_end,
        trial: loaded.trial(),
        quote: checked.quote,
    })
}

/// Places the change once per idempotency key, like a new order: a repeat answers with the
/// order already placed. `expected_net` is the amount the person confirmed (charged minus
/// credited, in cents): a different price now is refused.
pub async fn submit_resource_change(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    request: &ResourceChangeRequest,
    key: &str,
    expected_net: Option<i64>,
    ip: Option<String>,
) -> Result<PlacedOrder, AppError> {
    let customer_id = tenant.customer_id();
    let same_kind = |o: &order::Model| {
        o.order_type == OrderType::Change && o.subscription_id == Some(request.subscription_id)
    };
    let placed_before = || async {
        match orders::find_by_key(&state.db, customer_id, key).await? {
            Some(existing) => orders::replay(
                &state.db,
                existing.clone(),
                same_kind(&existing),
                &request.limits,
            )
            .await
            .map(Some),
            None => Ok(None),
        }
    };
    if let Some(placed) = placed_before().await? {
        return Ok(placed);
    }
    let checked = match check_change(state, tenant, request).await {
        Ok(checked) => checked,
        // A repeat of this form racing the first: the open change it meets is its own.
        Err(err) => return placed_before().await?.ok_or(err),
    };
    let net = checked.quote.net_cents();
    if let Some(expected) = expected_net
        && expected != net
    {
        return Err(AppError::Conflict(format!(
            "The price of this change is now {}. Review the new price and confirm again.",
            Money::new(net, checked.loaded.plan.currency)
        )));
    }
    let loaded = &checked.loaded;
    let quote = &checked.quote;
    let rate_of = |index: Option<usize>| {
        index
            .and_then(|i| loaded.resources.get(i))
            .map(|r| r.rate.id)
    };
    let line = |credit: bool| {
        move |l: &crate::domain::resource_change::ChangeLine| NewOrderLine {
            kind: l.kind,
            description: l.description.clone(),
            resource_rate_id: rate_of(l.resource),
            quantity: l.quantity,
            unit_price_cents: l.unit_price.cents,
            amount_cents: l.amount.cents,
            period: l.span,
            credit,
            proration: l.days,
        }
    };
    let lines = quote
        .charges
        .iter()
        .map(line(false))
        .chain(quote.credits.iter().map(line(true)))
        .collect();
    let moves: serde_json::Map<String, serde_json::Value> = quote
        .moves
        .iter()
        .filter_map(|m| {
            let r = loaded.resources.get(m.resource)?;
            Some((r.rate.name.clone(), serde_json::json!([m.from, m.to])))
        })
        .collect();
    let new = NewOrder {
        order_type: OrderType::Change,
        subscription_id: Some(loaded.subscription.id),
        plan: &loaded.plan,
        total_cents: net,
        lines,
        // Every resource with the limit asked and the one it moves from, so a repeat of the
        // same form is recognised and completing the order moves exactly what was confirmed.
        resources: loaded
            .resources
            .iter()
            .zip(&checked.asked)
            .map(|(r, asked)| (r.rate.id, *asked, Some(r.row.limit_units)))
            .collect(),
        trial_of_product: None,
        cancellation: None,
        details: serde_json::json!({
            "product": loaded.product.name,
            "plan": loaded.plan.name,
            "subscription_id": loaded.subscription.id,
            "limits": moves,
            "charged_cents": quote.charged.cents,
            "credited_cents": quote.credited.cents,
            "currency": loaded.plan.currency,
        }),
    };
    if let Some(placed) =
        orders::place(state, orders::PlacedBy::Person(actor), tenant, key, new, ip).await?
    {
        return Ok(placed);
    }
    // A unique constraint stopped the insert: a racing repeat of this form (same key), or
    // another change of the subscription placed a moment earlier.
    if let Some(placed) = placed_before().await? {
        return Ok(placed);
    }
    match open_change(&state.db, request.subscription_id).await? {
        Some(open) => Err(AppError::Conflict(open_change_message(&open))),
        None => Err(AppError::Conflict(
            "Another change of this subscription was placed at the same moment. Review the limits and try again."
                .into(),
        )),
    }
}

/// Schedules a reduction of one resource for the renewal (`Some(units)`), or cancels the one
/// scheduled (`None`); audited. Only for a reduction the window no longer allows now: inside the
/// window a reduction is a change order, credited at once. The renewal applies it, priced at the
/// new limit.
pub async fn schedule_reduction(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    subscription_id: i32,
    rate_id: i32,
    units: Option<i64>,
    ip: Option<String>,
) -> Result<(), AppError> {
    let loaded = load(&state.db, tenant, subscription_id).await?;
    if let Some(reason) = loaded.closed() {
        return Err(AppError::Conflict(reason));
    }
    // While a change or the renewal is open the limit is about to move: a reduction scheduled
    // now would be checked against a limit that no longer holds (found by the break-it review).
    if units.is_some()
        && let Some(open) = &loaded.open_change
    {
        return Err(AppError::Conflict(open_change_message(open)));
    }
    let field = format!("resource-{rate_id}");
    let index = loaded
        .resources
        .iter()
        .position(|r| r.rate.id == rate_id)
        .ok_or_else(|| {
            AppError::validation(
                "resources",
                "This resource is not part of the subscription.",
            )
        })?;
    let rule = loaded.rules().swap_remove(index);
    let row = &loaded.resources[index].row;
    if let Some(units) = units {
        if units >= rule.limit {
            return Err(AppError::validation(
                &field,
                format!(
                    "{}: a reduction at the renewal must be below today's limit of {}.",
                    rule.name, rule.limit
                ),
            ));
        }
        rule.check(units)
            .map_err(|reason| AppError::validation(&field, reason.to_string()))?;
        let today = state.clock.now().date_naive();
        let change = rule
            .price_change(
                units,
                loaded.period(),
                today,
                loaded.trial(),
                loaded.plan.currency,
            )
            .map_err(|reason| AppError::validation(&field, reason.to_string()))?;
        if !matches!(change, LimitChange::AtRenewal { .. }) {
            return Err(AppError::validation(
                &field,
                format!(
                    "{} can still be lowered now, with a credit: confirm the change instead.",
                    rule.name
                ),
            ));
        }
    }
    if row.scheduled_limit == units {
        return Ok(());
    }
    let now = state.clock.now();
    let txn = crate::server::transaction::begin_write(&state.db).await?;
    subscription_resource::Entity::update_many()
        .col_expr(
            subscription_resource::Column::ScheduledLimit,
            Expr::value(units),
        )
        .filter(subscription_resource::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    super::audit::record(
        &txn,
        actor,
        ip,
        now,
        super::audit::Entry {
            action: if units.is_some() {
                "subscription.reduction_scheduled"
            } else {
                "subscription.reduction_cancelled"
            },
            target_type: "subscription",
            target_id: Some(loaded.subscription.id.to_string()),
            details: Some(serde_json::json!({
                "product": loaded.product.name,
                "resource": rule.name,
                "from": rule.limit,
                "to": units,
                "renewal": loaded.subscription.period_end,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Forgets the reductions scheduled for a subscription's renewal, once it has renewed.
pub async fn clear_scheduled(
    db: &impl ConnectionTrait,
    subscription_id: i32,
) -> Result<(), AppError> {
    subscription_resource::Entity::update_many()
        .col_expr(
            subscription_resource::Column::ScheduledLimit,
            Expr::value(Option::<i64>::None),
        )
        .filter(subscription_resource::Column::SubscriptionId.eq(subscription_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The lowest limit an open change or renewal of the subscription is about to set for this
/// resource, if it lowers it: assigning licenses must stay within it.
pub async fn pending_lower_limit(
    db: &impl ConnectionTrait,
    subscription_id: i32,
    resource_rate_id: i32,
) -> Result<Option<i64>, AppError> {
    let Some(open) = open_change(db, subscription_id).await? else {
        return Ok(None);
    };
    Ok(order_resource::Entity::find()
        .filter(order_resource::Column::OrderId.eq(open.id))
        .filter(order_resource::Column::ResourceRateId.eq(resource_rate_id))
        .one(db)
        .await?
        .filter(|r| r.previous_units.is_some_and(|p| r.units < p))
        .map(|r| r.units))
}

/// Why a change order can no longer be applied as placed, checked when the vendor has made it:
/// the subscription stopped running, or more is in use now than a lowered limit allows (a
/// license assigned while the change was open). `None`: it can be applied.
pub async fn no_longer_fits(
    db: &impl ConnectionTrait,
    claimed: &order::Model,
) -> Result<Option<String>, AppError> {
    let subscription_id = claimed.subscription_id.ok_or(AppError::Internal)?;
    let s = subscription::Entity::find_by_id(subscription_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    if !s.status.can_change_limits() {
        return Ok(Some(format!(
            "The subscription is {} now.",
            s.status.label().to_lowercase()
        )));
    }
    let asked = order_resource::Entity::find()
        .filter(order_resource::Column::OrderId.eq(claimed.id))
        .all(db)
        .await?;
    let now = resources_of(db, &s).await?;
    for r in asked {
        let lowered = r.previous_units.is_some_and(|p| r.units < p);
        let Some(current) = now.iter().find(|n| n.rate.id == r.resource_rate_id) else {
            continue;
        };
        if lowered && current.in_use > r.units {
            return Ok(Some(format!(
                "{}: {} are in use now, more than the {} this change lowers to. Free some and lower the limit again.",
                current.rate.name, current.in_use, r.units
            )));
        }
    }
    Ok(None)
}

/// A limit a completed change moved.
pub struct AppliedMove {
    pub resource_rate_id: i32,
    pub from: i64,
    pub to: i64,
}

/// Sets the limits a completed change (or renewal) order asked for, inside fulfilment's
/// transaction. Each
/// moves only from the limit the order was priced at; a limit that moved meanwhile (which the
/// one-open-change rule prevents) is an error, so nothing is half applied.
pub async fn apply_limits(
    db: &impl ConnectionTrait,
    claimed: &order::Model,
) -> Result<Vec<AppliedMove>, AppError> {
    let subscription_id = claimed.subscription_id.ok_or(AppError::Internal)?;
    let asked = order_resource::Entity::find()
        .filter(order_resource::Column::OrderId.eq(claimed.id))
        .all(db)
        .await?;
    let mut applied = Vec::new();
    for r in asked {
        let Some(from) = r.previous_units.filter(|from| *from != r.units) else {
            continue;
        };
        // A reduction scheduled for the renewal was for the limit this replaces.
        let updated = subscription_resource::Entity::update_many()
            .col_expr(
                subscription_resource::Column::LimitUnits,
                Expr::value(r.units),
            )
            .col_expr(
                subscription_resource::Column::ScheduledLimit,
                Expr::value(Option::<i64>::None),
            )
            .filter(subscription_resource::Column::SubscriptionId.eq(subscription_id))
            .filter(subscription_resource::Column::ResourceRateId.eq(r.resource_rate_id))
            .filter(subscription_resource::Column::LimitUnits.eq(from))
            .exec(db)
            .await?;
        if updated.rows_affected != 1 {
            tracing::error!(
                order.id = claimed.id,
                subscription.id = subscription_id,
                "a limit moved while its change order was open"
            );
            return Err(AppError::Internal);
        }
        applied.push(AppliedMove {
            resource_rate_id: r.resource_rate_id,
            from,
            to: r.units,
        });
    }
    Ok(applied)
}

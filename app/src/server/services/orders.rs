//! Orders of a customer account: checking and pricing a request, placing it exactly once, and
//! reading orders back. Fulfilment is in `fulfilment.rs`.

use super::{audit, catalog, marketplace, people};
use crate::domain::cancellation::CancelReason;
use crate::domain::ordering::{UnitBounds, first_period};
use crate::domain::pricing::{
    LineKind, PlanPrice, Quote, QuoteLine, ResourceQuantity, quote_new_subscription,
};
use crate::domain::{
    Currency, DocumentKind, Money, OrderStatus, OrderType, PageRequest, SubscriptionStatus,
};
use crate::dto::orders::{
    OrderDetail, OrderEvent, OrderPage, OrderPreview, OrderRequest, OrderRow, PlacedOrder,
};
use crate::error::AppError;
use crate::server::Tenant;
use crate::server::entities::{
    billing_document, customer, order, order_event, order_line, order_resource, person, plan,
    product, resource_rate, subscription, subscription_resource, trial_claim,
};
use crate::server::{Actor, AppState};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, NotSet,
    QueryFilter, QueryOrder, QuerySelect, Set, SqlErr,
};
use std::collections::HashMap;

/// Orders are numbered from their id, so a number is never handed out twice.
pub fn order_number(id: i32) -> String {
    format!("SO-{:06}", 1000 + i64::from(id))
}

/// A request that passed every check, with its price.
pub struct CheckedOrder {
    pub preview: OrderPreview,
    pub plan: plan::Model,
    pub product: product::Model,
    /// Every resource of the plan with the units ordered.
    pub units: Vec<(resource_rate::Model, i64)>,
    pub quote: Quote,
    pub with_trial: bool,
}

/// Checks a request against the catalog (plan on sale, every quantity within its limits) and
/// prices it with the code that later writes the invoice.
pub async fn check_request(
    state: &AppState,
    tenant: Tenant,
    request: &OrderRequest,
) -> Result<CheckedOrder, AppError> {
    let customer_id = tenant.customer_id();
    let db = &state.db;
    let plan = plan::Entity::find_by_id(request.plan_id)
        .filter(plan::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let product = product::Entity::find_by_id(plan.product_id)
        .filter(product::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let rates = resource_rate::Entity::find()
        .filter(resource_rate::Column::PlanId.eq(plan.id))
        .order_by_asc(resource_rate::Column::Id)
        .all(db)
        .await?;
    for (n, (rate_id, _)) in request.resources.iter().enumerate() {
        if request.resources[..n].iter().any(|(id, _)| id == rate_id) {
            return Err(AppError::validation(
                "resources",
                "A resource appears twice in this order. Reload the page and try again.",
            ));
        }
        if !rates.iter().any(|r| r.id == *rate_id) {
            return Err(AppError::validation(
                "resources",
                "A resource of this order is not part of the plan. Reload the page and try again.",
            ));
        }
    }
    let mut units = Vec::with_capacity(rates.len());
    for rate in rates {
        let asked = request
            .resources
            .iter()
            .find(|(id, _)| *id == rate.id)
            .map(|(_, n)| *n)
            .unwrap_or_else(|| marketplace::default_units(&rate));
        UnitBounds {
            min: rate.min_units,
            max: rate.max_units,
        }
        .check(&rate.name, &rate.unit, asked)
        .map_err(|message| AppError::validation(&format!("resource-{}", rate.id), message))?;
        units.push((rate, asked));
    }

    let trial_used =
        plan.trial_days > 0 && marketplace::trial_used(db, customer_id, product.id).await?;
    let trial_days = if trial_used { 0 } else { plan.trial_days };
    let currency = plan.currency;
    let quantities: Vec<ResourceQuantity> = units
        .iter()
        .map(|(rate, units)| ResourceQuantity {
            name: rate.name.clone(),
            included: rate.included_units,
            quantity: *units,
            unit_price_cents: rate.unit_price_cents,
        })
        .collect();
    let price = |trial_days, setup_fee_cents| PlanPrice {
        name: plan.name.clone(),
        currency,
        price_cents: plan.price_cents,
        setup_fee_cents,
        trial_days,
    };
    let too_large = |_| {
        AppError::validation(
            "resources",
            "These quantities make an amount too large to bill.",
        )
    };
    let quote = quote_new_subscription(
        &price(trial_days, plan.setup_fee_cents),
        &quantities,
        state.settings.tax.as_ref(),
    )
    .map_err(too_large)?;
    let recurring = quote_new_subscription(&price(0, 0), &quantities, None)
        .map_err(too_large)?
        .total;
    let period = plan.billing_period;
    let (period_start, period_end) =
        first_period(state.clock.now().date_naive(), period, trial_days);
    Ok(CheckedOrder {
        preview: OrderPreview {
            product_name: product.name.clone(),
            plan_name: plan.name.clone(),
            lines: quote.lines.clone(),
            total: quote.total,
            trial_days,
            trial_used,
            period_start,
            period_end,
            recurring,
        },
        plan,
        product,
        units,
        quote,
        with_trial: trial_days > 0,
    })
}

pub(super) async fn find_by_key(
    db: &impl ConnectionTrait,
    customer_id: i32,
    key: &str,
) -> Result<Option<order::Model>, AppError> {
    Ok(order::Entity::find()
        .filter(order::Column::CustomerId.eq(customer_id))
        .filter(order::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

/// The answer to a repeated submit: the order the key already made, if it is the same order
/// (`same_kind`: same type, plan or subscription; and the same units of every resource asked
/// for). A different order under a used key is refused, never answered with the first order as
/// if it had been placed.
pub(super) async fn replay(
    db: &impl ConnectionTrait,
    existing: order::Model,
    same_kind: bool,
    asked: &[(i32, i64)],
) -> Result<PlacedOrder, AppError> {
    let ordered = order_resource::Entity::find()
        .filter(order_resource::Column::OrderId.eq(existing.id))
        .all(db)
        .await?;
    let units: HashMap<i32, i64> = ordered
        .iter()
        .map(|r| (r.resource_rate_id, r.units))
        .collect();
    // Every quantity asked is the one ordered, and (for a change) every limit the order moves
    // was asked for: an empty or a different change under the same key is another order.
    let same_quantities = asked.iter().all(|(rate, n)| units.get(rate) == Some(n))
        && ordered
            .iter()
            .filter(|r| r.previous_units.is_some_and(|p| p != r.units))
            .all(|r| asked.contains(&(r.resource_rate_id, r.units)));
    if !same_kind || !same_quantities {
        return Err(AppError::Conflict(
            "This order form was already used for another order. Open the form again to start a new one."
                .into(),
        ));
    }
    Ok(PlacedOrder {
        id: existing.id,
        number: existing.number,
    })
}

/// Places the order once per idempotency key: a repeat (double click, retry after a lost
/// answer, reload) returns the first order. Two racing repeats are decided by the unique key on
/// (customer, idempotency key): the loser rolls back and returns the winner's order.
pub async fn submit_order(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    request: &OrderRequest,
    key: &str,
    expected_total: Option<i64>,
    ip: Option<String>,
) -> Result<PlacedOrder, AppError> {
    let customer_id = tenant.customer_id();
    let same_kind =
        |o: &order::Model| o.order_type == OrderType::Sales && o.plan_id == Some(request.plan_id);
    if let Some(existing) = find_by_key(&state.db, customer_id, key).await? {
        return replay(
            &state.db,
            existing.clone(),
            same_kind(&existing),
            &request.resources,
        )
        .await;
    }
    let checked = check_request(state, tenant, request).await?;
    // The price may have changed since the customer saw it (the trial used meanwhile in another
    // tab, say): never charge an amount they did not confirm.
    if let Some(expected) = expected_total
        && expected != checked.quote.total.cents
    {
        return Err(AppError::Conflict(format!(
            "The price is now {}. Review the new price and place the order again.",
            checked.quote.total
        )));
    }
    let (period_start, period_end) = (checked.preview.period_start, checked.preview.period_end);
    let new = NewOrder {
        order_type: OrderType::Sales,
        subscription_id: None,
        plan: &checked.plan,
        total_cents: checked.quote.total.cents,
        lines: checked
            .quote
            .lines
            .iter()
            .map(|line| NewOrderLine {
                kind: line.kind,
                description: line.description.clone(),
                resource_rate_id: line
                    .resource
                    .and_then(|i| checked.units.get(i))
                    .map(|(rate, _)| rate.id),
                quantity: line.quantity,
                unit_price_cents: line.unit_price.cents,
                amount_cents: line.amount.cents,
                period: Some((period_start, period_end)),
                credit: false,
                proration: None,
            })
            .collect(),
        resources: checked
            .units
            .iter()
            .map(|(rate, units)| (rate.id, *units, None))
            .collect(),
        trial_of_product: checked.with_trial.then_some(checked.product.id),
        cancellation: None,
        details: serde_json::json!({
            "product": checked.product.name,
            "plan": checked.plan.name,
            "total_cents": checked.quote.total.cents,
            "currency": checked.plan.currency,
            "resources": checked.units.iter().map(|(r, n)| (r.name.clone(), *n)).collect::<HashMap<_, _>>(),
        }),
    };
    if let Some(placed) = place(state, PlacedBy::Person(actor), tenant, key, new, ip).await? {
        return Ok(placed);
    }
    // A unique constraint stopped the insert: the same key, placed by a racing repeat, or the
    // product's free trial, claimed meanwhile by another order.
    match find_by_key(&state.db, customer_id, key).await? {
        Some(existing) => {
            replay(
                &state.db,
                existing.clone(),
                same_kind(&existing),
                &request.resources,
            )
            .await
        }
        None => Err(AppError::Conflict(format!(
            "The free trial of {} has already been used by your account. Review the price without the trial and order again.",
            checked.product.name
        ))),
    }
}

/// An order about to be written, of any type.
pub(super) struct NewOrder<'a> {
    pub order_type: OrderType,
    pub subscription_id: Option<i32>,
    pub plan: &'a plan::Model,
    pub total_cents: i64,
    pub lines: Vec<NewOrderLine>,
    /// (resource rate id, units asked for, the limit before, for a change).
    pub resources: Vec<(i32, i64, Option<i64>)>,
    /// The product whose free trial this order claims.
    pub trial_of_product: Option<i32>,
    /// For a cancellation: it waits for the reseller's decision, and the subscription reads
    /// `cancellation_pending` meanwhile.
    pub cancellation: Option<Cancellation>,
    /// What the audit entry records.
    pub details: serde_json::Value,
}

/// What a cancellation order records besides its lines.
pub(super) struct Cancellation {
    pub reason: CancelReason,
    pub comment: Option<String>,
    /// The subscription's status now (`active` or `trial`), which it returns to if the request
    /// is withdrawn or rejected.
    pub status_before: SubscriptionStatus,
    /// The end of the period the refund was priced for: a renewal meanwhile makes this request
    /// give way.
    pub period_end: NaiveDate,
    /// The reseller approves every request at once: the order starts `approved`.
    pub approved_at_once: bool,
}

pub(super) struct NewOrderLine {
    pub kind: LineKind,
    pub description: String,
    pub resource_rate_id: Option<i32>,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// A line of the credit note (a reduction), not of the invoice.
    pub credit: bool,
    /// (days, days of the period) of a prorated line.
    pub proration: Option<(i64, i64)>,
}

/// Who places an order: a person (audited as them, with whoever acts for them), or the system
/// on its own (a renewal), audited under its name.
#[derive(Clone, Copy)]
pub(super) enum PlacedBy<'a> {
    Person(&'a Actor),
    System(&'static str),
}

/// Writes a new order in one transaction and wakes the worker. `None`: a unique constraint
/// (the idempotency key, a trial claim, the one open change of a subscription) was already
/// taken by a concurrent request, and nothing was written; the caller says which.
pub(super) async fn place(
    state: &AppState,
    by: PlacedBy<'_>,
    tenant: Tenant,
    key: &str,
    new: NewOrder<'_>,
    ip: Option<String>,
) -> Result<Option<PlacedOrder>, AppError> {
    let now = state.clock.now();
    // What reseller staff buy in a customer's panel before its owner has activated their account
    // goes into the owner's welcome email.
    let bought_by_staff = match by {
        PlacedBy::Person(actor) if actor.impersonator.is_some() => {
            (new.order_type == OrderType::Sales).then(|| {
                let product = new.details["product"].as_str().unwrap_or_default();
                (actor, format!("{product} — {}", new.plan.name))
            })
        }
        _ => None,
    };
    let txn = crate::server::transaction::begin_write(&state.db).await?;
    let placed = match insert_order(&txn, by, tenant, new, key, ip, now).await {
        Ok(placed) => placed,
        Err(Lost::Unique) => {
            txn.rollback().await?;
            return Ok(None);
        }
        Err(Lost::Other(err)) => return Err(err),
    };
    if let Some((staff, bought)) = bought_by_staff {
        people::welcome_owner_again(
            &txn,
            staff,
            tenant,
            Some(&bought),
            &state.settings.public_url,
            now,
        )
        .await?;
    }
    txn.commit().await?;
    state.order_placed.notify_one();
    tracing::info!(
        order.id = placed.id,
        customer.id = tenant.customer_id(),
        "order placed"
    );
    Ok(Some(placed))
}

/// Why an insert gave way to a concurrent request.
enum Lost {
    /// A unique constraint, or limits a concurrent change moved.
    Unique,
    Other(AppError),
}

impl<E: Into<AppError>> From<E> for Lost {
    fn from(err: E) -> Self {
        Lost::Other(err.into())
    }
}

fn unique_or(err: sea_orm::DbErr) -> Lost {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => Lost::Unique,
        _ => Lost::Other(err.into()),
    }
}

async fn insert_order(
    txn: &DatabaseTransaction,
    by: PlacedBy<'_>,
    tenant: Tenant,
    new: NewOrder<'_>,
    key: &str,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<PlacedOrder, Lost> {
    let customer_id = tenant.customer_id();
    let actor = match by {
        PlacedBy::Person(actor) => Some(actor),
        PlacedBy::System(_) => None,
    };
    // A cancellation waits for the reseller (unless the reseller approves every one at once);
    // every other order goes to fulfilment at once.
    let status = match &new.cancellation {
        Some(c) if c.approved_at_once => OrderStatus::Approved,
        Some(_) => OrderStatus::PendingApproval,
        None => OrderStatus::Submitted,
    };
    // The first statement writes, so SQLite takes its write lock at once instead of upgrading
    // a read lock later (which can fail under concurrency).
    let inserted = order::ActiveModel {
        id: NotSet,
        // Replaced by the number made from the id just below; unique meanwhile.
        number: Set(format!("new-{customer_id}-{key}")),
        customer_id: Set(customer_id),
        subscription_id: Set(new.subscription_id),
        plan_id: Set(Some(new.plan.id)),
        order_type: Set(new.order_type),
        status: Set(status),
        idempotency_key: Set(key.to_owned()),
        currency: Set(new.plan.currency),
        total_cents: Set(new.total_cents),
        created_by: Set(actor.map(|a| a.person_id)),
        impersonator_id: Set(actor.and_then(|a| a.impersonator.as_ref().map(|i| i.person_id))),
        failure_reason: Set(None),
        cancel_reason: Set(new
            .cancellation
            .as_ref()
            .map(|c| c.reason.as_str().to_owned())),
        cancel_comment: Set(new.cancellation.as_ref().and_then(|c| c.comment.clone())),
        decision_reason: Set(None),
        cancel_status_before: Set(new.cancellation.as_ref().map(|c| c.status_before)),
        attempts: Set(0),
        next_attempt_at: Set((status != OrderStatus::PendingApproval).then_some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        completed_at: Set(None),
    }
    .insert(txn)
    .await
    .map_err(unique_or)?;
    let number = order_number(inserted.id);
    order::Entity::update_many()
        .col_expr(
            order::Column::Number,
            sea_orm::sea_query::Expr::value(number.clone()),
        )
        .filter(order::Column::Id.eq(inserted.id))
        .exec(txn)
        .await?;

    if let Some(subscription_id) = new.subscription_id {
        still_at_previous_limits(txn, subscription_id, &new.resources).await?;
    }
    if let (Some(cancellation), Some(subscription_id)) = (&new.cancellation, new.subscription_id) {
        awaits_cancellation(txn, subscription_id, cancellation, now).await?;
    }
    if let Some(product_id) = new.trial_of_product {
        trial_claim::ActiveModel {
            id: NotSet,
            customer_id: Set(customer_id),
            product_id: Set(product_id),
            order_id: Set(inserted.id),
            created_at: Set(now),
        }
        .insert(txn)
        .await
        .map_err(unique_or)?;
    }

    let lines: Vec<order_line::ActiveModel> = new
        .lines
        .into_iter()
        .map(|line| order_line::ActiveModel {
            id: NotSet,
            order_id: Set(inserted.id),
            kind: Set(line.kind),
            description: Set(line.description),
            resource_rate_id: Set(line.resource_rate_id),
            quantity: Set(line.quantity),
            unit_price_cents: Set(line.unit_price_cents),
            amount_cents: Set(line.amount_cents),
            period_start: Set(line.period.map(|(start, _)| start)),
            period_end: Set(line.period.map(|(_, end)| end)),
            credit: Set(line.credit),
            prorated_days: Set(line.proration.and_then(|(d, _)| i32::try_from(d).ok())),
            period_days: Set(line.proration.and_then(|(_, p)| i32::try_from(p).ok())),
        })
        .collect();
    if !lines.is_empty() {
        order_line::Entity::insert_many(lines).exec(txn).await?;
    }
    let resources: Vec<order_resource::ActiveModel> = new
        .resources
        .iter()
        .map(|(rate, units, previous)| order_resource::ActiveModel {
            id: NotSet,
            order_id: Set(inserted.id),
            resource_rate_id: Set(*rate),
            units: Set(*units),
            previous_units: Set(*previous),
        })
        .collect();
    if !resources.is_empty() {
        order_resource::Entity::insert_many(resources)
            .exec(txn)
            .await?;
    }
    add_event(txn, inserted.id, status, None, now).await?;
    if status == OrderStatus::Approved {
        // Approved by the reseller's standing setting, in the same transaction as the request.
        let customer = customer::Entity::find_by_id(customer_id)
            .one(txn)
            .await?
            .ok_or(AppError::Internal)?;
        audit::record_system(
            txn,
            &customer,
            "Automatic approval",
            now,
            audit::Entry {
                action: "cancellation.approved",
                target_type: "order",
                target_id: Some(number.clone()),
                details: Some(serde_json::json!({ "subscription_id": new.subscription_id })),
            },
        )
        .await?;
    }
    let entry = audit::Entry {
        action: "order.submitted",
        target_type: "order",
        target_id: Some(number.clone()),
        details: Some(new.details),
    };
    match by {
        PlacedBy::Person(actor) => audit::record(txn, actor, ip, now, entry).await?,
        PlacedBy::System(name) => {
            let customer = customer::Entity::find_by_id(customer_id)
                .one(txn)
                .await?
                .ok_or(AppError::Internal)?;
            audit::record_system(txn, &customer, name, now, entry).await?
        }
    }
    Ok(PlacedOrder {
        id: inserted.id,
        number,
    })
}

/// A change is priced from the limits it moves from. Its order row now holds the subscription's
/// one open-change slot, so nothing else can move them; but a change that completed between the
/// pricing and this insert already has: then this one gives way, as to a concurrent request.
async fn still_at_previous_limits(
    txn: &DatabaseTransaction,
    subscription_id: i32,
    resources: &[(i32, i64, Option<i64>)],
) -> Result<(), Lost> {
    let now: HashMap<i32, i64> = subscription_resource::Entity::find()
        .filter(subscription_resource::Column::SubscriptionId.eq(subscription_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| (r.resource_rate_id, r.limit_units))
        .collect();
    let moved = resources
        .iter()
        .any(|(rate, _, previous)| previous.is_some_and(|p| now.get(rate) != Some(&p)));
    if moved { Err(Lost::Unique) } else { Ok(()) }
}

/// A subscription whose cancellation is asked for reads `cancellation_pending`, only from the
/// status and period it was priced in: one that moved meanwhile (ended, renewed) gives way, as
/// to a concurrent request.
async fn awaits_cancellation(
    txn: &DatabaseTransaction,
    subscription_id: i32,
    cancellation: &Cancellation,
    now: DateTime<Utc>,
) -> Result<(), Lost> {
    let from = cancellation.status_before;
    if !from.can_become(SubscriptionStatus::CancellationPending) {
        return Err(Lost::Other(AppError::Internal));
    }
    let moved = subscription::Entity::update_many()
        .col_expr(
            subscription::Column::Status,
            sea_orm::sea_query::Expr::value(SubscriptionStatus::CancellationPending),
        )
        .col_expr(
            subscription::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(subscription::Column::Id.eq(subscription_id))
        .filter(subscription::Column::Status.eq(from))
        .filter(subscription::Column::PeriodEnd.eq(cancellation.period_end))
        .exec(txn)
        .await?;
    if moved.rows_affected == 1 {
        Ok(())
    } else {
        Err(Lost::Unique)
    }
}

/// A step of an order's timeline.
pub async fn add_event(
    db: &impl ConnectionTrait,
    order_id: i32,
    status: OrderStatus,
    note: Option<String>,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    order_event::ActiveModel {
        id: NotSet,
        order_id: Set(order_id),
        status: Set(status),
        note: Set(note),
        created_at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn rows(
    db: &impl ConnectionTrait,
    orders: Vec<order::Model>,
) -> Result<Vec<OrderRow>, AppError> {
    let plans = catalog::plans_with_products(db, orders.iter().filter_map(|o| o.plan_id)).await?;
    orders
        .into_iter()
        .map(|o| {
            let (plan_name, product_name) = o
                .plan_id
                .and_then(|id| plans.get(&id))
                .map(|(plan, product)| (plan.name.clone(), product.name.clone()))
                .unwrap_or_default();
            Ok(OrderRow {
                id: o.id,
                order_type: o.order_type,
                status: o.status,
                total: Money::new(o.total_cents, o.currency),
                number: o.number,
                product_name,
                plan_name,
                created_at: o.created_at,
            })
        })
        .collect()
}

pub async fn list_orders(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    order_type: Option<OrderType>,
    status: Option<OrderStatus>,
    page: PageRequest,
) -> Result<OrderPage, AppError> {
    let customer_id = tenant.customer_id();
    let mut select = order::Entity::find().filter(order::Column::CustomerId.eq(customer_id));
    if let Some(order_type) = order_type {
        select = select.filter(order::Column::OrderType.eq(order_type));
    }
    if let Some(status) = status {
        select = select.filter(order::Column::Status.eq(status));
    }
    let found = select
        .order_by_desc(order::Column::CreatedAt)
        .order_by_desc(order::Column::Id)
        .offset(page.offset())
        .limit(page.fetch())
        .all(db)
        .await?;
    let mut found = page.page_of(found);
    let models = std::mem::take(&mut found.rows);
    Ok(found.with_rows(rows(db, models).await?))
}

pub async fn in_progress(
    db: &impl ConnectionTrait,
    tenant: Tenant,
) -> Result<Vec<OrderRow>, AppError> {
    let customer_id = tenant.customer_id();
    let found = order::Entity::find()
        .filter(order::Column::CustomerId.eq(customer_id))
        .filter(
            order::Column::Status.is_in(
                [
                    OrderStatus::Submitted,
                    OrderStatus::Provisioning,
                    OrderStatus::Approved,
                ]
                .map(OrderStatus::as_str),
            ),
        )
        .order_by_desc(order::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    rows(db, found).await
}

/// An order line as the order shows it: a credit (a reduction) counts against the total.
pub fn stored_line(line: &order_line::Model, currency: Currency) -> Result<QuoteLine, AppError> {
    let sign = if line.credit { -1 } else { 1 };
    Ok(QuoteLine {
        kind: line.kind,
        resource: None,
        description: line.description.clone(),
        quantity: line.quantity,
        unit_price: Money::new(sign * line.unit_price_cents, currency),
        amount: Money::new(sign * line.amount_cents, currency),
    })
}

pub async fn get_order(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: i32,
) -> Result<OrderDetail, AppError> {
    let customer_id = tenant.customer_id();
    let found = order::Entity::find_by_id(id)
        .filter(order::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(id))
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|l| stored_line(l, found.currency))
        .collect::<Result<Vec<_>, _>>()?;
    let events = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(id))
        .order_by_asc(order_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| {
            Ok(OrderEvent {
                status: e.status,
                note: e.note,
                at: e.created_at,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let documents = billing_document::Entity::find()
        .select_only()
        .column(billing_document::Column::Id)
        .column(billing_document::Column::Kind)
        .filter(billing_document::Column::OrderId.eq(id))
        .filter(billing_document::Column::CustomerId.eq(customer_id))
        .into_tuple::<(i32, DocumentKind)>()
        .all(db)
        .await?;
    let document_of = |kind| {
        documents
            .iter()
            .find(|(_, k)| *k == kind)
            .map(|(id, _)| *id)
    };
    let invoice_id = document_of(DocumentKind::Invoice);
    let credit_note_id = document_of(DocumentKind::CreditNote);
    let placed_by = match found.created_by {
        Some(person_id) => person::Entity::find_by_id(person_id)
            .one(db)
            .await?
            .map(|p| p.name),
        None => None,
    };
    let failure_reason = found.failure_reason.clone();
    let subscription_id = found.subscription_id;
    let row = rows(db, vec![found])
        .await?
        .pop()
        .ok_or(AppError::Internal)?;
    Ok(OrderDetail {
        row,
        lines,
        events,
        failure_reason,
        subscription_id,
        invoice_id,
        credit_note_id,
        placed_by,
    })
}

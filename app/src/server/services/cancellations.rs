//! Cancelling a subscription through a `cancellation` order.
//!
//! The customer's owner or an admin asks, with a reason; the refund is priced then, by
//! `domain::cancellation` from what was charged for the current period, and kept on the order's
//! lines, so the credit note written later is exactly the preview. The order waits in
//! `pending_approval` and the subscription reads `cancellation_pending`; the customer may
//! withdraw it, the reseller approves or rejects it (or approves every request at once, when
//! the reseller has set that). An approved order goes through fulfilment like any other: the
//! vendor ends the service, then the subscription is `terminated`, its licenses are released,
//! the credit note is written and the account's managers are told.
//!
//! Every decision is one conditional update from `pending_approval`: whichever of an approval,
//! a rejection or a withdrawal comes first wins, and the others are refused. The unique index
//! `ux_orders_one_open_order` keeps a cancellation and a change (or renewal) of the same
//! subscription from being open together, whichever is asked for first.

use super::orders::{self, NewOrder, NewOrderLine, PlacedBy};
use super::subscriptions::resources_of;
use super::{audit, catalog, notifications};
use crate::domain::cancellation::{
    COMMENT_MAX_CHARS, PaidCharge, RefundPolicy, RefundQuote, RefundTerms, quote_refund,
};
use crate::domain::ordering::refund_policy_words;
use crate::domain::pricing::LineKind;
use crate::domain::resource_change::Period;
use crate::domain::{DocumentKind, OrderStatus, OrderType, ResourceKind, SubscriptionStatus};
use crate::dto::cancellations::{CancellationForm, CancellationRequest, PendingCancellation};
use crate::dto::orders::PlacedOrder;
use crate::dto::resource_changes::OrderLink;
use crate::error::AppError;
use crate::server::access::ResellerScope;
use crate::server::entities::{
    billing_document, billing_document_line, customer, order, person, plan, product, reseller,
    subscription,
};
use crate::server::{Actor, AppState, Tenant};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// Who audits a decision taken without a person: the end of the period the customer paid for.
const AT_PERIOD_END: &str = "Approval at the end of the period";

/// A cancellation still to be decided, or approved and with the vendor.
const OPEN: [OrderStatus; 2] = [OrderStatus::PendingApproval, OrderStatus::Approved];

/// A subscription with what cancelling it needs.
struct Loaded {
    subscription: subscription::Model,
    plan: plan::Model,
    product: product::Model,
    refund: RefundQuote,
    licenses_assigned: i64,
    resources: Vec<super::subscriptions::InUse>,
    /// The cancellation already asked for, not yet ended.
    pending: Option<order::Model>,
    /// A change or the renewal still in progress.
    open_change: Option<order::Model>,
}

impl Loaded {
    /// Why no cancellation can be asked for now, if one cannot.
    fn blocked(&self) -> Option<String> {
        if let Some(pending) = &self.pending {
            return Some(match pending.status {
                OrderStatus::PendingApproval => format!(
                    "A cancellation of this subscription was asked for (order {}) and waits for your reseller's decision.",
                    pending.number
                ),
                _ => format!(
                    "This subscription is being cancelled (order {}).",
                    pending.number
                ),
            });
        }
        let status = self.subscription.status;
        if !matches!(
            status,
            SubscriptionStatus::Active | SubscriptionStatus::Trial
        ) {
            return Some(format!(
                "This subscription is {}: it cannot be cancelled.",
                status.label().to_lowercase()
            ));
        }
        if !self.plan.cancellable_online {
            return Some(
                "This plan cannot be cancelled online: ask your reseller to cancel it.".into(),
            );
        }
        if let Some(open) = &self.open_change {
            let what = match open.order_type {
                OrderType::Renewal => "the renewal",
                _ => "a change",
            };
            return Some(format!(
                "Order {}, {what} of this subscription, is still in progress. Cancel once it has completed.",
                open.number
            ));
        }
        None
    }
}

fn period_of(s: &subscription::Model) -> Period {
    Period {
        start: s.period_start,
        end: s.period_end,
    }
}

fn policy_of(plan: &plan::Model) -> RefundPolicy {
    RefundPolicy {
        full_refund_days: plan.full_refund_days,
        prorated_refund_days: plan.prorated_refund_days,
    }
}

/// What was charged (and, negative, credited) for the subscription's current period, from its
/// documents' lines; the setup fee of its first period too, which stays charged.
async fn paid_charges(
    db: &impl ConnectionTrait,
    s: &subscription::Model,
) -> Result<Vec<PaidCharge>, AppError> {
    let period = period_of(s);
    let orders: Vec<order::Model> = order::Entity::find()
        .filter(order::Column::SubscriptionId.eq(s.id))
        .all(db)
        .await?;
    let documents = billing_document::Entity::find()
        .filter(billing_document::Column::OrderId.is_in(orders.iter().map(|o| o.id)))
        .order_by_asc(billing_document::Column::Id)
        .all(db)
        .await?;
    let lines = billing_document_line::Entity::find()
        .filter(billing_document_line::Column::DocumentId.is_in(documents.iter().map(|d| d.id)))
        .order_by_asc(billing_document_line::Column::Id)
        .all(db)
        .await?;
    let first_period = s.period_start == s.start_date;
    let mut charges = Vec::new();
    for document in &documents {
        let mine: Vec<&billing_document_line::Model> = lines
            .iter()
            .filter(|l| l.document_id == document.id)
            .collect();
        // A trial's invoice charged nothing: its lines are the price the trial waived.
        if mine.iter().any(|l| l.kind == Some(LineKind::Trial)) {
            continue;
        }
        let sign = match document.kind {
            DocumentKind::Invoice => 1,
            DocumentKind::CreditNote => -1,
        };
        let mut counted = Vec::new();
        for line in &mine {
            let kind = line.kind.unwrap_or(LineKind::Plan);
            let span = line.period_start.zip(line.period_end);
            let within = match (kind, span) {
                (LineKind::Tax | LineKind::Trial, _) => None,
                (LineKind::SetupFee, _) if first_period => Some((period.start, period.end)),
                (_, Some((from, until))) if from < period.end && until > period.start => {
                    Some((from.max(period.start), until.min(period.end)))
                }
                _ => None,
            };
            if let Some((from, until)) = within {
                counted.push(PaidCharge {
                    kind,
                    description: line.description.clone(),
                    amount_cents: sign * line.amount_cents,
                    from,
                    until,
                });
            }
        }
        // The tax of a document that charged for this period comes with it.
        if !counted.is_empty() {
            for line in mine.iter().filter(|l| l.kind == Some(LineKind::Tax)) {
                counted.push(PaidCharge {
                    kind: LineKind::Tax,
                    description: line.description.clone(),
                    amount_cents: sign * line.amount_cents,
                    from: period.start,
                    until: period.end,
                });
            }
        }
        charges.extend(counted);
    }
    Ok(charges)
}

async fn price_refund(
    db: &impl ConnectionTrait,
    s: &subscription::Model,
    plan: &plan::Model,
    today: NaiveDate,
) -> Result<RefundQuote, AppError> {
    let charges = paid_charges(db, s).await?;
    quote_refund(
        RefundTerms {
            policy: policy_of(plan),
            period: period_of(s),
            today,
            currency: plan.currency,
        },
        &charges,
    )
    .ok_or_else(|| {
        tracing::error!(subscription.id = s.id, "cannot price a refund");
        AppError::Internal
    })
}

/// The open cancellation of a subscription, if there is one.
async fn open_cancellation(
    db: &impl ConnectionTrait,
    subscription_id: i32,
) -> Result<Option<order::Model>, AppError> {
    Ok(order::Entity::find()
        .filter(order::Column::SubscriptionId.eq(subscription_id))
        .filter(order::Column::OrderType.eq(OrderType::Cancellation))
        .filter(order::Column::Status.is_in(OPEN.map(OrderStatus::as_str)))
        .one(db)
        .await?)
}

/// The subscription, `NotFound` when it is not this customer's.
async fn load(state: &AppState, tenant: Tenant, id: i32) -> Result<Loaded, AppError> {
    let db = &state.db;
    let (subscription, plan, product) =
        super::subscriptions::find_with_plan(db, tenant, id).await?;
    let resources = resources_of(db, &subscription).await?;
    let licenses_assigned = resources
        .iter()
        .filter(|r| r.rate.kind == ResourceKind::License)
        .map(|r| r.in_use)
        .sum();
    let today = state.clock.now().date_naive();
    let refund = price_refund(db, &subscription, &plan, today).await?;
    Ok(Loaded {
        pending: open_cancellation(db, subscription.id).await?,
        open_change: super::resource_changes::open_change(db, subscription.id).await?,
        subscription,
        plan,
        product,
        refund,
        licenses_assigned,
        resources,
    })
}

/// What the cancellation form shows.
pub async fn get_form(
    state: &AppState,
    tenant: Tenant,
    id: i32,
) -> Result<CancellationForm, AppError> {
    let loaded = load(state, tenant, id).await?;
    let s = &loaded.subscription;
    Ok(CancellationForm {
        subscription_id: s.id,
        product_name: loaded.product.name.clone(),
        plan_name: loaded.plan.name.clone(),
        status: s.status,
        period_start: s.period_start,
        period_end: s.period_end,
        policy: refund_policy_words(
            loaded.plan.full_refund_days,
            loaded.plan.prorated_refund_days,
        ),
        licenses_assigned: loaded.licenses_assigned,
        pending: loaded.pending.as_ref().map(|o| OrderLink {
            id: o.id,
            number: o.number.clone(),
        }),
        blocked: loaded.blocked(),
        refund: loaded.refund,
    })
}

/// The comment as kept: trimmed, `None` when empty; refused when too long or holding control
/// characters other than line breaks, or the invisible ones that reorder or hide text (found by
/// the break-it review: a comment of nothing but bidirectional marks looked empty).
fn checked_comment(comment: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(text) = comment.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > COMMENT_MAX_CHARS {
        return Err(AppError::validation(
            "comment",
            format!("Keep the comment under {COMMENT_MAX_CHARS} characters."),
        ));
    }
    let lines: Vec<&str> = text.lines().collect();
    if lines
        .iter()
        .any(|line| crate::domain::text::check(line, "The comment").is_err())
    {
        return Err(AppError::validation(
            "comment",
            "The comment holds characters that cannot be shown.",
        ));
    }
    Ok(Some(lines.join("\n")))
}

/// Asks for the cancellation once per idempotency key (a repeat answers with the order already
/// placed). `expected_refund` is the refund the person read (cents): a different one now is
/// refused. When the reseller approves cancellations automatically, it is approved at once.
pub async fn request_cancellation(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    request: &CancellationRequest,
    key: &str,
    expected_refund: Option<i64>,
    ip: Option<String>,
) -> Result<PlacedOrder, AppError> {
    let customer_id = tenant.customer_id();
    let placed_before = || async {
        match orders::find_by_key(&state.db, customer_id, key).await? {
            Some(existing)
                if existing.order_type == OrderType::Cancellation
                    && existing.subscription_id == Some(request.subscription_id) =>
            {
                Ok(Some(PlacedOrder {
                    id: existing.id,
                    number: existing.number,
                }))
            }
            Some(_) => Err(AppError::Conflict(
                "This form was already used for another order. Open it again to start a new one."
                    .into(),
            )),
            None => Ok(None),
        }
    };
    if let Some(placed) = placed_before().await? {
        return Ok(placed);
    }
    let loaded = load(state, tenant, request.subscription_id).await?;
    let comment = checked_comment(request.comment.as_deref())?;
    if let Some(reason) = loaded.blocked() {
        return Err(AppError::Conflict(reason));
    }
    let refund = &loaded.refund;
    if let Some(expected) = expected_refund
        && expected != refund.total.cents
    {
        return Err(AppError::Conflict(format!(
            "The refund is now {}. Review it and confirm again.",
            refund.total
        )));
    }
    let mut lines: Vec<NewOrderLine> = refund
        .lines
        .iter()
        .map(|l| NewOrderLine {
            kind: l.kind,
            description: l.description.clone(),
            resource_rate_id: None,
            quantity: 1,
            unit_price_cents: l.charged.cents,
            amount_cents: l.amount.cents,
            period: Some((l.from, l.until)),
            credit: true,
            proration: l.days,
        })
        .collect();
    if let Some((label, amount)) = &refund.tax {
        lines.push(NewOrderLine {
            kind: LineKind::Tax,
            description: label.clone(),
            resource_rate_id: None,
            quantity: 1,
            unit_price_cents: amount.cents,
            amount_cents: amount.cents,
            period: None,
            credit: true,
            proration: None,
        });
    }
    let s = &loaded.subscription;
    let customer = customer::Entity::find_by_id(customer_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Internal)?;
    let automatic = reseller::Entity::find_by_id(customer.reseller_id)
        .one(&state.db)
        .await?
        .is_some_and(|r| r.auto_approve_cancellations);
    let new = NewOrder {
        order_type: OrderType::Cancellation,
        subscription_id: Some(s.id),
        plan: &loaded.plan,
        total_cents: -refund.total.cents,
        lines,
        // The limits the refund was priced at: a change completing meanwhile moved what was
        // charged, and this request gives way (as a change does) instead of refunding stale
        // amounts.
        resources: loaded
            .resources
            .iter()
            .map(|r| (r.rate.id, r.row.limit_units, Some(r.row.limit_units)))
            .collect(),
        trial_of_product: None,
        cancellation: Some(orders::Cancellation {
            reason: request.reason,
            comment,
            status_before: s.status,
            period_end: s.period_end,
            approved_at_once: automatic,
        }),
        details: serde_json::json!({
            "product": loaded.product.name,
            "plan": loaded.plan.name,
            "subscription_id": s.id,
            "reason": request.reason.as_str(),
            "refund_cents": refund.total.cents,
            "currency": loaded.plan.currency,
        }),
    };
    let Some(placed) = orders::place(state, PlacedBy::Person(actor), tenant, key, new, ip).await?
    else {
        // A unique constraint stopped it: a racing repeat of this form, or another order of
        // the subscription (a change, the renewal, a cancellation) placed a moment earlier.
        if let Some(placed) = placed_before().await? {
            return Ok(placed);
        }
        let again = load(state, tenant, request.subscription_id).await?;
        return Err(AppError::Conflict(again.blocked().unwrap_or_else(|| {
            "Another order of this subscription was placed at the same moment. Review it and try again."
                .into()
        })));
    };
    Ok(placed)
}

/// How a request is decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject { reason: String },
}

/// Who decides: reseller staff in their panel, or the end of the period (a request still
/// waiting when the paid period is over is approved: the service does not run unpaid).
enum Decider<'a> {
    Staff(&'a Actor),
    AtPeriodEnd,
}

/// The customer takes back a request not yet decided; the subscription runs on as before.
pub async fn withdraw_cancellation(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    order_id: i32,
    ip: Option<String>,
) -> Result<(), AppError> {
    let order = order::Entity::find_by_id(order_id)
        .filter(order::Column::CustomerId.eq(tenant.customer_id()))
        .filter(order::Column::OrderType.eq(OrderType::Cancellation))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let txn = crate::server::transaction::begin_write(&state.db).await?;
    if !leave_pending(&txn, &order, OrderStatus::Withdrawn, None, now).await? {
        txn.rollback().await?;
        return Err(already_decided(&state.db, order.id).await?);
    }
    restore_subscription(&txn, &order, now).await?;
    orders::add_event(&txn, order.id, OrderStatus::Withdrawn, None, now).await?;
    audit::record(
        &txn,
        actor,
        ip,
        now,
        audit::Entry {
            action: "cancellation.withdrawn",
            target_type: "order",
            target_id: Some(order.number.clone()),
            details: Some(serde_json::json!({ "subscription_id": order.subscription_id })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The reseller's decision on a request of one of their customers (`NotFound` for any other).
pub async fn decide_cancellation(
    state: &AppState,
    actor: &Actor,
    scope: ResellerScope,
    order_id: i32,
    decision: Decision,
    ip: Option<String>,
) -> Result<(), AppError> {
    let order = order::Entity::find_by_id(order_id)
        .filter(order::Column::OrderType.eq(OrderType::Cancellation))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let customer = customer::Entity::find_by_id(order.customer_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if customer.reseller_id != scope.reseller_id() {
        return Err(AppError::NotFound);
    }
    if let Decision::Reject { reason } = &decision
        && reason.trim().is_empty()
    {
        return Err(AppError::validation(
            "reason",
            "Say why the cancellation is rejected: the customer reads it.",
        ));
    }
    let decision = match decision {
        Decision::Reject { reason } => Decision::Reject {
            reason: checked_comment(Some(&reason))
                .map_err(|_| {
                    AppError::validation(
                        "reason",
                        format!(
                            "Keep the reason under {COMMENT_MAX_CHARS} characters, in plain text."
                        ),
                    )
                })?
                .unwrap_or_default(),
        },
        approve => approve,
    };
    decide(state, Decider::Staff(actor), order.id, decision, ip).await
}

async fn decide(
    state: &AppState,
    by: Decider<'_>,
    order_id: i32,
    decision: Decision,
    ip: Option<String>,
) -> Result<(), AppError> {
    let order = order::Entity::find_by_id(order_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let txn = crate::server::transaction::begin_write(&state.db).await?;
    let (status, reason) = match &decision {
        Decision::Approve => (OrderStatus::Approved, None),
        Decision::Reject { reason } => (OrderStatus::Rejected, Some(reason.clone())),
    };
    if !leave_pending(&txn, &order, status, reason.clone(), now).await? {
        txn.rollback().await?;
        return Err(already_decided(&state.db, order.id).await?);
    }
    let customer = customer::Entity::find_by_id(order.customer_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    let product = super::fulfilment::product_name(&txn, &order).await?;
    match &decision {
        Decision::Approve => {
            orders::add_event(&txn, order.id, OrderStatus::Approved, None, now).await?;
        }
        Decision::Reject { reason } => {
            restore_subscription(&txn, &order, now).await?;
            orders::add_event(
                &txn,
                order.id,
                OrderStatus::Rejected,
                Some(reason.clone()),
                now,
            )
            .await?;
            notifications::tell_managers(
                &txn,
                state,
                order.customer_id,
                notifications::Message {
                    kind: "cancellation_rejected",
                    title: format!("Cancellation of {product} rejected"),
                    body: format!(
                        "Your reseller rejected the cancellation of {product} (order {}): {reason} The subscription runs on as before.",
                        order.number
                    ),
                    link: format!("/orders/{}", order.id),
                },
                now,
            )
            .await?;
        }
    }
    let entry = audit::Entry {
        action: match decision {
            Decision::Approve => "cancellation.approved",
            Decision::Reject { .. } => "cancellation.rejected",
        },
        target_type: "order",
        target_id: Some(order.number.clone()),
        details: Some(serde_json::json!({
            "subscription_id": order.subscription_id,
            "reason": reason,
        })),
    };
    match by {
        // Recorded in the customer's log, as the reseller's staff member who decided.
        Decider::Staff(actor) => {
            let who = audit::Who {
                reseller_id: Some(customer.reseller_id),
                customer_id: Some(customer.id),
                person_id: actor.person_id,
                name: format!("{} ({})", actor.name, actor.reseller_name),
                impersonator: None,
            };
            audit::record(&txn, who, ip, now, entry).await?;
        }
        Decider::AtPeriodEnd => {
            audit::record_system(&txn, &customer, AT_PERIOD_END, now, entry).await?;
        }
    }
    txn.commit().await?;
    if status == OrderStatus::Approved {
        state.order_placed.notify_one();
    }
    Ok(())
}

/// Moves the order out of `pending_approval`, if it still is there: `false` when another
/// decision (or the withdrawal) came first. An approved order is due for fulfilment at once.
async fn leave_pending(
    db: &impl ConnectionTrait,
    order: &order::Model,
    to: OrderStatus,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if !OrderStatus::PendingApproval.can_become(to) {
        return Err(AppError::Internal);
    }
    let mut update = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(to))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .col_expr(order::Column::DecisionReason, Expr::value(reason));
    update = if to.is_final() {
        update.col_expr(order::Column::CompletedAt, Expr::value(Some(now)))
    } else {
        update.col_expr(order::Column::NextAttemptAt, Expr::value(Some(now)))
    };
    let moved = update
        .filter(order::Column::Id.eq(order.id))
        .filter(order::Column::Status.eq(OrderStatus::PendingApproval))
        .exec(db)
        .await?;
    Ok(moved.rows_affected == 1)
}

/// The refusal for a request that is no longer waiting, saying what became of it.
async fn already_decided(db: &impl ConnectionTrait, order_id: i32) -> Result<AppError, AppError> {
    let now = order::Entity::find_by_id(order_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(AppError::Conflict(format!(
        "This cancellation request is no longer waiting for a decision: it is {}.",
        now.status.label().to_lowercase()
    )))
}

/// The status a subscription goes back to when its cancellation does not happen: the one it
/// had when it was asked for.
pub(super) async fn restore_subscription(
    db: &impl ConnectionTrait,
    order: &order::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let subscription_id = order.subscription_id.ok_or(AppError::Internal)?;
    let back = order
        .cancel_status_before
        .filter(|s| matches!(s, SubscriptionStatus::Active | SubscriptionStatus::Trial))
        .unwrap_or(SubscriptionStatus::Active);
    let moved = subscription::Entity::update_many()
        .col_expr(subscription::Column::Status, Expr::value(back))
        .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(subscription_id))
        .filter(subscription::Column::Status.eq(SubscriptionStatus::CancellationPending))
        .exec(db)
        .await?;
    if moved.rows_affected != 1 {
        tracing::error!(
            order.id = order.id,
            subscription.id = subscription_id,
            "a subscription left cancellation_pending while its request was open"
        );
        return Err(AppError::Internal);
    }
    Ok(())
}

/// Approves every request still waiting when its subscription's paid period is over (called by
/// the scheduler); returns how many. A decision that lost to another is skipped.
pub async fn approve_due(state: &AppState) -> Result<usize, AppError> {
    let today = state.clock.now().date_naive();
    let due = subscription::Entity::find()
        .filter(subscription::Column::Status.eq(SubscriptionStatus::CancellationPending))
        .filter(subscription::Column::PeriodEnd.lte(today))
        .all(&state.db)
        .await?;
    let mut approved = 0;
    for s in due {
        let Some(open) = open_cancellation(&state.db, s.id).await? else {
            continue;
        };
        if open.status != OrderStatus::PendingApproval {
            continue;
        }
        match decide(
            state,
            Decider::AtPeriodEnd,
            open.id,
            Decision::Approve,
            None,
        )
        .await
        {
            Ok(()) => approved += 1,
            Err(AppError::Conflict(_)) => {}
            Err(err) => return Err(err),
        }
    }
    Ok(approved)
}

/// The requests of the reseller's customers waiting for a decision, oldest first.
pub async fn list_pending(
    db: &impl ConnectionTrait,
    scope: ResellerScope,
) -> Result<Vec<PendingCancellation>, AppError> {
    let customers = customer::Entity::find()
        .filter(customer::Column::ResellerId.eq(scope.reseller_id()))
        .all(db)
        .await?;
    let orders = order::Entity::find()
        .filter(order::Column::CustomerId.is_in(customers.iter().map(|c| c.id)))
        .filter(order::Column::OrderType.eq(OrderType::Cancellation))
        .filter(order::Column::Status.eq(OrderStatus::PendingApproval))
        .order_by_asc(order::Column::CreatedAt)
        .order_by_asc(order::Column::Id)
        .all(db)
        .await?;
    let plans = catalog::plans_with_products(db, orders.iter().filter_map(|o| o.plan_id)).await?;
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(orders.iter().filter_map(|o| o.created_by)))
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(orders.len());
    for o in orders {
        let (plan, product) = o
            .plan_id
            .and_then(|id| plans.get(&id))
            .ok_or(AppError::Internal)?;
        let customer = customers
            .iter()
            .find(|c| c.id == o.customer_id)
            .ok_or(AppError::Internal)?;
        out.push(PendingCancellation {
            order_id: o.id,
            order_number: o.number.clone(),
            customer_id: customer.id,
            customer_name: customer.name.clone(),
            subscription_id: o.subscription_id.ok_or(AppError::Internal)?,
            product_name: product.name.clone(),
            plan_name: plan.name.clone(),
            reason: o
                .cancel_reason
                .as_deref()
                .and_then(|r| crate::domain::cancellation::CancelReason::parse(r).ok())
                .unwrap_or(crate::domain::cancellation::CancelReason::Other),
            comment: o.cancel_comment.clone(),
            refund: crate::domain::Money::new(-o.total_cents, o.currency),
            requested_at: o.created_at,
            requested_by: o
                .created_by
                .and_then(|id| people.iter().find(|p| p.id == id))
                .map(|p| p.name.clone()),
        });
    }
    Ok(out)
}

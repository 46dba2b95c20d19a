//! Fulfilment of orders: claiming the next due order, calling the vendor, and applying the
//! result in one transaction.
//!
//! Exactly once, across processes: a claim is one atomic statement (on PostgreSQL it skips rows
//! another process holds, `FOR UPDATE SKIP LOCKED`) that moves the order to `provisioning`, bumps
//! `attempts` and sets a lease deadline in `next_attempt_at`. A process that dies mid-way leaves
//! the order to be claimed again when the lease ends. Applying the result only succeeds while
//! the order is still `provisioning` with the claim's attempt number, so of two processes that
//! ever held the same order, only one can apply it.

use super::{audit, billing, cancellations, notifications, orders, renewals, resource_changes};
use crate::domain::ordering::first_period;
use crate::domain::{DocumentKind, OrderStatus, OrderType, SubscriptionStatus};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::entities::{
    billing_document, customer, order, order_line, order_resource, plan, product, resource_rate,
    subscription, subscription_resource, trial_claim,
};
use crate::server::vendor::{ProvisionRequest, Provisioned, VendorConnector, VendorError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    NotSet, QueryFilter, QueryOrder, Set, Statement,
};

/// How long a claim lasts before another worker may take the order over.
pub const LEASE: Duration = Duration::minutes(2);
/// A vendor call taking longer than this counts as a transient failure.
pub const VENDOR_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
/// Transient vendor errors are retried this many times in all, then the order fails.
pub const MAX_ATTEMPTS: i32 = 6;
const SYSTEM: &str = "Fulfilment";

/// Wait before the next attempt: 10 s, 20 s, 40 s... at most 10 minutes.
fn backoff(attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 7) as u32 - 1;
    Duration::seconds((10i64 * 2i64.pow(exponent)).min(600))
}

/// What became of one claimed order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Completed {
        order_id: i32,
        subscription_id: i32,
    },
    Failed {
        order_id: i32,
    },
    Retrying {
        order_id: i32,
    },
    /// Another worker took the order over meanwhile (our lease ran out): nothing was applied.
    Superseded {
        order_id: i32,
    },
}

/// Claims the next due order: a submitted one whose time has come, or a provisioning one whose
/// claim has expired.
pub async fn claim_next(
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<Option<order::Model>, AppError> {
    use OrderStatus::{Approved, Provisioning, Submitted};
    // The moves a claim makes, as the order state machine allows them: a submitted order (or an
    // approved cancellation) starts provisioning, and a provisioning one whose lease ran out is
    // provisioned again.
    debug_assert!(
        Submitted.can_become(Provisioning)
            && Approved.can_become(Provisioning)
            && Provisioning.can_become(Submitted)
    );
    let db = &state.db;
    let backend = db.get_database_backend();
    let values: Vec<sea_orm::Value> = vec![
        Provisioning.into(),
        (now + LEASE).into(),
        now.into(),
        Submitted.into(),
        Approved.into(),
        Provisioning.into(),
        now.into(),
        Submitted.into(),
        Approved.into(),
        Provisioning.into(),
    ];
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE orders SET status = $1, attempts = attempts + 1, \
             next_attempt_at = $2, updated_at = $3 \
             WHERE id = (SELECT id FROM orders \
                 WHERE status IN ($4, $5, $6) AND next_attempt_at <= $7 \
                 ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             AND status IN ($8, $9, $10) RETURNING *"
        }
        // SQLite runs one writer at a time: the statement is atomic as it stands.
        _ => {
            "UPDATE orders SET status = ?, attempts = attempts + 1, \
             next_attempt_at = ?, updated_at = ? \
             WHERE id = (SELECT id FROM orders \
                 WHERE status IN (?, ?, ?) AND next_attempt_at <= ? \
                 ORDER BY next_attempt_at, id LIMIT 1) \
             AND status IN (?, ?, ?) RETURNING *"
        }
    };
    let txn = crate::server::transaction::begin_write(db).await?;
    let claimed = order::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .one(&txn)
        .await?;
    if let Some(order) = &claimed {
        let note = (order.attempts > 1).then(|| format!("Attempt {}", order.attempts));
        orders::add_event(&txn, order.id, OrderStatus::Provisioning, note, now).await?;
    }
    txn.commit().await?;
    Ok(claimed)
}

/// What the vendor needs to know about a claimed order.
async fn provision_request(
    db: &impl ConnectionTrait,
    order: &order::Model,
) -> Result<ProvisionRequest, AppError> {
    let plan = plan::Entity::find_by_id(order.plan_id.ok_or(AppError::Internal)?)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let product = product::Entity::find_by_id(plan.product_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let wanted = order_resource::Entity::find()
        .filter(order_resource::Column::OrderId.eq(order.id))
        .order_by_asc(order_resource::Column::Id)
        .all(db)
        .await?;
    let codes: std::collections::HashMap<i32, String> = resource_rate::Entity::find()
        .filter(resource_rate::Column::Id.is_in(wanted.iter().map(|w| w.resource_rate_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|rate| (rate.id, rate.code))
        .collect();
    let resources = wanted
        .iter()
        .map(|w| {
            let code = codes.get(&w.resource_rate_id).ok_or(AppError::Internal)?;
            Ok((code.clone(), w.units))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(ProvisionRequest {
        order_number: order.number.clone(),
        order_type: order.order_type,
        product_sku: product.sku,
        plan_sku: plan.sku,
        resources,
        attempt: order.attempts,
        always_refused: product.demo_always_fails,
    })
}

/// Claims one due order and takes it to its next status. `None`: nothing is due.
pub async fn fulfil_next(
    state: &AppState,
    vendor: &dyn VendorConnector,
) -> Result<Option<Outcome>, AppError> {
    let Some(claimed) = claim_next(state, state.clock.now()).await? else {
        return Ok(None);
    };
    fulfil_claimed(state, vendor, claimed).await.map(Some)
}

/// Calls the vendor for an order this worker has claimed and applies the answer. An error of
/// our own (not the vendor's) counts as a failed attempt: the order is retried with backoff and
/// fails after the last attempt, so a broken order cannot loop forever.
pub async fn fulfil_claimed(
    state: &AppState,
    vendor: &dyn VendorConnector,
    claimed: order::Model,
) -> Result<Outcome, AppError> {
    match attempt(state, vendor, &claimed).await {
        Ok(outcome) => Ok(outcome),
        Err(err) => {
            tracing::error!(order.id = claimed.id, error = %err, "fulfilment attempt failed");
            let now = state.clock.now();
            let txn = crate::server::transaction::begin_write(&state.db).await?;
            let outcome = if claimed.attempts >= MAX_ATTEMPTS {
                let reason = "The order could not be completed because of an error on our side.";
                fail(&txn, state, &claimed, reason, now).await?
            } else {
                let reason = "An error on our side interrupted this attempt.";
                retry(&txn, &claimed, reason, now).await?
            };
            txn.commit().await?;
            Ok(outcome)
        }
    }
}

async fn attempt(
    state: &AppState,
    vendor: &dyn VendorConnector,
    claimed: &order::Model,
) -> Result<Outcome, AppError> {
    let claimed = claimed.clone();
    let request = provision_request(&state.db, &claimed).await?;
    // Well inside the claim, so no other worker can take the order over while we wait.
    let answer = match tokio::time::timeout(VENDOR_TIMEOUT, vendor.provision(&request)).await {
        Ok(answer) => answer,
        Err(_) => Err(VendorError::Transient(
            "The vendor did not answer in time.".into(),
        )),
    };
    let now = state.clock.now();
    let txn = crate::server::transaction::begin_write(&state.db).await?;
    let outcome = match answer {
        Ok(provisioned) => complete(&txn, state, &claimed, &provisioned, now).await?,
        Err(VendorError::Refused(reason)) => fail(&txn, state, &claimed, &reason, now).await?,
        Err(VendorError::Transient(reason)) if claimed.attempts >= MAX_ATTEMPTS => {
            let reason = format!(
                "The vendor could not be reached after {} attempts ({reason}).",
                claimed.attempts
            );
            fail(&txn, state, &claimed, &reason, now).await?
        }
        Err(VendorError::Transient(reason)) => retry(&txn, &claimed, &reason, now).await?,
    };
    if matches!(outcome, Outcome::Superseded { .. }) {
        txn.rollback().await?;
        tracing::warn!(
            order.id = claimed.id,
            "order was taken over by another worker"
        );
    } else {
        txn.commit().await?;
        tracing::info!(order.id = claimed.id, outcome = ?outcome, "order fulfilment step");
    }
    Ok(outcome)
}

/// Moves the claimed order from `provisioning` to `status` (a move the order state machine
/// must allow), only if the claim still holds. Written first in each transaction, so SQLite
/// takes its write lock at the start.
async fn settle(
    txn: &DatabaseTransaction,
    claimed: &order::Model,
    status: OrderStatus,
    next_attempt_at: Option<DateTime<Utc>>,
    failure_reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if !OrderStatus::Provisioning.can_become(status) {
        tracing::error!(
            order.id = claimed.id,
            to = status.as_str(),
            "order move not allowed"
        );
        return Err(AppError::Internal);
    }
    let mut update = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(status))
        .col_expr(order::Column::NextAttemptAt, Expr::value(next_attempt_at))
        .col_expr(order::Column::UpdatedAt, Expr::value(now));
    if status.is_final() {
        update = update.col_expr(order::Column::CompletedAt, Expr::value(Some(now)));
    }
    if let Some(reason) = failure_reason {
        update = update.col_expr(
            order::Column::FailureReason,
            Expr::value(Some(reason.to_owned())),
        );
    }
    let result = update
        .filter(order::Column::Id.eq(claimed.id))
        .filter(order::Column::Status.eq(OrderStatus::Provisioning))
        .filter(order::Column::Attempts.eq(claimed.attempts))
        .exec(txn)
        .await?;
    Ok(result.rows_affected == 1)
}

async fn retry(
    txn: &DatabaseTransaction,
    claimed: &order::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let at = now + backoff(claimed.attempts);
    if !settle(txn, claimed, OrderStatus::Submitted, Some(at), None, now).await? {
        return Ok(Outcome::Superseded {
            order_id: claimed.id,
        });
    }
    let note = format!(
        "{reason} Trying again in {} seconds.",
        (at - now).num_seconds()
    );
    orders::add_event(txn, claimed.id, OrderStatus::Submitted, Some(note), now).await?;
    Ok(Outcome::Retrying {
        order_id: claimed.id,
    })
}

async fn fail(
    txn: &DatabaseTransaction,
    state: &AppState,
    claimed: &order::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    if !settle(txn, claimed, OrderStatus::Failed, None, Some(reason), now).await? {
        return Ok(Outcome::Superseded {
            order_id: claimed.id,
        });
    }
    orders::add_event(
        txn,
        claimed.id,
        OrderStatus::Failed,
        Some(reason.to_owned()),
        now,
    )
    .await?;
    // The trial was not used after all.
    trial_claim::Entity::delete_many()
        .filter(trial_claim::Column::OrderId.eq(claimed.id))
        .exec(txn)
        .await?;
    let product = product_name(txn, claimed).await?;
    // A subscription its vendor will not renew has ended.
    let ended = match (claimed.order_type, claimed.subscription_id) {
        (OrderType::Renewal, Some(id)) => {
            renewals::terminate(txn, id, &renewals::RUNNING, now, |u| u).await?
        }
        _ => false,
    };
    // A cancellation the vendor refused: the subscription runs on as before.
    if claimed.order_type == OrderType::Cancellation {
        cancellations::restore_subscription(txn, claimed, now).await?;
    }
    let body = match claimed.order_type {
        OrderType::Change => format!(
            "The limits of {product} could not be changed: {reason} They stay as they were, and you have not been charged."
        ),
        OrderType::Cancellation => format!(
            "{product} could not be cancelled: {reason} It runs on as before, and nothing has been refunded."
        ),
        OrderType::Renewal if ended => format!(
            "{product} could not be renewed: {reason} It has ended and its licenses have been released; you have not been charged."
        ),
        _ => format!("{product} could not be set up: {reason} You have not been charged."),
    };
    tell_customer(
        txn,
        state,
        claimed,
        "order_failed",
        format!("Order {} failed", claimed.number),
        body,
        now,
    )
    .await?;
    let customer = customer_of(txn, claimed).await?;
    audit::record_system(
        txn,
        &customer,
        SYSTEM,
        now,
        audit::Entry {
            action: "order.failed",
            target_type: "order",
            target_id: Some(claimed.number.clone()),
            details: Some(serde_json::json!({ "reason": reason })),
        },
    )
    .await?;
    Ok(Outcome::Failed {
        order_id: claimed.id,
    })
}

async fn complete(
    txn: &DatabaseTransaction,
    state: &AppState,
    claimed: &order::Model,
    provisioned: &Provisioned,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    if claimed.order_type == OrderType::Change
        && let Some(reason) = resource_changes::no_longer_fits(txn, claimed).await?
    {
        return fail(txn, state, claimed, &reason, now).await;
    }
    if !settle(txn, claimed, OrderStatus::Completed, None, None, now).await? {
        return Ok(Outcome::Superseded {
            order_id: claimed.id,
        });
    }
    match claimed.order_type {
        OrderType::Sales => complete_sales(txn, state, claimed, provisioned, now).await,
        OrderType::Change => complete_change(txn, state, claimed, provisioned, now).await,
        OrderType::Renewal => complete_renewal(txn, state, claimed, provisioned, now).await,
        OrderType::Cancellation => {
            complete_cancellation(txn, state, claimed, provisioned, now).await
        }
    }
}

/// A new subscription from a completed sales order.
async fn complete_sales(
    txn: &DatabaseTransaction,
    state: &AppState,
    claimed: &order::Model,
    provisioned: &Provisioned,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let plan = plan::Entity::find_by_id(claimed.plan_id.ok_or(AppError::Internal)?)
        .one(txn)
        .await?
        .ok_or(AppError::Internal)?;
    let with_trial = trial_claim::Entity::find()
        .filter(trial_claim::Column::OrderId.eq(claimed.id))
        .one(txn)
        .await?
        .is_some();
    let trial_days = if with_trial { plan.trial_days } else { 0 };
    let period = plan.billing_period;
    // The dates the customer saw when ordering, even if the vendor took until the next day.
    let today = claimed.created_at.date_naive();
    let (period_start, period_end) = first_period(today, period, trial_days);
    let status = if with_trial {
        SubscriptionStatus::Trial
    } else {
        SubscriptionStatus::Active
    };
    let created = subscription::ActiveModel {
        id: NotSet,
        customer_id: Set(claimed.customer_id),
        plan_id: Set(plan.id),
        status: Set(status),
        start_date: Set(today),
        period_start: Set(period_start),
        period_end: Set(period_end),
        trial_ends_on: Set(with_trial.then_some(period_end)),
        auto_renew: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        terminated_at: Set(None),
    }
    .insert(txn)
    .await?;
    let resources: Vec<subscription_resource::ActiveModel> = order_resource::Entity::find()
        .filter(order_resource::Column::OrderId.eq(claimed.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| subscription_resource::ActiveModel {
            id: NotSet,
            subscription_id: Set(created.id),
            resource_rate_id: Set(r.resource_rate_id),
            limit_units: Set(r.units),
            usage_units: Set(0),
            usage_alert: Set(0),
            scheduled_limit: Set(None),
        })
        .collect();
    if !resources.is_empty() {
        subscription_resource::Entity::insert_many(resources)
            .exec(txn)
            .await?;
    }
    order::Entity::update_many()
        .col_expr(order::Column::SubscriptionId, Expr::value(Some(created.id)))
        .filter(order::Column::Id.eq(claimed.id))
        .exec(txn)
        .await?;
    orders::add_event(
        txn,
        claimed.id,
        OrderStatus::Completed,
        Some(format!("Vendor reference {}", provisioned.reference)),
        now,
    )
    .await?;
    let documents = write_documents(txn, claimed, &plan, now).await?;
    let invoice = documents.first().ok_or(AppError::Internal)?;

    let product = product_name(txn, claimed).await?;
    completed(
        txn,
        state,
        claimed,
        News {
            title: format!("{product} is ready"),
            body: format!(
                "Order {} is complete and {product} is {}. Invoice {} is under Billing.",
                claimed.number,
                if with_trial {
                    "in its free trial"
                } else {
                    "active"
                },
                invoice.number
            ),
        },
        SYSTEM,
        serde_json::json!({
            "subscription_id": created.id,
            "invoice": invoice.number,
            "vendor_reference": provisioned.reference,
        }),
        now,
    )
    .await?;
    Ok(Outcome::Completed {
        order_id: claimed.id,
        subscription_id: created.id,
    })
}

/// New limits from a completed change order: applied from the limits it was priced at, with
/// the invoice of the raises and the credit note of the reductions.
async fn complete_change(
    txn: &DatabaseTransaction,
    state: &AppState,
    claimed: &order::Model,
    provisioned: &Provisioned,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let subscription_id = claimed.subscription_id.ok_or(AppError::Internal)?;
    let applied = resource_changes::apply_limits(txn, claimed).await?;
    let plan = plan::Entity::find_by_id(claimed.plan_id.ok_or(AppError::Internal)?)
        .one(txn)
        .await?
        .ok_or(AppError::Internal)?;
    orders::add_event(
        txn,
        claimed.id,
        OrderStatus::Completed,
        Some(format!("Vendor reference {}", provisioned.reference)),
        now,
    )
    .await?;
    let documents = write_documents(txn, claimed, &plan, now).await?;
    let names = rate_names(txn, plan.id).await?;
    let moved: Vec<String> = applied
        .iter()
        .map(|m| {
            let name = names
                .get(&m.resource_rate_id)
                .map_or("A resource", String::as_str);
            format!("{name} {} → {}", m.from, m.to)
        })
        .collect();
    let product = product_name(txn, claimed).await?;
    let paperwork = match documents.as_slice() {
        [] => String::new(),
        [one] => format!(" {} {} is under Billing.", one.kind.label(), one.number),
        many => format!(
            " {} are under Billing.",
            many.iter()
                .map(|d| format!("{} {}", d.kind.label(), d.number))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
    };
    completed(
        txn,
        state,
        claimed,
        News {
            title: format!("New limits for {product}"),
            body: format!(
                "Order {} is complete: {}.{paperwork}",
                claimed.number,
                moved.join(", ")
            ),
        },
        SYSTEM,
        serde_json::json!({
            "subscription_id": subscription_id,
            "limits": moved,
            "documents": documents.iter().map(|d| d.number.clone()).collect::<Vec<_>>(),
            "vendor_reference": provisioned.reference,
        }),
        now,
    )
    .await?;
    Ok(Outcome::Completed {
        order_id: claimed.id,
        subscription_id,
    })
}

/// The end of a subscription from its approved cancellation, once the vendor has ended the
/// service: terminated, its licenses released, the refund's credit note written.
async fn complete_cancellation(
    txn: &DatabaseTransaction,
    state: &AppState,
    claimed: &order::Model,
    provisioned: &Provisioned,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let subscription_id = claimed.subscription_id.ok_or(AppError::Internal)?;
    if !renewals::terminate(
        txn,
        subscription_id,
        &[SubscriptionStatus::CancellationPending],
        now,
        |u| u,
    )
    .await?
    {
        tracing::error!(
            order.id = claimed.id,
            subscription.id = subscription_id,
            "an approved cancellation found its subscription no longer waiting for it"
        );
        return Err(AppError::Internal);
    }
    let plan = plan::Entity::find_by_id(claimed.plan_id.ok_or(AppError::Internal)?)
        .one(txn)
        .await?
        .ok_or(AppError::Internal)?;
    orders::add_event(
        txn,
        claimed.id,
        OrderStatus::Completed,
        Some(format!("Vendor reference {}", provisioned.reference)),
        now,
    )
    .await?;
    let documents = write_documents(txn, claimed, &plan, now).await?;
    let product = product_name(txn, claimed).await?;
    let refund = match documents.first() {
        Some(note) => format!(
            " Credit note {} refunds {} and is under Billing.",
            note.number,
            crate::domain::Money::new(note.total_cents, note.currency)
        ),
        None => " No refund applies.".to_owned(),
    };
    completed(
        txn,
        state,
        claimed,
        News {
            title: format!("{product} has been cancelled"),
            body: format!(
                "Your reseller approved the cancellation of {product} (order {}). The service has ended and its licenses have been released.{refund}",
                claimed.number
            ),
        },
        SYSTEM,
        serde_json::json!({
            "subscription_id": subscription_id,
            "documents": documents.iter().map(|d| d.number.clone()).collect::<Vec<_>>(),
            "vendor_reference": provisioned.reference,
        }),
        now,
    )
    .await?;
    Ok(Outcome::Completed {
        order_id: claimed.id,
        subscription_id,
    })
}

/// The next period of a subscription from its completed renewal order, with its invoice.
async fn complete_renewal(
    txn: &DatabaseTransaction,
    state: &AppState,
    claimed: &order::Model,
    provisioned: &Provisioned,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let subscription_id = claimed.subscription_id.ok_or(AppError::Internal)?;
    let s = subscription::Entity::find_by_id(subscription_id)
        .one(txn)
        .await?
        .ok_or(AppError::Internal)?;
    let plan = plan::Entity::find_by_id(s.plan_id)
        .one(txn)
        .await?
        .ok_or(AppError::Internal)?;
    let next = renewals::start_next_period(txn, &s, &plan, now).await?;
    // Reductions scheduled for this renewal take effect with the new period.
    let reduced = resource_changes::apply_limits(txn, claimed).await?;
    resource_changes::clear_scheduled(txn, subscription_id).await?;
    orders::add_event(
        txn,
        claimed.id,
        OrderStatus::Completed,
        Some(format!("Vendor reference {}", provisioned.reference)),
        now,
    )
    .await?;
    let documents = write_documents(txn, claimed, &plan, now).await?;
    let product = product_name(txn, claimed).await?;
    let until = crate::domain::billing::last_day(next.end).format("%b %-d, %Y");
    let paperwork = documents
        .first()
        .map(|d| format!(" Invoice {} is under Billing.", d.number))
        .unwrap_or_default();
    let names = rate_names(txn, plan.id).await?;
    let reductions: String = reduced
        .iter()
        .map(|m| {
            format!(
                " {} {} → {} as scheduled.",
                names
                    .get(&m.resource_rate_id)
                    .map_or("A resource", String::as_str),
                m.from,
                m.to
            )
        })
        .collect();
    completed(
        txn,
        state,
        claimed,
        News {
            title: format!("{product} has renewed"),
            body: format!(
                "Order {}: {product} has renewed until {until}.{reductions}{paperwork}",
                claimed.number
            ),
        },
        renewals::SYSTEM,
        serde_json::json!({
            "subscription_id": subscription_id,
            "period": [next.start, next.end],
            "documents": documents.iter().map(|d| d.number.clone()).collect::<Vec<_>>(),
            "vendor_reference": provisioned.reference,
        }),
        now,
    )
    .await?;
    Ok(Outcome::Completed {
        order_id: claimed.id,
        subscription_id,
    })
}

/// The documents of a completed order: an invoice of its charge lines and, for a change that
/// lowers a limit, a credit note of its credit lines; the lines exactly as ordered (and as
/// previewed), each naming the product, plan and resource as they are called today, with the
/// span of service it priced (none for a one-off setup fee or a tax) and its prorated days. A
/// new subscription always gets its invoice, even at zero (a trial); a change only the
/// documents it has lines for.
async fn write_documents(
    txn: &DatabaseTransaction,
    claimed: &order::Model,
    plan: &plan::Model,
    now: DateTime<Utc>,
) -> Result<Vec<billing_document::Model>, AppError> {
    let product = product::Entity::find_by_id(plan.product_id)
        .one(txn)
        .await?
        .ok_or(AppError::Internal)?;
    let ordered = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(claimed.id))
        .order_by_asc(order_line::Column::Id)
        .all(txn)
        .await?;
    let resources: std::collections::HashMap<i32, String> = resource_rate::Entity::find()
        .filter(resource_rate::Column::Id.is_in(ordered.iter().filter_map(|l| l.resource_rate_id)))
        .all(txn)
        .await?
        .into_iter()
        .map(|rate| (rate.id, rate.name))
        .collect();
    let (credits, charges): (Vec<_>, Vec<_>) = ordered.into_iter().partition(|l| l.credit);
    let mut documents = Vec::new();
    let mut net = 0i64;
    for (kind, lines) in [
        (DocumentKind::Invoice, charges),
        (DocumentKind::CreditNote, credits),
    ] {
        let always = kind == DocumentKind::Invoice && claimed.order_type == OrderType::Sales;
        if lines.is_empty() && !always {
            continue;
        }
        let lines = lines
            .into_iter()
            .map(|line| billing::NewDocumentLine {
                kind: line.kind,
                product_name: Some(product.name.clone()),
                plan_name: Some(plan.name.clone()),
                resource_name: line
                    .resource_rate_id
                    .and_then(|id| resources.get(&id).cloned()),
                period: line
                    .period_start
                    .zip(line.period_end)
                    .filter(|_| line.kind.has_service_span()),
                proration: line
                    .prorated_days
                    .zip(line.period_days)
                    .map(|(d, p)| (i64::from(d), i64::from(p))),
                description: line.description,
                quantity: line.quantity,
                unit_price_cents: line.unit_price_cents,
                amount_cents: line.amount_cents,
            })
            .collect();
        let document = billing::write_document(
            txn,
            billing::NewDocument {
                customer_id: claimed.customer_id,
                order_id: Some(claimed.id),
                kind,
                currency: claimed.currency,
                lines,
                issued_at: now,
            },
        )
        .await?;
        net += match kind {
            DocumentKind::Invoice => document.total_cents,
            DocumentKind::CreditNote => -document.total_cents,
        };
        documents.push(document);
    }
    if net != claimed.total_cents {
        // The lines are the order's own: a difference is a bug, never something to bill.
        tracing::error!(
            order.id = claimed.id,
            "document lines do not add up to the order total"
        );
        return Err(AppError::Internal);
    }
    Ok(documents)
}

/// The names of a plan's resources, by rate id.
async fn rate_names(
    db: &impl ConnectionTrait,
    plan_id: i32,
) -> Result<std::collections::HashMap<i32, String>, AppError> {
    Ok(resource_rate::Entity::find()
        .filter(resource_rate::Column::PlanId.eq(plan_id))
        .all(db)
        .await?
        .into_iter()
        .map(|rate| (rate.id, rate.name))
        .collect())
}

pub(super) async fn product_name(
    db: &impl ConnectionTrait,
    claimed: &order::Model,
) -> Result<String, AppError> {
    let plans = super::catalog::plans_with_products(db, claimed.plan_id).await?;
    Ok(plans
        .into_values()
        .next()
        .map(|(_, product)| product.name)
        .unwrap_or_else(|| "Your order".into()))
}

async fn customer_of(
    db: &impl ConnectionTrait,
    claimed: &order::Model,
) -> Result<customer::Model, AppError> {
    customer::Entity::find_by_id(claimed.customer_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)
}

/// What the account's managers are told about an order.
struct News {
    title: String,
    body: String,
}

/// The end of every completed order: the account's managers told, the completion audited under
/// the system that did it.
async fn completed(
    txn: &DatabaseTransaction,
    state: &AppState,
    claimed: &order::Model,
    news: News,
    system: &str,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    tell_customer(
        txn,
        state,
        claimed,
        "order_completed",
        news.title,
        news.body,
        now,
    )
    .await?;
    let customer = customer_of(txn, claimed).await?;
    audit::record_system(
        txn,
        &customer,
        system,
        now,
        audit::Entry {
            action: "order.completed",
            target_type: "order",
            target_id: Some(claimed.number.clone()),
            details: Some(details),
        },
    )
    .await
}

async fn tell_customer(
    txn: &DatabaseTransaction,
    state: &AppState,
    claimed: &order::Model,
    kind: &'static str,
    title: String,
    body: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notifications::tell_managers(
        txn,
        state,
        claimed.customer_id,
        notifications::Message {
            kind,
            title,
            body,
            link: format!("/orders/{}", claimed.id),
        },
        now,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(10));
        assert_eq!(backoff(2), Duration::seconds(20));
        assert_eq!(backoff(4), Duration::seconds(80));
        assert_eq!(backoff(100), Duration::seconds(600));
    }
}

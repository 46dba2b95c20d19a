//! Cancelling a subscription: the refund previewed is the credit note written, the request
//! waits for the reseller (who approves or rejects it, or the customer withdraws it), exactly
//! one decision wins when they race, a cancellation and a change exclude each other, and no
//! one outside the customer and its reseller can reach a request.

use crate::helpers::*;
use crate::orders::{fulfil_all, key, plan_by_sku, rate, request, submit};
use app::api::cancellations::{
    ApproveCancellation, GetCancellationForm, ListPendingCancellations, RejectCancellation,
    RequestCancellation, WithdrawCancellation,
};
use app::api::licenses::AssignLicense;
use app::domain::cancellation::{CancelReason, RefundWindow};
use app::domain::{DocumentKind, OrderStatus, SubscriptionStatus};
use app::dto::cancellations::CancellationRequest;
use app::error::AppError;
use app::server::entities::{
    billing_document, billing_document_line, license_assignment, order, subscription,
    subscription_resource,
};
use chrono::{Days, TimeZone, Utc};
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

/// A new subscription of `sku` with `licenses`, ordered and set up today.
async fn new_subscription(
    app: &TestApp,
    client: &Client,
    sku: &str,
    licenses: i64,
) -> subscription::Model {
    let plan = plan_by_sku(app, sku).await;
    let licenses_rate = rate(app, plan.id, "licenses").await;
    submit(
        client,
        request(plan.id, &[(licenses_rate.id, licenses)]),
        &key(800 + plan.id as usize),
    )
    .await
    .unwrap();
    fulfil_all(app).await;
    subscription::Entity::find()
        .filter(subscription::Column::PlanId.eq(plan.id))
        .order_by_desc(subscription::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

fn asking(subscription_id: i32, reason: CancelReason) -> CancellationRequest {
    CancellationRequest {
        subscription_id,
        reason,
        comment: Some("Moving the team to another tool.".into()),
    }
}

async fn ask(
    client: &Client,
    subscription_id: i32,
    form_key: &str,
    expected_refund: Option<i64>,
) -> Result<app::dto::orders::PlacedOrder, Refused> {
    client
        .send(RequestCancellation {
            request: asking(subscription_id, CancelReason::SwitchingProvider),
            idempotency_key: form_key.to_owned(),
            expected_refund,
        })
        .await
}

async fn status_of(app: &TestApp, id: i32) -> SubscriptionStatus {
    subscription::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn order_status(app: &TestApp, id: i32) -> OrderStatus {
    order::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn credit_notes(
    app: &TestApp,
    order_id: i32,
) -> Vec<(billing_document::Model, Vec<billing_document_line::Model>)> {
    let mut out = Vec::new();
    for d in billing_document::Entity::find()
        .filter(billing_document::Column::OrderId.eq(order_id))
        .all(&app.state.db)
        .await
        .unwrap()
    {
        assert_eq!(d.kind, DocumentKind::CreditNote);
        let lines = billing_document_line::Entity::find()
            .filter(billing_document_line::Column::DocumentId.eq(d.id))
            .order_by_asc(billing_document_line::Column::Id)
            .all(&app.state.db)
            .await
            .unwrap();
        out.push((d, lines));
    }
    out
}

fn travel(app: &TestApp, days: u64) {
    let day = app.state.clock.now().date_naive() + Days::new(days);
    app.state
        .clock
        .travel_to(Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).unwrap()));
}

#[tokio::test]
async fn an_approved_cancellation_ends_the_service_and_refunds_exactly_what_was_previewed() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    // GitHub Team monthly: no full refund, the unused part until day 30. 6 licenses of $4.
    let github = new_subscription(&app, &owner, "github-team-monthly", 6).await;
    let licenses = rate(&app, github.plan_id, "licenses").await;
    let holders = subscription_resource::Entity::find()
        .filter(subscription_resource::Column::SubscriptionId.eq(github.id))
        .filter(subscription_resource::Column::ResourceRateId.eq(licenses.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    owner
        .send(AssignLicense {
            resource_id: holders.id,
            person_id: id_of(&app, GRACE).await,
        })
        .await
        .unwrap();
    travel(&app, 10);
    // Ten days later: signed in again.
    let owner = app.owner().await;

    let form = owner
        .send(GetCancellationForm {
            subscription_id: github.id,
        })
        .await
        .unwrap();
    assert_eq!(form.blocked, None);
    assert_eq!(form.licenses_assigned, 1);
    assert!(matches!(form.refund.window, RefundWindow::Prorated { .. }));
    assert!(!form.refund.lines.is_empty());
    for line in &form.refund.lines {
        let (unused, span) = line.days.expect("a prorated line");
        assert!(unused > 0 && unused < span, "{unused} of {span} days");
        assert_eq!(
            Some(line.amount.cents),
            app::domain::money::mul_div_half_even(line.charged.cents, unused, span)
        );
    }
    let licenses_line = form
        .refund
        .lines
        .iter()
        .find(|l| l.charged.cents == 6 * 400)
        .expect("the licenses are refunded");
    assert!(licenses_line.amount.cents < 6 * 400);

    let placed = ask(&owner, github.id, &key(1), Some(form.refund.total.cents))
        .await
        .unwrap();
    // A repeat of the form is the same request.
    assert_eq!(ask(&owner, github.id, &key(1), None).await.unwrap(), placed);
    assert_eq!(
        order_status(&app, placed.id).await,
        OrderStatus::PendingApproval
    );
    assert_eq!(
        status_of(&app, github.id).await,
        SubscriptionStatus::CancellationPending
    );
    // Nothing happens until the reseller decides: the worker leaves it alone.
    assert!(fulfil_all(&app).await.is_empty());

    let reseller = app.reseller().await;
    let pending = reseller.send(ListPendingCancellations {}).await.unwrap();
    let listed = pending
        .iter()
        .find(|p| p.order_id == placed.id)
        .expect("the reseller sees the request");
    assert_eq!(listed.refund, form.refund.total);
    assert_eq!(listed.reason, CancelReason::SwitchingProvider);
    assert_eq!(listed.customer_name, CONTOSO);
    // The customer cannot decide its own request.
    let refused = owner
        .send(ApproveCancellation {
            order_id: placed.id,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    reseller
        .send(ApproveCancellation {
            order_id: placed.id,
        })
        .await
        .unwrap();
    fulfil_all(&app).await;
    assert_eq!(order_status(&app, placed.id).await, OrderStatus::Completed);
    assert_eq!(
        status_of(&app, github.id).await,
        SubscriptionStatus::Terminated
    );
    let released = license_assignment::Entity::find()
        .filter(license_assignment::Column::SubscriptionResourceId.eq(holders.id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(released, 0);

    let notes = credit_notes(&app, placed.id).await;
    assert_eq!(notes.len(), 1);
    let (note, lines) = &notes[0];
    assert_eq!(note.total_cents, form.refund.total.cents);
    assert_eq!(lines.len(), form.refund.lines.len());
    for (previewed, written) in form.refund.lines.iter().zip(lines) {
        assert_eq!(previewed.description, written.description);
        assert_eq!(previewed.amount.cents, written.amount_cents);
        assert_eq!(
            Some((previewed.from, previewed.until)),
            written.period_start.zip(written.period_end)
        );
        assert_eq!(written.product_name.as_deref(), Some("GitHub Team"));
    }
    let entries = new_audit_entries(&app).await;
    let approved = entries
        .iter()
        .find(|e| e.action == "cancellation.approved")
        .expect("the approval is audited");
    assert_eq!(approved.customer_id, Some(github.customer_id));
    assert!(
        approved
            .actor_name
            .as_deref()
            .is_some_and(|n| n.contains("(Northwind Cloud Partners)")),
        "{:?}",
        approved.actor_name
    );
}

#[tokio::test]
async fn a_withdrawn_or_rejected_request_leaves_the_subscription_running() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let reseller = app.reseller().await;
    let zoom = new_subscription(&app, &owner, "zoom-workplace-pro-monthly", 2).await;
    let first = ask(&owner, zoom.id, &key(1), None).await.unwrap();
    owner
        .send(WithdrawCancellation { order_id: first.id })
        .await
        .unwrap();
    assert_eq!(order_status(&app, first.id).await, OrderStatus::Withdrawn);
    assert_eq!(status_of(&app, zoom.id).await, SubscriptionStatus::Active);
    // Withdrawn is final: it cannot be approved afterwards.
    let late = reseller
        .send(ApproveCancellation { order_id: first.id })
        .await
        .unwrap_err();
    assert_eq!(late.status, StatusCode::CONFLICT);

    let second = ask(&owner, zoom.id, &key(2), None).await.unwrap();
    let empty = reseller
        .send(RejectCancellation {
            order_id: second.id,
            reason: "  ".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Found by the break-it review: a reason that reads differently than it is.
    let hidden = reseller
        .send(RejectCancellation {
            order_id: second.id,
            reason: "Nope \u{202e}txt.exe".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(hidden.status, StatusCode::UNPROCESSABLE_ENTITY);
    reseller
        .send(RejectCancellation {
            order_id: second.id,
            reason: "The annual commitment runs until March.".into(),
        })
        .await
        .unwrap();
    assert_eq!(order_status(&app, second.id).await, OrderStatus::Rejected);
    assert_eq!(status_of(&app, zoom.id).await, SubscriptionStatus::Active);
    let told = owner
        .send(app::api::notifications::ListNotifications {})
        .await
        .unwrap();
    assert!(
        told.items
            .iter()
            .any(|n| n.body.contains("The annual commitment runs until March.")),
        "the owner reads the reason"
    );
    // The customer cannot withdraw what is decided.
    let gone = owner
        .send(WithdrawCancellation {
            order_id: second.id,
        })
        .await
        .unwrap_err();
    assert_eq!(gone.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_approval_and_a_withdrawal_at_once_end_in_exactly_one() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let reseller = app.reseller().await;
    let zoom = new_subscription(&app, &owner, "zoom-workplace-pro-monthly", 2).await;
    for round in 0..4 {
        let placed = ask(&owner, zoom.id, &key(10 + round), None).await.unwrap();
        let (approved, withdrawn) = tokio::join!(
            reseller.send(ApproveCancellation {
                order_id: placed.id
            }),
            owner.send(WithdrawCancellation {
                order_id: placed.id
            }),
        );
        assert_ne!(approved.is_ok(), withdrawn.is_ok(), "exactly one wins");
        if approved.is_ok() {
            fulfil_all(&app).await;
            assert_eq!(
                status_of(&app, zoom.id).await,
                SubscriptionStatus::Terminated
            );
            return;
        }
        assert_eq!(status_of(&app, zoom.id).await, SubscriptionStatus::Active);
    }
}

#[tokio::test]
async fn two_approvals_at_once_write_one_credit_note() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let reseller = app.reseller().await;
    // Zoom monthly: a full refund in the first 7 days.
    let zoom = new_subscription(&app, &owner, "zoom-workplace-pro-monthly", 3).await;
    let placed = ask(&owner, zoom.id, &key(1), None).await.unwrap();
    let (a, b) = tokio::join!(
        reseller.send(ApproveCancellation {
            order_id: placed.id
        }),
        reseller.send(ApproveCancellation {
            order_id: placed.id
        }),
    );
    assert_ne!(a.is_ok(), b.is_ok());
    fulfil_all(&app).await;
    let notes = credit_notes(&app, placed.id).await;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].0.total_cents, 3 * 1599);
}

#[tokio::test]
async fn a_cancellation_and_a_change_exclude_each_other() {
    use app::api::resource_changes::{GetResourceChangeForm, SubmitResourceChange};
    use app::dto::resource_changes::ResourceChangeRequest;
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let zoom = new_subscription(&app, &owner, "zoom-workplace-pro-monthly", 2).await;
    let licenses = rate(&app, zoom.plan_id, "licenses").await;
    let change = |limit| SubmitResourceChange {
        request: ResourceChangeRequest {
            subscription_id: zoom.id,
            limits: vec![(licenses.id, limit)],
        },
        idempotency_key: key(50 + limit as usize),
        expected_net: None,
    };
    let open = owner.send(change(3)).await.unwrap();
    let refused = ask(&owner, zoom.id, &key(1), None).await.unwrap_err();
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.error.to_string().contains(&open.number),
        "{}",
        refused.error
    );
    fulfil_all(&app).await;

    ask(&owner, zoom.id, &key(2), None).await.unwrap();
    let refused = owner.send(change(4)).await.unwrap_err();
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let form = owner
        .send(GetResourceChangeForm {
            subscription_id: zoom.id,
        })
        .await
        .unwrap();
    assert!(form.closed.is_some_and(|c| c.contains("cancellation")));
}

#[tokio::test]
async fn no_one_outside_the_customer_and_its_reseller_reaches_a_request() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let zoom = new_subscription(&app, &owner, "zoom-workplace-pro-monthly", 2).await;
    let other = app.other_owner().await;
    let cross = other
        .send(GetCancellationForm {
            subscription_id: zoom.id,
        })
        .await
        .unwrap_err();
    assert_eq!(cross.error, AppError::NotFound);
    assert_eq!(
        ask(&other, zoom.id, &key(1), None).await.unwrap_err().error,
        AppError::NotFound
    );
    let placed = ask(&owner, zoom.id, &key(2), None).await.unwrap();
    assert_eq!(
        other
            .send(WithdrawCancellation {
                order_id: placed.id
            })
            .await
            .unwrap_err()
            .error,
        AppError::NotFound
    );
    let foreign = crate::access_matrix::add_other_reseller(&app).await;
    let foreign = app.signed_in(foreign).await;
    assert!(
        foreign
            .send(ListPendingCancellations {})
            .await
            .unwrap()
            .is_empty()
    );
    for refused in [
        foreign
            .send(ApproveCancellation {
                order_id: placed.id,
            })
            .await
            .unwrap_err(),
        foreign
            .send(RejectCancellation {
                order_id: placed.id,
                reason: "No.".into(),
            })
            .await
            .unwrap_err(),
    ] {
        assert_eq!(refused.error, AppError::NotFound);
    }
    assert_eq!(
        order_status(&app, placed.id).await,
        OrderStatus::PendingApproval
    );
    // A changed refund, a comment too long, a used key: refused, nothing more placed.
    let user = app.user().await;
    assert_eq!(
        ask(&user, zoom.id, &key(3), None).await.unwrap_err().status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_request_with_a_stale_refund_or_a_long_comment_is_refused() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let zoom = new_subscription(&app, &owner, "zoom-workplace-pro-monthly", 2).await;
    let stale = ask(&owner, zoom.id, &key(1), Some(1)).await.unwrap_err();
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.error.to_string().contains("The refund is now"));
    let long = owner
        .send(RequestCancellation {
            request: CancellationRequest {
                comment: Some("x".repeat(1_001)),
                ..asking(zoom.id, CancelReason::Other)
            },
            idempotency_key: key(2),
            expected_refund: None,
        })
        .await
        .unwrap_err();
    assert!(long.error.for_field("comment").is_some());
    // Found by the break-it review: a comment of invisible marks only looked empty.
    for hidden in ["\u{202e}\u{200b}\u{2066}", "fine\nthen \u{202e}txt.exe"] {
        let refused = owner
            .send(RequestCancellation {
                request: CancellationRequest {
                    comment: Some(hidden.into()),
                    ..asking(zoom.id, CancelReason::Other)
                },
                idempotency_key: key(2),
                expected_refund: None,
            })
            .await
            .unwrap_err();
        assert!(refused.error.for_field("comment").is_some(), "{hidden:?}");
    }
    assert_eq!(status_of(&app, zoom.id).await, SubscriptionStatus::Active);
    // A reseller with auto-approval: the request is approved at once.
    use app::server::entities::reseller;
    use sea_orm::{ActiveModelTrait, Set};
    let r = reseller::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut auto: reseller::ActiveModel = r.into();
    auto.auto_approve_cancellations = Set(true);
    auto.update(&app.state.db).await.unwrap();
    let placed = ask(&owner, zoom.id, &key(3), None).await.unwrap();
    assert_eq!(order_status(&app, placed.id).await, OrderStatus::Approved);
    fulfil_all(&app).await;
    assert_eq!(
        status_of(&app, zoom.id).await,
        SubscriptionStatus::Terminated
    );
}

/// Found by the code review: a free trial's invoice lists the price it waived, and that was
/// refunded as if it had been paid.
#[tokio::test]
async fn cancelling_a_free_trial_refunds_nothing() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    // Slack Pro monthly starts with a 30-day trial.
    let trial = new_subscription(&app, &owner, "slack-pro-monthly", 4).await;
    assert_eq!(trial.status, SubscriptionStatus::Trial);
    let form = owner
        .send(GetCancellationForm {
            subscription_id: trial.id,
        })
        .await
        .unwrap();
    assert_eq!(form.refund.total.cents, 0);
    assert!(form.refund.lines.is_empty());
    assert_eq!(form.refund.setup_fees_kept.cents, 0);
    let placed = ask(&owner, trial.id, &key(1), Some(0)).await.unwrap();
    let reseller = app.reseller().await;
    reseller
        .send(ApproveCancellation {
            order_id: placed.id,
        })
        .await
        .unwrap();
    fulfil_all(&app).await;
    assert_eq!(
        status_of(&app, trial.id).await,
        SubscriptionStatus::Terminated
    );
    assert!(credit_notes(&app, placed.id).await.is_empty());
}

/// Found by the code review: a request the reseller never decided kept the service running
/// unpaid past its period; it is approved when the paid period is over.
#[tokio::test]
async fn a_request_still_waiting_at_the_end_of_the_period_is_approved() {
    use app::server::services::renewals;
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let zoom = new_subscription(&app, &owner, "zoom-workplace-pro-monthly", 2).await;
    let placed = ask(&owner, zoom.id, &key(1), None).await.unwrap();
    assert_eq!(
        renewals::run_due(&app.state)
            .await
            .unwrap()
            .cancellations_approved,
        0
    );
    app.state
        .clock
        .travel_to(Utc.from_utc_datetime(&zoom.period_end.and_hms_opt(0, 1, 0).unwrap()));
    let pass = renewals::run_due(&app.state).await.unwrap();
    // This one, and the demo's request of Fabrikam, whose period ended sooner.
    assert_eq!(pass.cancellations_approved, 2);
    fulfil_all(&app).await;
    let renewals = order::Entity::find()
        .filter(order::Column::SubscriptionId.eq(zoom.id))
        .filter(order::Column::OrderType.eq(app::domain::OrderType::Renewal))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(renewals, 0, "a subscription being cancelled does not renew");
    assert_eq!(order_status(&app, placed.id).await, OrderStatus::Completed);
    assert_eq!(
        status_of(&app, zoom.id).await,
        SubscriptionStatus::Terminated
    );
    // Once is enough.
    assert_eq!(
        renewals::run_due(&app.state)
            .await
            .unwrap()
            .cancellations_approved,
        0
    );
}

/// Found by the code review: the refund's tax came from today's settings, not from what was
/// charged; it now gives back the tax charged, in proportion, and never more.
#[tokio::test]
async fn the_refund_gives_back_the_tax_that_was_charged() {
    use app::domain::pricing::TaxRate;
    use app::server::Settings;
    let app = TestApp::with_settings(Settings {
        tax: Some(TaxRate::parse("VAT", "20").unwrap()),
        ..Settings::default()
    })
    .await;
    let owner = app.owner().await;
    // Zoom monthly, 3 licenses of $15.99 and 20 % VAT, refunded in full within 7 days.
    let zoom = new_subscription(&app, &owner, "zoom-workplace-pro-monthly", 3).await;
    let invoice = billing_document::Entity::find()
        .filter(
            billing_document::Column::OrderId.is_in(
                order::Entity::find()
                    .filter(order::Column::SubscriptionId.eq(zoom.id))
                    .all(&app.state.db)
                    .await
                    .unwrap()
                    .iter()
                    .map(|o| o.id),
            ),
        )
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let form = owner
        .send(GetCancellationForm {
            subscription_id: zoom.id,
        })
        .await
        .unwrap();
    assert_eq!(form.refund.total.cents, invoice.total_cents);
    let (_, tax) = form.refund.tax.clone().expect("the tax comes back");
    assert_eq!(tax.cents, invoice.total_cents - 3 * 1599);
    let placed = ask(&owner, zoom.id, &key(1), None).await.unwrap();
    app.reseller()
        .await
        .send(ApproveCancellation {
            order_id: placed.id,
        })
        .await
        .unwrap();
    fulfil_all(&app).await;
    let notes = credit_notes(&app, placed.id).await;
    assert_eq!(notes[0].0.total_cents, invoice.total_cents);
}

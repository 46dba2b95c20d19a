//! Fulfilment: each order applied exactly once, whatever crashes, races or vendor errors
//! happen; transient errors retried with backoff, permanent ones failing the order.

use super::*;
use app::api::notifications::ListNotifications;
use app::api::orders::GetOrder;
use app::domain::OrderStatus;
use app::server::entities::{billing_document, billing_document_line, order_event, subscription};
use app::server::vendor::{
    ProvisionRequest, Provisioned, VendorConnector, VendorError, VendorFuture,
};
use sea_orm::QueryOrder;
use std::sync::atomic::{AtomicUsize, Ordering};

#[tokio::test]
async fn a_refusing_vendor_fails_the_order_without_a_subscription() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let subscriptions = subscription::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    let plan = plan_by_sku(&app, "legacy-fax-gateway-monthly").await;
    let owner = app.owner().await;
    let user = app.user().await;
    let unread = |list: &app::dto::notifications::NotificationList| list.unread;
    let admin_before = unread(&admin.send(ListNotifications {}).await.unwrap());
    let owner_before = unread(&owner.send(ListNotifications {}).await.unwrap());
    let user_before = unread(&user.send(ListNotifications {}).await.unwrap());
    let placed = submit(&admin, request(plan.id, &[]), &key(3))
        .await
        .unwrap();
    let outcomes = fulfil_all(&app).await;
    assert!(matches!(outcomes.as_slice(), [Outcome::Failed { .. }]));
    let detail = admin.send(GetOrder { id: placed.id }).await.unwrap();
    assert_eq!(detail.row.status, OrderStatus::Failed);
    assert!(
        detail
            .failure_reason
            .as_deref()
            .unwrap()
            .contains("no longer accepts")
    );
    assert_eq!(detail.subscription_id, None);
    assert_eq!(detail.invoice_id, None);
    assert_eq!(
        subscription::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        subscriptions
    );
    // The admin who ordered is told, and so is the owner, who answers for the account: in
    // the panel and by email. A service user is not.
    let list = admin.send(ListNotifications {}).await.unwrap();
    assert_eq!(list.unread, admin_before + 1);
    assert!(list.items[0].title.contains("failed"));
    let list = owner.send(ListNotifications {}).await.unwrap();
    assert_eq!(list.unread, owner_before + 1);
    assert!(list.items[0].title.contains("failed"));
    assert_eq!(
        user.send(ListNotifications {}).await.unwrap().unread,
        user_before
    );
    let told: Vec<_> = new_emails(&app)
        .await
        .into_iter()
        .filter(|e| e.subject.contains("failed"))
        .map(|e| e.to_address)
        .collect();
    assert!(
        told.contains(&OWNER.to_owned()) && told.contains(&ADMIN.to_owned()),
        "{told:?}"
    );
    assert!(!told.contains(&USER.to_owned()));
}

#[tokio::test]
async fn a_crash_between_claim_and_apply_completes_the_order_later_once() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let plan = plan_by_sku(&app, "github-team-monthly").await;
    let order_id = submit(&admin, request(plan.id, &[]), &key(4))
        .await
        .unwrap()
        .id;

    // A worker claims the order, then dies before applying anything.
    let abandoned = worker::claim_next(&app.state, app.state.clock.now())
        .await
        .unwrap()
        .expect("the order is due");
    assert_eq!(abandoned.id, order_id);
    // While the claim holds, nobody else takes it.
    assert!(fulfil_all(&app).await.is_empty());
    // When it runs out, another worker completes the order.
    app.state
        .clock
        .advance(worker::LEASE + chrono::Duration::seconds(1));
    let outcomes = fulfil_all(&app).await;
    assert!(
        matches!(outcomes.as_slice(), [Outcome::Completed { order_id: id, .. }] if *id == order_id)
    );
    // The first worker wakes up late: its result is not applied a second time.
    let late = worker::fulfil_claimed(&app.state, &SimulatedVendor::default(), abandoned)
        .await
        .unwrap();
    assert_eq!(late, Outcome::Superseded { order_id });
    let subscriptions = subscription::Entity::find()
        .filter(subscription::Column::PlanId.eq(plan.id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(subscriptions, 2, "the demo's and this order's");
    let invoices = billing_document::Entity::find()
        .filter(billing_document::Column::OrderId.eq(order_id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(invoices, 1);
}

/// Fails every call until it has failed `failures` times.
struct FlakyVendor {
    failures: usize,
    calls: AtomicUsize,
}

impl VendorConnector for FlakyVendor {
    fn provision<'a>(&'a self, request: &'a ProvisionRequest) -> VendorFuture<'a> {
        Box::pin(async move {
            if self.calls.fetch_add(1, Ordering::SeqCst) < self.failures {
                Err(VendorError::Transient("The vendor timed out.".into()))
            } else {
                Ok(Provisioned {
                    reference: format!("FLAKY-{}", request.order_number),
                })
            }
        })
    }
}

#[tokio::test]
async fn transient_vendor_errors_are_retried_with_backoff() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let plan = plan_by_sku(&app, "box-business-monthly").await;
    let order_id = submit(&admin, request(plan.id, &[]), &key(5))
        .await
        .unwrap()
        .id;
    let vendor = FlakyVendor {
        failures: 2,
        calls: AtomicUsize::new(0),
    };
    let step = || worker::fulfil_next(&app.state, &vendor);
    assert_eq!(step().await.unwrap(), Some(Outcome::Retrying { order_id }));
    // Not due again before its backoff.
    assert_eq!(step().await.unwrap(), None);
    app.state.clock.advance(chrono::Duration::seconds(11));
    assert_eq!(step().await.unwrap(), Some(Outcome::Retrying { order_id }));
    app.state.clock.advance(chrono::Duration::seconds(21));
    assert!(matches!(
        step().await.unwrap(),
        Some(Outcome::Completed { .. })
    ));
    let statuses: Vec<&str> = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(order_id))
        .order_by_asc(order_event::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.status.as_str())
        .collect();
    assert_eq!(
        statuses,
        [
            "submitted",
            "provisioning",
            "submitted",
            "provisioning",
            "submitted",
            "provisioning",
            "completed"
        ]
    );

    // A vendor that never answers: the order fails after the last attempt, without a charge.
    let order_id = submit(&admin, request(plan.id, &[]), &key(6))
        .await
        .unwrap()
        .id;
    let down = FlakyVendor {
        failures: usize::MAX,
        calls: AtomicUsize::new(0),
    };
    let mut last = None;
    for _ in 0..worker::MAX_ATTEMPTS {
        last = worker::fulfil_next(&app.state, &down).await.unwrap();
        app.state.clock.advance(chrono::Duration::minutes(11));
    }
    assert_eq!(last, Some(Outcome::Failed { order_id }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_fulfil_two_hundred_orders_each_exactly_once() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let plan = plan_by_sku(&app, "ms-defender-business-monthly").await;
    // The demo has one subscription of this plan already.
    let subscriptions_before = subscription::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .max()
        .unwrap_or(0);
    let mut ids = Vec::new();
    for n in 0..200 {
        let placed = submit(&admin, request(plan.id, &[]), &key(1000 + n))
            .await
            .unwrap();
        ids.push(placed.id);
    }
    let workers = (0..2).map(|_| {
        let app = app.clone();
        tokio::spawn(async move {
            let vendor = SimulatedVendor::default();
            let mut done = Vec::new();
            while let Some(outcome) = worker::fulfil_next(&app.state, &vendor).await.unwrap() {
                done.push(outcome);
            }
            done
        })
    });
    let mut outcomes: Vec<Outcome> = Vec::new();
    for worker in futures::future::join_all(workers).await {
        outcomes.extend(worker.unwrap());
    }
    let mut completed: Vec<i32> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Completed { order_id, .. } => *order_id,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    completed.sort_unstable();
    assert_eq!(completed, ids, "each order completed once, by one worker");
    for (table_count, what) in [
        (
            subscription::Entity::find()
                .filter(subscription::Column::PlanId.eq(plan.id))
                .filter(subscription::Column::Id.gt(subscriptions_before))
                .count(&app.state.db)
                .await
                .unwrap(),
            "subscriptions",
        ),
        (
            billing_document::Entity::find()
                .filter(billing_document::Column::OrderId.is_in(ids.clone()))
                .count(&app.state.db)
                .await
                .unwrap(),
            "invoices",
        ),
        (
            order_event::Entity::find()
                .filter(order_event::Column::OrderId.is_in(ids.clone()))
                .filter(order_event::Column::Status.eq("completed"))
                .count(&app.state.db)
                .await
                .unwrap(),
            "completion events",
        ),
    ] {
        assert_eq!(table_count, 200, "{what}");
    }
    let lines = billing_document_line::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert!(lines >= 200);
}

#[tokio::test]
async fn an_order_that_keeps_failing_on_our_side_ends_failed() {
    use sea_orm::sea_query::Expr;
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let plan = plan_by_sku(&app, "box-business-monthly").await;
    let order_id = submit(&admin, request(plan.id, &[]), &key(50))
        .await
        .unwrap()
        .id;
    // Broken stored data: fulfilment cannot even ask the vendor.
    order::Entity::update_many()
        .col_expr(order::Column::PlanId, Expr::value(Option::<i32>::None))
        .filter(order::Column::Id.eq(order_id))
        .exec(&app.state.db)
        .await
        .unwrap();
    let vendor = SimulatedVendor::default();
    let mut outcomes = Vec::new();
    for _ in 0..worker::MAX_ATTEMPTS {
        outcomes.push(
            worker::fulfil_next(&app.state, &vendor)
                .await
                .unwrap()
                .expect("due"),
        );
        app.state.clock.advance(chrono::Duration::minutes(11));
    }
    assert_eq!(outcomes[0], Outcome::Retrying { order_id });
    assert_eq!(outcomes.last(), Some(&Outcome::Failed { order_id }));
    // Nothing is due any more: the order does not loop.
    assert_eq!(
        worker::fulfil_next(&app.state, &vendor).await.unwrap(),
        None
    );
}

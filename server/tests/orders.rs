//! Ordering: prices, idempotent submits, fulfilment exactly once, failures, trials, tenancy.

mod common;

use app::server::entities::{
    billing_document, billing_document_line, customer, notification, order, order_event, plan,
    product, resource_rate, subscription, trial_claim,
};
use app::server::services::fulfilment::{self, Outcome};
use app::server::vendor::{
    ProvisionRequest, Provisioned, SimulatedVendor, VendorConnector, VendorError, VendorFuture,
};
use common::*;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const OTHER_ADMIN: &str = "felix.admin@fabrikam-logistics.example";

async fn plan_by_sku(app: &TestApp, sku: &str) -> plan::Model {
    plan::Entity::find()
        .filter(plan::Column::Sku.eq(sku))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

async fn rate(app: &TestApp, plan_id: i32, code: &str) -> resource_rate::Model {
    resource_rate::Entity::find()
        .filter(resource_rate::Column::PlanId.eq(plan_id))
        .filter(resource_rate::Column::Code.eq(code))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// A unique idempotency key, as the browser makes one per order form.
fn key(n: usize) -> String {
    format!("test-order-key-{n:08}")
}

fn request(plan_id: i32, resources: &[(i32, i64)]) -> Value {
    json!({ "plan_id": plan_id, "resources": resources })
}

async fn submit(app: &TestApp, cookie: &str, body: Value, key: &str) -> common::Reply {
    app.call_json(
        "submit_order",
        json!({ "request": body, "idempotency_key": key }),
        Some(cookie),
    )
    .await
}

/// Runs fulfilment until nothing is due.
async fn fulfil_all(app: &TestApp) -> Vec<Outcome> {
    let vendor = SimulatedVendor::default();
    let mut outcomes = Vec::new();
    while let Some(outcome) = fulfilment::fulfil_next(&app.state, &vendor).await.unwrap() {
        outcomes.push(outcome);
    }
    outcomes
}

async fn order_count(app: &TestApp) -> u64 {
    order::Entity::find().count(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn the_invoice_has_exactly_the_previewed_lines() {
    let app = TestApp::new().await;
    let cookie = app.login(ADMIN).await;
    // Setup fee, included units and extra units: every kind of line.
    let plan = plan_by_sku(&app, "veeam-backup-m365-annual").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    let storage = rate(&app, plan.id, "backup_storage").await;
    let body = request(plan.id, &[(licenses.id, 25), (storage.id, 750)]);

    let preview = app
        .call_json("preview_order", json!({ "request": body }), Some(&cookie))
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
    // 25 licenses at $30.00, 250 GB above the included 500 at $0.40, setup fee $199.00.
    assert_eq!(preview.body["total"]["cents"], 25 * 3000 + 250 * 40 + 19900);

    let placed = submit(&app, &cookie, body, &key(1)).await;
    assert_eq!(placed.status, StatusCode::OK, "{:?}", placed.body);
    let order_id = placed.body["id"].as_i64().unwrap() as i32;
    assert!(placed.body["number"].as_str().unwrap().starts_with("SO-"));

    let outcomes = fulfil_all(&app).await;
    assert!(matches!(outcomes.as_slice(), [Outcome::Completed { .. }]));

    let detail = app
        .call("get_order", &[("id", &order_id.to_string())], Some(&cookie))
        .await;
    assert_eq!(detail.body["row"]["status"], "completed");
    let invoice_id = detail.body["invoice_id"].as_i64().unwrap();
    let invoice = app
        .call(
            "get_document",
            &[("id", &invoice_id.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(invoice.status, StatusCode::OK, "{:?}", invoice.body);
    let previewed: Vec<(Value, Value, Value, Value)> = preview.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["description"].clone(),
                l["quantity"].clone(),
                l["unit_price"].clone(),
                l["amount"].clone(),
            )
        })
        .collect();
    let invoiced: Vec<(Value, Value, Value, Value)> = invoice.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["description"].clone(),
                l["quantity"].clone(),
                l["unit_price"].clone(),
                l["amount"].clone(),
            )
        })
        .collect();
    assert_eq!(previewed, invoiced);
    assert_eq!(invoice.body["row"]["total"], preview.body["total"]);

    // The subscription exists with the ordered limits.
    let sub_id = detail.body["subscription_id"].as_i64().unwrap();
    let sub = app
        .call(
            "get_subscription",
            &[("id", &sub_id.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(sub.body["summary"]["status"], "active");
    let limits: Vec<i64> = sub.body["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["limit"].as_i64().unwrap())
        .collect();
    assert_eq!(limits, vec![25, 750]);
}

#[tokio::test]
async fn a_tax_rate_adds_a_rounded_tax_line_to_preview_and_invoice() {
    let app = TestApp::with_settings(app::server::Settings {
        tax: Some(app::domain::pricing::TaxRate::parse("VAT", "19").unwrap()),
        ..Default::default()
    })
    .await;
    let cookie = app.login(ADMIN).await;
    let plan = plan_by_sku(&app, "ms-defender-business-monthly").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    let body = request(plan.id, &[(licenses.id, 3)]);
    let preview = app
        .call_json("preview_order", json!({ "request": body }), Some(&cookie))
        .await;
    // 3 x $3.60 = $10.80; 19 % = 205.2 cents -> 205.
    let lines = preview.body["lines"].as_array().unwrap();
    assert_eq!(lines.last().unwrap()["kind"], "tax");
    assert_eq!(lines.last().unwrap()["amount"]["cents"], 205);
    assert_eq!(preview.body["total"]["cents"], 1080 + 205);
    let placed = submit(&app, &cookie, body, &key(2)).await;
    fulfil_all(&app).await;
    let invoice = billing_document::Entity::find()
        .filter(billing_document::Column::OrderId.eq(placed.body["id"].as_i64().unwrap() as i32))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(invoice.total_cents, 1285);
}

#[tokio::test]
async fn quantities_outside_the_limits_are_refused_with_the_field() {
    let app = TestApp::new().await;
    let cookie = app.login(ADMIN).await;
    let before = order_count(&app).await;
    let plan = plan_by_sku(&app, "ms365-business-basic-monthly").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    for units in [0, 301] {
        let reply = submit(
            &app,
            &cookie,
            request(plan.id, &[(licenses.id, units)]),
            &key(units as usize),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            reply.body["Validation"]["field"],
            format!("resource-{}", licenses.id)
        );
    }
    // A resource of another plan.
    let other = plan_by_sku(&app, "slack-pro-monthly").await;
    let foreign = rate(&app, other.id, "licenses").await;
    let reply = submit(&app, &cookie, request(plan.id, &[(foreign.id, 2)]), &key(9)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A key that is not one.
    let reply = submit(&app, &cookie, request(plan.id, &[]), "short").await;
    assert_eq!(reply.body["Validation"]["field"], "idempotency_key");
    assert_eq!(order_count(&app).await, before, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_key_twenty_times_at_once_makes_one_order_and_one_invoice() {
    let app = Arc::new(TestApp::new().await);
    let cookie = app.login(ADMIN).await;
    let before = order_count(&app).await;
    let plan = plan_by_sku(&app, "slack-pro-annual").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    let body = request(plan.id, &[(licenses.id, 12)]);
    let calls = (0..20).map(|_| {
        let (app, cookie, body) = (app.clone(), cookie.clone(), body.clone());
        tokio::spawn(async move { submit(&app, &cookie, body, &key(77)).await })
    });
    let replies = futures::future::join_all(calls).await;
    let mut ids = Vec::new();
    for reply in replies {
        let reply = reply.unwrap();
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        ids.push(reply.body["id"].as_i64().unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every repeat answers with the same order");
    assert_eq!(order_count(&app).await, before + 1);
    fulfil_all(&app).await;
    let invoices = billing_document::Entity::find()
        .filter(billing_document::Column::OrderId.eq(ids[0] as i32))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(invoices, 1);
    // The same key for a different order is refused, not silently answered.
    let other = plan_by_sku(&app, "box-business-monthly").await;
    let reply = submit(&app, &cookie, request(other.id, &[]), &key(77)).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_refusing_vendor_fails_the_order_without_a_subscription() {
    let app = TestApp::new().await;
    let cookie = app.login(ADMIN).await;
    let subscriptions = subscription::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    let plan = plan_by_sku(&app, "legacy-fax-gateway-monthly").await;
    let placed = submit(&app, &cookie, request(plan.id, &[]), &key(3)).await;
    let order_id = placed.body["id"].as_i64().unwrap();
    let outcomes = fulfil_all(&app).await;
    assert!(matches!(outcomes.as_slice(), [Outcome::Failed { .. }]));
    let detail = app
        .call("get_order", &[("id", &order_id.to_string())], Some(&cookie))
        .await;
    assert_eq!(detail.body["row"]["status"], "failed");
    assert!(
        detail.body["failure_reason"]
            .as_str()
            .unwrap()
            .contains("no longer accepts")
    );
    assert!(detail.body["subscription_id"].is_null());
    assert!(detail.body["invoice_id"].is_null());
    assert_eq!(
        subscription::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        subscriptions
    );
    // The person who ordered is told, in the panel and by email.
    let list = app.call("list_notifications", &[], Some(&cookie)).await;
    assert_eq!(list.body["unread"], 1);
    assert!(
        list.body["items"][0]["title"]
            .as_str()
            .unwrap()
            .contains("failed")
    );
}

#[tokio::test]
async fn a_crash_between_claim_and_apply_completes_the_order_later_once() {
    let app = TestApp::new().await;
    let cookie = app.login(ADMIN).await;
    let plan = plan_by_sku(&app, "github-team-monthly").await;
    let placed = submit(&app, &cookie, request(plan.id, &[]), &key(4)).await;
    let order_id = placed.body["id"].as_i64().unwrap() as i32;

    // A worker claims the order, then dies before applying anything.
    let abandoned = fulfilment::claim_next(&app.state, app.state.clock.now())
        .await
        .unwrap()
        .expect("the order is due");
    assert_eq!(abandoned.id, order_id);
    // While the claim holds, nobody else takes it.
    assert!(fulfil_all(&app).await.is_empty());
    // When it runs out, another worker completes the order.
    app.state
        .clock
        .advance(fulfilment::LEASE + chrono::Duration::seconds(1));
    let outcomes = fulfil_all(&app).await;
    assert!(
        matches!(outcomes.as_slice(), [Outcome::Completed { order_id: id, .. }] if *id == order_id)
    );
    // The first worker wakes up late: its result is not applied a second time.
    let late = fulfilment::fulfil_claimed(&app.state, &SimulatedVendor::default(), abandoned)
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
    let cookie = app.login(ADMIN).await;
    let plan = plan_by_sku(&app, "box-business-monthly").await;
    let placed = submit(&app, &cookie, request(plan.id, &[]), &key(5)).await;
    let order_id = placed.body["id"].as_i64().unwrap() as i32;
    let vendor = FlakyVendor {
        failures: 2,
        calls: AtomicUsize::new(0),
    };
    let step = || fulfilment::fulfil_next(&app.state, &vendor);
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
    let placed = submit(&app, &cookie, request(plan.id, &[]), &key(6)).await;
    let order_id = placed.body["id"].as_i64().unwrap() as i32;
    let down = FlakyVendor {
        failures: usize::MAX,
        calls: AtomicUsize::new(0),
    };
    let mut last = None;
    for _ in 0..fulfilment::MAX_ATTEMPTS {
        last = fulfilment::fulfil_next(&app.state, &down).await.unwrap();
        app.state.clock.advance(chrono::Duration::minutes(11));
    }
    assert_eq!(last, Some(Outcome::Failed { order_id }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_fulfil_two_hundred_orders_each_exactly_once() {
    let app = Arc::new(TestApp::new().await);
    let cookie = app.login(ADMIN).await;
    let plan = plan_by_sku(&app, "ms-defender-business-monthly").await;
    let mut ids = Vec::new();
    for n in 0..200 {
        let placed = submit(&app, &cookie, request(plan.id, &[]), &key(1000 + n)).await;
        assert_eq!(placed.status, StatusCode::OK, "{:?}", placed.body);
        ids.push(placed.body["id"].as_i64().unwrap() as i32);
    }
    let workers = (0..2).map(|_| {
        let app = app.clone();
        tokio::spawn(async move {
            let vendor = SimulatedVendor::default();
            let mut done = Vec::new();
            while let Some(outcome) = fulfilment::fulfil_next(&app.state, &vendor).await.unwrap() {
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
async fn one_trial_per_product_per_customer() {
    let app = TestApp::new().await;
    let cookie = app.login(ADMIN).await;
    let plan = plan_by_sku(&app, "atlassian-jira-standard-monthly").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    let body = request(plan.id, &[(licenses.id, 10)]);
    let first = app
        .call_json(
            "preview_order",
            json!({ "request": body.clone() }),
            Some(&cookie),
        )
        .await;
    assert_eq!(first.body["trial_days"], 30);
    assert_eq!(first.body["total"]["cents"], 0);
    submit(&app, &cookie, body.clone(), &key(10)).await;
    fulfil_all(&app).await;

    let second = app
        .call_json("preview_order", json!({ "request": body }), Some(&cookie))
        .await;
    assert_eq!(second.body["trial_days"], 0);
    assert_eq!(second.body["trial_used"], true);
    assert_eq!(second.body["total"]["cents"], 10 * 791);
    let product_page = app
        .call(
            "get_product",
            &[("id", &plan.product_id.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(product_page.body["plans"][0]["trial_available"], false);

    // Another customer still has the trial.
    let other = app.login(OTHER_ADMIN).await;
    let theirs = app
        .call_json(
            "preview_order",
            json!({ "request": request(plan.id, &[(licenses.id, 10)]) }),
            Some(&other),
        )
        .await;
    assert_eq!(theirs.body["trial_days"], 30);
    // The demo account's Dropbox trial counts too.
    let dropbox = product::Entity::find()
        .filter(product::Column::Sku.eq("dropbox-business"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let contoso = customer::Entity::find()
        .filter(customer::Column::Name.eq("Contoso Dental Group"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let claims = trial_claim::Entity::find()
        .filter(trial_claim::Column::ProductId.eq(dropbox.id))
        .filter(trial_claim::Column::CustomerId.eq(contoso.id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(claims, 1);
}

#[tokio::test]
async fn who_may_order_and_see_orders_and_invoices() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let plan = plan_by_sku(&app, "github-team-monthly").await;
    let placed = submit(&app, &admin, request(plan.id, &[]), &key(20)).await;
    let order_id = placed.body["id"].as_i64().unwrap().to_string();
    fulfil_all(&app).await;
    let detail = app
        .call("get_order", &[("id", &order_id)], Some(&admin))
        .await;
    let invoice_id = detail.body["invoice_id"].as_i64().unwrap().to_string();
    let sub_id = detail.body["subscription_id"].as_i64().unwrap().to_string();

    let user = app.login(USER).await;
    let other = app.login(OTHER_ADMIN).await;
    let owner = app.login(OWNER).await;
    let preview = json!({ "request": request(plan.id, &[]) });
    // (caller, expected status of: list_products, preview, submit, list_orders, list_documents)
    for (cookie, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(&user), StatusCode::FORBIDDEN),
        (Some(&owner), StatusCode::OK),
        (Some(&other), StatusCode::OK),
    ] {
        let cookie = cookie.map(String::as_str);
        let replies = [
            app.call("list_products", &[("search", ""), ("category", "")], cookie)
                .await,
            app.call_json("preview_order", preview.clone(), cookie)
                .await,
            app.call_json(
                "submit_order",
                json!({ "request": request(plan.id, &[]), "idempotency_key": key(21) }),
                cookie,
            )
            .await,
            app.call(
                "list_orders",
                &[("order_type", ""), ("status", ""), ("page", "1")],
                cookie,
            )
            .await,
            app.call("list_documents", &[("page", "1")], cookie).await,
        ];
        for reply in replies {
            assert_eq!(reply.status, expected, "{:?}", reply.body);
        }
    }
    // Another customer's admin: the order, invoice and subscription do not exist for them.
    for (name, id) in [
        ("get_order", &order_id),
        ("get_document", &invoice_id),
        ("get_subscription", &sub_id),
    ] {
        let reply = app.call(name, &[("id", id)], Some(&other)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{name}");
        let reply = app.call(name, &[("id", id)], Some(&user)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{name}");
        let reply = app.call(name, &[("id", id)], Some(&owner)).await;
        assert_eq!(reply.status, StatusCode::OK, "{name}");
    }
    // Their order list does not show it.
    let theirs = app
        .call(
            "list_orders",
            &[("order_type", ""), ("status", ""), ("page", "1")],
            Some(&other),
        )
        .await;
    assert!(
        theirs.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["id"].as_i64().unwrap().to_string() != order_id)
    );
}

#[tokio::test]
async fn notifications_are_the_readers_own() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let plan = plan_by_sku(&app, "github-team-monthly").await;
    submit(&app, &admin, request(plan.id, &[]), &key(30)).await;
    fulfil_all(&app).await;
    let unread = app
        .call("count_unread_notifications", &[], Some(&admin))
        .await;
    assert_eq!(unread.body, 1);
    let mine = notification::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    // Someone else cannot read (or mark) it.
    let owner = app.login(OWNER).await;
    let reply = app
        .call(
            "mark_notifications_read",
            &[("id", &mine.id.to_string())],
            Some(&owner),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let theirs = app.call("list_notifications", &[], Some(&owner)).await;
    assert_eq!(theirs.body["items"].as_array().unwrap().len(), 0);
    let reply = app
        .call(
            "mark_notifications_read",
            &[("id", &mine.id.to_string())],
            Some(&admin),
        )
        .await;
    assert_eq!(reply.body, 0);
    let reply = app
        .call("mark_notifications_read", &[("id", "0")], None)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_marketplace_searches_and_filters() {
    let app = TestApp::new().await;
    let cookie = app.login(ADMIN).await;
    let names = |reply: &common::Reply| -> Vec<String> {
        reply.body["products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = app
        .call(
            "list_products",
            &[("search", ""), ("category", "")],
            Some(&cookie),
        )
        .await;
    assert_eq!(names(&all).len(), 16);
    assert!(all.body["categories"].as_array().unwrap().len() >= 6);
    let backup = app
        .call(
            "list_products",
            &[("search", "BACKUP"), ("category", "")],
            Some(&cookie),
        )
        .await;
    assert!(names(&backup).contains(&"Veeam Backup for Microsoft 365".to_owned()));
    assert!(names(&backup).contains(&"Acronis Cyber Protect Cloud".to_owned()));
    let words = app
        .call(
            "list_products",
            &[("search", "microsoft business"), ("category", "Security")],
            Some(&cookie),
        )
        .await;
    assert_eq!(names(&words), ["Microsoft Defender for Business"]);
    let wildcard = app
        .call(
            "list_products",
            &[("search", "%"), ("category", "")],
            Some(&cookie),
        )
        .await;
    assert!(
        names(&wildcard).is_empty(),
        "% is a character, not a wildcard"
    );
    // "From" prices: the cheapest plan at its smallest quantities.
    let m365 = all.body["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Microsoft 365 Business Basic")
        .unwrap();
    assert_eq!(m365["from_price"]["cents"], 7200);
    assert_eq!(m365["from_period"], "annual");
}

/// For every plan of the catalog and several random quantities within its limits, the invoice
/// has exactly the previewed lines and total. (The quantities come from a fixed-seed generator,
/// so a failure can be replayed.)
#[tokio::test]
async fn every_plan_at_random_quantities_is_invoiced_as_previewed() {
    let app = TestApp::new().await;
    let cookie = app.login(ADMIN).await;
    let plans = plan::Entity::find()
        .order_by_asc(plan::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap();
    let mut seed: u64 = 0x5eed_0f0d_e75a;
    let mut next = move |bound: i64| {
        // xorshift64*: enough spread for quantities, and repeatable.
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound.max(1) as u64) as i64
    };
    let mut checked = 0;
    let mut placed_count = 0;
    for plan in plans {
        let rates = resource_rate::Entity::find()
            .filter(resource_rate::Column::PlanId.eq(plan.id))
            .all(&app.state.db)
            .await
            .unwrap();
        for round in 0..3 {
            let resources: Vec<(i32, i64)> = rates
                .iter()
                .map(|r| {
                    let span = r.max_units.unwrap_or(r.min_units + 5_000) - r.min_units;
                    (r.id, r.min_units + next(span + 1))
                })
                .collect();
            let body = request(plan.id, &resources);
            let preview = app
                .call_json(
                    "preview_order",
                    json!({ "request": body.clone() }),
                    Some(&cookie),
                )
                .await;
            assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
            placed_count += 1;
            let placed = submit(&app, &cookie, body, &key(5000 + placed_count)).await;
            assert_eq!(placed.status, StatusCode::OK, "{:?}", placed.body);
            fulfil_all(&app).await;
            let order_id = placed.body["id"].as_i64().unwrap() as i32;
            let Some(invoice) = billing_document::Entity::find()
                .filter(billing_document::Column::OrderId.eq(order_id))
                .one(&app.state.db)
                .await
                .unwrap()
            else {
                // Only the product no vendor accepts has no invoice.
                assert!(
                    plan.sku.starts_with("legacy-fax"),
                    "{} round {round}",
                    plan.sku
                );
                continue;
            };
            let lines: Vec<(String, i64, i64, i64)> = billing_document_line::Entity::find()
                .filter(billing_document_line::Column::DocumentId.eq(invoice.id))
                .order_by_asc(billing_document_line::Column::Id)
                .all(&app.state.db)
                .await
                .unwrap()
                .into_iter()
                .map(|l| {
                    (
                        l.description,
                        l.quantity,
                        l.unit_price_cents,
                        l.amount_cents,
                    )
                })
                .collect();
            let previewed: Vec<(String, i64, i64, i64)> = preview.body["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    (
                        l["description"].as_str().unwrap().to_owned(),
                        l["quantity"].as_i64().unwrap(),
                        l["unit_price"]["cents"].as_i64().unwrap(),
                        l["amount"]["cents"].as_i64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(lines, previewed, "{} round {round}", plan.sku);
            assert_eq!(
                Some(invoice.total_cents),
                preview.body["total"]["cents"].as_i64(),
                "{} round {round}",
                plan.sku
            );
            checked += 1;
        }
    }
    assert!(checked >= 80, "{checked} orders checked");
}

#[tokio::test]
async fn a_used_key_with_other_quantities_or_a_changed_price_is_refused() {
    let app = TestApp::new().await;
    let cookie = app.login(ADMIN).await;
    let plan = plan_by_sku(&app, "ms-defender-business-monthly").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    let five = request(plan.id, &[(licenses.id, 5)]);
    let placed = submit(&app, &cookie, five.clone(), &key(40)).await;
    assert_eq!(placed.status, StatusCode::OK);
    // Back on the spent form, the customer changes the quantity: not silently the first order.
    let fifty = request(plan.id, &[(licenses.id, 50)]);
    let reply = submit(&app, &cookie, fifty.clone(), &key(40)).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{:?}", reply.body);
    // The same order again is the first order.
    let again = submit(&app, &cookie, five, &key(40)).await;
    assert_eq!(again.body["id"], placed.body["id"]);

    // The price the customer saw must be the price charged.
    let stale = app
        .call_json(
            "submit_order",
            json!({ "request": fifty.clone(), "idempotency_key": key(41), "expected_total": 1800 }),
            Some(&cookie),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body["Conflict"].as_str().unwrap().contains("$180.00"));
    let confirmed = app
        .call_json(
            "submit_order",
            json!({ "request": fifty, "idempotency_key": key(41), "expected_total": 18000 }),
            Some(&cookie),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
}

#[tokio::test]
async fn an_order_that_keeps_failing_on_our_side_ends_failed() {
    use sea_orm::sea_query::Expr;
    let app = TestApp::new().await;
    let cookie = app.login(ADMIN).await;
    let plan = plan_by_sku(&app, "box-business-monthly").await;
    let placed = submit(&app, &cookie, request(plan.id, &[]), &key(50)).await;
    let order_id = placed.body["id"].as_i64().unwrap() as i32;
    // Broken stored data: fulfilment cannot even ask the vendor.
    order::Entity::update_many()
        .col_expr(order::Column::PlanId, Expr::value(Option::<i32>::None))
        .filter(order::Column::Id.eq(order_id))
        .exec(&app.state.db)
        .await
        .unwrap();
    let vendor = SimulatedVendor::default();
    let mut outcomes = Vec::new();
    for _ in 0..fulfilment::MAX_ATTEMPTS {
        outcomes.push(
            fulfilment::fulfil_next(&app.state, &vendor)
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
        fulfilment::fulfil_next(&app.state, &vendor).await.unwrap(),
        None
    );
}

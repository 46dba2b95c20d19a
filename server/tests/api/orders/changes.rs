//! Changing the limits of a running subscription (`change` orders): the price previewed is the
//! document written, every bound is refused with its reason, one change is open at a time, a
//! repeated form places one change, and many at once end exactly at the maximum.

use super::*;
use app::api::notifications::ListNotifications;
use app::api::resource_changes::{
    GetResourceChangeForm, PreviewResourceChange, SubmitResourceChange,
};
use app::domain::resource_change::ChangeLine;
use app::domain::{DocumentKind, OrderStatus, OrderType};
use app::dto::resource_changes::{ResourceChangeForm, ResourceChangeRequest};
use app::error::AppError;
use app::server::entities::{
    billing_document, billing_document_line, subscription, subscription_resource,
};
use http::StatusCode;
use sea_orm::QueryOrder;

/// Contoso's subscription of the plan `sku`.
async fn subscription_of(app: &TestApp, sku: &str) -> subscription::Model {
    let plan = plan_by_sku(app, sku).await;
    let contoso = customer_by_name(app, CONTOSO).await;
    subscription::Entity::find()
        .filter(subscription::Column::PlanId.eq(plan.id))
        .filter(subscription::Column::CustomerId.eq(contoso.id))
        .order_by_desc(subscription::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("Contoso has this subscription")
}

/// A new Zoom subscription with `licenses`, ordered and set up today.
async fn new_zoom(app: &TestApp, client: &Client, licenses: i64) -> subscription::Model {
    let plan = plan_by_sku(app, "zoom-workplace-pro-monthly").await;
    let rate = rate(app, plan.id, "licenses").await;
    submit(client, request(plan.id, &[(rate.id, licenses)]), &key(900))
        .await
        .unwrap();
    fulfil_all(app).await;
    subscription_of(app, "zoom-workplace-pro-monthly").await
}

async fn form(client: &Client, subscription_id: i32) -> ResourceChangeForm {
    client
        .send(GetResourceChangeForm { subscription_id })
        .await
        .unwrap()
}

fn rate_named(form: &ResourceChangeForm, name: &str) -> i32 {
    form.resources
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no resource {name}"))
        .rate_id
}

fn change(subscription_id: i32, limits: &[(i32, i64)]) -> ResourceChangeRequest {
    ResourceChangeRequest {
        subscription_id,
        limits: limits.to_vec(),
    }
}

async fn place(
    client: &Client,
    request: ResourceChangeRequest,
    key: &str,
    expected_net: Option<i64>,
) -> Result<app::dto::orders::PlacedOrder, Refused> {
    client
        .send(SubmitResourceChange {
            request,
            idempotency_key: key.to_owned(),
            expected_net,
        })
        .await
}

async fn limit_of(app: &TestApp, subscription_id: i32, rate_id: i32) -> i64 {
    subscription_resource::Entity::find()
        .filter(subscription_resource::Column::SubscriptionId.eq(subscription_id))
        .filter(subscription_resource::Column::ResourceRateId.eq(rate_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .limit_units
}

/// The documents of an order with their lines, as (kind, total, lines).
async fn documents_of(
    app: &TestApp,
    order_id: i32,
) -> Vec<(DocumentKind, i64, Vec<billing_document_line::Model>)> {
    let mut out = Vec::new();
    for d in billing_document::Entity::find()
        .filter(billing_document::Column::OrderId.eq(order_id))
        .order_by_asc(billing_document::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
    {
        let lines = billing_document_line::Entity::find()
            .filter(billing_document_line::Column::DocumentId.eq(d.id))
            .order_by_asc(billing_document_line::Column::Id)
            .all(&app.state.db)
            .await
            .unwrap();
        out.push((d.kind, d.total_cents, lines));
    }
    out
}

/// The document lines say exactly what the preview said.
fn same_lines(previewed: &[ChangeLine], written: &[billing_document_line::Model]) {
    assert_eq!(previewed.len(), written.len());
    for (p, w) in previewed.iter().zip(written) {
        assert_eq!(p.description, w.description);
        assert_eq!(p.quantity, w.quantity);
        assert_eq!(p.unit_price.cents, w.unit_price_cents);
        assert_eq!(p.amount.cents, w.amount_cents);
        assert_eq!(
            p.days,
            w.prorated_days
                .zip(w.period_days)
                .map(|(d, of)| (i64::from(d), i64::from(of)))
        );
        assert_eq!(p.span, w.period_start.zip(w.period_end));
    }
}

#[tokio::test]
async fn a_raise_is_charged_prorated_exactly_as_previewed_once_the_vendor_has_made_it() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let shown = form(&admin, zoom.id).await;
    let licenses = rate_named(&shown, "Licenses");
    assert_eq!(shown.open_change, None);
    assert_eq!(shown.closed, None);
    let before = limit_of(&app, zoom.id, licenses).await;

    let asked = change(zoom.id, &[(licenses, before + 2)]);
    let preview = admin
        .send(PreviewResourceChange {
            request: asked.clone(),
        })
        .await
        .unwrap();
    let q = &preview.quote;
    assert!(q.credits.is_empty());
    let line = &q.charges[0];
    let (days, of) = line.days.unwrap();
    assert!(days > 0 && days <= of, "{days} of {of}");
    // unit price × units × days left / period days, half to even: the design's formula.
    assert_eq!(
        Some(line.amount.cents),
        app::domain::resource_change::prorate(2 * line.unit_price.cents, days, of)
    );
    assert_eq!(q.charged.cents, line.amount.cents);
    assert_eq!(
        q.recurring.cents - preview.recurring_before.cents,
        2 * line.unit_price.cents
    );

    let placed = place(&admin, asked, &key(1), Some(q.net_cents()))
        .await
        .unwrap();
    // Nothing changes before the vendor has made the change.
    assert_eq!(limit_of(&app, zoom.id, licenses).await, before);
    let order = order::Entity::find_by_id(placed.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (order.order_type, order.status, order.subscription_id),
        (OrderType::Change, OrderStatus::Submitted, Some(zoom.id))
    );
    let unread = admin.send(ListNotifications {}).await.unwrap().unread;
    let outcomes = fulfil_all(&app).await;
    assert!(matches!(outcomes.as_slice(), [Outcome::Completed { .. }]));
    assert_eq!(limit_of(&app, zoom.id, licenses).await, before + 2);

    let documents = documents_of(&app, placed.id).await;
    let [(DocumentKind::Invoice, total, lines)] = documents.as_slice() else {
        panic!("one invoice: {documents:?}")
    };
    assert_eq!(*total, q.charged.cents);
    same_lines(&q.charges, lines);
    assert_eq!(lines[0].resource_name.as_deref(), Some("Licenses"));
    assert_eq!(lines[0].product_name.as_deref(), Some("Zoom Workplace Pro"));
    let list = admin.send(ListNotifications {}).await.unwrap();
    assert_eq!(list.unread, unread + 1);
    assert_eq!(list.items[0].title, "New limits for Zoom Workplace Pro");
    assert!(
        list.items[0]
            .body
            .contains(&format!("Licenses {before} → {}", before + 2))
    );
}

#[tokio::test]
async fn a_reduction_inside_its_window_is_credited_on_a_credit_note() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let zoom = new_zoom(&app, &owner, 10).await;
    let shown = form(&owner, zoom.id).await;
    let licenses = rate_named(&shown, "Licenses");
    let asked = change(zoom.id, &[(licenses, 6)]);
    let preview = owner
        .send(PreviewResourceChange {
            request: asked.clone(),
        })
        .await
        .unwrap();
    let q = &preview.quote;
    assert!(q.charges.is_empty());
    assert_eq!(q.credits[0].quantity, 4);
    let placed = place(&owner, asked, &key(2), Some(q.net_cents()))
        .await
        .unwrap();
    fulfil_all(&app).await;
    assert_eq!(limit_of(&app, zoom.id, licenses).await, 6);
    let order = order::Entity::find_by_id(placed.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.total_cents, -q.credited.cents);
    let documents = documents_of(&app, placed.id).await;
    let [(DocumentKind::CreditNote, total, lines)] = documents.as_slice() else {
        panic!("one credit note: {documents:?}")
    };
    assert_eq!(*total, q.credited.cents);
    same_lines(&q.credits, lines);
}

/// The field a refusal is about and its words.
async fn refusal(client: &Client, request: ResourceChangeRequest) -> (StatusCode, String, String) {
    let refused = client
        .send(PreviewResourceChange {
            request: request.clone(),
        })
        .await
        .expect_err("refused");
    let placed = place(client, request, &key(77), None)
        .await
        .expect_err("refused too");
    assert_eq!(refused.error, placed.error, "preview and submit agree");
    match refused.error {
        AppError::Validation { field, message } => (refused.status, field, message),
        other => panic!("not a validation error: {other:?}"),
    }
}

#[tokio::test]
async fn every_bound_is_refused_with_its_reason_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let orders_before = order_count(&app).await;

    // Zoom: 4 licenses, 3 assigned, ordered 12 days ago (its 7-day window has closed), at most 99.
    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let zoom_form = form(&admin, zoom.id).await;
    let licenses = rate_named(&zoom_form, "Licenses");
    let field = format!("resource-{licenses}");
    let cases = [
        (0, "Licenses: at least 1 (you asked for 0)."),
        (100, "Licenses: at most 99 (you asked for 100)."),
        (
            2,
            "Licenses: 3 are assigned to people; unassign some before lowering the limit to 2.",
        ),
    ];
    for (asked, words) in cases {
        let (status, f, message) = refusal(&admin, change(zoom.id, &[(licenses, asked)])).await;
        assert_eq!(
            (status, f.as_str(), message.as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, field.as_str(), words)
        );
    }
    let (_, f, message) = refusal(&admin, change(zoom.id, &[(licenses, 3)])).await;
    assert_eq!(f, field);
    let renewal = zoom.period_end.format("%b %-d, %Y").to_string();
    assert!(
        message.starts_with("Licenses can be lowered only early in a period")
            && message.ends_with(&format!("the next chance is the renewal on {renewal}.")),
        "{message}"
    );
    let (_, f, message) = refusal(&admin, change(zoom.id, &[(licenses, 4)])).await;
    assert_eq!(
        (f.as_str(), message.as_str()),
        ("resources", "Set a new limit for at least one resource.")
    );

    // Acronis storage: the vendor reports about two thirds of the limit in use.
    let acronis = subscription_of(&app, "acronis-cyber-protect-cloud-annual").await;
    let acronis_form = form(&admin, acronis.id).await;
    let storage = acronis_form
        .resources
        .iter()
        .find(|r| r.kind == app::domain::ResourceKind::Quota)
        .unwrap();
    let (_, f, message) = refusal(
        &admin,
        change(acronis.id, &[(storage.rate_id, storage.in_use - 1)]),
    )
    .await;
    assert_eq!(f, format!("resource-{}", storage.rate_id));
    assert!(
        message.contains("are in use; the limit cannot go below that"),
        "{message}"
    );

    // A resource of another plan, or twice the same one.
    let (_, f, _) = refusal(&admin, change(zoom.id, &[(storage.rate_id, 10)])).await;
    assert_eq!(f, "resources");
    let (_, f, _) = refusal(&admin, change(zoom.id, &[(licenses, 5), (licenses, 6)])).await;
    assert_eq!(f, "resources");

    assert_eq!(order_count(&app).await, orders_before);
}

#[tokio::test]
async fn a_second_change_waits_until_the_first_has_completed() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let owner = app.owner().await;
    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let licenses = rate_named(&form(&admin, zoom.id).await, "Licenses");
    let first = place(&admin, change(zoom.id, &[(licenses, 5)]), &key(10), None)
        .await
        .unwrap();
    let second = place(&owner, change(zoom.id, &[(licenses, 6)]), &key(11), None)
        .await
        .unwrap_err();
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(
        second.error.to_string().contains(&first.number),
        "names the open order: {}",
        second.error
    );
    let shown = form(&owner, zoom.id).await;
    assert_eq!(shown.open_change.map(|o| o.id), Some(first.id));
    fulfil_all(&app).await;
    assert_eq!(form(&owner, zoom.id).await.open_change, None);
    place(&owner, change(zoom.id, &[(licenses, 6)]), &key(12), None)
        .await
        .unwrap();
    fulfil_all(&app).await;
    assert_eq!(limit_of(&app, zoom.id, licenses).await, 6);
}

#[tokio::test]
async fn a_repeated_form_places_one_change_and_a_changed_price_is_refused() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let licenses = rate_named(&form(&admin, zoom.id).await, "Licenses");
    let asked = change(zoom.id, &[(licenses, 6)]);
    let wrong_price = place(&admin, asked.clone(), &key(20), Some(1))
        .await
        .unwrap_err();
    assert_eq!(wrong_price.status, StatusCode::CONFLICT);
    assert!(
        wrong_price
            .error
            .to_string()
            .starts_with("The price of this change is now")
    );
    let before = order_count(&app).await;
    let same_key = key(21);
    let (a, b) = tokio::join!(
        place(&admin, asked.clone(), &same_key, None),
        place(&admin, asked.clone(), &same_key, None)
    );
    assert_eq!(a.unwrap(), b.unwrap());
    assert_eq!(order_count(&app).await, before + 1);
    let again = place(&admin, asked.clone(), &key(21), None).await.unwrap();
    fulfil_all(&app).await;
    // After completion too, the same form answers with its order, and another form is refused.
    assert_eq!(place(&admin, asked, &key(21), None).await.unwrap(), again);
    let other = place(&admin, change(zoom.id, &[(licenses, 9)]), &key(21), None)
        .await
        .unwrap_err();
    assert_eq!(other.status, StatusCode::CONFLICT);
    assert_eq!(limit_of(&app, zoom.id, licenses).await, 6);
}

#[tokio::test]
async fn another_customers_subscription_is_not_found_and_a_service_user_is_refused() {
    let app = TestApp::new().await;
    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let other = app.other_owner().await;
    let refused = other
        .send(GetResourceChangeForm {
            subscription_id: zoom.id,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.error, AppError::NotFound);
    let licenses = rate_named(&form(&app.owner().await, zoom.id).await, "Licenses");
    let refused = place(&other, change(zoom.id, &[(licenses, 5)]), &key(30), None)
        .await
        .unwrap_err();
    assert_eq!(refused.error, AppError::NotFound);
    let user = app.user().await;
    let refused = place(&user, change(zoom.id, &[(licenses, 5)]), &key(31), None)
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(limit_of(&app, zoom.id, licenses).await, 4);
}

#[tokio::test]
async fn a_failed_change_leaves_the_limits_and_charges_nothing() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let licenses = rate_named(&form(&admin, zoom.id).await, "Licenses");
    let placed = place(&admin, change(zoom.id, &[(licenses, 8)]), &key(40), None)
        .await
        .unwrap();
    // The vendor is unreachable for every attempt.
    let vendor = SimulatedVendor {
        latency: std::time::Duration::ZERO,
        failure_percent: 100,
    };
    loop {
        app.state.clock.advance(chrono::Duration::minutes(15));
        match worker::fulfil_next(&app.state, &vendor).await.unwrap() {
            Some(Outcome::Failed { .. }) | None => break,
            Some(_) => {}
        }
    }
    let order = order::Entity::find_by_id(placed.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.status, OrderStatus::Failed);
    assert_eq!(limit_of(&app, zoom.id, licenses).await, 4);
    assert!(documents_of(&app, placed.id).await.is_empty());
    // The slot is free again (for a fresh session: the clock moved past the old one's idle end).
    let admin = app.admin().await;
    assert_eq!(form(&admin, zoom.id).await.open_change, None);
}

/// 50 people press "+1" at once on a subscription 30 below its maximum, while two workers
/// fulfil: each retries while another change is open, and stops when refused at the maximum.
#[tokio::test]
async fn fifty_simultaneous_raises_end_exactly_at_the_maximum() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let zoom = new_zoom(&app, &owner, 69).await;
    let licenses = rate_named(&form(&owner, zoom.id).await, "Licenses");
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let state = app.state.clone();
            let done = done.clone();
            tokio::spawn(async move {
                let vendor = SimulatedVendor::default();
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    if worker::fulfil_next(&state, &vendor)
                        .await
                        .unwrap()
                        .is_none()
                    {
                        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                    }
                }
            })
        })
        .collect();
    let people: Vec<_> = (0..50)
        .map(|n| {
            let owner = owner.clone();
            tokio::spawn(async move {
                for attempt in 0.. {
                    let limit = form(&owner, zoom.id)
                        .await
                        .resources
                        .iter()
                        .find(|r| r.rate_id == licenses)
                        .unwrap()
                        .limit;
                    let asked = change(zoom.id, &[(licenses, limit + 1)]);
                    let priced = owner
                        .send(PreviewResourceChange {
                            request: asked.clone(),
                        })
                        .await;
                    let result = match priced {
                        Ok(p) => {
                            let key = format!("fifty-{n:04}-{attempt:08}");
                            place(&owner, asked, &key, Some(p.quote.net_cents()))
                                .await
                                .map(|_| ())
                        }
                        Err(refused) => Err(refused),
                    };
                    match result {
                        Ok(()) => return true,
                        Err(r) if r.error.to_string().contains("at most") => return false,
                        // Another change is open, or moved the limit since it was read.
                        Err(r)
                            if matches!(
                                r.status,
                                StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
                            ) =>
                        {
                            tokio::time::sleep(std::time::Duration::from_millis(3)).await;
                        }
                        Err(r) => panic!("unexpected refusal: {r:?}"),
                    }
                }
                unreachable!()
            })
        })
        .collect();
    let mut placed = 0;
    for person in people {
        if person.await.unwrap() {
            placed += 1;
        }
    }
    // Let the workers finish what is open, then stop them.
    while open_changes(&app, zoom.id).await > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }
    assert_eq!(
        placed, 30,
        "exactly the 30 licenses up to the maximum were placed"
    );
    assert_eq!(limit_of(&app, zoom.id, licenses).await, 99);
    let changes = order::Entity::find()
        .filter(order::Column::SubscriptionId.eq(zoom.id))
        .filter(order::Column::OrderType.eq(OrderType::Change))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(changes.len(), 30);
    let mut ordered = 0;
    let mut invoiced = 0;
    for c in &changes {
        assert_eq!(c.status, OrderStatus::Completed);
        let documents = documents_of(&app, c.id).await;
        assert_eq!(documents.len(), 1, "one document per completed order");
        ordered += c.total_cents;
        invoiced += documents[0].1;
    }
    assert_eq!(ordered, invoiced);
}

async fn open_changes(app: &TestApp, subscription_id: i32) -> usize {
    order::Entity::find()
        .filter(order::Column::SubscriptionId.eq(subscription_id))
        .filter(
            order::Column::Status.is_in(
                [OrderStatus::Submitted, OrderStatus::Provisioning].map(OrderStatus::as_str),
            ),
        )
        .all(&app.state.db)
        .await
        .unwrap()
        .len()
}

/// Found by the break-it review: a license assigned while a lowering change was open left the
/// limit below the people holding one, and they were credited for licenses in use.
#[tokio::test]
async fn a_lowering_change_keeps_the_limit_above_the_licenses_in_use() {
    use app::api::licenses::AssignLicense;
    use app::server::entities::license_assignment;
    use sea_orm::ActiveModelTrait;
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let zoom = new_zoom(&app, &owner, 10).await;
    let licenses = rate_named(&form(&owner, zoom.id).await, "Licenses");
    let resource = subscription_resource::Entity::find()
        .filter(subscription_resource::Column::SubscriptionId.eq(zoom.id))
        .filter(subscription_resource::Column::ResourceRateId.eq(licenses))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let placed = place(&owner, change(zoom.id, &[(licenses, 1)]), &key(50), None)
        .await
        .unwrap();
    // While it is open, assigning is held to the limit it lowers to.
    let grace = id_of(&app, GRACE).await;
    let first = owner
        .send(AssignLicense {
            resource_id: resource.id,
            person_id: grace,
        })
        .await;
    assert!(first.is_ok(), "the first license fits the new limit of 1");
    let adam = id_of(&app, ADMIN).await;
    let refused = owner
        .send(AssignLicense {
            resource_id: resource.id,
            person_id: adam,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .error
            .to_string()
            .contains("lowers these licenses to 1"),
        "{}",
        refused.error
    );
    // Had one slipped in anyway (a race), completing the change fails it instead.
    license_assignment::ActiveModel {
        id: sea_orm::NotSet,
        subscription_resource_id: sea_orm::Set(resource.id),
        person_id: sea_orm::Set(adam),
        assigned_at: sea_orm::Set(app.state.clock.now()),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    fulfil_all(&app).await;
    let order = order::Entity::find_by_id(placed.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.status, OrderStatus::Failed);
    assert!(
        order
            .failure_reason
            .as_deref()
            .unwrap_or_default()
            .contains("2 are in use now"),
        "{:?}",
        order.failure_reason
    );
    assert_eq!(limit_of(&app, zoom.id, licenses).await, 10);
    assert!(
        documents_of(&app, placed.id).await.is_empty(),
        "nothing credited"
    );
}

/// Found by the break-it review: a used key answered with its order for an empty change.
#[tokio::test]
async fn a_used_key_with_an_empty_or_other_change_is_refused() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let licenses = rate_named(&form(&admin, zoom.id).await, "Licenses");
    place(&admin, change(zoom.id, &[(licenses, 7)]), &key(60), None)
        .await
        .unwrap();
    for other in [vec![], vec![(licenses, 8)]] {
        let refused = place(&admin, change(zoom.id, &other), &key(60), None)
            .await
            .unwrap_err();
        assert_eq!(refused.status, StatusCode::CONFLICT, "{other:?}");
    }
}

#[tokio::test]
async fn a_subscription_renewing_today_changes_after_its_renewal() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    // The demo's Defender subscription renews today.
    let defender = subscription_of(&app, "ms-defender-business-monthly").await;
    let licenses = rate_named(&form(&owner, defender.id).await, "Licenses");
    let refused = place(
        &owner,
        change(defender.id, &[(licenses, 6)]),
        &key(70),
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.error.to_string().contains("renewing today"));
}

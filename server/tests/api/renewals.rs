//! The end of a period: a subscription renews (a renewal order, its invoice, the next period) or
//! ends (licenses released), exactly once whatever runs the scheduler, with notices 30 and 7
//! days before; auto-renew is the owner's or an admin's to set.

use crate::helpers::*;
use crate::orders::{fulfil_all, plan_by_sku};
use app::api::notifications::ListNotifications;
use app::api::subscriptions::SetAutoRenew;
use app::domain::{DocumentKind, OrderStatus, OrderType, SubscriptionStatus};
use app::server::AppState;
use app::server::entities::{
    billing_document, billing_document_line, license_assignment, order, subscription,
    subscription_resource,
};
use app::server::services::renewals;
use chrono::{NaiveDate, TimeZone, Utc};
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

async fn subscription_of(app: &TestApp, sku: &str) -> subscription::Model {
    let plan = plan_by_sku(app, sku).await;
    subscription::Entity::find()
        .filter(subscription::Column::PlanId.eq(plan.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the demo has this subscription")
}

async fn reload(app: &TestApp, s: &subscription::Model) -> subscription::Model {
    subscription::Entity::find_by_id(s.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Moves the clock to a minute past midnight (UTC) of `day`.
fn travel(app: &TestApp, day: NaiveDate) {
    let at = Utc.from_utc_datetime(&day.and_hms_opt(0, 1, 0).unwrap());
    app.state.clock.travel_to(at);
}

async fn renewal_orders(app: &TestApp, s: &subscription::Model) -> Vec<order::Model> {
    order::Entity::find()
        .filter(order::Column::SubscriptionId.eq(s.id))
        .filter(order::Column::OrderType.eq(OrderType::Renewal))
        .order_by_asc(order::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

/// A second server process on the same database: its own state (clock, limits, wake-ups).
fn second_process(app: &TestApp) -> AppState {
    let other = AppState::new(app.state.db.clone(), (*app.state.settings).clone());
    other.clock.set_offset(app.state.clock.offset());
    other
}

#[tokio::test]
async fn a_due_subscription_renews_exactly_once_into_its_next_period_with_an_invoice() {
    let app = TestApp::new().await;
    // The demo's Defender subscription was ordered a month ago today: it is due now.
    let s = subscription_of(&app, "ms-defender-business-monthly").await;
    assert_eq!(s.period_end, app.state.clock.now().date_naive());
    let other = second_process(&app);
    let (a, b) = tokio::join!(renewals::run_due(&app.state), renewals::run_due(&other));
    assert_eq!(a.unwrap().renewals_placed + b.unwrap().renewals_placed, 1);
    // Later passes, before and after fulfilment, place nothing more.
    assert_eq!(
        renewals::run_due(&app.state).await.unwrap().renewals_placed,
        0
    );
    let placed = renewal_orders(&app, &s).await;
    assert_eq!(placed.len(), 1);
    assert_eq!(placed[0].created_by, None, "placed by the system");
    let owner = app.owner().await;
    let unread = owner.send(ListNotifications {}).await.unwrap().unread;
    fulfil_all(&app).await;
    assert_eq!(
        renewals::run_due(&app.state).await.unwrap().renewals_placed,
        0
    );
    assert_eq!(renewal_orders(&app, &s).await.len(), 1);

    let renewed = reload(&app, &s).await;
    assert_eq!(renewed.status, SubscriptionStatus::Active);
    assert_eq!(renewed.period_start, s.period_end);
    assert_eq!(
        renewed.period_end,
        s.period_end
            .checked_add_months(chrono::Months::new(1))
            .unwrap()
    );
    let order = order::Entity::find_by_id(placed[0].id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.status, OrderStatus::Completed);
    let invoice = billing_document::Entity::find()
        .filter(billing_document::Column::OrderId.eq(order.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("an invoice");
    assert_eq!(invoice.kind, DocumentKind::Invoice);
    assert_eq!(invoice.total_cents, order.total_cents);
    // 5 licenses at $3.60 a month.
    assert_eq!(invoice.total_cents, 5 * 360);
    let line = billing_document_line::Entity::find()
        .filter(billing_document_line::Column::DocumentId.eq(invoice.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (line.period_start, line.period_end),
        (Some(renewed.period_start), Some(renewed.period_end))
    );
    let list = owner.send(ListNotifications {}).await.unwrap();
    assert_eq!(list.unread, unread + 1);
    assert!(
        list.items[0].title.ends_with("has renewed"),
        "{}",
        list.items[0].title
    );
}

#[tokio::test]
async fn with_auto_renew_off_the_period_end_ends_the_subscription_and_frees_its_licenses() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let set = admin
        .send(SetAutoRenew {
            subscription_id: zoom.id,
            auto_renew: false,
        })
        .await
        .unwrap();
    assert!(!set);
    let entries = new_audit_entries(&app).await;
    assert!(
        entries
            .iter()
            .any(|e| e.action == "subscription.auto_renew_off"
                && e.target_id.as_deref() == Some(zoom.id.to_string().as_str())),
        "audited"
    );
    let resources: Vec<i32> = subscription_resource::Entity::find()
        .filter(subscription_resource::Column::SubscriptionId.eq(zoom.id))
        .all(&app.state.db)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    let held = || async {
        license_assignment::Entity::find()
            .filter(license_assignment::Column::SubscriptionResourceId.is_in(resources.clone()))
            .count(&app.state.db)
            .await
            .unwrap()
    };
    assert_eq!(held().await, 3);

    // The day before its end, nothing happens; on the day, it ends, once.
    travel(&app, zoom.period_end.pred_opt().unwrap());
    assert_eq!(renewals::run_due(&app.state).await.unwrap().ended, 0);
    travel(&app, zoom.period_end);
    let other = second_process(&app);
    let (a, b) = tokio::join!(renewals::run_due(&app.state), renewals::run_due(&other));
    assert_eq!(a.unwrap().ended + b.unwrap().ended, 1);
    let ended = reload(&app, &zoom).await;
    assert_eq!(ended.status, SubscriptionStatus::Terminated);
    assert!(ended.terminated_at.is_some());
    assert_eq!(held().await, 0);
    assert!(renewal_orders(&app, &zoom).await.is_empty());
    let owner = app.owner().await;
    let list = owner.send(ListNotifications {}).await.unwrap();
    assert!(
        list.items
            .iter()
            .any(|n| n.title == "Zoom Workplace Pro has ended")
    );
    // An ended subscription has no renewal to set.
    let admin = app.admin().await;
    let refused = admin
        .send(SetAutoRenew {
            subscription_id: zoom.id,
            auto_renew: true,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_trial_ends_into_its_first_paid_period() {
    let app = TestApp::new().await;
    let dropbox = subscription_of(&app, "dropbox-business-monthly").await;
    assert_eq!(dropbox.status, SubscriptionStatus::Trial);
    travel(&app, dropbox.period_end);
    renewals::run_due(&app.state).await.unwrap();
    assert_eq!(renewal_orders(&app, &dropbox).await.len(), 1);
    fulfil_all(&app).await;
    let paid = reload(&app, &dropbox).await;
    assert_eq!(paid.status, SubscriptionStatus::Active);
    assert_eq!(paid.period_start, dropbox.period_end);
    assert_eq!(
        paid.period_end,
        dropbox
            .period_end
            .checked_add_months(chrono::Months::new(1))
            .unwrap()
    );
    let order = &renewal_orders(&app, &dropbox).await[0];
    assert!(order.total_cents > 0, "the first paid period is charged");
}

#[tokio::test]
async fn notices_come_30_and_7_days_before_the_end_each_once() {
    let app = &TestApp::new().await;
    let acronis = subscription_of(app, "acronis-cyber-protect-cloud-annual").await;
    let notices = |s: i32| async move {
        outbox(app, "renewal_notice")
            .await
            .into_iter()
            .filter(|e| e.body_text.contains(&format!("/subscriptions/{s}")))
            .count()
    };
    travel(app, acronis.period_end - chrono::Duration::days(31));
    renewals::run_due(&app.state).await.unwrap();
    assert_eq!(notices(acronis.id).await, 0);
    travel(app, acronis.period_end - chrono::Duration::days(30));
    let other = second_process(app);
    let (a, b) = tokio::join!(renewals::run_due(&app.state), renewals::run_due(&other));
    assert_eq!(a.unwrap().notices + b.unwrap().notices, 1);
    renewals::run_due(&app.state).await.unwrap();
    // One email to the owner and one to the admin.
    assert_eq!(notices(acronis.id).await, 2);
    travel(app, acronis.period_end - chrono::Duration::days(7));
    renewals::run_due(&app.state).await.unwrap();
    renewals::run_due(&app.state).await.unwrap();
    assert_eq!(notices(acronis.id).await, 4);
    let email = outbox(app, "renewal_notice").await.pop().unwrap();
    assert!(
        email
            .subject
            .starts_with("Acronis Cyber Protect Cloud renews on"),
        "{}",
        email.subject
    );
}

#[tokio::test]
async fn a_renewal_waits_while_a_change_is_open_and_a_refused_renewal_ends_the_subscription() {
    use app::api::resource_changes::{GetResourceChangeForm, SubmitResourceChange};
    use app::dto::resource_changes::ResourceChangeRequest;
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let s = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let form = owner
        .send(GetResourceChangeForm {
            subscription_id: s.id,
        })
        .await
        .unwrap();
    let licenses = form.resources[0].rate_id;
    owner
        .send(SubmitResourceChange {
            request: ResourceChangeRequest {
                subscription_id: s.id,
                limits: vec![(licenses, 6)],
            },
            idempotency_key: "renewal-test-change-key".into(),
            expected_net: None,
        })
        .await
        .unwrap();
    travel(&app, s.period_end);
    renewals::run_due(&app.state).await.unwrap();
    assert!(
        renewal_orders(&app, &s).await.is_empty(),
        "waits for the change"
    );
    fulfil_all(&app).await;
    renewals::run_due(&app.state).await.unwrap();
    assert_eq!(renewal_orders(&app, &s).await.len(), 1);
    // The vendor refuses the renewal for good.
    struct Refusing;
    impl app::server::vendor::VendorConnector for Refusing {
        fn provision<'a>(
            &'a self,
            _: &'a app::server::vendor::ProvisionRequest,
        ) -> app::server::vendor::VendorFuture<'a> {
            Box::pin(async {
                Err(app::server::vendor::VendorError::Refused(
                    "The plan is no longer sold.".into(),
                ))
            })
        }
    }
    app::server::services::fulfilment::fulfil_next(&app.state, &Refusing)
        .await
        .unwrap();
    let ended = reload(&app, &s).await;
    assert_eq!(ended.status, SubscriptionStatus::Terminated);
    assert_eq!(ended.period_end, s.period_end, "no new period");
    let order = &renewal_orders(&app, &s).await[0];
    assert_eq!(order.status, OrderStatus::Failed);
    assert!(
        billing_document::Entity::find()
            .filter(billing_document::Column::OrderId.eq(order.id))
            .one(&app.state.db)
            .await
            .unwrap()
            .is_none(),
        "nothing charged"
    );
}

#[tokio::test]
async fn auto_renew_is_set_by_the_account_managers_of_the_account_only() {
    let app = TestApp::new().await;
    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let set = |on| SetAutoRenew {
        subscription_id: zoom.id,
        auto_renew: on,
    };
    let user = app.user().await;
    assert_eq!(
        user.send(set(false)).await.unwrap_err().status,
        StatusCode::FORBIDDEN
    );
    let other = app.other_owner().await;
    assert_eq!(
        other.send(set(false)).await.unwrap_err().error,
        app::error::AppError::NotFound
    );
    assert!(reload(&app, &zoom).await.auto_renew);
    let owner = app.owner().await;
    assert!(!owner.send(set(false)).await.unwrap());
    assert!(
        !owner.send(set(false)).await.unwrap(),
        "setting it again changes nothing"
    );
    assert!(!reload(&app, &zoom).await.auto_renew);
    assert!(owner.send(set(true)).await.unwrap());
    assert!(reload(&app, &zoom).await.auto_renew);
}

#[tokio::test]
async fn a_reduction_after_its_window_is_scheduled_and_the_renewal_applies_it_at_its_price() {
    use app::api::resource_changes::{GetResourceChangeForm, ScheduleReduction};
    let app = TestApp::new().await;
    let admin = app.admin().await;
    // Zoom: 4 licenses, 3 assigned, ordered 12 days ago: its 7-day window has closed.
    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let form = admin
        .send(GetResourceChangeForm {
            subscription_id: zoom.id,
        })
        .await
        .unwrap();
    let licenses = form
        .resources
        .iter()
        .find(|r| r.name == "Licenses")
        .unwrap();
    let schedule = |units| ScheduleReduction {
        subscription_id: zoom.id,
        rate_id: licenses.rate_id,
        units,
    };
    let below_assigned = admin.send(schedule(Some(2))).await.unwrap_err();
    assert_eq!(below_assigned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(below_assigned.error.to_string().contains("3 are assigned"));
    let not_lower = admin.send(schedule(Some(4))).await.unwrap_err();
    assert!(
        not_lower
            .error
            .to_string()
            .contains("must be below today's limit of 4")
    );
    let other = app.other_owner().await;
    assert_eq!(
        other.send(schedule(Some(3))).await.unwrap_err().error,
        app::error::AppError::NotFound
    );
    admin.send(schedule(Some(3))).await.unwrap();
    assert!(
        new_audit_entries(&app)
            .await
            .iter()
            .any(|e| e.action == "subscription.reduction_scheduled")
    );
    let form = admin
        .send(GetResourceChangeForm {
            subscription_id: zoom.id,
        })
        .await
        .unwrap();
    assert_eq!(form.resources[0].scheduled, Some(3));
    // Today's limit is untouched until the renewal.
    let limit = |app: &TestApp| {
        let id = zoom.id;
        let rate = licenses.rate_id;
        let db = app.state.db.clone();
        async move {
            subscription_resource::Entity::find()
                .filter(subscription_resource::Column::SubscriptionId.eq(id))
                .filter(subscription_resource::Column::ResourceRateId.eq(rate))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    assert_eq!(limit(&app).await.limit_units, 4);

    travel(&app, zoom.period_end);
    renewals::run_due(&app.state).await.unwrap();
    let order = renewal_orders(&app, &zoom).await.pop().unwrap();
    // The next period is priced at 3 licenses of $15.99.
    assert_eq!(order.total_cents, 3 * 1599);
    fulfil_all(&app).await;
    let after = limit(&app).await;
    assert_eq!((after.limit_units, after.scheduled_limit), (3, None));
    assert_eq!(reload(&app, &zoom).await.period_start, zoom.period_end);
}

/// Found by the break-it review: a raise kept a reduction scheduled before it, so the renewal
/// took back licenses just paid for; a reduction could be scheduled while a change was open;
/// the subscription page priced the renewal at today's limits while Home priced the renewal's;
/// a limit far above the maximum was refused as "too large" instead of by the maximum.
#[tokio::test]
async fn a_raise_replaces_a_scheduled_reduction_and_every_page_prices_the_renewal_alike() {
    use app::api::resource_changes::{
        PreviewResourceChange, ScheduleReduction, SubmitResourceChange,
    };
    use app::api::subscriptions::GetSubscription;
    use app::dto::resource_changes::ResourceChangeRequest;
    let app = TestApp::new().await;
    let admin = app.admin().await;
    // Zoom: 4 licenses of $15.99, 3 assigned, its 7-day window closed.
    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    let rate = crate::orders::rate(&app, zoom.plan_id, "licenses").await;
    let schedule = |units| ScheduleReduction {
        subscription_id: zoom.id,
        rate_id: rate.id,
        units,
    };
    admin.send(schedule(Some(3))).await.unwrap();
    let shown = admin.send(GetSubscription { id: zoom.id }).await.unwrap();
    assert_eq!(shown.renewal_price.cents, 3 * 1599);
    assert_eq!(shown.recurring_price.cents, 4 * 1599);

    let raise = |limit| ResourceChangeRequest {
        subscription_id: zoom.id,
        limits: vec![(rate.id, limit)],
    };
    let preview = admin
        .send(PreviewResourceChange { request: raise(5) })
        .await
        .unwrap();
    assert_eq!(preview.recurring_before.cents, 3 * 1599);
    assert_eq!(preview.recurring_after.cents, 5 * 1599);
    assert_eq!(
        preview.replaces,
        vec!["This replaces the reduction of Licenses to 3 scheduled for the renewal: it renews at 5.".to_owned()]
    );
    let far = admin
        .send(PreviewResourceChange {
            request: raise(i64::MAX),
        })
        .await
        .unwrap_err();
    assert_eq!(
        far.error.for_field(&format!("resource-{}", rate.id)),
        Some(format!(
            "Licenses: at most {} (you asked for {}).",
            rate.max_units.unwrap(),
            i64::MAX
        ))
    );

    admin
        .send(SubmitResourceChange {
            request: raise(5),
            idempotency_key: crate::orders::key(77),
            expected_net: None,
        })
        .await
        .unwrap();
    // While the change is open, no reduction can be scheduled against the limit it moves.
    let refused = admin.send(schedule(Some(3))).await.unwrap_err();
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.error.to_string().contains("still in progress"),
        "{}",
        refused.error
    );
    fulfil_all(&app).await;
    let row = subscription_resource::Entity::find()
        .filter(subscription_resource::Column::SubscriptionId.eq(zoom.id))
        .filter(subscription_resource::Column::ResourceRateId.eq(rate.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.limit_units, row.scheduled_limit), (5, None));
    let shown = admin.send(GetSubscription { id: zoom.id }).await.unwrap();
    assert_eq!(shown.renewal_price.cents, 5 * 1599);
}

#[tokio::test]
async fn a_reduction_inside_its_window_is_a_change_not_a_schedule() {
    use app::api::resource_changes::ScheduleReduction;
    let app = TestApp::new().await;
    let owner = app.owner().await;
    // The demo's Defender subscription started a month ago today, and renews today: its
    // window (7 days) has closed. A new subscription's has not.
    let plan = plan_by_sku(&app, "box-business-monthly").await;
    let rate = crate::orders::rate(&app, plan.id, "licenses").await;
    crate::orders::submit(
        &owner,
        crate::orders::request(plan.id, &[(rate.id, 8)]),
        &crate::orders::key(5),
    )
    .await
    .unwrap();
    fulfil_all(&app).await;
    let boxed = subscription_of(&app, "box-business-monthly").await;
    let refused = owner
        .send(ScheduleReduction {
            subscription_id: boxed.id,
            rate_id: rate.id,
            units: Some(5),
        })
        .await
        .unwrap_err();
    assert!(
        refused
            .error
            .to_string()
            .contains("can still be lowered now"),
        "{}",
        refused.error
    );
}

/// Found by the break-it review: turning auto-renew off while the renewal was under way said
/// "Ends on" and billed anyway; ending a subscription while a change was open left the change
/// to complete on an ended subscription.
#[tokio::test]
async fn auto_renew_cannot_stop_a_renewal_under_way_and_an_open_change_ends_first() {
    use app::api::resource_changes::{GetResourceChangeForm, SubmitResourceChange};
    use app::dto::resource_changes::ResourceChangeRequest;
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let defender = subscription_of(&app, "ms-defender-business-monthly").await;
    renewals::run_due(&app.state).await.unwrap();
    let refused = owner
        .send(SetAutoRenew {
            subscription_id: defender.id,
            auto_renew: false,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(reload(&app, &defender).await.auto_renew);
    fulfil_all(&app).await;

    let zoom = subscription_of(&app, "zoom-workplace-pro-monthly").await;
    owner
        .send(SetAutoRenew {
            subscription_id: zoom.id,
            auto_renew: false,
        })
        .await
        .unwrap();
    let form = owner
        .send(GetResourceChangeForm {
            subscription_id: zoom.id,
        })
        .await
        .unwrap();
    owner
        .send(SubmitResourceChange {
            request: ResourceChangeRequest {
                subscription_id: zoom.id,
                limits: vec![(form.resources[0].rate_id, 6)],
            },
            idempotency_key: "ends-after-the-change-key".into(),
            expected_net: None,
        })
        .await
        .unwrap();
    travel(&app, zoom.period_end);
    assert_eq!(renewals::run_due(&app.state).await.unwrap().ended, 0);
    assert_eq!(reload(&app, &zoom).await.status, SubscriptionStatus::Active);
    fulfil_all(&app).await;
    assert_eq!(renewals::run_due(&app.state).await.unwrap().ended, 1);
    assert_eq!(
        reload(&app, &zoom).await.status,
        SubscriptionStatus::Terminated
    );
}

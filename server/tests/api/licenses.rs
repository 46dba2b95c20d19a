//! License assignment: tenancy, roles, and never more assignments than the limit.

use crate::helpers::*;
use app::server::entities::{
    customer, license_assignment, person, plan, resource_rate, subscription, subscription_resource,
};
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// The resource of `code` in Contoso's subscription to `plan_sku`.
async fn resource(app: &TestApp, plan_sku: &str, code: &str) -> subscription_resource::Model {
    let plan = plan::Entity::find()
        .filter(plan::Column::Sku.eq(plan_sku))
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
    let sub = subscription::Entity::find()
        .filter(subscription::Column::PlanId.eq(plan.id))
        .filter(subscription::Column::CustomerId.eq(contoso.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let rate = resource_rate::Entity::find()
        .filter(resource_rate::Column::PlanId.eq(plan.id))
        .filter(resource_rate::Column::Code.eq(code))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    subscription_resource::Entity::find()
        .filter(subscription_resource::Column::SubscriptionId.eq(sub.id))
        .filter(subscription_resource::Column::ResourceRateId.eq(rate.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

async fn people_without(app: &TestApp, resource_id: i32, customer_email_domain: &str) -> Vec<i32> {
    let holders: Vec<i32> = license_assignment::Entity::find()
        .filter(license_assignment::Column::SubscriptionResourceId.eq(resource_id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    person::Entity::find()
        .filter(person::Column::Email.ends_with(customer_email_domain))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .filter(|id| !holders.contains(id))
        .collect()
}

async fn assigned(app: &TestApp, resource_id: i32) -> u64 {
    license_assignment::Entity::find()
        .filter(license_assignment::Column::SubscriptionResourceId.eq(resource_id))
        .count(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn who_may_assign() {
    let app = TestApp::new().await;
    let m365 = resource(&app, "ms365-business-basic-annual", "licenses").await;
    let free = people_without(&app, m365.id, "@contoso-dental.example").await;
    let (rid, pid) = (m365.id.to_string(), free[0].to_string());
    let form = [("resource_id", rid.as_str()), ("person_id", pid.as_str())];

    assert_eq!(
        app.call("assign_license", &form, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let user = app.login(USER).await;
    assert_eq!(
        app.call("assign_license", &form, Some(&user)).await.status,
        StatusCode::FORBIDDEN
    );
    let other = app.login(OTHER_ADMIN).await;
    assert_eq!(
        app.call("assign_license", &form, Some(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(
            "list_license_slots",
            &[("person_id", pid.as_str())],
            Some(&other)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // A person of another customer cannot get this customer's license either.
    let fabrikam_person =
        people_without(&app, m365.id, "@fabrikam-logistics.example").await[0].to_string();
    let admin = app.login(ADMIN).await;
    let cross = [
        ("resource_id", rid.as_str()),
        ("person_id", fabrikam_person.as_str()),
    ];
    assert_eq!(
        app.call("assign_license", &cross, Some(&admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let before = assigned(&app, m365.id).await;
    let reply = app.call("assign_license", &form, Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(assigned(&app, m365.id).await, before + 1);
    let again = app.call("assign_license", &form, Some(&admin)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let slots = app
        .call(
            "list_license_slots",
            &[("person_id", pid.as_str())],
            Some(&admin),
        )
        .await;
    let slot = slots
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["resource_id"] == m365.id)
        .unwrap()
        .clone();
    assert_eq!(slot["held"], true);

    assert_eq!(
        app.call("unassign_license", &form, Some(&admin))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.call("unassign_license", &form, Some(&admin))
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(assigned(&app, m365.id).await, before);
}

#[tokio::test]
async fn the_limit_is_never_exceeded() {
    let app = TestApp::new().await;
    // Zoom: 4 licenses, 3 assigned in the demo data.
    let zoom = resource(&app, "zoom-workplace-pro-monthly", "licenses").await;
    assert_eq!((zoom.limit_units, assigned(&app, zoom.id).await), (4, 3));
    let free = people_without(&app, zoom.id, "@contoso-dental.example").await;
    assert!(free.len() >= 5);
    let owner = app.login(OWNER).await;
    let rid = zoom.id.to_string();
    let ids: Vec<String> = free.iter().map(|id| id.to_string()).collect();

    // Everyone asks for the last license at once.
    let calls = ids.iter().map(|pid| {
        let form = vec![("resource_id", rid.as_str()), ("person_id", pid.as_str())];
        let owner = owner.clone();
        let app = &app;
        async move { app.call("assign_license", &form, Some(&owner)).await }
    });
    let replies = futures_join_all(calls).await;
    let ok = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert_eq!(
        ok,
        1,
        "{:?}",
        replies
            .iter()
            .map(|r| (r.status, r.body.clone()))
            .collect::<Vec<_>>()
    );
    for refused in replies.iter().filter(|r| r.status != StatusCode::OK) {
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(
            refused.body["Conflict"]
                .as_str()
                .unwrap()
                .starts_with("All 4 licenses are assigned")
        );
    }
    assert_eq!(assigned(&app, zoom.id).await, 4);
}

#[tokio::test]
async fn quotas_are_not_assigned() {
    let app = TestApp::new().await;
    let storage = resource(&app, "acronis-cyber-protect-cloud-monthly", "cloud_storage").await;
    let owner = app.login(OWNER).await;
    let pid = people_without(&app, storage.id, "@contoso-dental.example").await[0].to_string();
    let rid = storage.id.to_string();
    let reply = app
        .call(
            "assign_license",
            &[("resource_id", rid.as_str()), ("person_id", pid.as_str())],
            Some(&owner),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
}

/// Runs the futures concurrently on this task (no extra dependency for join_all).
async fn futures_join_all<F: std::future::Future>(
    futures: impl IntoIterator<Item = F>,
) -> Vec<F::Output> {
    let handles: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = handles.iter().map(|_| None).collect();
    let mut handles: Vec<Option<_>> = handles.into_iter().map(Some).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (slot, handle) in outputs.iter_mut().zip(handles.iter_mut()) {
            if let Some(fut) = handle {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(out) => {
                        *slot = Some(out);
                        *handle = None;
                    }
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(|o| o.unwrap()).collect()
}

#[tokio::test]
async fn holders_on_the_subscription_page() {
    let app = TestApp::new().await;
    let m365 = resource(&app, "ms365-business-basic-annual", "licenses").await;
    let sid = m365.subscription_id.to_string();
    let rid = m365.id.to_string();
    let owner = app.login(OWNER).await;
    let reply = app
        .call(
            "list_license_holders",
            &[("subscription_id", sid.as_str())],
            Some(&owner),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body[0]["holders"].as_array().unwrap().len(), 6);
    assert_eq!(reply.body[0]["limit"], 10);

    let other = app.login(OTHER_ADMIN).await;
    let hidden = app
        .call(
            "list_license_holders",
            &[("subscription_id", sid.as_str())],
            Some(&other),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let user = app.login(USER).await;
    let refused = app
        .call(
            "list_license_holders",
            &[("subscription_id", sid.as_str())],
            Some(&user),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // By email: only people of this account.
    let stranger = [
        ("resource_id", rid.as_str()),
        ("email", "jonas.weber@fabrikam-logistics.example"),
    ];
    let reply = app
        .call("assign_license_by_email", &stranger, Some(&owner))
        .await;
    assert_eq!(reply.body["Validation"]["field"], "email");
    let grace = [
        ("resource_id", rid.as_str()),
        ("email", "Grace.Kim@contoso-dental.example"),
    ];
    let reply = app
        .call("assign_license_by_email", &grace, Some(&owner))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(assigned(&app, m365.id).await, 7);
}

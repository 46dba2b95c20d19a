//! License assignment: tenancy, roles, and never more assignments than the limit.

use crate::helpers::*;
use app::AppError;
use app::api::licenses::{
    AssignLicense, AssignLicenseByEmail, ListLicenseHolders, ListLicenseSlots, UnassignLicense,
};
use app::server::entities::{
    license_assignment, person, plan, resource_rate, subscription, subscription_resource,
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
    let contoso = customer_by_name(app, CONTOSO).await;
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
    let person_id = free[0];
    let assign = || AssignLicense {
        resource_id: m365.id,
        person_id,
    };

    assert_eq!(
        app.anonymous().send(assign()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.user().await.send(assign()).await.status(),
        StatusCode::FORBIDDEN
    );
    let other = app.other_admin().await;
    assert_eq!(other.send(assign()).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        other.send(ListLicenseSlots { person_id }).await.status(),
        StatusCode::NOT_FOUND
    );
    // A person of another customer cannot get this customer's license either.
    let fabrikam_person = people_without(&app, m365.id, "@fabrikam-logistics.example").await[0];
    let admin = app.admin().await;
    let cross = AssignLicense {
        resource_id: m365.id,
        person_id: fabrikam_person,
    };
    assert_eq!(admin.send(cross).await.status(), StatusCode::NOT_FOUND);

    let before = assigned(&app, m365.id).await;
    admin.send(assign()).await.unwrap();
    assert_eq!(assigned(&app, m365.id).await, before + 1);
    assert_eq!(admin.send(assign()).await.status(), StatusCode::CONFLICT);

    let slots = admin.send(ListLicenseSlots { person_id }).await.unwrap();
    let slot = slots.iter().find(|s| s.resource_id == m365.id).unwrap();
    assert!(slot.held);

    let unassign = || UnassignLicense {
        resource_id: m365.id,
        person_id,
    };
    admin.send(unassign()).await.unwrap();
    assert_eq!(admin.send(unassign()).await.status(), StatusCode::CONFLICT);
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
    let owner = app.owner().await;

    // Everyone asks for the last license at once.
    let calls = free.iter().map(|&person_id| {
        owner.send(AssignLicense {
            resource_id: zoom.id,
            person_id,
        })
    });
    let outcomes = futures::future::join_all(calls).await;
    let ok = outcomes.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "{outcomes:?}");
    for refused in outcomes.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(refused.status, StatusCode::CONFLICT);
        let AppError::Conflict(message) = &refused.error else {
            panic!("{refused:?}")
        };
        assert!(
            message.starts_with("All 4 licenses are assigned"),
            "{message}"
        );
    }
    assert_eq!(assigned(&app, zoom.id).await, 4);
}

#[tokio::test]
async fn quotas_are_not_assigned() {
    let app = TestApp::new().await;
    let storage = resource(&app, "acronis-cyber-protect-cloud-annual", "cloud_storage").await;
    let owner = app.owner().await;
    let person_id = people_without(&app, storage.id, "@contoso-dental.example").await[0];
    let reply = owner
        .send(AssignLicense {
            resource_id: storage.id,
            person_id,
        })
        .await;
    assert_eq!(reply.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn holders_on_the_subscription_page() {
    let app = TestApp::new().await;
    let m365 = resource(&app, "ms365-business-basic-annual", "licenses").await;
    let holders = || ListLicenseHolders {
        subscription_id: m365.subscription_id,
    };
    let owner = app.owner().await;
    let list = owner.send(holders()).await.unwrap();
    assert_eq!(list[0].holders.len(), 6);
    assert_eq!(list[0].limit, 10);

    assert_eq!(
        app.other_admin().await.send(holders()).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.user().await.send(holders()).await.status(),
        StatusCode::FORBIDDEN
    );

    // By email: only people of this account.
    let by_email = |email: &str| AssignLicenseByEmail {
        resource_id: m365.id,
        email: email.to_owned(),
    };
    let stranger = owner.send(by_email(OTHER_USER)).await;
    assert_eq!(stranger.field(), Some("email"));
    owner
        .send(by_email("Grace.Kim@contoso-dental.example"))
        .await
        .unwrap();
    assert_eq!(assigned(&app, m365.id).await, 7);
}

#[tokio::test]
async fn a_disabled_person_gets_no_license() {
    use app::api::users::ChangeUser;
    use app::dto::users::UserCommand;
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let m365 = resource(&app, "ms365-business-basic-annual", "licenses").await;
    let grace = person_by_email(&app, GRACE).await;
    admin
        .send(ChangeUser {
            id: grace.id,
            command: UserCommand::Disable,
        })
        .await
        .unwrap();
    let before = assigned(&app, m365.id).await;
    let refused = admin
        .send(AssignLicense {
            resource_id: m365.id,
            person_id: grace.id,
        })
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(
        refused
            .unwrap_err()
            .error
            .to_string()
            .contains("is disabled")
    );
    assert_eq!(assigned(&app, m365.id).await, before);
}

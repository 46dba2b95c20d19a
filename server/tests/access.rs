//! Who may call what: roles and tenants, enforced on the server.

mod common;

use app::server::entities::{customer, subscription};
use common::*;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn subscription_of(app: &TestApp, customer_name: &str) -> i32 {
    let customer = customer::Entity::find()
        .filter(customer::Column::Name.eq(customer_name))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(customer.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn anonymous_callers_are_unauthenticated() {
    let app = TestApp::new().await;
    for name in [
        "get_dashboard",
        "list_subscriptions",
        "list_my_services",
        "list_reseller_customers",
    ] {
        let reply = app.call(name, &[], None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(reply.body, serde_json::json!("Unauthenticated"), "{name}");
    }
    let id = subscription_of(&app, "Contoso Dental Group")
        .await
        .to_string();
    assert_eq!(
        app.call("get_subscription", &[("id", &id)], None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call("current_user", &[], None).await.body,
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn a_customer_cannot_read_another_customers_subscription() {
    let app = TestApp::new().await;
    let contoso = subscription_of(&app, "Contoso Dental Group")
        .await
        .to_string();
    let fabrikam = subscription_of(&app, "Fabrikam Logistics")
        .await
        .to_string();
    let cookie = app.login(OTHER_OWNER).await;

    let own = app
        .call("get_subscription", &[("id", &fabrikam)], Some(&cookie))
        .await;
    assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);

    // Not "forbidden": the other tenant's subscription must look like it does not exist.
    let other = app
        .call("get_subscription", &[("id", &contoso)], Some(&cookie))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(other.body, serde_json::json!("NotFound"));
    let missing = app
        .call("get_subscription", &[("id", "999999")], Some(&cookie))
        .await;
    assert_eq!(missing.body, other.body);

    let list = app.call("list_subscriptions", &[], Some(&cookie)).await;
    let names: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["product_name"].as_str().unwrap())
        .collect();
    assert!(!names.is_empty());
    assert!(
        !names.contains(&"Microsoft 365 Business Basic"),
        "{names:?}"
    );
}

#[tokio::test]
async fn a_user_cannot_call_admin_functions() {
    let app = TestApp::new().await;
    let cookie = app.login(USER).await;
    let id = subscription_of(&app, "Contoso Dental Group")
        .await
        .to_string();
    for (name, form) in [
        ("get_dashboard", vec![]),
        ("list_subscriptions", vec![]),
        ("get_subscription", vec![("id", id.as_str())]),
        ("list_reseller_customers", vec![]),
    ] {
        let reply = app.call(name, &form, Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{name}");
        assert_eq!(reply.body, serde_json::json!("Forbidden"), "{name}");
    }
    let mine = app.call("list_my_services", &[], Some(&cookie)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(
        !mine.body.as_array().unwrap().is_empty(),
        "the demo user has licenses"
    );
}

#[tokio::test]
async fn admins_and_owners_manage_the_account() {
    let app = TestApp::new().await;
    for email in [OWNER, ADMIN] {
        let cookie = app.login(email).await;
        let reply = app.call("list_subscriptions", &[], Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{email}");
        assert_eq!(reply.body.as_array().unwrap().len(), 5, "{email}");
    }
}

#[tokio::test]
async fn resellers_see_only_their_customers_and_customers_not_the_reseller_panel() {
    let app = TestApp::new().await;
    let cookie = app.login(RESELLER).await;
    let reply = app
        .call("list_reseller_customers", &[], Some(&cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let names: Vec<&str> = reply
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Contoso Dental Group", "Fabrikam Logistics"]);
    // Reseller staff are not a customer's people.
    assert_eq!(
        app.call("get_dashboard", &[], Some(&cookie)).await.status,
        StatusCode::FORBIDDEN
    );

    let owner = app.login(OWNER).await;
    assert_eq!(
        app.call("list_reseller_customers", &[], Some(&owner))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_forged_or_garbled_session_cookie_is_unauthenticated() {
    let app = TestApp::new().await;
    for cookie in ["ccp_session=deadbeef", "ccp_session=", "other=1"] {
        let reply = app.call("get_dashboard", &[], Some(cookie)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{cookie}");
    }
}

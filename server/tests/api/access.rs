//! Who may call what: roles and tenants, enforced on the server.

use crate::helpers::*;
use app::AppError;
use app::api::auth::CurrentUser;
use app::api::dashboard::GetDashboard;
use app::api::me::ListMyServices;
use app::api::reseller::ListResellerCustomers;
use app::api::subscriptions::{GetSubscription, ListSubscriptions};
use app::server::entities::subscription;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn subscription_of(app: &TestApp, customer_name: &str) -> i32 {
    let customer = customer_by_name(app, customer_name).await;
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
    let anonymous = app.anonymous();
    for (name, outcome) in [
        (
            "get_dashboard",
            anonymous.send(GetDashboard {}).await.map(drop),
        ),
        (
            "list_subscriptions",
            anonymous.send(ListSubscriptions {}).await.map(drop),
        ),
        (
            "list_my_services",
            anonymous.send(ListMyServices {}).await.map(drop),
        ),
        (
            "list_reseller_customers",
            anonymous
                .send(ListResellerCustomers {
                    search: String::new(),
                    status: String::new(),
                })
                .await
                .map(drop),
        ),
    ] {
        let refused = outcome.unwrap_err();
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(refused.error, AppError::Unauthenticated, "{name}");
    }
    let id = subscription_of(&app, CONTOSO).await;
    assert_eq!(
        anonymous.send(GetSubscription { id }).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(anonymous.send(CurrentUser {}).await.unwrap(), None);
}

#[tokio::test]
async fn a_customer_cannot_read_another_customers_subscription() {
    let app = TestApp::new().await;
    let contoso = subscription_of(&app, CONTOSO).await;
    let fabrikam = subscription_of(&app, FABRIKAM).await;
    let other = app.other_owner().await;

    let own = other.send(GetSubscription { id: fabrikam }).await;
    assert_eq!(own.status(), StatusCode::OK, "{own:?}");

    // Not "forbidden": the other tenant's subscription must look like it does not exist.
    let refused = other
        .send(GetSubscription { id: contoso })
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(refused.error, AppError::NotFound);
    let missing = other
        .send(GetSubscription { id: 999_999 })
        .await
        .unwrap_err();
    assert_eq!(missing.error, refused.error);

    let list = other.send(ListSubscriptions {}).await.unwrap();
    let names: Vec<&str> = list.iter().map(|s| s.product_name.as_str()).collect();
    assert!(!names.is_empty());
    assert!(
        !names.contains(&"Microsoft 365 Business Basic"),
        "{names:?}"
    );
}

#[tokio::test]
async fn a_user_cannot_call_admin_functions() {
    let app = TestApp::new().await;
    let user = app.user().await;
    let id = subscription_of(&app, CONTOSO).await;
    for (name, outcome) in [
        ("get_dashboard", user.send(GetDashboard {}).await.map(drop)),
        (
            "list_subscriptions",
            user.send(ListSubscriptions {}).await.map(drop),
        ),
        (
            "get_subscription",
            user.send(GetSubscription { id }).await.map(drop),
        ),
        (
            "list_reseller_customers",
            user.send(ListResellerCustomers {
                search: String::new(),
                status: String::new(),
            })
            .await
            .map(drop),
        ),
    ] {
        let refused = outcome.unwrap_err();
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{name}");
        assert_eq!(refused.error, AppError::Forbidden, "{name}");
    }
    let mine = user.send(ListMyServices {}).await.unwrap();
    assert!(!mine.is_empty(), "the demo user has licenses");
}

#[tokio::test]
async fn admins_and_owners_manage_the_account() {
    let app = TestApp::new().await;
    for email in [OWNER, ADMIN] {
        let manager = app.signed_in(email).await;
        let subscriptions = manager.send(ListSubscriptions {}).await;
        assert_eq!(subscriptions.unwrap().len(), 6, "{email}");
    }
}

#[tokio::test]
async fn resellers_see_only_their_customers_and_customers_not_the_reseller_panel() {
    let app = TestApp::new().await;
    let reseller = app.reseller().await;
    let customers = reseller
        .send(ListResellerCustomers {
            search: String::new(),
            status: String::new(),
        })
        .await
        .unwrap();
    let names: Vec<&str> = customers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, [CONTOSO, FABRIKAM]);
    // Reseller staff are not a customer's people.
    assert_eq!(
        reseller.send(GetDashboard {}).await.status(),
        StatusCode::FORBIDDEN
    );

    let owner = app.owner().await;
    assert_eq!(
        owner
            .send(ListResellerCustomers {
                search: String::new(),
                status: String::new()
            })
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_forged_or_garbled_session_cookie_is_unauthenticated() {
    let app = TestApp::new().await;
    for cookie in ["ccp_session=deadbeef", "ccp_session=", "other=1"] {
        let forged = app.with_cookie(cookie);
        assert_eq!(
            forged.send(GetDashboard {}).await.status(),
            StatusCode::UNAUTHORIZED,
            "{cookie}"
        );
    }
}

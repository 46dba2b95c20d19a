//! What the screens get: dashboard figures, subscription details, health checks, pages.

use crate::helpers::*;
use app::api::dashboard::GetDashboard;
use app::api::subscriptions::{GetSubscription, ListSubscriptions};
use app::domain::{OrderStatus, SubscriptionStatus};
use http::StatusCode;

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.body, serde_json::json!("ready"));
}

#[tokio::test]
async fn the_dashboard_shows_the_callers_account() {
    let app = TestApp::new().await;
    let d = app.owner().await.send(GetDashboard {}).await.unwrap();
    assert_eq!(d.customer_name, CONTOSO);
    assert_eq!(d.people_count, 9);
    let by_status: Vec<(SubscriptionStatus, u64)> = d
        .subscriptions_by_status
        .iter()
        .map(|s| (s.status, s.count))
        .collect();
    assert_eq!(
        by_status,
        [
            (SubscriptionStatus::Trial, 1),
            (SubscriptionStatus::Active, 5)
        ]
    );
    assert_eq!(d.recent_orders.len(), 5);
    assert_eq!(
        d.recent_orders[0].status,
        OrderStatus::Failed,
        "the newest demo order is the refused fax order"
    );
    // The monthly subscriptions renew within 30 days; the annual ones do not.
    assert!(!d.renewals_due.is_empty());
    assert!(d.renewals_due.iter().all(|r| r.subscription_id > 0));
}

#[tokio::test]
async fn subscription_detail_lists_resources_with_usage() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let list = owner.send(ListSubscriptions {}).await.unwrap();
    let m365 = list
        .iter()
        .find(|s| s.product_name == "Microsoft 365 Business Basic")
        .unwrap();
    let detail = owner.send(GetSubscription { id: m365.id }).await.unwrap();
    let licenses = &detail.resources[0];
    assert_eq!(licenses.name, "Licenses");
    assert_eq!(licenses.limit, 10);
    assert_eq!(licenses.used, 6);
    assert_eq!(detail.summary.status, SubscriptionStatus::Active);
    // 10 licenses at $72.00 a year, none included.
    assert_eq!(detail.recurring_price.cents, 72_000);
}

#[tokio::test]
async fn pages_render_on_the_server() {
    let app = TestApp::new().await;
    let login = app.get("/login").await;
    assert_eq!(login.status, StatusCode::OK);
    let html = login.body.as_str().unwrap();
    assert!(html.contains("Sign in"), "{html}");

    // Signed out, the app sends you to the sign-in page.
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::FOUND);
    assert_eq!(home.headers.get(http::header::LOCATION).unwrap(), "/login");

    let missing = app.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

fn html(reply: &Reply) -> &str {
    reply.body.as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_role_gets_only_the_pages_it_may_use() {
    let app = TestApp::new().await;
    // A service user typing a manager's address gets a plain refusal, with its status, and
    // none of the page's controls.
    let user = app.user().await;
    for path in [
        "/users",
        "/users/new",
        "/users/import",
        "/orders",
        "/activity",
        "/billing",
        "/subscriptions",
        "/marketplace",
    ] {
        let reply = user.page(path).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        let page = html(&reply);
        assert!(
            page.contains("Not available for your role"),
            "{path}: {page}"
        );
        for control in ["Add user", "name=\"search\"", "Import", "Apply"] {
            assert!(!page.contains(control), "{path} shows {control}");
        }
        // The menu is the user's own.
        assert!(page.contains("href=\"/my-services\""), "{path}");
        assert!(!page.contains("href=\"/users\""), "{path}");
        assert!(
            !page.contains("/dev/outbox"),
            "{path}: the outbox is for managers"
        );
    }
    assert_eq!(user.page("/my-services").await.status, StatusCode::OK);
    assert_eq!(user.page("/profile").await.status, StatusCode::OK);
    let home = user.page("/").await;
    assert_eq!(home.status, StatusCode::FOUND);
    assert_eq!(
        home.headers.get(http::header::LOCATION).unwrap(),
        "/my-services"
    );

    // Reseller staff land in their own panel and never see a customer's controls.
    let reseller = app.reseller().await;
    let home = reseller.page("/").await;
    assert_eq!(home.status, StatusCode::FOUND);
    assert_eq!(
        home.headers.get(http::header::LOCATION).unwrap(),
        "/reseller"
    );
    for path in ["/users", "/subscriptions", "/orders/1", "/my-services"] {
        assert_eq!(
            reseller.page(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(reseller.page("/reseller").await.status, StatusCode::OK);

    // Customers' managers do not open the reseller panel.
    let owner = app.owner().await;
    assert_eq!(owner.page("/reseller").await.status, StatusCode::FORBIDDEN);
    assert_eq!(owner.page("/users").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_address_with_a_trailing_slash_goes_to_the_one_without() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    for (asked, target) in [
        ("/users/", "/users"),
        ("/orders/1/?page=2", "/orders/1?page=2"),
        ("//evil.example/", "/evil.example"),
    ] {
        let reply = owner.page(asked).await;
        assert_eq!(reply.status, StatusCode::PERMANENT_REDIRECT, "{asked}");
        assert_eq!(
            reply.headers.get(http::header::LOCATION).unwrap(),
            target,
            "{asked}"
        );
    }
}

#[tokio::test]
async fn a_detail_page_of_nothing_is_not_found() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let other = person_by_email(&app, OTHER_USER).await;
    let others = format!("/users/{}", other.id);
    for path in [
        "/users/999999",
        others.as_str(),
        "/orders/999999",
        "/subscriptions/999999",
        "/billing/999999",
        "/marketplace/999999",
        "/users/abc",
    ] {
        let reply = owner.page(path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        let page = html(&reply);
        assert!(page.contains("<h1>"), "{path}: the page has a heading");
        assert!(
            page.contains("We could not find what you asked for."),
            "{path}"
        );
    }
}

#[tokio::test]
async fn signed_in_pages_render_with_data() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let request = http::Request::get("/subscriptions")
        .header(http::header::COOKIE, owner.cookie().unwrap())
        .body(axum::body::Body::empty())
        .unwrap();
    let reply = app.request(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.body.as_str().unwrap();
    assert!(html.contains("Microsoft 365 Business Basic"));
    assert!(html.contains(CONTOSO));
}

/// The nonce a page's policy names, and every nonce its inline scripts carry.
fn nonces(reply: &Reply) -> (String, Vec<String>) {
    let policy = reply
        .headers
        .get(http::header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let named = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_default()
        .to_owned();
    let body = reply.body.as_str().unwrap_or_default();
    let carried = body
        .split("nonce=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    (named, carried)
}

#[tokio::test]
async fn every_page_names_the_nonce_its_scripts_carry() {
    // A page whose policy lost its nonce has every script blocked: it never comes alive. (The
    // loss was seen under concurrent browser load; that is checked in the browser tests. Here,
    // in sequence: sixty renders of one app in one test process hung when the whole suite ran,
    // while the same test alone passed, so this one stays sequential.)
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let cookie = owner.cookie().unwrap().to_owned();
    let paths = [
        "/",
        "/users",
        "/orders",
        "/billing",
        "/subscriptions",
        "/marketplace",
        "/activity",
        "/orders/999999",
        "/no-such-page",
        "/login",
    ];
    let mut seen = std::collections::HashSet::new();
    for path in paths.iter().chain(paths.iter()) {
        let request = http::Request::get(*path)
            .header(http::header::ACCEPT, "text/html")
            .header(http::header::COOKIE, cookie.clone())
            .body(axum::body::Body::empty())
            .unwrap();
        eprintln!("rendering {path}");
        let reply = app.request(request).await;
        let (named, carried) = nonces(&reply);
        assert!(
            named.len() >= 16,
            "{path}: policy names no nonce ({:?})",
            reply.headers
        );
        assert!(!carried.is_empty(), "{path}: no script carries a nonce");
        assert!(
            carried.iter().all(|n| *n == named),
            "{path}: {named} vs {carried:?}"
        );
        // Never the same twice.
        assert!(seen.insert(named), "{path}: a nonce was reused");
    }
}

#[tokio::test]
async fn the_demo_history_is_in_order() {
    use app::server::entities::{order, person};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    // Made through the real services with the clock moved back: nobody orders before their
    // account exists, and nothing is dated in the future.
    let app = TestApp::new().await;
    let now = app.state.clock.now();
    for owner in [OWNER, OTHER_OWNER] {
        let owner = person_by_email(&app, owner).await;
        let first = order::Entity::find()
            .filter(order::Column::CreatedBy.eq(owner.id))
            .order_by_asc(order::Column::CreatedAt)
            .one(&app.state.db)
            .await
            .unwrap()
            .expect("the owner placed the demo orders");
        assert!(owner.created_at <= first.created_at, "{}", owner.email);
    }
    for row in person::Entity::find().all(&app.state.db).await.unwrap() {
        assert!(row.created_at <= now, "{}", row.email);
    }
}

//! What the screens get: dashboard figures, subscription details, health checks, pages.

mod common;

use common::*;
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
    let cookie = app.login(OWNER).await;
    let reply = app.call("get_dashboard", &[], Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let d = &reply.body;
    assert_eq!(d["customer_name"], "Contoso Dental Group");
    assert_eq!(d["people_count"], 9);
    let by_status: Vec<(String, u64)> = d["subscriptions_by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap().to_owned(),
                s["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by_status,
        [("trial".to_owned(), 1), ("active".to_owned(), 4)]
    );
    let orders = d["recent_orders"].as_array().unwrap();
    assert_eq!(orders.len(), 5);
    assert_eq!(
        orders[0]["status"], "failed",
        "the newest demo order is the refused fax order"
    );
    // The monthly subscriptions renew within 30 days; the annual ones do not.
    let renewals = d["renewals_due"].as_array().unwrap();
    assert!(!renewals.is_empty());
    assert!(renewals.iter().all(|r| r["subscription_id"].is_number()));
}

#[tokio::test]
async fn subscription_detail_lists_resources_with_usage() {
    let app = TestApp::new().await;
    let cookie = app.login(OWNER).await;
    let list = app.call("list_subscriptions", &[], Some(&cookie)).await;
    let m365 = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["product_name"] == "Microsoft 365 Business Basic")
        .unwrap();
    let id = m365["id"].as_i64().unwrap().to_string();
    let detail = app
        .call("get_subscription", &[("id", &id)], Some(&cookie))
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    let licenses = &detail.body["resources"][0];
    assert_eq!(licenses["name"], "Licenses");
    assert_eq!(licenses["limit"], 10);
    assert_eq!(licenses["used"], 6);
    assert_eq!(detail.body["summary"]["status"], "active");
    // 10 licenses at $72.00 a year, none included.
    assert_eq!(detail.body["recurring_price"]["cents"], 72_000);
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

#[tokio::test]
async fn signed_in_pages_render_with_data() {
    let app = TestApp::new().await;
    let cookie = app.login(OWNER).await;
    let request = http::Request::get("/subscriptions")
        .header(http::header::COOKIE, &cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    let reply = app.request(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.body.as_str().unwrap();
    assert!(html.contains("Microsoft 365 Business Basic"));
    assert!(html.contains("Contoso Dental Group"));
}

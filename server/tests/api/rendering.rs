//! What a page costs the server: one lookup of the caller however many server functions the
//! render runs, each piece of data loaded and sent once, and answers compressed and cached as
//! their kind allows.

use crate::helpers::*;
use app::server::entities::{billing_document, customer, order, person, product, subscription};
use http::{StatusCode, header};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Every page of the shell with a real id, and who may open it.
async fn every_signed_in_page(app: &TestApp) -> Vec<(&'static str, String)> {
    let db = &app.state.db;
    let contoso = customer::Entity::find()
        .filter(customer::Column::Name.eq(CONTOSO))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let grace = person::Entity::find()
        .filter(person::Column::Email.eq(GRACE))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let subscription = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(contoso))
        .order_by_asc(subscription::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let order = order::Entity::find()
        .filter(order::Column::CustomerId.eq(contoso))
        .order_by_asc(order::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let document = billing_document::Entity::find()
        .filter(billing_document::Column::CustomerId.eq(contoso))
        .order_by_asc(billing_document::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let product = product::Entity::find()
        .order_by_asc(product::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let owner_pages = [
        "/".to_owned(),
        "/users".to_owned(),
        "/users/new".to_owned(),
        "/users/import".to_owned(),
        format!("/users/{grace}"),
        "/subscriptions".to_owned(),
        format!("/subscriptions/{subscription}"),
        "/marketplace".to_owned(),
        format!("/marketplace/{product}"),
        format!("/marketplace/{product}/order"),
        "/orders".to_owned(),
        format!("/orders/{order}"),
        "/billing".to_owned(),
        format!("/billing/{document}"),
        "/notifications".to_owned(),
        "/activity".to_owned(),
        "/profile".to_owned(),
    ];
    owner_pages
        .into_iter()
        .map(|path| ("owner", path))
        .chain([
            ("user", "/my-services".to_owned()),
            ("reseller", "/reseller".to_owned()),
        ])
        .collect()
}

/// One signed-in client per role (signing in per page would hit the sign-in limits).
struct Callers {
    owner: Client,
    user: Client,
    reseller: Client,
}

impl Callers {
    async fn of(app: &TestApp) -> Self {
        Self {
            owner: app.owner().await,
            user: app.user().await,
            reseller: app.reseller().await,
        }
    }

    fn get(&self, who: &str) -> &Client {
        match who {
            "owner" => &self.owner,
            "user" => &self.user,
            _ => &self.reseller,
        }
    }
}

#[tokio::test]
async fn a_page_looks_up_its_caller_once() {
    let (app, log) = TestApp::logging_statements().await;
    let callers = Callers::of(&app).await;
    for (who, path) in every_signed_in_page(&app).await {
        let client = callers.get(who);
        log.clear();
        let reply = client.page(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        let lookups = log
            .taken()
            .iter()
            .filter(|sql| sql.contains("FROM sessions"))
            .count();
        assert_eq!(lookups, 1, "{path} looked its caller up {lookups} times");
    }
}

/// The values a server-rendered page hands to the browser, one per resource.
fn resolved_resources(html: &str) -> Vec<&str> {
    html.split("__RESOLVED_RESOURCES[")
        .skip(1)
        .filter_map(|rest| rest.split_once("] = "))
        .map(|(_, value)| value.split("</script>").next().unwrap_or(value))
        .collect()
}

#[tokio::test]
async fn a_page_carries_each_piece_of_data_once() {
    let app = TestApp::new().await;
    let callers = Callers::of(&app).await;
    for (who, path) in every_signed_in_page(&app).await {
        let reply = callers.get(who).page(&path).await;
        let html = reply.body.as_str().unwrap_or_default();
        let values = resolved_resources(html);
        assert!(!values.is_empty(), "{path} sent no data: {html}");
        for (n, value) in values.iter().enumerate() {
            // The same data twice is the page built twice (two resources fetching one thing).
            assert!(
                !values[n + 1..].contains(value),
                "{path} carries {value} twice; {}",
                html.split("__PENDING_RESOURCES")
                    .nth(1)
                    .unwrap_or_default()
                    .split(';')
                    .next()
                    .unwrap_or_default()
            );
        }
    }
}

#[tokio::test]
async fn pages_and_answers_are_compressed_and_never_stored() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let request = http::Request::get("/users")
        .header(header::COOKIE, owner.cookie().unwrap())
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .body(axum::body::Body::empty())
        .unwrap();
    let reply = app.request(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");

    let request = same_origin_post(
        "/api/list_users",
        "application/x-www-form-urlencoded",
        owner.cookie(),
    )
    .header(header::ACCEPT_ENCODING, "gzip")
    .body(axum::body::Body::from("search=&role=&status=&sort=&page=1"))
    .unwrap();
    let reply = app.request(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(reply.headers[header::CONTENT_ENCODING], "gzip");
}

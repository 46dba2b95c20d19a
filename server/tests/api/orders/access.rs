//! Who may order, and whose orders, invoices, subscriptions and notifications one sees.

use super::*;
use app::api::billing::{GetDocument, ListDocuments};
use app::api::marketplace::ListProducts;
use app::api::notifications::{CountUnreadNotifications, ListNotifications, MarkNotificationsRead};
use app::api::orders::{GetOrder, ListOrders, PreviewOrder};
use app::api::subscriptions::GetSubscription;
use app::server::entities::notification;
use http::StatusCode;
use sea_orm::QueryOrder;

/// Every order list filter left open, first page.
fn all_orders() -> ListOrders {
    ListOrders {
        order_type: String::new(),
        status: String::new(),
        page: 1,
    }
}

#[tokio::test]
async fn who_may_order_and_see_orders_and_invoices() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let plan = plan_by_sku(&app, "github-team-monthly").await;
    let order_id = submit(&admin, request(plan.id, &[]), &key(20))
        .await
        .unwrap()
        .id;
    fulfil_all(&app).await;
    let detail = admin.send(GetOrder { id: order_id }).await.unwrap();
    let invoice_id = detail.invoice_id.unwrap();
    let sub_id = detail.subscription_id.unwrap();

    let user = app.user().await;
    let other = app.other_admin().await;
    let owner = app.owner().await;
    for (caller, expected) in [
        (app.anonymous(), StatusCode::UNAUTHORIZED),
        (user.clone(), StatusCode::FORBIDDEN),
        (owner.clone(), StatusCode::OK),
        (other.clone(), StatusCode::OK),
    ] {
        let outcomes = [
            (
                "list_products",
                caller
                    .send(ListProducts {
                        search: String::new(),
                        category: String::new(),
                    })
                    .await
                    .status(),
            ),
            (
                "preview_order",
                caller
                    .send(PreviewOrder {
                        request: request(plan.id, &[]),
                    })
                    .await
                    .status(),
            ),
            (
                "submit_order",
                submit(&caller, request(plan.id, &[]), &key(21))
                    .await
                    .status(),
            ),
            ("list_orders", caller.send(all_orders()).await.status()),
            (
                "list_documents",
                caller.send(ListDocuments { page: 1 }).await.status(),
            ),
        ];
        for (name, status) in outcomes {
            assert_eq!(status, expected, "{name}");
        }
    }
    // Another customer's admin: the order, invoice and subscription do not exist for them.
    for (caller, expected) in [
        (&other, StatusCode::NOT_FOUND),
        (&user, StatusCode::FORBIDDEN),
        (&owner, StatusCode::OK),
    ] {
        let outcomes = [
            (
                "get_order",
                caller.send(GetOrder { id: order_id }).await.status(),
            ),
            (
                "get_document",
                caller.send(GetDocument { id: invoice_id }).await.status(),
            ),
            (
                "get_subscription",
                caller.send(GetSubscription { id: sub_id }).await.status(),
            ),
        ];
        for (name, status) in outcomes {
            assert_eq!(status, expected, "{name}");
        }
    }
    // Their order list does not show it.
    let theirs = other.send(all_orders()).await.unwrap();
    assert!(theirs.rows.iter().all(|r| r.id != order_id));
}

#[tokio::test]
async fn notifications_are_the_readers_own() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let plan = plan_by_sku(&app, "github-team-monthly").await;
    let before = admin.send(CountUnreadNotifications {}).await.unwrap();
    submit(&admin, request(plan.id, &[]), &key(30))
        .await
        .unwrap();
    fulfil_all(&app).await;
    assert_eq!(
        admin.send(CountUnreadNotifications {}).await.unwrap(),
        before + 1
    );
    let admin_id = person_by_email(&app, ADMIN).await.id;
    let mine = notification::Entity::find()
        .filter(notification::Column::PersonId.eq(admin_id))
        .order_by_desc(notification::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    // Someone else cannot read (or mark) it.
    let owner = app.owner().await;
    let reply = owner.send(MarkNotificationsRead { id: mine.id }).await;
    assert_eq!(reply.status(), StatusCode::NOT_FOUND);
    let theirs = owner.send(ListNotifications {}).await.unwrap();
    assert!(theirs.items.iter().all(|n| n.id != mine.id));
    let marked = admin.send(MarkNotificationsRead { id: mine.id }).await;
    assert_eq!(marked.unwrap(), before, "one read, the others still unread");
    let reply = app.anonymous().send(MarkNotificationsRead { id: 0 }).await;
    assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
}

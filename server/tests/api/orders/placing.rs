//! Placing an order: one order per idempotency key, however often and however concurrently it
//! is sent, and only at the price the customer confirmed.

use super::*;
use app::AppError;
use app::server::entities::billing_document;
use http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_key_twenty_times_at_once_makes_one_order_and_one_invoice() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let before = order_count(&app).await;
    let plan = plan_by_sku(&app, "slack-pro-annual").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    let body = request(plan.id, &[(licenses.id, 12)]);
    let calls = (0..20).map(|_| {
        let (admin, body) = (admin.clone(), body.clone());
        tokio::spawn(async move { submit(&admin, body, &key(77)).await })
    });
    let replies = futures::future::join_all(calls).await;
    let mut ids = Vec::new();
    for reply in replies {
        ids.push(reply.unwrap().unwrap().id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every repeat answers with the same order");
    assert_eq!(order_count(&app).await, before + 1);
    fulfil_all(&app).await;
    let invoices = billing_document::Entity::find()
        .filter(billing_document::Column::OrderId.eq(ids[0]))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(invoices, 1);
    // The same key for a different order is refused, not silently answered.
    let other = plan_by_sku(&app, "box-business-monthly").await;
    let reply = submit(&admin, request(other.id, &[]), &key(77)).await;
    assert_eq!(reply.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_used_key_with_other_quantities_or_a_changed_price_is_refused() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let plan = plan_by_sku(&app, "ms-defender-business-monthly").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    let five = request(plan.id, &[(licenses.id, 5)]);
    let placed = submit(&admin, five.clone(), &key(40)).await.unwrap();
    // Back on the spent form, the customer changes the quantity: not silently the first order.
    let fifty = request(plan.id, &[(licenses.id, 50)]);
    let reply = submit(&admin, fifty.clone(), &key(40)).await;
    assert_eq!(reply.status(), StatusCode::CONFLICT, "{reply:?}");
    // The same order again is the first order.
    let again = submit(&admin, five, &key(40)).await.unwrap();
    assert_eq!(again.id, placed.id);

    // The price the customer saw must be the price charged.
    let stale = admin
        .send(SubmitOrder {
            request: fifty.clone(),
            idempotency_key: key(41),
            expected_total: Some(1800),
        })
        .await
        .unwrap_err();
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let AppError::Conflict(message) = &stale.error else {
        panic!("{stale:?}")
    };
    assert!(message.contains("$180.00"), "{message}");
    admin
        .send(SubmitOrder {
            request: fifty,
            idempotency_key: key(41),
            expected_total: Some(18000),
        })
        .await
        .unwrap();
}

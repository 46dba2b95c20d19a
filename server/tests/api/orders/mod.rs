//! Ordering, by concern: pricing and the catalog, placing (idempotency and the confirmed
//! price), fulfilment (exactly once, retries, failures), changes of a running subscription's
//! limits, and who may see what.
//!
//! The fixtures here find plans and rates of the demo catalog and place orders the way the
//! order form does; other areas' tests (billing) use them too.

mod access;
mod changes;
mod fulfilment;
mod placing;
mod pricing;

use crate::helpers::*;
use app::api::orders::SubmitOrder;
use app::dto::orders::{OrderRequest, PlacedOrder};
use app::server::entities::{order, plan, resource_rate};
use app::server::services::fulfilment::{self as worker, Outcome};
use app::server::vendor::SimulatedVendor;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// The catalog's plan with this SKU.
pub(crate) async fn plan_by_sku(app: &TestApp, sku: &str) -> plan::Model {
    plan::Entity::find()
        .filter(plan::Column::Sku.eq(sku))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// The rate of the resource `code` (e.g. `licenses`) of a plan.
pub(crate) async fn rate(app: &TestApp, plan_id: i32, code: &str) -> resource_rate::Model {
    resource_rate::Entity::find()
        .filter(resource_rate::Column::PlanId.eq(plan_id))
        .filter(resource_rate::Column::Code.eq(code))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// A unique idempotency key, as the browser makes one per order form.
pub(crate) fn key(n: usize) -> String {
    format!("test-order-key-{n:08}")
}

/// An order of `plan_id` with these units per resource rate.
pub(crate) fn request(plan_id: i32, resources: &[(i32, i64)]) -> OrderRequest {
    OrderRequest {
        plan_id,
        resources: resources.to_vec(),
    }
}

/// Places an order without a confirmed total, as a repeat of a form does.
pub(crate) async fn submit(
    client: &Client,
    request: OrderRequest,
    key: &str,
) -> Result<PlacedOrder, Refused> {
    client
        .send(SubmitOrder {
            request,
            idempotency_key: key.to_owned(),
            expected_total: None,
        })
        .await
}

/// Runs fulfilment until nothing is due.
pub(crate) async fn fulfil_all(app: &TestApp) -> Vec<Outcome> {
    let vendor = SimulatedVendor::default();
    let mut outcomes = Vec::new();
    while let Some(outcome) = worker::fulfil_next(&app.state, &vendor).await.unwrap() {
        outcomes.push(outcome);
    }
    outcomes
}

async fn order_count(app: &TestApp) -> u64 {
    order::Entity::find().count(&app.state.db).await.unwrap()
}

//! One order: its lines and amounts, and its status timeline, which updates live while the
//! vendor is setting the service up.

use super::params::{id_param, load_by_id};
use crate::api::orders::get_order;
use crate::components::badges::OrderBadge;
use crate::components::lines::{Line, LinesTable};
use crate::components::live::{WATCH_EVERY, refresh_while};
use crate::components::loaded::Loaded;
use crate::components::time::Time;
use crate::domain::pricing::LineKind;
use crate::domain::{OrderStatus, OrderType};
use crate::dto::orders::OrderDetail;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let id = id_param("id");
    let order = Resource::new(move || id.get(), |id| load_by_id(id, get_order));
    refresh_while(
        move || {
            order
                .get()
                .is_some_and(|o| o.is_ok_and(|o| o.row.status.is_in_progress()))
        },
        WATCH_EVERY,
        move || order.refetch(),
    );
    view! {
        <p class="breadcrumb"><a href="/orders">"← Orders"</a></p>
        <Loaded resource=order error_title="Order" let:detail>
            <OrderView detail />
        </Loaded>
    }
}

/// What the customer should know about the order's current status.
fn status_message(detail: &OrderDetail) -> Option<String> {
    match detail.row.status {
        OrderStatus::Submitted => {
            Some("Waiting for the vendor. This page updates by itself.".into())
        }
        OrderStatus::Provisioning if detail.row.order_type == OrderType::Change => {
            Some("The vendor is changing the limits. This page updates by itself.".into())
        }
        OrderStatus::Provisioning => {
            Some("The vendor is setting the service up. This page updates by itself.".into())
        }
        OrderStatus::Failed => Some(format!(
            "The order failed: {} You have not been charged.",
            detail
                .failure_reason
                .clone()
                .unwrap_or_else(|| "the vendor gave no reason.".into())
        )),
        _ => None,
    }
}

#[component]
fn OrderView(detail: OrderDetail) -> impl IntoView {
    let message = status_message(&detail);
    let failed = detail.row.status == OrderStatus::Failed;
    let in_progress = detail.row.status.is_in_progress();
    view! {
        <Title text=format!("Order {}", detail.row.number) />
        <div class="page-title-row">
            <h1>{format!("Order {}", detail.row.number)}</h1>
            <span aria-live="polite" class="order-status"><OrderBadge status=detail.row.status /></span>
        </div>
        {message.map(|m| view! {
            <p class=if failed { "error-box" } else { "notice" } role="status">
                {in_progress.then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                {m}
            </p>
        })}
        <div class="order-layout">
            <section class="card" aria-labelledby="order-what">
                <h2 id="order-what">{detail.row.product_name.clone()}</h2>
                <p class="muted">{detail.row.plan_name.clone()}" · "{detail.row.order_type.label()}</p>
                <LinesTable
                    lines=detail.lines.into_iter().map(|l| Line {
                        tax: l.kind == LineKind::Tax,
                        details: Vec::new(),
                        description: l.description,
                        quantity: l.quantity,
                        unit_price: l.unit_price,
                        amount: l.amount,
                    }).collect()
                    total_label="Total".to_owned()
                    total=detail.row.total
                />
                <dl class="facts">
                    <dt>"Placed"</dt>
                    <dd><Time at=detail.row.created_at /></dd>
                    {detail.placed_by.map(|name| view! { <dt>"By"</dt><dd>{name}</dd> })}
                </dl>
                <p class="actions">
                    {detail.subscription_id.map(|id| view! {
                        <a class="button" href=format!("/subscriptions/{id}")>"View subscription"</a>
                    })}
                    // A request still waiting can be withdrawn, on its cancel page.
                    {(detail.row.order_type == OrderType::Cancellation
                        && detail.row.status == OrderStatus::PendingApproval)
                        .then_some(detail.subscription_id)
                        .flatten()
                        .map(|id| view! {
                            <a class="button" href=format!("/subscriptions/{id}/cancel")>"Withdraw the request"</a>
                        })}
                    {detail.invoice_id.map(|id| view! {
                        <a class="button" href=format!("/billing/{id}")>"View invoice"</a>
                    })}
                    {detail.credit_note_id.map(|id| view! {
                        <a class="button" href=format!("/billing/{id}")>"View credit note"</a>
                    })}
                </p>
            </section>
            <section class="card" aria-labelledby="order-timeline">
                <h2 id="order-timeline">"Timeline"</h2>
                <ol class="timeline">
                    {detail.events.into_iter().map(|e| view! {
                        <li>
                            <OrderBadge status=e.status />
                            <span class="muted small"><Time at=e.at /></span>
                            {e.note.map(|n| view! { <span class="block small">{n}</span> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        </div>
    }
}

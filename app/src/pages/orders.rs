//! The account's orders, with type and status filters. Orders in progress update live.

use super::params::query_number;
use crate::api::orders::list_orders;
use crate::components::badges::OrderBadge;
use crate::components::filters::{ActiveFilter, FilterPanel};
use crate::components::format;
use crate::components::live::{WATCH_EVERY, refresh_while};
use crate::components::loaded::Loaded;
use crate::components::pager::Pager;
use crate::components::time::Time;
use crate::domain::{OrderStatus, OrderType};
use crate::dto::orders::OrderPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let page = query_number("page", 1);
    let filters = Memo::new(move |_| {
        query.with(|q| {
            (
                q.get("type").unwrap_or_default(),
                q.get("status").unwrap_or_default(),
                page.get(),
            )
        })
    });
    let orders = Resource::new(
        move || filters.get(),
        |(order_type, status, page)| list_orders(order_type, status, page),
    );
    refresh_while(
        move || {
            orders.get().is_some_and(|page| {
                page.is_ok_and(|p| p.rows.iter().any(|o| o.status.is_in_progress()))
            })
        },
        WATCH_EVERY,
        move || orders.refetch(),
    );
    let (order_type, status, _) = filters.get_untracked();
    view! {
        <Title text="Orders" />
        <div class="page-title-row">
            <h1>"Orders"</h1>
            <span class="actions"><a class="button primary" href="/marketplace">"New order"</a></span>
        </div>
        <FilterPanel id="orders-filters" active=Signal::derive(move || {
            let (order_type, status, _) = filters.get();
            active_filters(&order_type, &status)
        })>
        <Form method="GET" action="/orders" attr:class="filters card">
            <div class="filter">
                <label for="orders-type">"Type"</label>
                <select id="orders-type" name="type" prop:value=move || filters.get().0>
                    <option value="" selected=order_type.is_empty()>"Any type"</option>
                    {OrderType::ALL.iter().map(|t| view! {
                        <option value=t.as_str() selected=order_type == t.as_str()>{t.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="orders-status">"Status"</label>
                <select id="orders-status" name="status" prop:value=move || filters.get().1>
                    <option value="" selected=status.is_empty()>"Any status"</option>
                    {OrderStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=status == s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Apply"</button>
        </Form>
        </FilterPanel>
        <Loaded resource=orders let:page>
            {
                let (order_type, status, _) = filters.get_untracked();
                view! { <OrderTable page order_type status /> }
            }
        </Loaded>
    }
}

/// The filters in force, each with the address of the list without it.
fn active_filters(order_type: &str, status: &str) -> Vec<ActiveFilter> {
    let list_href = |order_type: &str, status: &str| {
        let query = format::query_string(&[("type", order_type), ("status", status)]);
        if query.is_empty() {
            "/orders".to_owned()
        } else {
            format!("/orders?{query}")
        }
    };
    let mut active = Vec::new();
    if let Ok(t) = OrderType::parse(order_type) {
        active.push(ActiveFilter {
            label: format!("Type: {}", t.label()),
            without: list_href("", status),
        });
    }
    if let Ok(s) = OrderStatus::parse(status) {
        active.push(ActiveFilter {
            label: format!("Status: {}", s.label()),
            without: list_href(order_type, ""),
        });
    }
    active
}

#[component]
fn OrderTable(page: OrderPage, order_type: String, status: String) -> impl IntoView {
    let href = move |n: u64| {
        let n = n.to_string();
        format!(
            "/orders?{}",
            format::query_string(&[("type", &order_type), ("status", &status), ("page", &n)])
        )
    };
    if page.rows.is_empty() {
        return view! { <p class="card muted">"No orders match these filters."</p> }.into_any();
    }
    view! {
        <table class="list card">
            <thead>
                <tr><th>"Order"</th><th>"Service"</th><th>"Type"</th><th>"Status"</th><th class="num">"Total"</th><th>"Placed"</th></tr>
            </thead>
            <tbody>
                {page.rows.into_iter().map(|o| view! {
                    <tr>
                        <td class="primary nowrap">
                            <a href=format!("/orders/{}", o.id)>{o.number.clone()}</a>
                            <span class="phone-only muted small">
                                {format!("{} · {} · ", o.product_name, o.total)}<Time at=o.created_at />
                            </span>
                        </td>
                        <td data-label="Service">{o.product_name}<span class="muted small block">{o.plan_name}</span></td>
                        <td data-label="Type">{o.order_type.label()}</td>
                        <td class="status"><OrderBadge status=o.status /></td>
                        <td data-label="Total" class="num">{o.total.to_string()}</td>
                        <td data-label="Placed"><Time at=o.created_at /></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <Pager page=page.page has_next=page.has_next href />
    }
    .into_any()
}

//! Home: the account at a glance for owner and admins.

use crate::api::dashboard::get_dashboard;
use crate::components::badges::{OrderBadge, SubscriptionBadge};
use crate::components::format;
use crate::components::loaded::Loaded;
use crate::components::orders_in_progress::OrdersInProgress;
use crate::components::time::Time;
use crate::domain::billing::last_day;
use crate::domain::usage::percent;
use crate::dto::dashboard::Dashboard;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| get_dashboard());
    view! {
        <Title text="Home" />
        <h1>"Home"</h1>
        <OrdersInProgress on_finished=Callback::new(move |_| dashboard.refetch()) />
        <Loaded resource=dashboard let:data>
            <DashboardView data />
        </Loaded>
    }
}

#[component]
fn DashboardView(data: Dashboard) -> impl IntoView {
    let total: u64 = data.subscriptions_by_status.iter().map(|s| s.count).sum();
    view! {
        <div class="tiles">
            <section class="card tile" aria-labelledby="tile-subs">
                <h2 id="tile-subs">"Subscriptions"</h2>
                <p class="big-number">{total}</p>
                <ul class="chips">
                    {data.subscriptions_by_status.into_iter().map(|s| view! {
                        <li><SubscriptionBadge status=s.status />" "{s.count}</li>
                    }).collect_view()}
                </ul>
                <a href="/subscriptions">"View subscriptions"</a>
            </section>
            <section class="card tile" aria-labelledby="tile-people">
                <h2 id="tile-people">"People"</h2>
                <p class="big-number">{data.people_count}</p>
                <p class="muted">"users and admins in " {data.customer_name}</p>
            </section>
        </div>

        {(!data.usage_warnings.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="usage-warnings">
                <h2 id="usage-warnings">"Running out"</h2>
                <ul class="rows">
                    {data.usage_warnings.into_iter().map(|w| view! {
                        <li>
                            <span>
                                <a href=format!("/subscriptions/{}", w.subscription_id)>{w.product_name.clone()}</a>
                                <span class="muted small block">{format!(
                                    "{}: {} of {} in use ({}%)",
                                    w.resource_name, w.used, format::count(w.limit, &w.unit), percent(w.used, w.limit)
                                )}</span>
                            </span>
                            <a class="button small" href=format!("/subscriptions/{}/resources", w.subscription_id)
                                aria-label=format!("Add {} to {}", w.resource_name, w.product_name)>"Add more"</a>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}

        <section class="card" aria-labelledby="renewals">
            <h2 id="renewals">"Renewals in the next 30 days"</h2>
            {if data.renewals_due.is_empty() {
                view! { <p class="muted">"Nothing renews in the next 30 days."</p> }.into_any()
            } else {
                view! {
                    <ul class="rows">
                        {data.renewals_due.into_iter().map(|r| view! {
                            <li>
                                <a href=format!("/subscriptions/{}", r.subscription_id)>{r.product_name}</a>
                                <span class="muted">{r.plan_name}</span>
                                <span>
                                    {match (r.auto_renew, r.trial) {
                                        (true, false) => format!("Renews {}", format::date(r.renews_on)),
                                        (true, true) => format!("Trial ends, paid from {}", format::date(r.renews_on)),
                                        (false, _) => format!("Ends {}", format::date(last_day(r.renews_on))),
                                    }}
                                    {r.amount.map(|a| format!(" · {a}"))}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>

        <section class="card" aria-labelledby="recent-orders">
            <h2 id="recent-orders">"Recent orders"</h2>
            {if data.recent_orders.is_empty() {
                view! { <p class="muted">"No orders yet."</p> }.into_any()
            } else {
                view! {
                    <table class="list">
                        <thead>
                            <tr><th>"Order"</th><th>"For"</th><th>"Type"</th><th>"Status"</th><th class="num">"Total"</th><th>"Date"</th></tr>
                        </thead>
                        <tbody>
                            {data.recent_orders.into_iter().map(|o| view! {
                                <tr>
                                    <td class="primary nowrap">
                                        <a href=format!("/orders/{}", o.id)>{o.number.clone()}</a>
                                        <span class="phone-only muted small">{format!("{} · {}", o.subject, o.total)}</span>
                                    </td>
                                    <td data-label="For">{o.subject}</td>
                                    <td data-label="Type">{o.order_type.label()}</td>
                                    <td class="status"><OrderBadge status=o.status /></td>
                                    <td data-label="Total" class="num">{o.total.to_string()}</td>
                                    <td data-label="Date"><Time at=o.created_at /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

//! The subscriptions of the account.

use crate::api::subscriptions::list_subscriptions;
use crate::components::badges::{ProductIcon, SubscriptionBadge};
use crate::components::format;
use crate::components::loaded::Loaded;
use crate::components::orders_in_progress::OrdersInProgress;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SubscriptionsPage() -> impl IntoView {
    let subscriptions = Resource::new(|| (), |_| list_subscriptions());
    view! {
        <Title text="Subscriptions" />
        <div class="page-title-row">
            <h1>"Subscriptions"</h1>
            <span class="actions"><a class="button primary" href="/marketplace">"Order a service"</a></span>
        </div>
        <OrdersInProgress on_finished=Callback::new(move |_| subscriptions.refetch()) />
        <Loaded resource=subscriptions let:list>
            {if list.is_empty() {
                view! {
                    <p class="card muted">"This account has no subscriptions yet."</p>
                }.into_any()
            } else {
                view! {
                    <table class="list card">
                        <thead>
                            <tr><th>"Service"</th><th>"Plan"</th><th>"Status"</th><th>"Renewal"</th><th><span class="visually-hidden">"Actions"</span></th></tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|s| {
                                let renewal = if s.status.is_live() {
                                    // Renewing, the new period starts on the end date; ending, the
                                    // day before is the last one of service.
                                    if s.auto_renew {
                                        format!("Renews {}", format::date(s.period_end))
                                    } else {
                                        format!("Ends {}", format::date(crate::domain::billing::last_day(s.period_end)))
                                    }
                                } else {
                                    "Ended".to_owned()
                                };
                                let product = s.product_name.clone();
                                view! {
                                <tr>
                                    <td class="primary">
                                        <span class="with-icon">
                                            <ProductIcon icon=s.icon color=s.color />
                                            <span>
                                                <a href=format!("/subscriptions/{}", s.id)>{s.product_name}</a>
                                                <span class="muted small block wide-only">{s.vendor.clone()}</span>
                                                <span class="phone-only muted small">{format!("{} · {}", s.plan_name, renewal.clone())}</span>
                                            </span>
                                        </span>
                                    </td>
                                    <td data-label="Plan">{s.plan_name}</td>
                                    <td class="status"><SubscriptionBadge status=s.status /></td>
                                    <td>{renewal}</td>
                                    <td class="row-actions">
                                        {s.status.can_change_limits().then(|| view! {
                                            <a class="button small" href=format!("/subscriptions/{}/resources", s.id)
                                                aria-label=format!("Add or remove resources of {}", product)>"Add or remove resources"</a>
                                        })}
                                    </td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </Loaded>
    }
}

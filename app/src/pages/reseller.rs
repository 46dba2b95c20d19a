//! The reseller's home: their customers.

use crate::api::reseller::list_reseller_customers;
use crate::components::loaded::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ResellerHomePage() -> impl IntoView {
    let customers = Resource::new(|| (), |_| list_reseller_customers());
    view! {
        <Title text="Customers" />
        <h1>"Customers"</h1>
        <Loaded resource=customers let:list>
            <table class="list card">
                <thead>
                    <tr><th>"Customer"</th><th>"Country"</th><th class="num">"People"</th><th class="num">"Live subscriptions"</th></tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|c| view! {
                        <tr>
                            <td class="primary plain">
                                {c.name}
                                <span class="phone-only muted small">{format!(
                                    "{} · {} people · {} live subscriptions",
                                    c.country, c.people, c.live_subscriptions
                                )}</span>
                            </td>
                            <td>{c.country.clone()}</td>
                            <td class="num">{c.people}</td>
                            <td class="num">{c.live_subscriptions}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Loaded>
    }
}

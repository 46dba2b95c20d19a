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
            <table class="responsive card">
                <thead>
                    <tr><th>"Customer"</th><th>"Country"</th><th class="num">"People"</th><th class="num">"Live subscriptions"</th></tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|c| view! {
                        <tr>
                            <td data-label="Customer">{c.name}</td>
                            <td data-label="Country">{c.country}</td>
                            <td data-label="People" class="num">{c.people}</td>
                            <td data-label="Live subscriptions" class="num">{c.live_subscriptions}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Loaded>
    }
}

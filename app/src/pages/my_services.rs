//! "My services": what is assigned to the signed-in person.

use crate::api::me::list_my_services;
use crate::components::badges::ProductIcon;
use crate::components::format;
use crate::components::loaded::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MyServicesPage() -> impl IntoView {
    let services = Resource::new(|| (), |_| list_my_services());
    view! {
        <Title text="My services" />
        <h1>"My services"</h1>
        <Loaded resource=services let:list>
            {if list.is_empty() {
                view! {
                    <p class="card muted">"No services are assigned to you yet. Your administrator can assign them."</p>
                }.into_any()
            } else {
                view! {
                    <ul class="service-list">
                        {list.into_iter().map(|s| view! {
                            <li class="card with-icon">
                                <ProductIcon icon=s.icon color=s.color />
                                <span>
                                    <strong>{s.product_name}</strong>
                                    <span class="muted small block">
                                        {format!("{} · {} · assigned {}", s.vendor, s.resource_name, format::date(s.assigned_at.date_naive()))}
                                    </span>
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Loaded>
    }
}

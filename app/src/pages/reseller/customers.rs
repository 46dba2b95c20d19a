//! The reseller's customers: searched by name or contact email, filtered by status, each name a
//! link to the customer's general information page.

use crate::api::reseller::list_reseller_customers;
use crate::components::format;
use crate::components::loaded::Loaded;
use crate::domain::customer::country_name;
use crate::domain::{CustomerStatus, PersonStatus};
use crate::dto::reseller::ResellerCustomer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ResellerCustomersPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| {
            (
                q.get("q").unwrap_or_default(),
                q.get("status").unwrap_or_default(),
            )
        })
    });
    let customers = Resource::new(
        move || filters.get(),
        |(search, status)| list_reseller_customers(search, status),
    );
    let (search, status) = filters.get_untracked();
    view! {
        <Title text="Customers" />
        <div class="page-title-row">
            <h1>"Customers"</h1>
            <span class="actions"><a class="button primary" href="/reseller/customers/new">"New customer"</a></span>
        </div>
        <Form method="GET" action="/reseller/customers" attr:class="filters card" attr:role="search">
            <div class="filter">
                <label for="customers-search">"Name or contact email"</label>
                <input id="customers-search" name="q" type="search" maxlength="100" value=search
                    prop:value=move || filters.get().0 />
            </div>
            <div class="filter">
                <label for="customers-status">"Status"</label>
                <select id="customers-status" name="status" prop:value=move || filters.get().1>
                    <option value="" selected=status.is_empty()>"Any status"</option>
                    {CustomerStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=status == s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Search"</button>
        </Form>
        <Loaded resource=customers let:list>
            <CustomerTable list />
        </Loaded>
    }
}

fn owner_note(status: Option<PersonStatus>) -> &'static str {
    match status {
        Some(PersonStatus::Invited) => "Owner not activated yet",
        Some(PersonStatus::Disabled) => "Owner disabled",
        Some(PersonStatus::Locked) => "Owner locked out",
        Some(PersonStatus::Active) => "",
        None => "No owner",
    }
}

#[component]
fn CustomerTable(list: Vec<ResellerCustomer>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="card muted">"No customer matches."</p> }.into_any();
    }
    view! {
        <table class="list card">
            <thead>
                <tr>
                    <th>"Customer"</th><th>"Status"</th><th>"Country"</th>
                    <th class="num">"People"</th><th class="num">"Live subscriptions"</th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|c| {
                    let note = owner_note(c.owner_status);
                    let country = country_name(&c.country).to_owned();
                    view! {
                        <tr>
                            <td class="primary">
                                <a href=format!("/reseller/customers/{}", c.id)>{c.name.clone()}</a>
                                {(!note.is_empty()).then(|| view! { <span class="muted small block">{note}</span> })}
                                <span class="phone-only muted small">{format!(
                                    "{} · {} · {} · {}",
                                    c.status.label(),
                                    country,
                                    if c.people == 1 { "1 person".to_owned() } else { format!("{} people", c.people) },
                                    format::count(i64::try_from(c.live_subscriptions).unwrap_or(i64::MAX), "live subscription"),
                                )}</span>
                            </td>
                            <td>{c.status.label()}</td>
                            <td>{country.clone()}</td>
                            <td class="num">{c.people}</td>
                            <td class="num">{c.live_subscriptions}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

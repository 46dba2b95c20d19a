//! What the reseller's staff did, newest first: in the reseller panel and in customers' panels
//! (where each entry names the staff member and the owner they acted for).

use crate::api::reseller::list_reseller_activity;
use crate::components::format;
use crate::components::loaded::Loaded;
use crate::components::pager::Pager;
use crate::dto::activity::describe;
use crate::dto::reseller::ResellerActivityPage;
use crate::pages::params::query_number;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ResellerActivityPageView() -> impl IntoView {
    let page = query_number("page", 1);
    let activity = Resource::new(move || page.get(), list_reseller_activity);
    view! {
        <Title text="Activity" />
        <h1>"Activity"</h1>
        <Loaded resource=activity let:entries>
            <ActivityList entries />
        </Loaded>
    }
}

#[component]
fn ActivityList(entries: ResellerActivityPage) -> impl IntoView {
    let (number, has_next) = (entries.page, entries.has_next);
    view! {
        {entries.rows.is_empty().then(|| view! { <p class="card muted">"Nothing yet."</p> })}
        <ul class="card rows">
            {entries.rows.into_iter().map(|r| {
                let e = r.entry;
                let who = match (&e.impersonator_name, &e.actor_name) {
                    (Some(staff), Some(owner)) => format!("{staff} for {owner}"),
                    (None, Some(actor)) => actor.clone(),
                    (Some(staff), None) => staff.clone(),
                    (None, None) => "System".into(),
                };
                view! {
                    <li>
                        <span>
                            <strong>{describe(&e.action)}</strong>
                            <span class="muted small block">{format!("{who} · {}", format::date_time(e.at))}</span>
                            {r.customer_id.zip(r.customer_name).map(|(id, name)| view! {
                                <a class="small" href=format!("/reseller/customers/{id}")>{name}</a>
                            })}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <Pager page=number has_next newest_first=true
            href=Callback::new(|n: u64| format!("/reseller/activity?page={n}")) />
    }
}

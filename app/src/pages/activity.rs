//! Activity: who changed what in the account, newest first.

use super::params::query_number;
use crate::api::activity::list_activity;
use crate::components::format::{self, query_string};
use crate::components::loaded::Loaded;
use crate::components::pager::Pager;
use crate::dto::activity::{ACTIVITY_AREAS, ActivityPage, describe};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Debug, Default, PartialEq)]
struct Filters {
    area: String,
    from: String,
    to: String,
}

fn href(f: &Filters, page: u64) -> String {
    let page = if page > 1 {
        page.to_string()
    } else {
        String::new()
    };
    let query = query_string(&[
        ("area", &f.area),
        ("from", &f.from),
        ("to", &f.to),
        ("page", &page),
    ]);
    if query.is_empty() {
        "/activity".into()
    } else {
        format!("/activity?{query}")
    }
}

#[component]
pub fn ActivityPageView() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| Filters {
            area: q.get("area").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
        })
    });
    let page = query_number("page", 1);
    let entries = Resource::new(
        move || (filters.get(), page.get()),
        |(f, p)| list_activity(f.area, f.from, f.to, p),
    );
    let current = filters.get_untracked();
    view! {
        <Title text="Activity" />
        <h1>"Activity"</h1>
        <Form method="GET" action="/activity" attr:class="filters card">
            <div class="filter">
                <label for="activity-area">"Show"</label>
                <select id="activity-area" name="area">
                    <option value="" selected=current.area.is_empty()>"Everything"</option>
                    {ACTIVITY_AREAS.iter().map(|(value, label, _)| view! {
                        <option value=*value selected=current.area == *value>{*label}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="activity-from">"From"</label>
                <input id="activity-from" type="date" name="from" value=current.from.clone() />
            </div>
            <div class="filter">
                <label for="activity-to">"To"</label>
                <input id="activity-to" type="date" name="to" value=current.to.clone() />
            </div>
            <button type="submit" class="button">"Apply"</button>
        </Form>
        <Loaded resource=entries let:data>
            <ActivityTable data filters=filters.get_untracked() />
        </Loaded>
    }
}

#[component]
fn ActivityTable(data: ActivityPage, filters: Filters) -> impl IntoView {
    if data.rows.is_empty() {
        return view! { <p class="card muted">"Nothing here yet."</p> }.into_any();
    }
    let page = data.page;
    view! {
        <table class="responsive card">
            <thead>
                <tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Target"</th><th>"From"</th></tr>
            </thead>
            <tbody>
                {data.rows.into_iter().map(|e| {
                    let who = match (&e.actor_name, &e.impersonator_name) {
                        (Some(actor), Some(staff)) => format!("{staff} for {actor}"),
                        (Some(actor), None) => actor.clone(),
                        (None, _) => "System".to_owned(),
                    };
                    view! {
                        <tr>
                            <td data-label="When">{format::date_time(e.at)}</td>
                            <td data-label="Who">{who}</td>
                            <td data-label="What">
                                {describe(&e.action)}
                                {e.details.map(|d| view! { <details class="small"><summary>"Details"</summary><code class="break">{d}</code></details> })}
                            </td>
                            <td data-label="Target">{format!("{} {}", e.target_type, e.target_id.unwrap_or_default())}</td>
                            <td data-label="From">{e.ip.unwrap_or_else(|| "—".into())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <Pager page has_next=data.has_next href=move |n| href(&filters, n) newest_first=true />
    }
    .into_any()
}

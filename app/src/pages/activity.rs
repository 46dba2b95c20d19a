//! Activity: who changed what in the account, newest first.

use super::params::query_number;
use crate::api::activity::list_activity;
use crate::components::filters::{ActiveFilter, FilterPanel};
use crate::components::format::query_string;
use crate::components::loaded::Loaded;
use crate::components::pager::Pager;
use crate::components::time::Time;
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

impl Filters {
    /// The filters in force, each with the address of the list without it.
    fn active(&self) -> Vec<ActiveFilter> {
        let without = |clear: fn(&mut Filters)| {
            let mut rest = self.clone();
            clear(&mut rest);
            href(&rest, 1)
        };
        let mut active = Vec::new();
        if let Some((_, label, _)) = ACTIVITY_AREAS
            .iter()
            .find(|(value, _, _)| *value == self.area)
        {
            active.push(ActiveFilter {
                label: (*label).to_owned(),
                without: without(|f| f.area.clear()),
            });
        }
        if !self.from.is_empty() {
            active.push(ActiveFilter {
                label: format!("From {}", self.from),
                without: without(|f| f.from.clear()),
            });
        }
        if !self.to.is_empty() {
            active.push(ActiveFilter {
                label: format!("To {}", self.to),
                without: without(|f| f.to.clear()),
            });
        }
        active
    }
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
        <FilterPanel id="activity-filters" active=Signal::derive(move || filters.get().active())>
        <Form method="GET" action="/activity" attr:class="filters card">
            <div class="filter">
                <label for="activity-area">"Show"</label>
                <select id="activity-area" name="area" prop:value=move || filters.get().area>
                    <option value="" selected=current.area.is_empty()>"Everything"</option>
                    {ACTIVITY_AREAS.iter().map(|(value, label, _)| view! {
                        <option value=*value selected=current.area == *value>{*label}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="activity-from">"From"</label>
                <input id="activity-from" type="date" name="from" value=current.from.clone()
                    prop:value=move || filters.get().from />
            </div>
            <div class="filter">
                <label for="activity-to">"To"</label>
                <input id="activity-to" type="date" name="to" value=current.to.clone()
                    prop:value=move || filters.get().to />
            </div>
            <button type="submit" class="button">"Apply"</button>
        </Form>
        </FilterPanel>
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
        <table class="list card">
            <thead>
                <tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Target"</th><th>"From"</th></tr>
            </thead>
            <tbody>
                {data.rows.into_iter().map(|e| {
                    let actor = match (e.actor_name.clone(), e.actor_id) {
                        (Some(name), Some(id)) => view! { <a href=format!("/users/{id}")>{name}</a> }.into_any(),
                        (Some(name), None) => name.into_any(),
                        (None, _) => "System".into_any(),
                    };
                    let who = view! {
                        {e.impersonator_name.clone().map(|staff| format!("{staff} for "))}
                        {actor}
                    };
                    let target = match (e.target_name.clone(), e.target_href.clone()) {
                        (Some(name), Some(href)) => view! { <a href=href>{name}</a> }.into_any(),
                        (Some(name), None) => name.into_any(),
                        (None, _) if e.target_type == "person" => view! { <span class="muted">"A person no longer in the account"</span> }.into_any(),
                        (None, _) => format!("{} {}", e.target_type, e.target_id.clone().unwrap_or_default()).into_any(),
                    };
                    let summary = format!(
                        "{}{} · {} · ",
                        e.impersonator_name.clone().map(|staff| format!("{staff} for ")).unwrap_or_default(),
                        e.actor_name.clone().unwrap_or_else(|| "System".into()),
                        e.target_name.clone().unwrap_or_else(|| e.target_type.clone()),
                    );
                    view! {
                        <tr>
                            <td><Time at=e.at /></td>
                            <td>{who}</td>
                            <td class="primary plain">
                                {describe(&e.action)}
                                <span class="phone-only muted small">{summary}<Time at=e.at /></span>
                                {e.details.map(|d| view! { <details class="small"><summary>"Details"</summary><code class="break">{d}</code></details> })}
                            </td>
                            <td>{target}</td>
                            <td>{e.ip.unwrap_or_else(|| "—".into())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <Pager page has_next=data.has_next href=move |n| href(&filters, n) newest_first=true />
    }
    .into_any()
}

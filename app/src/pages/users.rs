//! The users of the account: search, filter, sort, pages. Filters live in the address, so a
//! filtered list can be bookmarked, shared and reloaded.

use super::params::query_number;
use crate::api::users::list_users;
use crate::components::badges::PersonBadge;
use crate::components::filters::{ActiveFilter, FilterPanel};
use crate::components::format::{query_string, thousands};
use crate::components::loaded::Loaded;
use crate::components::pager::Pager;
use crate::domain::{PersonStatus, Role};
use crate::dto::users::{UserPage, UserSort};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Debug, PartialEq)]
struct Filters {
    q: String,
    role: String,
    status: String,
    sort: String,
}

impl Filters {
    /// The filters in force, each with the address of the list without it.
    fn active(&self) -> Vec<ActiveFilter> {
        let without = |clear: fn(&mut Filters)| {
            let mut rest = self.clone();
            clear(&mut rest);
            rest.href(1)
        };
        let mut active = Vec::new();
        if !self.q.is_empty() {
            active.push(ActiveFilter {
                label: format!("“{}”", self.q),
                without: without(|f| f.q.clear()),
            });
        }
        if let Ok(role) = Role::parse(&self.role) {
            active.push(ActiveFilter {
                label: format!("Role: {}", role.label()),
                without: without(|f| f.role.clear()),
            });
        }
        if let Ok(status) = PersonStatus::parse(&self.status) {
            active.push(ActiveFilter {
                label: format!("Status: {}", status.label()),
                without: without(|f| f.status.clear()),
            });
        }
        active
    }

    fn href(&self, page: u64) -> String {
        let page = if page > 1 {
            page.to_string()
        } else {
            String::new()
        };
        let query = query_string(&[
            ("q", &self.q),
            ("role", &self.role),
            ("status", &self.status),
            ("sort", &self.sort),
            ("page", &page),
        ]);
        if query.is_empty() {
            "/users".into()
        } else {
            format!("/users?{query}")
        }
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| Filters {
            q: q.get("q").unwrap_or_default(),
            role: q.get("role").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            sort: q.get("sort").unwrap_or_default(),
        })
    });
    let page = query_number("page", 1);
    let users = Resource::new(
        move || (filters.get(), page.get()),
        |(f, page)| list_users(f.q, f.role, f.status, f.sort, page),
    );
    let current = filters.get_untracked();

    view! {
        <Title text="Users" />
        <div class="page-title-row">
            <h1>"Users"</h1>
            <span class="actions">
                <a class="button" href="/users/import">"Import"</a>
                <a class="button primary" href="/users/new">"Add user"</a>
            </span>
        </div>
        <FilterPanel id="users-filters" active=Signal::derive(move || filters.get().active())>
        <Form method="GET" action="/users" attr:class="filters card" attr:role="search">
            <div class="filter">
                <label for="users-q">"Search"</label>
                <input id="users-q" type="search" name="q" value=current.q.clone()
                    prop:value=move || filters.get().q
                    placeholder="Name or email starts with…" autocomplete="off" />
            </div>
            <div class="filter">
                <label for="users-role">"Role"</label>
                <select id="users-role" name="role" prop:value=move || filters.get().role>
                    <option value="" selected=current.role.is_empty()>"Any role"</option>
                    {[Role::Owner, Role::Admin, Role::User].into_iter().map(|r| view! {
                        <option value=r.as_str() selected=current.role == r.as_str()>{r.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="users-status">"Status"</label>
                <select id="users-status" name="status" prop:value=move || filters.get().status>
                    <option value="" selected=current.status.is_empty()>"Any status"</option>
                    {PersonStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=current.status == s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="users-sort">"Sort"</label>
                <select id="users-sort" name="sort"
                    prop:value=move || UserSort::parse(&filters.get().sort).as_str()>
                    {UserSort::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=UserSort::parse(&current.sort) == *s>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Apply"</button>
        </Form>
        </FilterPanel>
        <Loaded resource=users let:data>
            <UserTable data filters=filters.get_untracked() />
        </Loaded>
    }
}

#[component]
fn UserTable(data: UserPage, filters: Filters) -> impl IntoView {
    let last = data.last_page();
    let (page, has_next) = (data.people.page, data.people.has_next);
    let summary = if data.total_is_capped() {
        format!(
            "More than {} people",
            thousands(crate::dto::users::COUNT_CAP)
        )
    } else if data.total == 1 {
        "1 person".to_owned()
    } else {
        format!("{} people", thousands(data.total))
    };
    let grouped_note = data.grouped.then(|| {
        let sorted_on = if matches!(
            UserSort::parse(&filters.sort),
            UserSort::EmailAsc | UserSort::EmailDesc
        ) {
            "email addresses"
        } else {
            "names"
        };
        format!(
            "With this many matches, people whose {sorted_on} match come first, then the \
             others, each group in order. Type more of the name or email to sort them all together."
        )
    });
    if data.people.rows.is_empty() {
        return view! { <p class="card muted">"No one matches these filters."</p> }.into_any();
    }
    view! {
        <p class="muted" role="status">{summary}</p>
        {grouped_note.map(|note| view! { <p class="muted small">{note}</p> })}
        <table class="list card people">
            <thead>
                <tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Status"</th><th class="num">"Services"</th></tr>
            </thead>
            <tbody>
                {data.people.rows.into_iter().map(|u| view! {
                    <tr>
                        <td class="primary">
                            <a href=format!("/users/{}", u.id)>{u.name}</a>
                            <span class="phone-only muted small">{format!("{} · {}", u.email, u.role.label())}</span>
                        </td>
                        <td class="break">{u.email}</td>
                        <td data-label="Role">{u.role.label()}</td>
                        <td class="status"><PersonBadge status=u.status /></td>
                        <td data-label="Services" class="num">{u.services}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <Pager page has_next last=last href=move |n| filters.href(n) />
    }
    .into_any()
}

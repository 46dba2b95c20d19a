//! `<FilterPanel>`: a list's filters, open beside the list on a wide screen and folded behind a
//! "Filters" button on a phone, where the filters in force show as chips that remove
//! themselves when tapped.

use leptos::prelude::*;

/// A filter in force: what it says ("Role: Admin") and the address of the list without it.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveFilter {
    pub label: String,
    pub without: String,
}

#[component]
pub fn FilterPanel(
    /// The id of the panel, for the button's `aria-controls`.
    id: &'static str,
    active: Vec<ActiveFilter>,
    children: Children,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let count = active.len();
    view! {
        <div class="filter-bar">
            <button type="button" class="button filters-toggle" aria-controls=id
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {if count == 0 { "Filters".to_owned() } else { format!("Filters ({count})") }}
            </button>
            {(count > 0).then(|| view! {
                <ul class="chips active-filters" aria-label="Filters in use">
                    {active.into_iter().map(|filter| {
                        let remove = format!("Remove the filter {}", filter.label);
                        view! {
                        <li>
                            <a class="chip" href=filter.without aria-label=remove>
                                {filter.label}<span aria-hidden="true">" ×"</span>
                            </a>
                        </li>
                    }}).collect_view()}
                </ul>
            })}
        </div>
        <div id=id class="filter-panel" class:open=move || open.get()>
            {children()}
        </div>
    }
}

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
    /// Follows the address: a chip tapped or a filter applied changes it without a new page.
    #[prop(into)]
    active: Signal<Vec<ActiveFilter>>,
    children: Children,
) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <div class="filter-bar">
            <button type="button" class="button filters-toggle" aria-controls=id
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || match active.with(Vec::len) {
                    0 => "Filters".to_owned(),
                    count => format!("Filters ({count})"),
                }}
            </button>
            {move || (!active.with(Vec::is_empty)).then(|| view! {
                <ul class="chips active-filters" aria-label="Filters in use">
                    {active.get().into_iter().map(|filter| {
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

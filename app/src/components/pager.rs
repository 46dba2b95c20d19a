//! Previous / next links under a paged list. A list that fits on one page shows none.

use leptos::prelude::*;

/// `href` makes the address of page `n` (from 1), keeping the list's filters. `last` is the
/// number of pages when the list knows it. Newest-first lists call their pages newer and older.
#[component]
pub fn Pager(
    page: u64,
    has_next: bool,
    #[prop(into)] href: Callback<u64, String>,
    #[prop(default = None)] last: Option<u64>,
    #[prop(optional)] newest_first: bool,
) -> impl IntoView {
    if page <= 1 && !has_next {
        return ().into_any();
    }
    let (previous, next) = if newest_first {
        ("← Newer", "Older →")
    } else {
        ("← Previous", "Next →")
    };
    let position = match last {
        Some(last) => format!("Page {page} of {last}"),
        None => format!("Page {page}"),
    };
    view! {
        <nav class="pagination" aria-label="Pages">
            {(page > 1).then(|| view! { <a href=href.run(page - 1) rel="prev">{previous}</a> })}
            <span>{position}</span>
            {has_next.then(|| view! { <a href=href.run(page + 1) rel="next">{next}</a> })}
        </nav>
    }
    .into_any()
}

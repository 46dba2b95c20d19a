//! The page for any address the app does not know.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <main class="centered-page">
            <div class="card narrow">
                <h1>"Page not found"</h1>
                <p>"There is nothing at this address. It may have moved, or the link may be mistyped."</p>
                <a class="button" href="/">"Go to the home page"</a>
            </div>
        </main>
    }
}

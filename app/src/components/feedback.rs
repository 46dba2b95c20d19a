//! Loading and error states, the same everywhere.

use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn Loading(#[prop(default = "Loading…")] label: &'static str) -> impl IntoView {
    view! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {label}
        </p>
    }
}

#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let sign_in = matches!(error, AppError::Unauthenticated);
    view! {
        <div class="error-box" role="alert">
            <p>{error.to_string()}</p>
            {sign_in.then(|| view! { <a href="/login">"Sign in"</a> })}
        </div>
    }
}

/// Empties a form once what it sent has succeeded, so the next entry starts blank and nothing
/// is sent twice by accident ("Add user", a password change). Runs in the browser only.
pub fn reset_form_after(
    form: NodeRef<leptos::html::Form>,
    succeeded: impl Fn() -> bool + Send + Sync + 'static,
) {
    Effect::new(move |_| {
        if succeeded()
            && let Some(form) = form.get_untracked()
        {
            form.reset();
        }
    });
}

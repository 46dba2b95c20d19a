//! Sign-in page.

use crate::api::auth::Login;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = move || match login.value().get() {
        Some(Err(err)) => Some(err),
        _ => None,
    };
    let field_error = move |field: &'static str| error().and_then(|e: AppError| e.for_field(field));
    let form_error = move || {
        error().filter(|e| !matches!(e, AppError::Validation { field, .. } if !field.is_empty()))
    };

    view! {
        <Title text="Sign in" />
        <main class="centered-page">
            <div class="card narrow login-card">
                <h1>"Sign in"</h1>
                <p class="muted">"Customer Control Panel"</p>
                <ActionForm action=login attr:novalidate=true>
                    <label for="email">"Email"</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        aria-invalid=move || field_error("email").is_some().to_string()
                    />
                    {move || field_error("email").map(|m| view! { <p class="field-error">{m}</p> })}
                    <label for="password">"Password"</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-invalid=move || field_error("password").is_some().to_string()
                    />
                    {move || field_error("password").map(|m| view! { <p class="field-error">{m}</p> })}
                    {move || form_error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                    <button type="submit" class="button primary" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
                <p><a href="/forgot-password">"Forgot your password?"</a></p>
            </div>
        </main>
    }
}

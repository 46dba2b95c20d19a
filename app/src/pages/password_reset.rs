//! "Forgot your password?": ask for a link, then choose a new password from it.

use crate::api::account::{RequestPasswordReset, ResetPassword};
use crate::domain::Password;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn field_message(error: Option<AppError>, field: &str) -> Option<String> {
    error.and_then(|e| e.for_field(field))
}

fn general_message(error: Option<AppError>, fields: &[&str]) -> Option<String> {
    error
        .filter(|e| !fields.iter().any(|f| e.for_field(f).is_some()))
        .map(|e| e.to_string())
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = move || request.value().get().and_then(Result::err);
    let sent = move || matches!(request.value().get(), Some(Ok(())));
    view! {
        <Title text="Forgot your password" />
        <main class="centered-page">
            <div class="card narrow login-card">
                <h1>"Forgot your password?"</h1>
                <Show when=sent fallback=move || view! {
                    <p class="muted">"Enter your sign-in email. We will send you a link to choose a new password."</p>
                    <ActionForm action=request attr:novalidate=true>
                        <label for="reset-email">"Email"</label>
                        <input id="reset-email" name="email" type="email" autocomplete="username" required
                            aria-invalid=move || field_message(error(), "email").is_some().to_string() />
                        {move || field_message(error(), "email").map(|m| view! { <p class="field-error">{m}</p> })}
                        {move || general_message(error(), &["email"]).map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                        <button type="submit" class="button primary" disabled=move || request.pending().get()>"Send the link"</button>
                    </ActionForm>
                }>
                    <p class="notice" role="status">
                        "If this address has an account, a link to choose a new password is on its way. It works for 2 hours."
                    </p>
                </Show>
                <p><a href="/login">"Back to sign in"</a></p>
            </div>
        </main>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let reset = ServerAction::<ResetPassword>::new();
    let error = move || reset.value().get().and_then(Result::err);
    let fields = ["password", "password_confirm"];
    view! {
        <Title text="Choose a new password" />
        <main class="centered-page">
            <div class="card narrow login-card">
                <h1>"Choose a new password"</h1>
                <ActionForm action=reset attr:novalidate=true>
                    <input type="hidden" name="token" value=token />
                    <label for="reset-password">"New password"</label>
                    <input id="reset-password" name="password" type="password" autocomplete="new-password"
                        aria-describedby="reset-rule" required
                        aria-invalid=move || field_message(error(), "password").is_some().to_string() />
                    <p id="reset-rule" class="hint">{Password::RULE}</p>
                    {move || field_message(error(), "password").map(|m| view! { <p class="field-error">{m}</p> })}
                    <label for="reset-confirm">"Repeat the password"</label>
                    <input id="reset-confirm" name="password_confirm" type="password" autocomplete="new-password" required
                        aria-invalid=move || field_message(error(), "password_confirm").is_some().to_string() />
                    {move || field_message(error(), "password_confirm").map(|m| view! { <p class="field-error">{m}</p> })}
                    {move || general_message(error(), &fields).map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                    <button type="submit" class="button primary" disabled=move || reset.pending().get()>"Save and sign in"</button>
                </ActionForm>
                <p><a href="/forgot-password">"Ask for a new link"</a></p>
            </div>
        </main>
    }
}

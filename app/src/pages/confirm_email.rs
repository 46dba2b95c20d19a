//! Confirming a new sign-in email from the link sent to it. The change happens on the button,
//! not on opening the page, so a mail scanner that opens links changes nothing.

use crate::api::account::ConfirmEmailChange;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let confirm = ServerAction::<ConfirmEmailChange>::new();
    let error = move || confirm.value().get().and_then(Result::err);
    let done = move || confirm.value().get().and_then(Result::ok);
    view! {
        <Title text="Confirm your new sign-in email" />
        <main class="centered-page">
            <div class="card narrow login-card">
                <h1>"Confirm your new sign-in email"</h1>
                {move || match done() {
                    Some(email) => view! {
                        <p class="notice" role="status">
                            "Your sign-in email is now " <strong>{email}</strong>
                            ". You were signed out everywhere: sign in with the new address."
                        </p>
                        <p><a class="button primary" href="/login">"Sign in"</a></p>
                    }.into_any(),
                    None => view! {
                        <ActionForm action=confirm attr:novalidate=true>
                            <input type="hidden" name="token" value=token />
                            {move || error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                            <button type="submit" class="button primary" disabled=move || confirm.pending().get()>"Use this address to sign in"</button>
                        </ActionForm>
                    }.into_any(),
                }}
            </div>
        </main>
    }
}

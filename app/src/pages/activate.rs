//! The activation link of a new person: choose a password, then you are signed in.

use crate::api::account::{ActivateAccount, get_invitation};
use crate::components::loaded::Loaded;
use crate::domain::Password;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ActivatePage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let invitation = Resource::new(token, get_invitation);
    let activate = ServerAction::<ActivateAccount>::new();
    let error = move || match activate.value().get() {
        Some(Err(err)) => Some(err),
        _ => None,
    };
    let field_error = move |field: &'static str| error().and_then(|e: AppError| e.for_field(field));
    let form_error = move || {
        error().filter(|e| !matches!(e, AppError::Validation { field, .. } if field != "token"))
    };

    view! {
        <Title text="Activate your account" />
        <main class="centered-page">
            <div class="card narrow login-card">
                <h1>"Activate your account"</h1>
                <Loaded resource=invitation let:invite>
                    <p>{format!("Welcome, {}. Choose a password for {} ({}).", invite.name, invite.email, invite.customer_name)}</p>
                    <ActionForm action=activate attr:novalidate=true>
                        <input type="hidden" name="token" value=token() />
                        <label for="new-password">"New password"</label>
                        <input id="new-password" name="password" type="password" autocomplete="new-password"
                            aria-describedby="password-rule" required
                            aria-invalid=move || field_error("password").is_some().to_string() />
                        <p id="password-rule" class="hint">{Password::RULE}</p>
                        {move || field_error("password").map(|m| view! { <p class="field-error">{m}</p> })}
                        <label for="confirm-password">"Repeat the password"</label>
                        <input id="confirm-password" name="password_confirm" type="password" autocomplete="new-password" required
                            aria-invalid=move || field_error("password_confirm").is_some().to_string() />
                        {move || field_error("password_confirm").map(|m| view! { <p class="field-error">{m}</p> })}
                        {move || form_error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                        <button type="submit" class="button primary" disabled=move || activate.pending().get()>
                            "Activate and sign in"
                        </button>
                    </ActionForm>
                </Loaded>
            </div>
        </main>
    }
}

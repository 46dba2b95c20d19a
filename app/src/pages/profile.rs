//! The signed-in person's profile: changing their password, and their sign-in email (by a link
//! sent to the new address).

use crate::api::account::{ChangePassword, RequestEmailChange};
use crate::components::feedback::reset_form_after;
use crate::components::shell::use_me;
use crate::domain::Password;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let me = use_me();
    let change = ServerAction::<ChangePassword>::new();
    let error = move || change.value().get().and_then(Result::err);
    let field_error = move |field: &'static str| error().and_then(|e| e.for_field(field));
    let form_error = move || {
        error().filter(|e| {
            !["current_password", "new_password", "new_password_confirm"]
                .iter()
                .any(|f| e.for_field(f).is_some())
        })
    };
    let done = move || matches!(change.value().get(), Some(Ok(())));
    let email_change = ServerAction::<RequestEmailChange>::new();
    let email_error = move || email_change.value().get().and_then(Result::err);
    let email_field = move |field: &'static str| email_error().and_then(|e| e.for_field(field));
    let email_form_error = move || {
        email_error().filter(|e| {
            !["new_email", "current_password"]
                .iter()
                .any(|f| e.for_field(f).is_some())
        })
    };
    let email_sent = move || matches!(email_change.value().get(), Some(Ok(())));
    let viewing_as = me.impersonator_name.is_some();
    let password_form = NodeRef::new();
    reset_form_after(password_form, done);
    let email_form = NodeRef::new();
    reset_form_after(email_form, email_sent);
    view! {
        <Title text="Profile" />
        <h1>"Profile"</h1>
        <section class="card">
            <dl class="facts">
                <dt>"Name"</dt><dd>{me.name}</dd>
                <dt>"Email (sign-in)"</dt><dd>{me.email}</dd>
                <dt>"Role"</dt><dd>{me.role.label()}</dd>
                {me.customer_name.map(|c| view! { <dt>"Account"</dt><dd>{c}</dd> })}
                <dt>"Provided by"</dt><dd>{me.reseller_name}</dd>
            </dl>
        </section>
        {(!viewing_as).then(|| view! {
            <section class="card" aria-labelledby="pw-title">
                <h2 id="pw-title">"Change password"</h2>
                {move || done().then(|| view! { <p class="notice" role="status">"Your password was changed. Your other sessions were signed out."</p> })}
                <ActionForm action=change node_ref=password_form attr:class="form" attr:novalidate=true>
                    <label for="pw-current">"Current password"</label>
                    <input id="pw-current" name="current_password" type="password" autocomplete="current-password" required
                        aria-invalid=move || field_error("current_password").is_some().to_string() />
                    {move || field_error("current_password").map(|m| view! { <p class="field-error">{m}</p> })}
                    <label for="pw-new">"New password"</label>
                    <input id="pw-new" name="new_password" type="password" autocomplete="new-password" required
                        aria-describedby="pw-rule"
                        aria-invalid=move || field_error("new_password").is_some().to_string() />
                    <p id="pw-rule" class="hint">{Password::RULE}</p>
                    {move || field_error("new_password").map(|m| view! { <p class="field-error">{m}</p> })}
                    <label for="pw-confirm">"Repeat the new password"</label>
                    <input id="pw-confirm" name="new_password_confirm" type="password" autocomplete="new-password" required
                        aria-invalid=move || field_error("new_password_confirm").is_some().to_string() />
                    {move || field_error("new_password_confirm").map(|m| view! { <p class="field-error">{m}</p> })}
                    {move || form_error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                    <button type="submit" class="button primary" disabled=move || change.pending().get()>"Change password"</button>
                </ActionForm>
            </section>
            <section class="card" aria-labelledby="email-title">
                <h2 id="email-title">"Change sign-in email"</h2>
                <p class="muted">"We send a link to the new address; your sign-in changes when you open it."</p>
                {move || email_sent().then(|| view! { <p class="notice" role="status">"If the new address can be used, a confirmation link is on its way to it. It works for 24 hours."</p> })}
                <ActionForm action=email_change node_ref=email_form attr:class="form" attr:novalidate=true>
                    <label for="em-new">"New sign-in email"</label>
                    <input id="em-new" name="new_email" type="email" autocomplete="email" required
                        aria-invalid=move || email_field("new_email").is_some().to_string() />
                    {move || email_field("new_email").map(|m| view! { <p class="field-error">{m}</p> })}
                    <label for="em-password">"Current password"</label>
                    <input id="em-password" name="current_password" type="password" autocomplete="current-password" required
                        aria-invalid=move || email_field("current_password").is_some().to_string() />
                    {move || email_field("current_password").map(|m| view! { <p class="field-error">{m}</p> })}
                    {move || email_form_error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                    <button type="submit" class="button" disabled=move || email_change.pending().get()>"Send confirmation link"</button>
                </ActionForm>
            </section>
        })}
    }
}

//! Adding one person to the account. They get an activation email to choose a password.

use crate::api::users::CreateUser;
use crate::components::feedback::reset_form_after;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewUserPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let error = move || match create.value().get() {
        Some(Err(err)) => Some(err),
        _ => None,
    };
    let created = move || match create.value().get() {
        Some(Ok(row)) => Some(row),
        _ => None,
    };
    let field_error = move |field: &'static str| error().and_then(|e: AppError| e.for_field(field));
    let form = NodeRef::new();
    reset_form_after(form, move || created().is_some());
    let form_error = move || {
        error().filter(|e| !matches!(e, AppError::Validation { field, .. } if !field.is_empty()))
    };

    view! {
        <Title text="Add user" />
        <p class="breadcrumb"><a href="/users">"← Users"</a></p>
        <h1>"Add user"</h1>
        {move || created().map(|row| view! {
            <p class="notice" role="status">
                {format!("{} was added. An activation email is on its way to {}.", row.name, row.email)}
            </p>
        })}
        <ActionForm action=create node_ref=form attr:class="card form" attr:novalidate=true>
            <label for="new-name">"Name"</label>
            <input id="new-name" name="name" required autocomplete="off"
                aria-invalid=move || field_error("name").is_some().to_string() />
            {move || field_error("name").map(|m| view! { <p class="field-error">{m}</p> })}

            <label for="new-email">"Email (sign-in)"</label>
            <input id="new-email" name="email" type="email" required autocomplete="off"
                aria-invalid=move || field_error("email").is_some().to_string() />
            {move || field_error("email").map(|m| view! { <p class="field-error">{m}</p> })}

            <fieldset>
                <legend>"Role"</legend>
                <label class="choice"><input type="radio" name="role" value="user" checked />" User — uses the services assigned to them"</label>
                <label class="choice"><input type="radio" name="role" value="admin" />" Admin — manages the whole account"</label>
            </fieldset>
            {move || field_error("role").map(|m| view! { <p class="field-error">{m}</p> })}

            <label for="new-notify">"Notification email (optional)"</label>
            <input id="new-notify" name="notification_email" type="email" autocomplete="off"
                aria-describedby="new-notify-hint"
                aria-invalid=move || field_error("notification_email").is_some().to_string() />
            <p id="new-notify-hint" class="hint">"Where emails go if not to the sign-in address."</p>
            {move || field_error("notification_email").map(|m| view! { <p class="field-error">{m}</p> })}

            {move || form_error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <button type="submit" class="button primary" disabled=move || create.pending().get()>
                {move || if create.pending().get() { "Adding…" } else { "Add user" }}
            </button>
        </ActionForm>
    }
}

//! Creating a customer: the company, its contact, and its owner, who gets the welcome email
//! with the panel's address and an activation link. Each wrong field says why, beside it.

use crate::api::reseller::CreateCustomer;
use crate::domain::customer::{ADDRESS_MAX, COMPANY_NAME_MAX, COUNTRIES, CustomerForm, PHONE_MAX};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let create = ServerAction::<CreateCustomer>::new();
    let form = RwSignal::new(CustomerForm::default());
    let error = move || create.value().get().and_then(Result::err);
    let created = move || create.value().get().and_then(Result::ok);
    let field_error = move |field: &'static str| error().and_then(|e: AppError| e.for_field(field));
    let form_error = move || {
        error().filter(|e| !matches!(e, AppError::Validation { field, .. } if !field.is_empty()))
    };
    // A created customer opens its page, where the owner's invitation shows.
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(id) = created() {
            navigate(
                &format!("/reseller/customers/{id}?created=1"),
                Default::default(),
            );
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !create.pending().get_untracked() {
            create.dispatch(CreateCustomer {
                form: form.get_untracked(),
            });
        }
    };
    let text = move |id: &'static str,
                     label: &'static str,
                     field: &'static str,
                     kind: &'static str,
                     max: usize,
                     get: fn(&CustomerForm) -> String,
                     set: fn(&mut CustomerForm, String)| {
        view! {
            <label for=id>{label}</label>
            <input id=id type=kind autocomplete="off" maxlength=max.to_string()
                prop:value=move || form.with(get)
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                aria-invalid=move || field_error(field).is_some().to_string() />
            {move || field_error(field).map(|m| view! { <p class="field-error">{m}</p> })}
        }
    };
    let company = view! {
        <fieldset>
            <legend>"Company"</legend>
            {text("c-name", "Company name", "company_name", "text", COMPANY_NAME_MAX,
                |f| f.company_name.clone(), |f, v| f.company_name = v)}
            <label for="c-address">"Address"</label>
            <textarea id="c-address" rows="3" maxlength=ADDRESS_MAX.to_string()
                prop:value=move || form.with(|f| f.address.clone())
                on:input=move |ev| form.update(|f| f.address = event_target_value(&ev))
                aria-invalid=move || field_error("address").is_some().to_string()></textarea>
            {move || field_error("address").map(|m| view! { <p class="field-error">{m}</p> })}
            <label for="c-country">"Country"</label>
            <select id="c-country"
                on:change=move |ev| form.update(|f| f.country = event_target_value(&ev))
                aria-invalid=move || field_error("country").is_some().to_string()>
                <option value="" selected=true>"Choose a country"</option>
                {COUNTRIES.iter().map(|(code, name)| view! { <option value=*code>{*name}</option> }).collect_view()}
            </select>
            {move || field_error("country").map(|m| view! { <p class="field-error">{m}</p> })}
        </fieldset>
    }
    .into_any();
    let contact = view! {
        <fieldset>
            <legend>"Contact"</legend>
            {text("c-contact", "Contact name", "contact_name", "text", 100,
                |f| f.contact_name.clone(), |f, v| f.contact_name = v)}
            {text("c-contact-email", "Contact email", "contact_email", "email", 254,
                |f| f.contact_email.clone(), |f, v| f.contact_email = v)}
            {text("c-phone", "Phone (optional)", "contact_phone", "tel", PHONE_MAX,
                |f| f.contact_phone.clone(), |f, v| f.contact_phone = v)}
        </fieldset>
    }
    .into_any();
    let owner = view! {
        <fieldset>
            <legend>"Owner"</legend>
            <p class="hint">"The owner signs in first and manages the account. They get a welcome email with the panel's address and a link to choose their password."</p>
            {text("c-owner", "Owner's name", "owner_name", "text", 100,
                |f| f.owner_name.clone(), |f, v| f.owner_name = v)}
            {text("c-owner-email", "Owner's email (their sign-in)", "owner_email", "email", 254,
                |f| f.owner_email.clone(), |f, v| f.owner_email = v)}
        </fieldset>
    }
    .into_any();
    view! {
        <Title text="New customer" />
        <p class="breadcrumb"><a href="/reseller/customers">"← Customers"</a></p>
        <h1>"New customer"</h1>
        {move || created().map(|id| view! {
            <p class="notice" role="status">
                "The customer was created and the welcome email is on its way to the owner. "
                <a href=format!("/reseller/customers/{id}")>"Open the customer's page"</a>
            </p>
        })}
        <form class="card form" novalidate on:submit=submit>
            {company}
            {contact}
            {owner}
            {move || form_error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <button type="submit" class="button primary" disabled=move || create.pending().get()>
                {move || if create.pending().get() { "Creating…" } else { "Create customer" }}
            </button>
        </form>
    }
}

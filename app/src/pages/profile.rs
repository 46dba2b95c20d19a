//! The signed-in person's profile.

use crate::components::shell::use_me;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let me = use_me();
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
    }
}

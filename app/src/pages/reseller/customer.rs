//! A customer's general information page in the reseller panel: company data, owner, people
//! count, subscriptions, recent orders and documents, and "Log in to Customer Control Panel".

use crate::api::acting::{EnterCustomerPanel, load_afresh_after};
use crate::api::reseller::{ResendWelcome, get_reseller_customer};
use crate::components::badges::{DocumentBadge, OrderBadge, PersonBadge, SubscriptionBadge};
use crate::components::feedback::ErrorBox;
use crate::components::format;
use crate::components::loaded::Loaded;
use crate::components::shell::use_me;
use crate::domain::PersonStatus;
use crate::domain::customer::country_name;
use crate::dto::reseller::CustomerDetail;
use crate::pages::params::{id_param, load_by_id, query_number};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ResellerCustomerPage() -> impl IntoView {
    let id = id_param("id");
    let customer = Resource::new(move || id.get(), |id| load_by_id(id, get_reseller_customer));
    let enter = ServerAction::<EnterCustomerPanel>::new();
    load_afresh_after(enter);
    let resend = ServerAction::<ResendWelcome>::new();
    let just_created = query_number("created", 0);
    view! {
        <p class="breadcrumb"><a href="/reseller/customers">"← Customers"</a></p>
        <Loaded resource=customer error_title="Customer" let:c>
            <CustomerView c enter resend just_created=just_created.get_untracked() == 1 />
        </Loaded>
    }
}

#[component]
fn CustomerView(
    c: CustomerDetail,
    enter: ServerAction<EnterCustomerPanel>,
    resend: ServerAction<ResendWelcome>,
    just_created: bool,
) -> impl IntoView {
    let customer_id = c.id;
    let error = move || {
        enter
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorBox error /> })
    };
    let owner_waiting = c
        .owner
        .as_ref()
        .is_some_and(|o| o.status == PersonStatus::Invited);
    let head = view! {
        <Title text=c.name.clone() />
        <div class="page-title-row">
            <h1>{c.name.clone()}</h1>
            <span class="actions">
                <button type="button" class="button primary" disabled=move || enter.pending().get()
                    on:click=move |_| { enter.dispatch(EnterCustomerPanel { customer_id }); }>
                    "Log in to Customer Control Panel"
                </button>
            </span>
        </div>
        {error}
        {just_created.then(|| view! {
            <p class="notice" role="status">
                "The customer was created, and the owner's welcome email is on its way. "
                {use_me().demo_mode.then(|| view! { <a href="/dev/outbox">"See it in the email outbox"</a> })}
            </p>
        })}
        <p class="muted">
            "To order a service for the customer, log in to their panel and use its Marketplace."
            {owner_waiting.then_some(" The owner has not activated their account yet: what you order is named in a new welcome email to them.")}
        </p>
    }
    .into_any();
    let facts = view! {
        <section class="card" aria-labelledby="customer-facts">
            <h2 id="customer-facts">"General information"</h2>
            <dl class="facts">
                <dt>"Status"</dt><dd>{c.status.label()}</dd>
                <dt>"Address"</dt>
                <dd class="plain-text">{c.address.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"Country"</dt><dd>{country_name(&c.country).to_owned()}</dd>
                <dt>"Currency"</dt><dd>{c.currency.clone()}</dd>
                <dt>"Contact"</dt>
                <dd class="break">
                    {c.contact_name.clone().map(|n| view! { <span class="block">{n}</span> })}
                    <span class="block">{c.contact_email.clone()}</span>
                    {c.contact_phone.clone().map(|p| view! { <span class="block">{p}</span> })}
                </dd>
                <dt>"Owner"</dt>
                <dd class="break">
                    {c.owner.clone().map(|o| view! {
                        {format!("{} · {} ", o.name, o.email)}<PersonBadge status=o.status />
                    })}
                    {owner_waiting.then(|| view! { <ResendButton customer_id resend /> })}
                </dd>
                <dt>"People"</dt><dd>{c.people}</dd>
                <dt>"Customer since"</dt><dd>{format::date(c.created_at.date_naive())}</dd>
            </dl>
        </section>
    }
    .into_any();
    view! {
        {head}
        {facts}
        <Subscriptions c=c.clone() />
        <Recent c />
    }
}

/// For an owner who has not activated: the welcome email again, with a fresh link.
#[component]
fn ResendButton(customer_id: i32, resend: ServerAction<ResendWelcome>) -> impl IntoView {
    let outcome = move || {
        match resend.value().get() {
        Some(Ok(())) => Some(
            view! {
                <p class="notice" role="status">"The welcome email went out again, with a new link."</p>
            }
            .into_any(),
        ),
        Some(Err(error)) => Some(view! { <ErrorBox error /> }.into_any()),
        None => None,
    }
    };
    view! {
        <p>
            <button type="button" class="button small" disabled=move || resend.pending().get()
                on:click=move |_| { resend.dispatch(ResendWelcome { customer_id }); }>
                "Send the welcome email again"
            </button>
        </p>
        {outcome}
    }
}

#[component]
fn Subscriptions(c: CustomerDetail) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="customer-subs">
            <h2 id="customer-subs">{format!("Subscriptions ({})", c.subscriptions.len())}</h2>
            {c.subscriptions.is_empty().then(|| view! { <p class="muted">"No subscription yet."</p> })}
            <ul class="rows">
                {c.subscriptions.into_iter().map(|s| view! {
                    <li>
                        <span>
                            <strong>{s.product_name.clone()}</strong>
                            <span class="muted small block">{format!(
                                "{} · renews {}", s.plan_name, format::date(s.period_end)
                            )}</span>
                        </span>
                        <SubscriptionBadge status=s.status />
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Recent(c: CustomerDetail) -> impl IntoView {
    let orders = view! {
        <section class="card" aria-labelledby="customer-orders">
            <h2 id="customer-orders">"Recent orders"</h2>
            {c.recent_orders.is_empty().then(|| view! { <p class="muted">"No order yet."</p> })}
            <ul class="rows">
                {c.recent_orders.into_iter().map(|o| view! {
                    <li>
                        <span>
                            <strong>{o.number.clone()}</strong>
                            <span class="muted small block">{format!(
                                "{} · {} · {} · {}",
                                o.order_type.label(), o.product_name, o.total, format::date(o.created_at.date_naive())
                            )}</span>
                        </span>
                        <OrderBadge status=o.status />
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any();
    let documents = view! {
        <section class="card" aria-labelledby="customer-documents">
            <h2 id="customer-documents">"Recent documents"</h2>
            {c.recent_documents.is_empty().then(|| view! { <p class="muted">"No document yet."</p> })}
            <ul class="rows">
                {c.recent_documents.into_iter().map(|d| view! {
                    <li>
                        <span>
                            <strong>{d.number.clone()}</strong>
                            <span class="muted small block">{format!(
                                "{} · {} · {}",
                                d.kind.label(), d.total, format::date(d.issued_at.date_naive())
                            )}</span>
                        </span>
                        <DocumentBadge standing=d.standing />
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any();
    view! { {orders}{documents} }
}

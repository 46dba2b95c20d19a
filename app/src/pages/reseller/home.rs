//! The reseller's home: how many customers and live subscriptions, the cancellation requests
//! waiting for a decision (approve, or reject with a reason), and whether requests are approved
//! automatically.

use crate::api::cancellations::{
    ApproveCancellation, RejectCancellation, list_pending_cancellations,
};
use crate::api::reseller::{SetAutoApproveCancellations, get_reseller_overview};
use crate::components::feedback::ErrorBox;
use crate::components::format;
use crate::components::loaded::Loaded;
use crate::dto::cancellations::PendingCancellation;
use crate::dto::reseller::ResellerOverview;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ResellerHomePage() -> impl IntoView {
    let approve = ServerAction::<ApproveCancellation>::new();
    let reject = ServerAction::<RejectCancellation>::new();
    let auto = ServerAction::<SetAutoApproveCancellations>::new();
    let decided = move || (approve.version().get(), reject.version().get());
    let overview = Resource::new(
        move || (decided(), auto.version().get()),
        |_| get_reseller_overview(),
    );
    let pending = Resource::new(decided, |_| list_pending_cancellations());
    view! {
        <Title text="Reseller panel" />
        <h1>"Reseller panel"</h1>
        <Loaded resource=overview let:figures>
            <Figures figures auto />
        </Loaded>
        <Loaded resource=pending quiet=true let:requests>
            <PendingCancellations requests approve reject />
        </Loaded>
    }
}

#[component]
fn Figures(
    figures: ResellerOverview,
    auto: ServerAction<SetAutoApproveCancellations>,
) -> impl IntoView {
    let on = figures.auto_approve_cancellations;
    let error = move || {
        auto.value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorBox error /> })
    };
    view! {
        <p class="muted">{figures.reseller_name.clone()}</p>
        <div class="tiles">
            <section class="card tile" aria-labelledby="tile-customers">
                <h2 id="tile-customers">"Customers"</h2>
                <p class="big-number">{figures.customers}</p>
                <p class="muted">{format!("{} live subscriptions", figures.live_subscriptions)}</p>
                <p><a href="/reseller/customers">"All customers"</a>" · "<a href="/reseller/customers/new">"New customer"</a></p>
            </section>
            <section class="card tile" aria-labelledby="tile-requests">
                <h2 id="tile-requests">"Cancellation requests"</h2>
                <p class="big-number">{figures.pending_cancellations}</p>
                <p class="muted">"waiting for your decision"</p>
            </section>
        </div>
        <section class="card" aria-labelledby="auto-approve">
            <h2 id="auto-approve">"Deciding cancellation requests"</h2>
            <p>{if on {
                "New requests are approved automatically as customers make them. Requests that were already waiting still wait for your decision below."
            } else {
                "Each request waits for your decision below."
            }}</p>
            {error}
            <button type="button" class="button" disabled=move || auto.pending().get()
                on:click=move |_| { auto.dispatch(SetAutoApproveCancellations { on: !on }); }>
                {if on { "Decide each request myself" } else { "Approve requests automatically" }}
            </button>
        </section>
    }
}

/// The requests waiting for a decision: approve, or reject with the reason the customer reads.
#[component]
fn PendingCancellations(
    requests: Vec<PendingCancellation>,
    approve: ServerAction<ApproveCancellation>,
    reject: ServerAction<RejectCancellation>,
) -> impl IntoView {
    let error = move || {
        approve
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| reject.value().get().and_then(Result::err))
            .map(|error| view! { <ErrorBox error /> })
    };
    let busy = move || approve.pending().get() || reject.pending().get();
    view! {
        <section class="card" id="pending-cancellations" aria-labelledby="pending-title">
            <h2 id="pending-title">{format!("Waiting for your decision ({})", requests.len())}</h2>
            {error}
            {requests.is_empty().then(|| view! { <p class="muted">"No cancellation request is waiting."</p> })}
            <ul class="plain-list">
                {requests.into_iter().map(|r| {
                    let order_id = r.order_id;
                    let reason_id = format!("reject-reason-{order_id}");
                    let typed = RwSignal::new(String::new());
                    let head = view! {
                        <p>
                            <strong>
                                <a href=format!("/reseller/customers/{}", r.customer_id)>{r.customer_name.clone()}</a>
                                {format!(" — {}", r.product_name)}
                            </strong>
                            <span class="muted small block">{format!(
                                "{} · {} · asked {}{}",
                                r.order_number,
                                r.plan_name,
                                format::date(r.requested_at.date_naive()),
                                r.requested_by.clone().map(|n| format!(" by {n}")).unwrap_or_default()
                            )}</span>
                        </p>
                        <p>{format!("Reason: {}", r.reason.label())}</p>
                        {r.comment.clone().map(|c| view! { <p class="muted">{format!("“{c}”")}</p> })}
                        <p>{format!("Refund on approval: {}", r.refund)}</p>
                    }
                    .into_any();
                    view! {
                        <li class="request">
                            {head}
                            <div class="actions">
                                <button type="button" class="button primary" disabled=busy
                                    on:click=move |_| { approve.dispatch(ApproveCancellation { order_id }); }>
                                    "Approve"
                                </button>
                                <label for=reason_id.clone() class="visually-hidden">"Reason for rejecting"</label>
                                <input id=reason_id type="text" placeholder="Reason for rejecting" maxlength="500"
                                    on:input=move |ev| typed.set(event_target_value(&ev)) />
                                <button type="button" class="button"
                                    disabled=move || typed.get().trim().is_empty() || busy()
                                    on:click=move |_| { reject.dispatch(RejectCancellation { order_id, reason: typed.get_untracked() }); }>
                                    "Reject"
                                </button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

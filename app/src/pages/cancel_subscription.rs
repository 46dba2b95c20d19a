//! Cancelling a subscription: the reason, an optional comment, and before confirming the refund
//! that applies (priced by the code that later writes the credit note), what happens to the
//! licenses and when the service stops. Confirming asks the reseller; while the request waits,
//! this page offers to withdraw it.
//!
//! Like the order form, the form's idempotency key lives in its address (`key=`), so a double
//! click, a retry or a reload never asks twice.

use super::params::{form_key, id_param, load_by_id};
use crate::api::cancellations::{
    WithdrawCancellation, get_cancellation_form, request_cancellation,
};
use crate::components::feedback::ErrorBox;
use crate::components::format;
use crate::components::lines::{Line, LinesTable};
use crate::components::loaded::Loaded;
use crate::domain::billing::last_day;
use crate::domain::cancellation::{CancelReason, RefundQuote, RefundWindow};
use crate::dto::cancellations::{CancellationForm, CancellationRequest};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

/// The page's address for subscription `id` with the form's key.
pub fn cancel_href(id: i32, key: &str) -> String {
    format!(
        "/subscriptions/{id}/cancel?{}",
        format::query_string(&[("key", key)])
    )
}

#[component]
pub fn CancelSubscriptionPage() -> impl IntoView {
    let id = id_param("id");
    let withdraw = ServerAction::<WithdrawCancellation>::new();
    let form = Resource::new(
        move || (id.get(), withdraw.version().get()),
        |(id, _)| load_by_id(id, get_cancellation_form),
    );
    let ask = Action::new(
        move |(request, key, refund): &(CancellationRequest, String, i64)| {
            let (request, key, refund) = (request.clone(), key.clone(), *refund);
            async move { request_cancellation(request, key, Some(refund)).await }
        },
    );
    view! {
        <Title text="Cancel subscription" />
        <p class="breadcrumb">
            <a href=move || format!("/subscriptions/{}", id.get().unwrap_or_default())>"← Subscription"</a>
        </p>
        <Loaded resource=form error_title="Cancel subscription" let:data>
            <CancelForm data ask withdraw />
        </Loaded>
    }
}

fn window_words(refund: &RefundQuote) -> String {
    match refund.window {
        RefundWindow::Full { last_day } => format!(
            "Full refund: cancelled by {}, everything charged for this period comes back.",
            format::date(last_day)
        ),
        RefundWindow::Prorated { last_day } => format!(
            "Refund of the unused part: cancelled by {}, the days from today to the end of the period come back.",
            format::date(last_day)
        ),
        RefundWindow::None => "No refund: the refund windows of this plan have closed.".into(),
    }
}

fn refund_lines(refund: &RefundQuote) -> Vec<Line> {
    let mut lines: Vec<Line> = refund
        .lines
        .iter()
        .map(|l| Line {
            description: l.description.clone(),
            quantity: 1,
            unit_price: l.charged,
            amount: l.amount,
            tax: false,
            details: std::iter::once(format!(
                "{} – {}",
                format::date(l.from),
                format::date(last_day(l.until))
            ))
            .chain(l.days.map(|(d, of)| format!("{d} of {of} days")))
            .collect(),
        })
        .collect();
    if let Some((label, amount)) = &refund.tax {
        lines.push(Line {
            description: label.clone(),
            quantity: 1,
            unit_price: *amount,
            amount: *amount,
            tax: true,
            details: Vec::new(),
        });
    }
    lines
}

#[component]
fn CancelForm(
    data: CancellationForm,
    ask: Action<
        (CancellationRequest, String, i64),
        Result<crate::dto::orders::PlacedOrder, crate::error::AppError>,
    >,
    withdraw: ServerAction<WithdrawCancellation>,
) -> impl IntoView {
    let navigate = use_navigate();
    let subscription_id = data.subscription_id;
    let key = form_key(move |key| cancel_href(subscription_id, key));
    Effect::new(move |_| {
        if let Some(Ok(placed)) = ask.value().get() {
            navigate(
                &format!("/orders/{}", placed.id),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let reason = RwSignal::new(None::<CancelReason>);
    let comment = RwSignal::new(String::new());
    let refund_cents = data.refund.total.cents;
    let blocked = data.blocked.clone();
    let can_ask = blocked.is_none();
    let confirm = move |_| {
        if let Some(reason) = reason.get_untracked() {
            let text = comment.get_untracked();
            ask.dispatch((
                CancellationRequest {
                    subscription_id,
                    reason,
                    comment: (!text.trim().is_empty()).then_some(text),
                },
                key.get_untracked(),
                refund_cents,
            ));
        }
    };
    let ask_error = move || {
        ask.value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorBox error /> })
    };
    let refund = data.refund.clone();
    let has_refund = !refund.lines.is_empty();
    view! {
        <h1>{format!("Cancel {}", data.product_name)}</h1>
        <p class="muted">{data.plan_name.clone()}</p>
        {data.pending.clone().map(|pending| view! {
            <div class="notice" role="status">
                <p>
                    "Cancellation requested: "
                    <a href=format!("/orders/{}", pending.id)>{format!("order {}", pending.number)}</a>
                    " waits for your reseller's decision. The subscription runs until then."
                </p>
                <button type="button" class="button"
                    disabled=move || withdraw.pending().get()
                    on:click=move |_| { withdraw.dispatch(WithdrawCancellation { order_id: pending.id }); }>
                    "Withdraw the request"
                </button>
                {move || withdraw.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
            </div>
        }.into_any())}
        {blocked.clone().filter(|_| data.pending.is_none()).map(|why| view! {
            <p class="error-box" role="status">{why}</p>
        })}
        <div class="checkout">
            {view! {
            <form class="card form" on:submit=|ev| ev.prevent_default() novalidate>
                <fieldset disabled=!can_ask>
                    <legend>"Why are you cancelling?"</legend>
                    <label for="cancel-reason">"Reason"</label>
                    <select id="cancel-reason" required
                        on:change=move |ev| reason.set(CancelReason::parse(&event_target_value(&ev)).ok())>
                        <option value="" selected>"Choose a reason"</option>
                        {CancelReason::ALL.iter().map(|r| view! {
                            <option value=r.as_str()>{r.label()}</option>
                        }).collect_view()}
                    </select>
                    <label for="cancel-comment">"Comment (optional)"</label>
                    <textarea id="cancel-comment" rows="3" maxlength="1000"
                        on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </fieldset>
            </form>
            }.into_any()}
            {view! {
            <section class="card order-summary" aria-labelledby="cancel-refund">
                <h2 id="cancel-refund">"Refund"</h2>
                <p>{window_words(&refund)}</p>
                {has_refund.then(|| view! {
                    <LinesTable lines=refund_lines(&refund) total_label="Refunded".to_owned() total=refund.total />
                }.into_any())}
                {(refund.setup_fees_kept.cents > 0).then(|| view! {
                    <p class="muted small">{format!("The setup fee of {} is not refunded.", refund.setup_fees_kept)}</p>
                })}
                <p class="muted small">"Setup fees are never refunded."</p>
                <p>{match data.licenses_assigned {
                    0 => "No licenses are assigned.".to_owned(),
                    1 => "The 1 assigned license is released when the service stops.".to_owned(),
                    n => format!("The {n} assigned licenses are released when the service stops."),
                }}</p>
                <p>{format!(
                    "The service stops on the day your reseller approves the request (the current period runs until {}).",
                    format::date(last_day(data.period_end))
                )}</p>
                {ask_error}
                <button type="button" class="button danger wide"
                    disabled=move || !can_ask || reason.get().is_none() || ask.pending().get() || key.get().is_empty()
                    on:click=confirm>
                    {move || if ask.pending().get() { "Asking…" } else { "Request cancellation" }}
                </button>
            </section>
            }.into_any()}
        </div>
    }
}

//! "Add or remove resources" of one subscription: a field per resource, checked as the person
//! types by the domain's own rules (bounds, what is in use, the reduction window), the price
//! from the server (the code that later writes the invoice or credit note), and confirming,
//! which places a `change` order and opens it.
//!
//! Like the order form, the form's idempotency key lives in its address (`key=`), so a double
//! click, a retry or a reload never places two changes.

use super::params::{form_key, id_param, load_by_id};
use crate::api::resource_changes::{
    ScheduleReduction, get_resource_change_form, preview_resource_change, submit_resource_change,
};
use crate::components::badges::ProductIcon;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::format;
use crate::components::lines::{Line, LinesTable};
use crate::components::loaded::Loaded;
use crate::domain::billing::last_day;
use crate::domain::ordering::UnitBounds;
use crate::domain::pricing::LineKind;
use crate::domain::resource_change::{
    ChangeLine, ChangeRefused, ChangeTerms, LimitRefused, quote_change,
};
use crate::domain::{ResourceKind, SubscriptionStatus};
use crate::dto::orders::PlacedOrder;
use crate::dto::resource_changes::{
    ChangeableResource, ResourceChangeForm, ResourceChangePreview, ResourceChangeRequest,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use std::sync::Arc;

/// The page's address for subscription `id` with the form's key.
pub fn resources_href(id: i32, key: &str) -> String {
    format!(
        "/subscriptions/{id}/resources?{}",
        format::query_string(&[("key", key)])
    )
}

type Priced = Result<Option<(ResourceChangeRequest, ResourceChangePreview)>, AppError>;

#[component]
pub fn ResourceChangePage() -> impl IntoView {
    let id = id_param("id");
    // The text of each field the person has changed, by resource rate id.
    let texts: RwSignal<Vec<(i32, String)>> = RwSignal::new(Vec::new());
    // Whether every typed limit passes the rules the browser checks (set by the form): a limit
    // they refuse is not sent to be priced, its reason already shows beside the field.
    let acceptable = RwSignal::new(true);
    // What is priced: the changed fields. `None` while one is refused.
    let request = Memo::new(move |_| {
        if !acceptable.get() {
            return None;
        }
        let subscription_id = id.get()?;
        let mut limits = Vec::new();
        for (rate, text) in texts.get() {
            limits.push((rate, text.trim().parse::<i64>().ok()?));
        }
        Some(ResourceChangeRequest {
            subscription_id,
            limits,
        })
    });
    // Both made here, at the top and in a fixed order, so hydration finds what the server
    // rendered. The price comes with the request it prices, so a stale one is never confirmed.
    let schedule = ServerAction::<ScheduleReduction>::new();
    // Here, not in the form: a refusal's message stays when the form reloads its facts.
    let submit = Action::new(
        move |(request, key, net): &(ResourceChangeRequest, String, i64)| {
            let (request, key, net) = (request.clone(), key.clone(), *net);
            async move { submit_resource_change(request, key, Some(net)).await }
        },
    );
    let form = Resource::new(
        move || id.get(),
        |id| load_by_id(id, get_resource_change_form),
    );
    // A reduction just scheduled (or cancelled): the page loads again from the server, form key
    // and all. (Re-rendering the form in place after it panicked on a disposed value.)
    Effect::new(move |_| {
        if let Some(Ok(())) = schedule.value().get()
            && let Some(window) = web_sys::window()
        {
            let _ = window.location().reload();
        }
    });
    let preview = Resource::new(
        move || request.get(),
        |request| async move {
            match request {
                Some(request) if !request.limits.is_empty() => {
                    preview_resource_change(request.clone())
                        .await
                        .map(|priced| Some((request, priced)))
                }
                _ => Ok(None),
            }
        },
    );
    view! {
        <Title text="Add or remove resources" />
        <p class="breadcrumb">
            <a href=move || format!("/subscriptions/{}", id.get().unwrap_or_default())>"← Subscription"</a>
        </p>
        <Loaded resource=form error_title="Add or remove resources" let:data>
            <ChangeForm data texts acceptable request preview schedule submit
                reload=Callback::new(move |_| preview.refetch()) />
        </Loaded>
    }
}

/// Why a typed limit cannot be set now.
#[derive(Clone, Debug, PartialEq)]
struct Refusal {
    message: String,
    /// A reduction that can be scheduled for the renewal instead: to these units.
    at_renewal: Option<i64>,
}

impl From<&str> for Refusal {
    fn from(message: &str) -> Self {
        Self {
            message: message.to_owned(),
            at_renewal: None,
        }
    }
}

/// Why the typed limit cannot be set, by the rules the server prices with; `None` when it can
/// (or is unchanged).
fn refusal(form: &ResourceChangeForm, r: &ChangeableResource, text: &str) -> Option<Refusal> {
    let asked = match text.trim().parse::<i64>() {
        Err(_) if text.trim().is_empty() => return Some("Enter a number.".into()),
        // Digits too many for a number: above any maximum.
        Err(_) if text.trim().bytes().all(|b| b.is_ascii_digit()) => {
            let max = r
                .max
                .unwrap_or(UnitBounds::CEILING)
                .min(UnitBounds::CEILING);
            return Some(format!("{}: at most {max}.", r.name).as_str().into());
        }
        Err(_) => return Some("Enter a whole number.".into()),
        Ok(n) => n,
    };
    let terms = ChangeTerms {
        plan_price_cents: 0,
        period: form.period(),
        today: form.today,
        trial: form.status == SubscriptionStatus::Trial,
        currency: r.unit_price.currency,
        tax: None,
    };
    match quote_change(&[r.rule()], &[asked], &terms) {
        Err(ChangeRefused::Resource { reason, .. }) => Some(Refusal {
            at_renewal: matches!(reason, LimitRefused::WaitsForRenewal { .. }).then_some(asked),
            message: reason.to_string(),
        }),
        Err(ChangeRefused::Overflow) => Some("That is too many.".into()),
        _ => None,
    }
}

#[component]
fn ChangeForm(
    data: ResourceChangeForm,
    texts: RwSignal<Vec<(i32, String)>>,
    acceptable: RwSignal<bool>,
    request: Memo<Option<ResourceChangeRequest>>,
    preview: Resource<Priced>,
    schedule: ServerAction<ScheduleReduction>,
    submit: Action<(ResourceChangeRequest, String, i64), Result<PlacedOrder, AppError>>,
    reload: Callback<()>,
) -> impl IntoView {
    let navigate = use_navigate();
    let subscription_id = data.subscription_id;
    let key = form_key(move |key| resources_href(subscription_id, key));
    // Owned copies, not a StoredValue of this form: after a reload disposes this form, a
    // closure of the old one that still runs must not read a disposed value.
    let form = Arc::new(data.clone());
    // Every typed limit passes the rules: only then is it priced and can it be confirmed.
    {
        let form = form.clone();
        Effect::new(move |_| {
            let typed = texts.get();
            let ok = typed.iter().all(|(rate, text)| {
                form.resources
                    .iter()
                    .find(|r| r.rate_id == *rate)
                    .is_some_and(|r| refusal(&form, r, text).is_none())
            });
            let _ = acceptable.try_set(ok);
        });
    }
    Effect::new(move |previous: Option<usize>| {
        let version = submit.version().get();
        match submit.value().get_untracked() {
            Some(Ok(placed)) => navigate(
                &format!("/orders/{}", placed.id),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            ),
            // The facts changed under the form (another change started, a license was
            // assigned, the price moved): the price is asked again; the message stays, with
            // a link to a new form where it is spent.
            Some(Err(_)) if previous.is_some_and(|p| p != version) => reload.run(()),
            _ => {}
        }
        version
    });
    let submit_error = move || submit.value().get().and_then(Result::err);
    let blocked = data.closed.clone().is_some() || data.open_change.is_some();
    let period = data.billing_period;
    let trial = data.status == SubscriptionStatus::Trial;
    view! {
        <header class="product-header with-icon">
            <ProductIcon icon=data.icon.clone() color=data.color.clone() />
            <span>
                <h1>"Add or remove resources"</h1>
                <span class="muted">{format!("{} · {}", data.product_name, data.plan_name)}</span>
            </span>
        </header>
        {data.closed.clone().map(|reason| view! { <p class="error-box" role="status">{reason}</p> })}
        {data.open_change.clone().map(|open| view! {
            <p class="notice" role="status">
                "A change of this subscription is in progress: "
                <a href=format!("/orders/{}", open.id)>{format!("order {}", open.number)}</a>
                ". Set new limits when it has completed."
            </p>
        })}
        <div class="checkout">
            {view! {
            <form class="card form" on:submit=|ev| ev.prevent_default() novalidate>
                <fieldset disabled=blocked>
                    <legend>"New limits"</legend>
                    <p class="muted small">
                        {format!(
                            "Current period {} – {}. {}",
                            format::date(data.period_start),
                            format::date(last_day(data.period_end)),
                            if trial {
                                "During the trial, limits change at no charge."
                            } else {
                                "Added units are charged for the rest of the period; removed units are credited while they may still be removed."
                            }
                        )}
                    </p>
                    // Each field erased to one view type: the form's type stays small enough for
                    // the compiler's depth limit in the split wasm build.
                    {data.resources.iter().cloned().map(|r| view! {
                        <LimitField resource=r form=form.clone() texts schedule submit_error=Signal::derive(submit_error) />
                    }.into_any()).collect_view()}
                </fieldset>
            </form>
            }.into_any()}
            {view! {
            <section class="card order-summary" aria-labelledby="change-price">
                <h2 id="change-price">"Price"</h2>
                <Transition fallback=|| view! { <Loading label="Pricing…" /> }>
                    {move || Suspend::new(async move {
                        let result = preview.await;
                        let priced = match &result {
                            Ok(Some((request, p))) => Some((request.clone(), p.quote.net_cents())),
                            _ => None,
                        };
                        let current = priced.clone();
                        let stale = move || current.as_ref().map(|(priced, _)| priced) != request.get().as_ref();
                        let confirm = move |_| {
                            if let Some((request, net)) = priced.clone()
                                && acceptable.get_untracked()
                            {
                                submit.dispatch((request, key.get_untracked(), net));
                            }
                        };
                        view! {
                            {match result {
                                Ok(Some((_, p))) => view! { <PreviewView preview=p period /> }.into_any(),
                                Ok(None) if !acceptable.get_untracked() => view! { <p class="muted">"Correct the limits marked to see the price."</p> }.into_any(),
                                Ok(None) => view! { <p class="muted">"Set a new limit to see the price."</p> }.into_any(),
                                // Shown beside the field it is about.
                                Err(AppError::Validation { field, .. }) if field.starts_with("resource-") => ().into_any(),
                                Err(AppError::Validation { message, .. }) => view! { <p class="muted">{message}</p> }.into_any(),
                                Err(error) => view! { <ErrorBox error /> }.into_any(),
                            }}
                            {move || submit_error().filter(|e| !matches!(e, AppError::Validation { field, .. } if field.starts_with("resource-")))
                                .map(|error| {
                                    // A spent or broken form key: only a new form can place a change.
                                    let spent = matches!(&error, AppError::Conflict(m) if m.contains("already used"))
                                        || error.for_field("idempotency_key").is_some();
                                    view! {
                                        <ErrorBox error />
                                        {spent.then(|| view! {
                                            <p><a href=format!("/subscriptions/{subscription_id}/resources") rel="external">"Start a new change"</a></p>
                                        })}
                                    }
                                })}
                            <button type="button" class="button primary wide"
                                disabled=move || blocked || submit.pending().get() || !acceptable.get()
                                    || key.get().is_empty() || stale() || request.get().is_none()
                                on:click=confirm>
                                {move || if submit.pending().get() { "Placing the change…" } else { "Confirm change" }}
                            </button>
                        }
                    })}
                </Transition>
                <p class="muted small">"Nothing changes until the vendor has made the change; you are charged or credited then."</p>
            </section>
            }.into_any()}
        </div>
    }
}

#[component]
fn LimitField(
    resource: ChangeableResource,
    form: Arc<ResourceChangeForm>,
    texts: RwSignal<Vec<(i32, String)>>,
    schedule: ServerAction<ScheduleReduction>,
    submit_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = resource.rate_id;
    let input_id = format!("limit-{id}");
    let label_for = input_id.clone();
    let hint_id = format!("{input_id}-hint");
    let field = format!("resource-{id}");
    let current = resource.limit;
    let value = move || {
        texts.with(|t| {
            t.iter()
                .find(|(r, _)| *r == id)
                .map(|(_, text)| text.clone())
                .unwrap_or_else(|| current.to_string())
        })
    };
    let checked = resource.clone();
    let rules = form.clone();
    let error = Memo::new(move |_| {
        let text = value();
        refusal(&rules, &checked, &text).or_else(|| {
            submit_error
                .get()
                .and_then(|e| e.for_field(&field))
                .map(|m| Refusal::from(m.as_str()))
        })
    });
    let renewal = format::date(form.period_end);
    let subscription_id = form.subscription_id;
    let scheduled = resource.scheduled.map(|units| {
        let renewal = renewal.clone();
        view! {
            <p class="notice small">
                {format!("Scheduled: {} from the renewal on {renewal}. ", format::count(units, &resource.unit))}
                <button type="button" class="link-button"
                    disabled=move || schedule.pending().get()
                    on:click=move |_| {
                        schedule.dispatch(ScheduleReduction { subscription_id, rate_id: id, units: None });
                    }>"Cancel the reduction"</button>
            </p>
        }
    });
    let own_field = format!("resource-{id}");
    let schedule_error = move || {
        schedule
            .value()
            .get()
            .and_then(Result::err)
            .and_then(|e| e.for_field(&own_field))
            .map(|message| view! { <p class="field-error" role="alert">{message}</p> })
    };
    let in_use = match resource.kind {
        ResourceKind::License => format!("{} assigned", resource.in_use),
        ResourceKind::Quota => format!("{} in use", format::count(resource.in_use, &resource.unit)),
    };
    let mut hint = vec![
        format!("Now {}", format::count(resource.limit, &resource.unit)),
        in_use,
    ];
    if resource.included > 0 {
        hint.push(format!("{} included", resource.included));
    }
    hint.push(format::unit_price_text(
        resource.unit_price,
        &resource.unit,
        resource.included,
    ));
    hint.push(match resource.max {
        Some(max) => format!("{}–{}", resource.min, max),
        None => format!("{} or more", resource.min),
    });
    // During a trial any limit may go down; after it, only inside the downsize window.
    let trial = form.status == SubscriptionStatus::Trial;
    let window = match resource.lowerable_until {
        _ if trial => None,
        Some(day) if day >= form.today => {
            Some(format!("Can be lowered until {}.", format::date(day)))
        }
        Some(_) => Some("Can be lowered again at the renewal.".to_owned()),
        None => Some("Can be lowered only at a renewal.".to_owned()),
    };
    view! {
        <div class="quantity">
            <label for=label_for>{resource.name.clone()}</label>
            <input id=input_id type="number" inputmode="numeric" step="1"
                min=resource.min.to_string() max=resource.max.map(|m| m.to_string())
                aria-describedby=hint_id.clone()
                aria-invalid=move || error.get().is_some().to_string()
                // Only the first value: the browser keeps what is typed (written back on
                // each keystroke, an unfinished "1." would be replaced).
                value=current.to_string()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    // Back at today's limit, the field is no longer part of the change (and
                    // is not sent to be priced).
                    let unchanged = text.trim().parse::<i64>() == Ok(current);
                    texts.update(|t| {
                        let slot = t.iter().position(|(r, _)| *r == id);
                        match (slot, unchanged) {
                            (Some(i), true) => {
                                t.remove(i);
                            }
                            (Some(i), false) => t[i].1 = text,
                            (None, false) => t.push((id, text)),
                            (None, true) => {}
                        }
                    });
                } />
            <p class="muted small" id=hint_id>{hint.join(" · ")}{window.map(|w| format!(" · {w}"))}</p>
            {move || error.get().map(|refused| {
                let renewal = renewal.clone();
                view! {
                    <p class="field-error" role="alert">{refused.message}</p>
                    {refused.at_renewal.map(|units| view! {
                        <button type="button" class="button small"
                            disabled=move || schedule.pending().get()
                            on:click=move |_| {
                                schedule.dispatch(ScheduleReduction { subscription_id, rate_id: id, units: Some(units) });
                            }>{format!("Reduce to {units} at the renewal on {renewal}")}</button>
                    })}
                }
            })}
            {scheduled}
            {schedule_error}
        </div>
    }
}

fn lines(lines: Vec<ChangeLine>) -> Vec<Line> {
    lines
        .into_iter()
        .map(|l| Line {
            tax: l.kind == LineKind::Tax,
            details: l
                .span
                .map(|(from, until)| {
                    format!("{} – {}", format::date(from), format::date(last_day(until)))
                })
                .into_iter()
                .collect(),
            description: l.description,
            quantity: l.quantity,
            unit_price: l.unit_price,
            amount: l.amount,
        })
        .collect()
}

#[component]
fn PreviewView(
    preview: ResourceChangePreview,
    period: crate::domain::BillingPeriod,
) -> impl IntoView {
    let q = preview.quote;
    let moves: Vec<String> = q
        .moves
        .iter()
        .map(|m| {
            let name = preview
                .resource_names
                .get(m.resource)
                .cloned()
                .unwrap_or_default();
            format!("{name}: {} → {}", m.from, m.to)
        })
        .collect();
    let has_charges = !q.charges.is_empty();
    let has_credits = !q.credits.is_empty();
    view! {
        <ul class="change-moves">
            {moves.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
        </ul>
        {preview.replaces.into_iter().map(|words| view! { <p class="notice">{words}</p> }).collect_view()}
        {preview.trial.then(|| view! {
            <p class="notice">"Free during the trial: the new limits apply at no charge."</p>
        })}
        {has_charges.then(|| view! {
            <LinesTable lines=lines(q.charges.clone()) total_label="Charged now".to_owned() total=q.charged />
        })}
        {has_credits.then(|| view! {
            <LinesTable lines=lines(q.credits.clone()) total_label="Credited".to_owned() total=q.credited />
        })}
        {(!preview.trial && !has_charges && !has_credits).then(|| view! {
            <p class="muted">"Only included units change: nothing to pay."</p>
        })}
        <p class="muted small">
            {format!(
                "From the renewal on {}: {} {} (now {}), before any tax.",
                format::date(preview.period_end),
                preview.recurring_after,
                period.per(),
                preview.recurring_before
            )}
        </p>
    }
}

//! Ordering a product: choose the plan and the starting quantities, see the price (computed on
//! the server by the code that writes the invoice), confirm.
//!
//! The order form's idempotency key lives in the address (`key=`), made once when the form
//! opens. A double click, a retry or a reload of the form sends the same key, and the server
//! answers with the order already placed instead of placing another.

use super::params::{id_param, load_by_id, new_form_key, query_id};
use crate::api::marketplace::get_product;
use crate::api::orders::{preview_order, submit_order};
use crate::components::badges::ProductIcon;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::format;
use crate::components::lines::{Line, LinesTable};
use crate::components::loaded::Loaded;
use crate::domain::pricing::LineKind;
use crate::dto::marketplace::{PlanOffer, ProductDetail, RateOffer};
use crate::dto::orders::{OrderPreview, OrderRequest};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

fn order_href(product_id: i32, plan_id: i32, key: &str) -> String {
    format!(
        "/marketplace/{product_id}/order?{}",
        format::query_string(&[("plan", &plan_id.to_string()), ("key", key)])
    )
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let id = id_param("id");
    let asked_plan = query_id("plan");
    // The text of each quantity field the customer has changed, by resource rate id; a resource
    // not in here is ordered at its default.
    let units: RwSignal<Vec<(i32, String)>> = RwSignal::new(Vec::new());
    // What is priced: the plan of the address and the changed quantities. `None` while a
    // quantity is not a whole number.
    let request = Memo::new(move |_| {
        let plan_id = asked_plan.get()?;
        let mut resources = Vec::new();
        for (rate, text) in units.get() {
            resources.push((rate, text.trim().parse::<i64>().ok()?));
        }
        Some(OrderRequest { plan_id, resources })
    });
    // Both resources are made here, at the top of the page and in a fixed order, so the browser
    // finds the values the server rendered with (nested resources could be created in another
    // order while the page hydrates). Each price comes with the request it prices, so a stale
    // price is never confirmed.
    let product = Resource::new(move || id.get(), |id| load_by_id(id, get_product));
    let preview = Resource::new(
        move || request.get(),
        |request| async move {
            match request {
                Some(request) => preview_order(request.clone())
                    .await
                    .map(|priced| Some((request, priced))),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text="Order" />
        <p class="breadcrumb">
            // An id that is not a number links to product 0, which is not found either.
            <a href=move || format!("/marketplace/{}", id.get().unwrap_or_default())>"← Product"</a>
        </p>
        <Loaded resource=product error_title="Order" let:detail>
            <OrderForm detail units request preview />
        </Loaded>
    }
}

type Priced = Result<Option<(OrderRequest, OrderPreview)>, AppError>;

#[component]
fn OrderForm(
    detail: ProductDetail,
    units: RwSignal<Vec<(i32, String)>>,
    request: Memo<Option<OrderRequest>>,
    preview: Resource<Priced>,
) -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let product_id = detail.card.id;
    let plans = StoredValue::new(detail.plans.clone());
    let first_plan = detail.plans.first().map(|p| p.id).unwrap_or_default();
    let asked_plan = query_id("plan");
    let plan_id = Memo::new(move |_| {
        asked_plan
            .get()
            .filter(|id| plans.with_value(|plans| plans.iter().any(|p| p.id == *id)))
            .unwrap_or(first_plan)
    });
    let key = Memo::new(move |_| query.with(|q| q.get("key")).unwrap_or_default());

    // Give the form its key once it runs in the browser, and put the plan shown in the address
    // when the address names none or another product's: what is priced and ordered is always
    // the plan on screen.
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            let key = key.get();
            let shown = plan_id.get();
            if !key.is_empty() && asked_plan.get() == Some(shown) {
                return;
            }
            let key = if key.is_empty() {
                new_form_key()
            } else {
                Some(key)
            };
            if let Some(key) = key {
                navigate(
                    &order_href(product_id, shown, &key),
                    NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            }
        });
    }

    let plan =
        move || plans.with_value(|plans| plans.iter().find(|p| p.id == plan_id.get()).cloned());
    // Another plan has other resources: its quantities start at their defaults.
    Effect::new(move |previous: Option<i32>| {
        let current = plan_id.get();
        if previous.is_some_and(|p| p != current) {
            units.set(Vec::new());
        }
        current
    });
    let parsed = Memo::new(move |_| {
        let plan = plan()?;
        let texts = units.get();
        let mut resources = Vec::new();
        for rate in &plan.resources {
            let text = texts
                .iter()
                .find(|(id, _)| *id == rate.id)
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| rate.default_units.to_string());
            resources.push((rate.id, text.trim().parse::<i64>().ok()?));
        }
        Some(OrderRequest {
            plan_id: plan.id,
            resources,
        })
    });
    // Every quantity within its limits: only then can the order be placed.
    let within_limits = Memo::new(move |_| {
        let (Some(plan), Some(request)) = (plan(), parsed.get()) else {
            return false;
        };
        plan.resources.iter().all(|rate| {
            request
                .resources
                .iter()
                .find(|(id, _)| *id == rate.id)
                .is_some_and(|(_, n)| *n >= rate.min && rate.max.is_none_or(|max| *n <= max))
        })
    });
    let submit = Action::new(move |(request, key, total): &(OrderRequest, String, i64)| {
        let (request, key, total) = (request.clone(), key.clone(), *total);
        async move { submit_order(request, key, Some(total)).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(placed)) = submit.value().get() {
            // Replacing the form: going back does not reopen a form whose key is spent.
            navigate(
                &format!("/orders/{}", placed.id),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let submit_error = move || match submit.value().get() {
        Some(Err(err)) => Some(err),
        _ => None,
    };
    let quantity_error = |e: &AppError| matches!(e, AppError::Validation { field, .. } if field.starts_with("resource-"));
    let field_error = move |field: String| submit_error().and_then(|e| e.for_field(&field));
    view! {
        <header class="product-header with-icon">
            <ProductIcon icon=detail.card.icon color=detail.card.color />
            <span>
                <h1>{format!("Order {}", detail.card.name)}</h1>
                <span class="muted">{detail.card.vendor}</span>
            </span>
        </header>
        <div class="checkout">
            <form class="card form" on:submit=|ev| ev.prevent_default() novalidate>
                <fieldset>
                    <legend>"Plan"</legend>
                    {detail.plans.iter().map(|p| {
                        let id = p.id;
                        let input_id = format!("plan-{id}");
                        let label_for = input_id.clone();
                        let navigate = use_navigate();
                        view! {
                            <label class="choice" for=label_for>
                                <input type="radio" name="plan" id=input_id value=id.to_string()
                                    checked=plan_id.get_untracked() == id
                                    prop:checked=move || plan_id.get() == id
                                    on:change=move |_| navigate(
                                        &order_href(product_id, id, &key.get_untracked()),
                                        NavigateOptions { replace: true, scroll: false, ..Default::default() },
                                    ) />
                                <span>
                                    <strong>{p.name.clone()}</strong>
                                    <span class="muted small block">{plan_terms(p)}</span>
                                </span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                {move || plan().map(|p| view! {
                    <fieldset>
                        <legend>"Quantities"</legend>
                        {p.resources.into_iter().map(|rate| view! {
                            <QuantityField rate units field_error=Callback::new(move |f: String| field_error(f)) />
                        }).collect_view()}
                    </fieldset>
                })}
            </form>
            <section class="card order-summary" aria-labelledby="summary-title">
                <h2 id="summary-title">"Price"</h2>
                // Not <Loaded>: a failed price is only part of this view (a quantity error shows
                // beside its field, and the button below stays), so it reads the result itself.
                <Transition fallback=|| view! { <Loading label="Pricing…" /> }>
                    {move || Suspend::new(async move {
                        let result = preview.await;
                        let priced = match &result {
                            Ok(Some((request, p))) => Some((request.clone(), p.total.cents)),
                            _ => None,
                        };
                        let current = priced.clone();
                        let stale = move || {
                            current.as_ref().map(|(priced, _)| priced) != request.get().as_ref()
                        };
                        let confirm = move |_| {
                            if let Some((request, total)) = priced.clone()
                                && within_limits.get_untracked()
                            {
                                // Only ever the plan on screen.
                                if request.plan_id == plan_id.get_untracked() {
                                    submit.dispatch((request, key.get_untracked(), total));
                                }
                            }
                        };
                        view! {
                            {match result {
                                Ok(Some((_, p))) => view! { <PreviewView preview=p /> }.into_any(),
                                Ok(None) => view! { <p class="muted">"Choose a plan and enter whole numbers to see the price."</p> }.into_any(),
                                // Shown next to the quantity it is about.
                                Err(error) if quantity_error(&error) => ().into_any(),
                                Err(error) => view! { <ErrorBox error /> }.into_any(),
                            }}
                            {move || submit_error().filter(|e| !quantity_error(e)).map(|error| view! { <ErrorBox error /> })}
                            <button type="button" class="button primary wide"
                                disabled=move || submit.pending().get() || !within_limits.get()
                                    || key.get().is_empty() || stale()
                                    || request.get().is_none_or(|r| r.plan_id != plan_id.get())
                                on:click=confirm>
                                {move || if submit.pending().get() { "Placing order…" } else { "Place order" }}
                            </button>
                        }
                    })}
                </Transition>
                <p class="muted small">"You are charged when the vendor has set up the service."</p>
            </section>
        </div>
    }
}

fn plan_terms(plan: &PlanOffer) -> String {
    let mut terms = vec![plan.billing_period.billed().to_owned()];
    if plan.trial_available {
        terms.push(format!("{}-day free trial", plan.trial_days));
    }
    if plan.setup_fee.cents > 0 {
        terms.push(format!("setup fee {}", plan.setup_fee));
    }
    terms.join(" · ")
}

#[component]
fn QuantityField(
    rate: RateOffer,
    units: RwSignal<Vec<(i32, String)>>,
    field_error: Callback<String, Option<String>>,
) -> impl IntoView {
    let id = rate.id;
    let input_id = format!("units-{id}");
    let label_for = input_id.clone();
    let field = format!("resource-{id}");
    let default_units = rate.default_units;
    // Before the browser has filled in the defaults (and on the server), show the default.
    let value = move || {
        units.with(|u| {
            u.iter()
                .find(|(r, _)| *r == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| default_units.to_string())
        })
    };
    let local_error = move || {
        let text = value();
        match text.trim().parse::<i64>() {
            Err(_) if text.trim().is_empty() => Some("Enter a number.".to_owned()),
            Err(_) => Some("Enter a whole number.".to_owned()),
            Ok(n) if n < rate.min => Some(format!("At least {}.", rate.min)),
            Ok(n) if rate.max.is_some_and(|max| n > max) => {
                Some(format!("At most {}.", rate.max.unwrap_or_default()))
            }
            Ok(_) => None,
        }
    };
    let error = Memo::new(move |_| local_error().or_else(|| field_error.run(field.clone())));
    let hint = {
        let mut parts = vec![format::unit_price_text(
            rate.unit_price,
            &rate.unit,
            rate.included,
        )];
        if rate.included > 0 {
            parts.insert(
                0,
                format!("{} included", format::count(rate.included, &rate.unit)),
            );
        }
        let count = |n: i64| format::thousands(n.max(0) as u64);
        parts.push(match rate.max {
            Some(max) => format!("{}–{}", count(rate.min), count(max)),
            None => format!("{} or more", count(rate.min)),
        });
        parts.join(" · ")
    };
    let hint_id = format!("{input_id}-hint");
    view! {
        <div class="quantity">
            <label for=label_for>{rate.name.clone()}</label>
            <input id=input_id type="number" inputmode="numeric" step="1"
                min=rate.min.to_string() max=rate.max.map(|m| m.to_string())
                aria-describedby=hint_id.clone()
                aria-invalid=move || error.get().is_some().to_string()
                // Only the first value: the browser keeps what is typed (written back on
                // each keystroke, an unfinished "1." would be replaced).
                value=default_units.to_string()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    units.update(|u| match u.iter_mut().find(|(r, _)| *r == id) {
                        Some(slot) => slot.1 = text,
                        None => u.push((id, text)),
                    });
                } />
            <p class="muted small" id=hint_id>{hint}</p>
            {move || error.get().map(|m| view! { <p class="field-error">{m}</p> })}
        </div>
    }
}

#[component]
fn PreviewView(preview: OrderPreview) -> impl IntoView {
    let taxed = preview.lines.iter().any(|l| l.kind == LineKind::Tax);
    let trial_note = if preview.trial_days > 0 {
        Some(format!(
            "Free for {} days, until {}. Then {} per period at these quantities, before any tax.",
            preview.trial_days,
            format::date(preview.period_end),
            preview.recurring
        ))
    } else {
        None
    };
    view! {
        <LinesTable
            lines=preview.lines.into_iter().map(|l| Line {
                tax: l.kind == LineKind::Tax,
                details: Vec::new(),
                description: l.description,
                quantity: l.quantity,
                unit_price: l.unit_price,
                amount: l.amount,
            }).collect()
            total_label="Total due now".to_owned()
            total=preview.total
        />
        {trial_note.map(|n| view! { <p class="notice">{n}</p> })}
        {preview.trial_used.then(|| view! {
            <p class="muted small">"Your account has already used this product's free trial."</p>
        })}
        <p class="muted small">
            {format!(
                "First period {} – {}; renews at {} per period{}.",
                format::date(preview.period_start),
                format::date(preview.period_end),
                preview.recurring,
                if taxed { " before tax" } else { "" }
            )}
        </p>
    }
}

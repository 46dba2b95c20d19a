//! A product of the marketplace with its plans side by side.

use super::params::{id_param, load_by_id};
use crate::api::marketplace::get_product;
use crate::components::badges::ProductIcon;
use crate::components::format::{self, thousands, unit_price_text};
use crate::components::loaded::Loaded;
use crate::domain::ResourceKind;
use crate::dto::marketplace::{PlanOffer, ProductDetail};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProductPage() -> impl IntoView {
    let id = id_param("id");
    let product = Resource::new(move || id.get(), |id| load_by_id(id, get_product));
    view! {
        <p class="breadcrumb"><a href="/marketplace">"← Marketplace"</a></p>
        <Loaded resource=product error_title="Product" let:detail>
            <ProductView detail />
        </Loaded>
    }
}

#[component]
fn ProductView(detail: ProductDetail) -> impl IntoView {
    let product_id = detail.card.id;
    view! {
        <Title text=detail.card.name.clone() />
        <header class="product-header with-icon">
            <ProductIcon icon=detail.card.icon color=detail.card.color />
            <span>
                <h1>{detail.card.name}</h1>
                <span class="muted">{detail.card.vendor}" · "{detail.card.category}</span>
            </span>
        </header>
        <p class="lead">{detail.card.short_description}</p>
        <p>{detail.long_description}</p>
        <h2>"Plans"</h2>
        <ul class="plan-grid">
            {detail.plans.into_iter().map(|plan| view! { <li><PlanCard plan product_id /></li> }).collect_view()}
        </ul>
    }
}

/// "3 licenses included", "at least 5 workstations", "up to 300"...
fn resource_terms(r: &crate::dto::marketplace::RateOffer) -> String {
    let mut terms = Vec::new();
    if r.included > 0 {
        terms.push(format!("{} included", format::count(r.included, &r.unit)));
    }
    terms.push(unit_price_text(r.unit_price, &r.unit, r.included));
    if r.min > r.included {
        terms.push(format!("at least {}", r.min));
    }
    terms.push(match r.max {
        Some(max) => format!("up to {}", thousands(max.max(0) as u64)),
        None => "no upper limit".into(),
    });
    terms.join(" · ")
}

#[component]
fn PlanCard(plan: PlanOffer, product_id: i32) -> impl IntoView {
    let heading_id = format!("plan-{}", plan.id);
    let labelled_by = heading_id.clone();
    let trial = match (plan.trial_days, plan.trial_available) {
        (0, _) => None,
        (days, true) => Some(format!("{days}-day free trial")),
        (_, false) => Some("Free trial already used by your account".to_owned()),
    };
    view! {
        <article class="card plan-card" aria-labelledby=labelled_by>
            <h3 id=heading_id>{plan.name.clone()}</h3>
            <p class="price">
                {if plan.resources.iter().any(|r| r.unit_price.cents > 0) {
                    format!("from {} {}", plan.from_price, plan.billing_period.per())
                } else {
                    format!("{} {}", plan.from_price, plan.billing_period.per())
                }}
            </p>
            <p class="muted small">{plan.billing_period.billed()}</p>
            {trial.map(|t| view! { <p><span class="badge info">{t}</span></p> })}
            <dl class="facts">
                {plan.resources.iter().map(|r| view! {
                    <dt>{r.name.clone()}{(r.kind == ResourceKind::License).then_some(" (assignable)")}</dt>
                    <dd>{resource_terms(r)}</dd>
                }).collect_view()}
                <dt>"Setup fee"</dt>
                <dd>{if plan.setup_fee.cents > 0 { plan.setup_fee.to_string() } else { "None".into() }}</dd>
                <dt>"Refunds"</dt>
                <dd>{plan.refund_policy.clone()}</dd>
                <dt>"Cancel online"</dt>
                <dd>{if plan.cancellable_online { "Yes" } else { "Through your reseller" }}</dd>
            </dl>
            <a class="button primary" href=format!("/marketplace/{product_id}/order?plan={}", plan.id)
                aria-label=format!("Order {}", plan.name)>
                "Order"
            </a>
        </article>
    }
}

//! The marketplace: categories, search, and product cards. The search and category live in the
//! address, so a search can be bookmarked and the back button works.

use crate::api::marketplace::list_products;
use crate::components::badges::ProductIcon;
use crate::components::format::query_string;
use crate::components::loaded::Loaded;
use crate::dto::marketplace::{Marketplace, ProductCard};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

fn href(q: &str, category: &str) -> String {
    let query = query_string(&[("q", q), ("category", category)]);
    if query.is_empty() {
        "/marketplace".into()
    } else {
        format!("/marketplace?{query}")
    }
}

#[component]
pub fn MarketplacePage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| {
            (
                q.get("q").unwrap_or_default(),
                q.get("category").unwrap_or_default(),
            )
        })
    });
    let products = Resource::new(
        move || filters.get(),
        |(q, category)| list_products(q, category),
    );
    let (q, category) = filters.get_untracked();
    view! {
        <Title text="Marketplace" />
        <h1>"Marketplace"</h1>
        <Form method="GET" action="/marketplace" attr:class="filters card" attr:role="search">
            <div class="filter grow">
                <label for="market-q">"Search"</label>
                <input id="market-q" type="search" name="q" value=q
                    placeholder="Product, vendor or what it does…" autocomplete="off" />
            </div>
            <input type="hidden" name="category" value=category />
            <button type="submit" class="button">"Search"</button>
        </Form>
        <Loaded resource=products let:market>
            {
                let (q, category) = filters.get_untracked();
                view! { <Catalog market q category /> }
            }
        </Loaded>
    }
}

#[component]
fn Catalog(market: Marketplace, q: String, category: String) -> impl IntoView {
    let all_count: u64 = market.categories.iter().map(|c| c.products).sum();
    let found = market.products.len();
    let empty = market.products.is_empty();
    let summary = match (q.is_empty(), found) {
        (true, _) => None,
        (false, 1) => Some(format!("1 product matches “{q}”")),
        (false, n) => Some(format!("{n} products match “{q}”")),
    };
    view! {
        <nav class="chips category-chips" aria-label="Categories">
            <a href=href(&q, "") aria-current=category.is_empty().then_some("page")>
                {format!("All ({all_count})")}
            </a>
            {market.categories.into_iter().map(|c| {
                let current = c.name == category;
                view! {
                    <a href=href(&q, &c.name) aria-current=current.then_some("page")>
                        {format!("{} ({})", c.name, c.products)}
                    </a>
                }
            }).collect_view()}
        </nav>
        {summary.map(|s| view! { <p class="muted" role="status">{s}</p> })}
        {if empty {
            view! {
                <div class="card">
                    <p>"No product matches this search."</p>
                    <a href="/marketplace">"Show every product"</a>
                </div>
            }.into_any()
        } else {
            view! {
                <ul class="product-grid">
                    {market.products.into_iter().map(|p| view! { <li><ProductTile product=p /></li> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn ProductTile(product: ProductCard) -> impl IntoView {
    let from = match (product.from_monthly, product.from_unit) {
        (Some(price), None) => format!("from {price} per month"),
        (Some(price), Some(unit)) => format!("from {price} per {unit} per month"),
        (None, _) => String::new(),
    };
    view! {
        <article class="card product-card">
            <header class="with-icon">
                <ProductIcon icon=product.icon color=product.color />
                <span>
                    <h2 class="product-name">
                        <a href=format!("/marketplace/{}", product.id)>{product.name}</a>
                    </h2>
                    <span class="muted small block">{product.vendor}" · "{product.category}</span>
                </span>
            </header>
            <p>{product.short_description}</p>
            <footer class="product-card-footer">
                <span class="price">{from}</span>
                {product.has_trial.then(|| view! { <span class="badge info">"Free trial"</span> })}
            </footer>
        </article>
    }
}

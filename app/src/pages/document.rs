//! One billing document, laid out to be printed (or saved as PDF from the print dialog).

use super::params::{id_param, load_by_id};
use crate::api::billing::get_document;
use crate::components::format;
use crate::components::lines::{Line, LinesTable};
use crate::components::loaded::Loaded;
use crate::dto::billing::DocumentDetail;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DocumentPage() -> impl IntoView {
    let id = id_param("id");
    let document = Resource::new(move || id.get(), |id| load_by_id(id, get_document));
    view! {
        <p class="breadcrumb no-print"><a href="/billing">"← Billing"</a></p>
        <Loaded resource=document error_title="Billing document" let:detail>
            <Document detail />
        </Loaded>
    }
}

#[component]
fn Document(detail: DocumentDetail) -> impl IntoView {
    let title = format!("{} {}", detail.row.kind.label(), detail.row.number);
    view! {
        <Title text=title.clone() />
        <div class="page-title-row no-print">
            <h1>{title.clone()}</h1>
            <span class="actions">
                <button type="button" class="button" on:click=|_| {
                    if let Some(window) = web_sys::window() {
                        let _ = window.print();
                    }
                }>"Print"</button>
            </span>
        </div>
        <article class="card document" aria-label=title.clone()>
            <header class="document-head">
                <div>
                    <p class="document-kind">{detail.row.kind.label()}</p>
                    <p class="document-number">{detail.row.number.clone()}</p>
                </div>
                <dl class="facts">
                    <dt>"Issued"</dt>
                    <dd>{format::date(detail.row.issued_at.date_naive())}</dd>
                    {detail.row.order_number.clone().map(|n| view! { <dt>"Order"</dt><dd>{n}</dd> })}
                </dl>
            </header>
            <div class="parties">
                <section>
                    <h2 class="small muted">"From"</h2>
                    <p><strong>{detail.seller.name}</strong></p>
                    <p>{detail.seller.email}</p>
                </section>
                <section>
                    <h2 class="small muted">"Billed to"</h2>
                    <p><strong>{detail.buyer.name}</strong></p>
                    <p>{detail.buyer.email}</p>
                    {detail.buyer.country.map(|c| view! { <p>{c}</p> })}
                </section>
            </div>
            <LinesTable
                lines=detail.lines.into_iter().map(|l| Line {
                    tax: false,
                    description: l.description,
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    amount: l.amount,
                }).collect()
                total_label=format!("Total ({})", detail.row.total.currency.code())
                total=detail.row.total
                item_header="Description"
                price_header="Unit price"
            />
        </article>
    }
}

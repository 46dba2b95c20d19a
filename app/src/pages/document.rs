//! One billing document, laid out to be printed (or saved as PDF from the print dialog): its
//! status and due date, its lines (each naming product, plan and span of service), its total
//! and what is left to pay.

use super::params::{id_param, load_by_id};
use crate::api::billing::get_document;
use crate::components::badges::DocumentBadge;
use crate::components::format;
use crate::components::lines::{Line, LinesTable};
use crate::components::loaded::Loaded;
use crate::domain::DocumentKind;
use crate::domain::billing::last_day;
use crate::domain::pricing::LineKind;
use crate::dto::billing::{DocumentDetail, DocumentLine};
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

/// The smaller lines under a line's description: what it is for, and the days it covers.
fn line_details(line: &DocumentLine) -> Vec<String> {
    let mut details = Vec::new();
    if line.kind != Some(LineKind::Tax) {
        let what = match (&line.product, &line.plan) {
            (Some(product), Some(plan)) => Some(format!("{product} — {plan}")),
            (Some(name), None) | (None, Some(name)) => Some(name.clone()),
            (None, None) => None,
        };
        details.extend(what);
    }
    if let (Some(start), Some(end)) = (line.period_start, line.period_end) {
        details.push(format!(
            "{} – {}",
            format::date(start),
            format::date(last_day(end))
        ));
    }
    if let Some((days, of)) = line.prorated {
        details.push(format!(
            "Price per period, prorated for {days} of {of} days"
        ));
    }
    details
}

#[component]
fn Document(detail: DocumentDetail) -> impl IntoView {
    let title = format!("{} {}", detail.row.kind.label(), detail.row.number);
    // A credit note has nothing to pay; an invoice says what is left, even when nothing is.
    let after_total = match detail.row.kind {
        DocumentKind::Invoice => vec![("Amount due".to_owned(), detail.amount_due)],
        DocumentKind::CreditNote => Vec::new(),
    };
    let note = match (detail.row.kind, detail.row.due_on, detail.row.paid_at) {
        (DocumentKind::Invoice, _, _) if detail.row.total.cents == 0 => {
            Some("Nothing to pay on this invoice.".to_owned())
        }
        (DocumentKind::Invoice, _, Some(paid)) => Some(format!(
            "Paid on {}. Thank you.",
            format::date(paid.date_naive())
        )),
        (DocumentKind::Invoice, Some(due), None) => Some(format!(
            "Please pay {} by {}.",
            detail.amount_due,
            format::date(due)
        )),
        (DocumentKind::CreditNote, _, _) => {
            Some("This credit note gives the amount above back to your account.".to_owned())
        }
        _ => None,
    };
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
                    <dt>"Status"</dt>
                    <dd><DocumentBadge standing=detail.row.standing /></dd>
                    <dt>"Issued"</dt>
                    <dd>{format::date(detail.row.issued_at.date_naive())}</dd>
                    {detail.row.due_on.map(|d| view! { <dt>"Due"</dt><dd>{format::date(d)}</dd> })}
                    {detail.row.paid_at.map(|at| view! { <dt>"Paid"</dt><dd>{format::date(at.date_naive())}</dd> })}
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
                    tax: l.kind == Some(LineKind::Tax),
                    details: line_details(&l),
                    description: l.description,
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    amount: l.amount,
                }).collect()
                total_label=format!("Total ({})", detail.row.total.currency.code())
                total=detail.row.total
                item_header="Description"
                price_header="Unit price"
                after_total=after_total
            />
            {note.map(|n| view! { <p class="muted small document-note">{n}</p> })}
        </article>
    }
}

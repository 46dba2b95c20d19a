//! Billing: what the account has to pay (and by when), what it paid in the last year, and its
//! billing documents with where each stands.

use super::params::query_number;
use crate::api::billing::list_documents;
use crate::components::badges::DocumentBadge;
use crate::components::format;
use crate::components::loaded::Loaded;
use crate::components::pager::Pager;
use crate::domain::billing::PAYMENT_TERMS_DAYS;
use crate::dto::billing::{AmountDue, BillingOverview};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BillingPage() -> impl IntoView {
    let page = query_number("page", 1);
    let overview = Resource::new(move || page.get(), list_documents);
    view! {
        <Title text="Billing" />
        <h1>"Billing"</h1>
        <Loaded resource=overview let:data>
            <Documents data />
        </Loaded>
    }
}

fn invoices(n: u64) -> String {
    if n == 1 {
        "1 invoice".to_owned()
    } else {
        format!("{n} invoices")
    }
}

/// What is due in one currency, in words: how many invoices, by when, and what is late.
fn due_words(due: &AmountDue) -> (String, Option<String>) {
    let when = due
        .earliest_due
        .map(|d| {
            let first = if due.open_invoices > 1 {
                "the first "
            } else {
                ""
            };
            format!(", {first}due {}", format::date(d))
        })
        .unwrap_or_default();
    let open = format!("{} open{when}.", invoices(due.open_invoices));
    let overdue = (due.overdue_invoices > 0).then(|| {
        format!(
            "{} of it ({}) is past its due date.",
            due.overdue,
            invoices(due.overdue_invoices)
        )
    });
    (open, overdue)
}

#[component]
fn Documents(data: BillingOverview) -> impl IntoView {
    let amount_due = if data.due.is_empty() {
        "Nothing due".to_owned()
    } else {
        data.due
            .iter()
            .map(|d| d.amount.to_string())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let paid = if data.paid.is_empty() {
        "Nothing yet".to_owned()
    } else {
        data.paid
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" · ")
    };
    view! {
        <div class="tiles billing-summary">
            <section class="card tile" aria-labelledby="amount-due">
                <h2 id="amount-due">"Amount due"</h2>
                <p class="big-number">{amount_due}</p>
                {if data.due.is_empty() {
                    view! { <p class="muted small">"No open invoices: everything billed is paid."</p> }.into_any()
                } else {
                    data.due.iter().map(|due| {
                        let (open, overdue) = due_words(due);
                        view! {
                            <p class="small">{open}</p>
                            {overdue.map(|o| view! { <p class="billing-overdue" role="note"><strong>"Overdue: "</strong>{o}</p> })}
                        }
                    }).collect_view().into_any()
                }}
            </section>
            <section class="card tile" aria-labelledby="paid">
                <h2 id="paid">"Paid in the last 12 months"</h2>
                <p class="big-number">{paid}</p>
                <p class="muted small">{format!("Invoices paid since {}.", format::date(data.paid_since))}</p>
            </section>
        </div>
        <p class="muted small billing-terms">
            {format!(
                "Invoices are due {PAYMENT_TERMS_DAYS} days after they are issued. An invoice with nothing to pay (a free trial) is paid when issued; a credit note is settled when issued."
            )}
        </p>
        {if data.documents.rows.is_empty() {
            view! { <p class="card muted">"No billing documents yet. Invoices appear here when an order completes."</p> }.into_any()
        } else {
            view! {
                <table class="list card documents">
                    <thead>
                        <tr><th>"Document"</th><th>"Type"</th><th>"Issued"</th><th>"Due"</th><th>"Status"</th><th>"Order"</th><th class="num">"Total"</th></tr>
                    </thead>
                    <tbody>
                        {data.documents.rows.into_iter().map(|d| view! {
                            <tr>
                                <td class="primary nowrap">
                                    <a href=format!("/billing/{}", d.id)>{d.number.clone()}</a>
                                    <span class="phone-only muted small">{format!(
                                        "{} · {}{}",
                                        d.kind.label(),
                                        d.total,
                                        d.due_on.map(|due| format!(" · due {}", format::date(due))).unwrap_or_default()
                                    )}</span>
                                </td>
                                <td data-label="Type">{d.kind.label()}</td>
                                <td data-label="Issued">{format::date(d.issued_at.date_naive())}</td>
                                <td data-label="Due">{d.due_on.map(format::date).unwrap_or_else(|| "—".to_owned())}</td>
                                <td class="status">
                                    <span class="document-standing">
                                        <DocumentBadge standing=d.standing />
                                        {d.paid_at.map(|at| view! { <span class="muted small">{format!("on {}", format::date(at.date_naive()))}</span> })}
                                    </span>
                                </td>
                                <td data-label="Order">
                                    {match (d.order_id, d.order_number) {
                                        (Some(id), Some(number)) => view! { <a href=format!("/orders/{id}")>{number}</a> }.into_any(),
                                        _ => "—".into_any(),
                                    }}
                                </td>
                                <td data-label="Total" class="num">{d.total.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <Pager page=data.documents.page has_next=data.documents.has_next href=|n| format!("/billing?page={n}") />
    }
}

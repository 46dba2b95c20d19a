//! Billing: the account's balance and its billing documents.

use super::params::query_number;
use crate::api::billing::list_documents;
use crate::components::loaded::Loaded;
use crate::components::pager::Pager;
use crate::components::time::Time;
use crate::dto::billing::BillingOverview;
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

#[component]
fn Documents(data: BillingOverview) -> impl IntoView {
    let balance = if data.balances.is_empty() {
        "Nothing billed yet".to_owned()
    } else {
        data.balances
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" · ")
    };
    view! {
        <section class="card tile" aria-labelledby="balance">
            <h2 id="balance">"Balance"</h2>
            <p class="big-number">{balance}</p>
            <p class="muted small">"Everything invoiced to this account, less credit notes."</p>
        </section>
        {if data.documents.rows.is_empty() {
            view! { <p class="card muted">"No billing documents yet. Invoices appear here when an order completes."</p> }.into_any()
        } else {
            view! {
                <table class="responsive card">
                    <thead>
                        <tr><th>"Document"</th><th>"Type"</th><th>"Issued"</th><th>"Order"</th><th class="num">"Total"</th></tr>
                    </thead>
                    <tbody>
                        {data.documents.rows.into_iter().map(|d| view! {
                            <tr>
                                <td data-label="Document" class="nowrap"><a href=format!("/billing/{}", d.id)>{d.number}</a></td>
                                <td data-label="Type">{d.kind.label()}</td>
                                <td data-label="Issued"><Time at=d.issued_at /></td>
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

//! The priced lines of an order, a preview or a billing document, with their total.

use crate::domain::Money;
use leptos::prelude::*;

/// One line as every priced table shows it.
pub struct Line {
    pub description: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub amount: Money,
    /// Marked for styling (a tax line).
    pub tax: bool,
    /// Smaller lines under the description (a document's product, plan and service span).
    pub details: Vec<String>,
}

#[component]
pub fn LinesTable(
    lines: Vec<Line>,
    total_label: String,
    total: Money,
    #[prop(default = "Item")] item_header: &'static str,
    #[prop(default = "Price")] price_header: &'static str,
    /// Rows after the total, such as what is left to pay.
    #[prop(default = Vec::new())]
    after_total: Vec<(String, Money)>,
) -> impl IntoView {
    view! {
        <table class="lines">
            <thead>
                <tr><th>{item_header}</th><th class="num">"Qty"</th><th class="num">{price_header}</th><th class="num">"Amount"</th></tr>
            </thead>
            <tbody>
                {lines.into_iter().map(|l| view! {
                    <tr class:tax=l.tax>
                        <td>
                            {l.description}
                            {l.details.into_iter().map(|d| view! { <span class="line-detail">{d}</span> }).collect_view()}
                        </td>
                        <td class="num">{l.quantity}</td>
                        <td class="num">{l.unit_price.to_string()}</td>
                        <td class="num">{l.amount.to_string()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot>
                <tr><th colspan="3">{total_label}</th><td class="num total">{total.to_string()}</td></tr>
                {after_total.into_iter().map(|(label, amount)| view! {
                    <tr class="after-total"><th colspan="3">{label}</th><td class="num total">{amount.to_string()}</td></tr>
                }).collect_view()}
            </tfoot>
        </table>
    }
}

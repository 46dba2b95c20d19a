//! Status badges and product tiles.

use crate::domain::{OrderStatus, PersonStatus, Standing, SubscriptionStatus};
use leptos::prelude::*;

fn subscription_tone(status: SubscriptionStatus) -> &'static str {
    use SubscriptionStatus::*;
    match status {
        Active => "good",
        Trial | Provisioning => "info",
        CancellationPending | Suspended => "warn",
        Failed => "bad",
        Terminated => "muted",
    }
}

fn order_tone(status: OrderStatus) -> &'static str {
    use OrderStatus::*;
    match status {
        Completed | Approved => "good",
        Submitted | Provisioning | PendingApproval => "info",
        Failed | Rejected => "bad",
        Withdrawn => "muted",
    }
}

fn person_tone(status: PersonStatus) -> &'static str {
    match status {
        PersonStatus::Active => "good",
        PersonStatus::Invited => "info",
        PersonStatus::Locked => "warn",
        PersonStatus::Disabled => "muted",
    }
}

#[component]
pub fn PersonBadge(status: PersonStatus) -> impl IntoView {
    view! { <span class=format!("badge {}", person_tone(status))>{status.label()}</span> }
}

#[component]
pub fn SubscriptionBadge(status: SubscriptionStatus) -> impl IntoView {
    view! { <span class=format!("badge {}", subscription_tone(status))>{status.label()}</span> }
}

#[component]
pub fn OrderBadge(status: OrderStatus) -> impl IntoView {
    view! { <span class=format!("badge {}", order_tone(status))>{status.label()}</span> }
}

fn document_tone(standing: Standing) -> &'static str {
    match standing {
        Standing::Open => "info",
        Standing::Overdue => "bad",
        Standing::Paid => "good",
        Standing::Credited => "muted",
    }
}

/// Where a billing document stands. The words carry the meaning; the colour only repeats it.
#[component]
pub fn DocumentBadge(standing: Standing) -> impl IntoView {
    view! { <span class=format!("badge document-status {}", document_tone(standing))>{standing.label()}</span> }
}

/// The coloured monogram tile that stands for a product. The colour comes from the catalog; it
/// is painted by an SVG `fill` (a presentation attribute), not a `style` attribute, which the
/// page's Content-Security-Policy does not allow.
#[component]
pub fn ProductIcon(icon: String, color: String) -> impl IntoView {
    view! {
        <span class="product-icon" aria-hidden="true">
            <svg class="product-icon-tile" viewBox="0 0 10 10" preserveAspectRatio="none" focusable="false">
                <rect width="10" height="10" fill=color />
            </svg>
            <span class="product-icon-text">{icon}</span>
        </span>
    }
}

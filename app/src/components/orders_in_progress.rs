//! The account's orders that are still being provisioned, updating live. Pages that list what
//! those orders produce (subscriptions, the dashboard) reload when one of them finishes.

use super::badges::OrderBadge;
use super::live::{WATCH_EVERY, refresh_while};
use crate::api::orders::list_orders_in_progress;
use leptos::prelude::*;

#[component]
pub fn OrdersInProgress(
    /// Called when an order that was in progress has finished (completed or failed).
    on_finished: Callback<()>,
) -> impl IntoView {
    let orders = Resource::new(|| (), |_| list_orders_in_progress());
    let watched = StoredValue::new(Vec::<i32>::new());
    let ids = move || {
        orders
            .get()
            .and_then(Result::ok)
            .map(|rows| rows.iter().map(|o| o.id).collect::<Vec<_>>())
    };
    Effect::new(move |_| {
        if let Some(now) = ids() {
            let finished = watched.with_value(|before| before.iter().any(|id| !now.contains(id)));
            watched.set_value(now);
            if finished {
                on_finished.run(());
            }
        }
    });
    refresh_while(
        move || ids().is_some_and(|ids| !ids.is_empty()),
        WATCH_EVERY,
        move || orders.refetch(),
    );
    view! {
        // Awaited in a `Suspend`, never read with `.get()` inside the boundary: on the server a
        // boundary that reads a resource reactively can wait for ever (leptos#4578), which is
        // what the test suite's rare stalled page render looks like.
        <Transition>
            {move || Suspend::new(async move {
                orders.await.ok().filter(|rows| !rows.is_empty()).map(|rows| view! {
                <section class="card in-progress" aria-labelledby="in-progress-title">
                    <h2 id="in-progress-title">"Being set up"</h2>
                    <ul class="rows">
                        {rows.into_iter().map(|o| view! {
                            <li>
                                <a href=format!("/orders/{}", o.id)>{o.product_name}</a>
                                <span class="muted">{o.number}</span>
                                <OrderBadge status=o.status />
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
                })
            })}
        </Transition>
    }
}

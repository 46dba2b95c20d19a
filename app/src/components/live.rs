//! Keeping a page's data fresh while something on it is still changing, such as an order being
//! provisioned. The browser asks again on a timer (a server function call, through gloo-net)
//! only while there is something to watch, and stops when the page goes away.

use leptos::prelude::*;
use std::time::Duration;

/// How often a page asks again while something on it is in progress.
pub const WATCH_EVERY: Duration = Duration::from_millis(1500);

/// Calls `refresh` every `every` while `active()` is true. Runs in the browser only.
pub fn refresh_while(
    active: impl Fn() -> bool + 'static,
    every: Duration,
    refresh: impl Fn() + Clone + 'static,
) {
    let timer = StoredValue::new(None::<IntervalHandle>);
    Effect::new(move |_| {
        let watching = active();
        if let Some(handle) = timer.get_value() {
            handle.clear();
            timer.set_value(None);
        }
        if watching {
            timer.set_value(set_interval_with_handle(refresh.clone(), every).ok());
        }
    });
    on_cleanup(move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
    });
}

//! `<Time at>`: a moment in the viewer's own time zone.
//!
//! The server does not know the viewer's zone, so it renders UTC ("Dec 2, 2026 05:40 UTC"); once
//! the page has hydrated, the browser rewrites the text in its local time ("Dec 2, 2026 06:40").
//! The first render is the same on both sides, so hydration matches, and the text keeps its
//! width. The offset is taken for each moment itself, so times across a daylight-saving change
//! are each right.

use super::format;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

#[component]
pub fn Time(at: DateTime<Utc>) -> impl IntoView {
    let text = RwSignal::new(format::date_time(at));
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| {
        if let Some(local) = local_text(at) {
            text.set(local);
        }
    });
    view! { <time datetime=at.to_rfc3339()>{move || text.get()}</time> }
}

/// The moment in the browser's time zone; `None` outside the browser.
fn local_text(at: DateTime<Utc>) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let millis = at.timestamp_millis() as f64;
        // JavaScript gives the offset as minutes *behind* UTC.
        let behind =
            js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis)).get_timezone_offset();
        let offset = chrono::FixedOffset::west_opt((behind * 60.0) as i32)?;
        Some(format::local_date_time(
            at.with_timezone(&offset).naive_local(),
        ))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = at;
        None
    }
}

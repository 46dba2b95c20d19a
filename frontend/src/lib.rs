//! Browser entry point: hydrates the server-rendered HTML with the shared `app` crate.

use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, wasm_bindgen};

#[wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if info.to_string().contains(CHUNK_LOAD_FAILED) {
            reload_for_missing_chunk();
        }
    }));
    remember_link_targets();
    // Each page's code is a chunk of its own (see `page_chunk!` in the app's route table), so
    // hydration waits for the current page's chunk before it walks the page.
    wasm_bindgen_futures::spawn_local(async {
        let app = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App).await;
        app.forget();
        // Lets browser tests (and curious people) know the page is interactive.
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// What the splitter's loader panics with when a page's chunk cannot be fetched.
const CHUNK_LOAD_FAILED: &str = "load callback should succeed";

thread_local! {
    /// The address of the link followed last: the router changes the address bar only once the
    /// new page's chunk is there, so when that chunk cannot be fetched this is where the person
    /// was going.
    static FOLLOWED_LINK: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Notes the target of every link clicked, before the router takes the click.
fn remember_link_targets() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let on_click = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        let link = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten())
            .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        if let Some(link) = link {
            FOLLOWED_LINK.with(|followed| *followed.borrow_mut() = Some(link.href()));
        }
    });
    let _ = document.add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    on_click.forget();
    // Back and forward change the address first: then the address bar is the destination.
    let on_history = Closure::<dyn Fn(web_sys::Event)>::new(|_: web_sys::Event| {
        FOLLOWED_LINK.with(|followed| *followed.borrow_mut() = None);
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .add_event_listener_with_callback("popstate", on_history.as_ref().unchecked_ref());
    }
    on_history.forget();
}

/// A tab opened before a new version was deployed still asks for the old chunk names, which the
/// server no longer has. Loading the page the person was going to (or this one again) from the
/// server brings the new version's page and names. Once a minute at most, so a chunk that is
/// missing for another reason cannot loop the tab.
fn reload_for_missing_chunk() {
    const KEY: &str = "ccp.reloaded-for-chunk";
    let Some(window) = web_sys::window() else {
        return;
    };
    // Whole milliseconds: parsing a float would pull float parsing into the bundle.
    let now = js_sys::Date::now() as u64;
    let storage = window.session_storage().ok().flatten();
    let last = storage
        .as_ref()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|v| v.parse::<u64>().ok());
    if last.is_some_and(|at| now.saturating_sub(at) < 60_000) {
        return;
    }
    if let Some(storage) = storage {
        let _ = storage.set_item(KEY, &now.to_string());
    }
    let target = FOLLOWED_LINK.with(|followed| followed.borrow_mut().take());
    let _ = match target {
        Some(target) => window.location().assign(&target),
        None => window.location().reload(),
    };
}

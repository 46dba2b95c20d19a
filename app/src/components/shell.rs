//! The frame around every signed-in page: header, navigation, user menu, impersonation banner.
//!
//! It gets the signed-in person with the page (found by the server before rendering, see
//! `api::auth::PageCaller`), shares them with the pages below as context, and sends anyone
//! without a session to the sign-in page.

use super::feedback::ErrorBox;
use super::live::refresh_while;
use super::loaded::Loaded;
use super::navigation;
use crate::api::acting::{ReturnToResellerPanel, load_afresh_after};
use crate::api::auth::{Logout, current_user, page_caller};
use crate::api::notifications::count_unread_notifications;
use crate::dto::auth::Me;
use leptos::prelude::*;
use leptos_router::components::{A, Outlet, Redirect};
use leptos_router::hooks::use_location;
use std::time::Duration;

#[component]
pub fn AppShell() -> impl IntoView {
    // On the server the router found the caller before rendering; the value travels in the page
    // to the browser, which hydrates with it. The shell is drawn at once: a Suspense around it
    // would build the page inside it again on each of its walks, fetching the page's data again.
    let known = SharedValue::new(page_caller).into_inner();
    match known {
        Some(Ok(me)) => signed_in_or_away(me),
        Some(Err(error)) => view! { <ErrorBox error /> }.into_any(),
        // Entering the shell in the browser from a page outside it (just after signing in).
        None => view! { <AskedInBrowser /> }.into_any(),
    }
}

fn signed_in_or_away(me: Option<Me>) -> AnyView {
    match me {
        Some(me) => view! { <SignedIn me /> }.into_any(),
        None => view! { <Redirect path="/login" /> }.into_any(),
    }
}

/// The shell when the browser enters it without a page from the server: it asks who is
/// signed in first.
#[component]
fn AskedInBrowser() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_user());
    view! {
        <Loaded resource=me let:me>
            {signed_in_or_away(me)}
        </Loaded>
    }
}

/// On every page while reseller staff act for a customer: for whom, as whom, and the way back.
#[component]
fn ActingBanner(account: String, staff: String) -> impl IntoView {
    let back = ServerAction::<ReturnToResellerPanel>::new();
    load_afresh_after(back);
    let error = move || {
        back.value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <span role="alert">{format!(" {e}")}</span> })
    };
    view! {
        <div class="impersonation" role="region" aria-label="Acting for a customer">
            <span>{format!("Acting for {account} as {staff}")}</span>
            " — "
            <button type="button" class="link-button" disabled=move || back.pending().get()
                on:click=move |_| { back.dispatch(ReturnToResellerPanel {}); }>
                "Return to reseller panel"
            </button>
            {error}
        </div>
    }
}

#[component]
fn SignedIn(me: Me) -> impl IntoView {
    provide_context(me.clone());
    let menu_open = RwSignal::new(false);
    let logout = ServerAction::<Logout>::new();
    let account = me
        .customer_name
        .clone()
        .unwrap_or_else(|| me.reseller_name.clone());

    let role = me.role;
    provide_focused_page();
    // Escape closes the phone menu, as it closes any menu.
    let escape = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" && menu_open.get_untracked() {
            menu_open.set(false);
        }
    });
    on_cleanup(move || escape.remove());

    view! {
        <a class="skip-link" href="#main" on:click=skip_to_content>"Skip to content"</a>
        {me.impersonator_name.clone().map(|staff| view! { <ActingBanner account=account.clone() staff /> })}
        <header class="topbar">
            <button
                class="menu-button"
                type="button"
                aria-label="Menu"
                aria-controls="main-nav"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|open| *open = !*open)
            >
                <span aria-hidden="true">"☰"</span>
            </button>
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                <span class="brand-name">{account.clone()}</span>
            </a>
            <NotificationBell initial=me.unread_notifications />
            <details class="user-menu">
                // Named by what it shows (no aria-label that could differ from it).
                <summary>
                    <span class="visually-hidden">"Account menu: "</span>
                    <span class="avatar" aria-hidden="true">{initials(&me.name)}</span>
                    <span class="user-name">{me.name.clone()}</span>
                </summary>
                <div class="user-menu-panel">
                    <p class="user-email">{me.email.clone()}</p>
                    <p class="user-role">{me.role.label()}</p>
                    <a href="/profile">"Profile"</a>
                    <ActionForm action=logout>
                        <button type="submit" class="link-button">"Sign out"</button>
                    </ActionForm>
                </div>
            </details>
        </header>
        <div class="layout">
            <nav
                id="main-nav"
                class="sidenav"
                class:open=move || menu_open.get()
                aria-label="Main"
                // Following a link closes the phone menu.
                on:click=move |_| menu_open.set(false)
            >
                <ul>
                    {navigation::menu_for(role)
                        .into_iter()
                        .map(|(href, label)| view! { <li><A href=href exact=true>{label}</A></li> })
                        .collect_view()}
                </ul>
                {navigation::shows_outbox(role, me.demo_mode).then(|| view! {
                    <p class="dev-links"><a href="/dev/outbox">"Email outbox (demo)"</a></p>
                })}
            </nav>
            <main class="content" id="main" tabindex="-1">
                <Outlet />
            </main>
        </div>
    }
}

/// After a navigation inside the app, the keyboard focus moves to the new page's heading, as a
/// screen reader user expects from a page change (see `focus_on_arrival`). The first page of a
/// visit keeps the browser's own focus.
fn provide_focused_page() {
    let location = use_location();
    provide_context(FocusedPage(StoredValue::new(
        location.pathname.get_untracked(),
    )));
}

/// The address whose page last had the focus moved to it (at first the page the browser
/// loaded, which keeps the focus where the browser put it).
#[derive(Clone, Copy)]
struct FocusedPage(StoredValue<String>);

/// Called by each page of the shell as it is made (`ForRole` does): when it is the page of a new
/// address, the focus moves to its heading once that heading is on screen, so a screen reader
/// announces the new page. The page is made before it is mounted, and its code can arrive well
/// after its address changed (see `page_chunk!` in `app.rs`), so the heading showing now is the
/// old page's: the new one is the first other heading to appear.
pub fn focus_on_arrival() {
    let Some(FocusedPage(focused)) = use_context::<FocusedPage>() else {
        return;
    };
    let path = use_location().pathname.get_untracked();
    if focused.with_value(|before| *before == path) {
        return;
    }
    focused.set_value(path.clone());
    #[cfg(feature = "hydrate")]
    focus_new_heading(
        HeadingWatch {
            focused,
            path,
            old: main_heading(),
            last: None,
            steady: 0,
        },
        300,
    );
}

/// Moves the focus into the main area. The router would treat the link's `#main` as a
/// navigation of its own, so the focus is moved here instead.
fn skip_to_content(event: leptos::ev::MouseEvent) {
    event.prevent_default();
    #[cfg(feature = "hydrate")]
    if let Some(main) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("main"))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = main.focus();
    }
}

#[cfg(feature = "hydrate")]
fn main_heading() -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?.document()?;
    document
        .query_selector("main h1")
        .ok()
        .flatten()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// What one page's arrival watches for: a heading other than the one showing when the page was
/// made.
#[cfg(feature = "hydrate")]
struct HeadingWatch {
    focused: StoredValue<String>,
    path: String,
    old: Option<web_sys::HtmlElement>,
    last: Option<web_sys::HtmlElement>,
    steady: u32,
}

/// Looks once a frame, for at most `frames` frames, for a page heading other than the old one
/// and focuses it. It keeps watching until that heading has stayed for a quarter of a second:
/// after quick clicks, a page the person already left can be drawn for a moment before theirs.
/// A later navigation takes over from this one.
#[cfg(feature = "hydrate")]
fn focus_new_heading(mut watch: HeadingWatch, frames: u32) {
    // Another page arrived since, or the shell is gone (signed out): nothing to do.
    let still_current = watch
        .focused
        .try_with_value(|current| *current == watch.path)
        .unwrap_or(false);
    if frames == 0 || !still_current {
        return;
    }
    let showing = main_heading().filter(|heading| watch.old.as_ref() != Some(heading));
    match showing {
        Some(heading) if watch.last.as_ref() == Some(&heading) => watch.steady += 1,
        Some(heading) => {
            if !heading.has_attribute("tabindex") {
                let _ = heading.set_attribute("tabindex", "-1");
            }
            let _ = heading.focus();
            watch.last = Some(heading);
            watch.steady = 0;
        }
        None => {}
    }
    if watch.steady < 15 {
        request_animation_frame(move || focus_new_heading(watch, frames - 1));
    }
}

/// The bell with the number of unread notifications; asks again every half minute.
#[component]
fn NotificationBell(initial: u64) -> impl IntoView {
    // The first figure came with the page; the browser asks again now and then.
    let unread = RwSignal::new(initial);
    let ask = Action::new(|_: &()| count_unread_notifications());
    Effect::new(move |_| {
        if let Some(Ok(count)) = ask.value().get() {
            unread.set(count);
        }
    });
    refresh_while(
        || true,
        Duration::from_secs(30),
        move || {
            ask.dispatch(());
        },
    );
    view! {
        <a class="bell" href="/notifications">
            <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none"
                stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
                <path d="M13.7 21a2 2 0 0 1-3.4 0" />
            </svg>
            <span class="visually-hidden">"Notifications"</span>
            {move || {
                let count = unread.get();
                (count > 0).then(|| view! {
                    <span class="bell-count">
                        {count}<span class="visually-hidden">" unread"</span>
                    </span>
                })
            }}
        </a>
    }
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .filter(|c| c.is_alphabetic())
        .take(2)
        .collect::<String>()
        .to_uppercase()
}

/// The signed-in person, for pages inside the shell.
pub fn use_me() -> Me {
    expect_context::<Me>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Olivia Owner"), "OO");
        assert_eq!(initials("Dr. Priya Raman"), "DP");
        assert_eq!(initials("cher"), "C");
    }
}

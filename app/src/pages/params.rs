//! Reading the address: ids from the route (`/orders/:id`) and numbers from the query
//! (`?page=2`), parsed the same way on every page.
//!
//! Each helper makes a `Memo`, so call it at the top of the page component, beside the
//! resources that read it. A value that is missing or not a number is `None` (or the default),
//! never a panic: addresses are typed by people.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;
use std::str::FromStr;

fn parsed<T>(map: Memo<ParamsMap>, name: &'static str) -> Memo<Option<T>>
where
    T: FromStr + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| map.with(|m| m.get_str(name).and_then(|v| v.parse().ok())))
}

/// The numeric route parameter `name`; `None` when it is not a number.
pub fn id_param(name: &'static str) -> Memo<Option<i32>> {
    parsed(use_params_map(), name)
}

/// The numeric query parameter `name` that names a record (`?plan=3`); `None` when absent or
/// not a number.
pub fn query_id(name: &'static str) -> Memo<Option<i32>> {
    parsed(use_query_map(), name)
}

/// The query number `name` (`?page=2`), or `default` when absent or not a number.
pub fn query_number(name: &'static str, default: u64) -> Memo<u64> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| {
            q.get_str(name)
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        })
    })
}

/// Loads the record of an id from the address. An address whose id is not a number names
/// nothing, so it is not found, without asking the server.
pub async fn load_by_id<T, F, Fut>(id: Option<i32>, load: F) -> Result<T, AppError>
where
    F: FnOnce(i32) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    match id {
        Some(id) => load(id).await,
        None => Err(AppError::NotFound),
    }
}

/// A fresh idempotency key for a form that places something (an order, a change): 128 random
/// bits from the browser, as hex; `None` on the server. The form keeps it in its address
/// (`key=`), so a double click, a retry or a reload sends the same key and the server answers
/// with what was already placed. (`getRandomValues` works on plain HTTP too, unlike
/// `randomUUID`.)
pub fn new_form_key() -> Option<String> {
    let mut bytes = [0u8; 16];
    web_sys::window()?
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The form's idempotency key, from the address (`key=`). A form opened without one gets a fresh
/// key once it runs in the browser, written into the address by `href(key)` in place of the
/// current entry (no new history step, no scroll). Call at the top of the form's component.
pub fn form_key(href: impl Fn(&str) -> String + Send + Sync + 'static) -> Memo<String> {
    use leptos_router::NavigateOptions;
    use leptos_router::hooks::use_navigate;
    let query = use_query_map();
    let navigate = use_navigate();
    let key = Memo::new(move |_| query.with(|q| q.get("key")).unwrap_or_default());
    Effect::new(move |_| {
        if key.get().is_empty()
            && let Some(fresh) = new_form_key()
        {
            navigate(
                &href(&fresh),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    });
    key
}

//! `<Loaded>`: the one way a page shows data it loads — a spinner while it loads, the error box
//! when it fails, the page's own view when it arrives.
//!
//! ```text
//! let orders = Resource::new(move || filters.get(), list_orders);   // at the top of the page
//! view! {
//!     <Loaded resource=orders let:page>
//!         <OrderTable page />
//!     </Loaded>
//! }
//! ```
//!
//! It is a `Transition`: when the resource loads again (new filters, a refresh after an action,
//! a timer) the old data stays on screen until the new data is there, instead of flashing the
//! spinner.
//!
//! # Where resources are created
//!
//! Every `Resource` is created at the top of a component, never inside `<Loaded>`'s children,
//! a `Suspend`, or any closure that runs again. While hydrating, the browser matches each
//! resource to the value the server sent by the order in which resources are created; a
//! resource created inside a part that waits for other data can be created in a different order
//! in the browser than on the server, and hydration panics.
//!
//! Data that depends on other data (the license holders under a subscription) therefore loads
//! as its own resource at the top of the page, keyed by what the page already knows (the id in
//! the address), and the nested view gets that resource as a prop and shows it with its own
//! `<Loaded>`. Actions whose success reloads a resource are created beside it, at the top too,
//! because the resource's source reads their version.

use super::feedback::{ErrorBox, Loading};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use std::sync::Arc;

/// Shows `resource`: `Loading` (with `label`) until it is there, `ErrorBox` if it failed,
/// otherwise `children` called with the data (`let:data`).
#[component]
pub fn Loaded<T, V, C>(
    /// Created at the top of the page component (see the module docs).
    resource: Resource<Result<T, AppError>>,
    /// What the loading indicator says.
    #[prop(default = "Loading…")]
    label: &'static str,
    /// Show nothing while loading: for a part below data already on screen, where a second
    /// spinner would only flash.
    #[prop(optional)]
    quiet: bool,
    /// For the data a whole page is about (one order, one person), whose heading comes from the
    /// data: when it fails, this is the page's title and heading, and a server-rendered page
    /// answers with the error's status (404 for an id that names nothing), not 200.
    #[prop(optional)]
    error_title: Option<&'static str>,
    /// The view of the data.
    children: C,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    C: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    // Shared, because the view below is rebuilt each time the resource loads again.
    let children = Arc::new(children);
    let body = move || {
        let children = Arc::clone(&children);
        Suspend::new(async move {
            match resource.await {
                Ok(data) => children(data).into_any(),
                Err(error) => {
                    if error_title.is_some() {
                        answer_status(&error);
                    }
                    view! {
                        {error_title.map(|text| view! { <Title text /><h1>{text}</h1> })}
                        <ErrorBox error />
                    }
                    .into_any()
                }
            }
        })
    };
    // On the server a Suspense walks its children more than once before it renders them
    // (leptos' `dry_resolve`), and every walk of a closure builds the view again, with every
    // component and resource in it: the signed-in pages fetched their data two or three times
    // per request. A bare `Suspend` keeps what it built on the first walk. In the browser the
    // closure stays, so the view follows the resource when it loads again.
    #[cfg(feature = "ssr")]
    let body = body();
    view! {
        <Transition fallback=move || (!quiet).then(|| view! { <Loading label /> })>
            {body}
        </Transition>
    }
}

/// Sets the status of the server's answer to the error's (a no-op in the browser).
fn answer_status(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status_code());
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

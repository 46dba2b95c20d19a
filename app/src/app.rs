//! The HTML shell and the route table.

use crate::components::navigation::ForRole;
use crate::components::shell::AppShell;
use crate::pages::{
    activate::ActivatePage,
    activity::ActivityPageView,
    billing::BillingPage,
    cancel_subscription::CancelSubscriptionPage,
    checkout::CheckoutPage,
    confirm_email::ConfirmEmailPage,
    dev_outbox::OutboxPage,
    document::DocumentPage,
    home::HomePage,
    import_users::ImportUsersPage,
    login::LoginPage,
    marketplace::MarketplacePage,
    my_services::MyServicesPage,
    new_user::NewUserPage,
    not_found::NotFound,
    notifications::NotificationsPage,
    order::OrderDetailPage,
    orders::OrdersPage,
    password_reset::{ForgotPasswordPage, ResetPasswordPage},
    product::ProductPage,
    profile::ProfilePage,
    reseller::activity::ResellerActivityPageView,
    reseller::customer::ResellerCustomerPage,
    reseller::customers::ResellerCustomersPage,
    reseller::home::ResellerHomePage,
    reseller::new_customer::NewCustomerPage,
    resource_change::ResourceChangePage,
    subscription::SubscriptionPage,
    subscriptions::SubscriptionsPage,
    user::UserPage,
    users::UsersPage,
};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};

/// The document the server renders around the app.
///
/// Its inline scripts carry the request's nonce, which the server's security layer chose and
/// names in the page's Content-Security-Policy.
///
/// Signed-in pages render in `Async` mode: the server waits for their data, so it can still answer
/// with a redirect (no session) or a 404 before anything is sent.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.ico" sizes="32x32" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // True while the router fetches the next page (its code chunk, the first time): a bar at the
    // top says the click was taken.
    let (is_routing, set_is_routing) = signal(false);
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() {
                "Customer Control Panel".to_owned()
            } else {
                format!("{page} · Customer Control Panel")
            }
        } />
        {move || is_routing.get().then(|| view! {
            <div class="route-progress" role="progressbar" aria-label="Loading the page"></div>
        })}
        <Router set_is_routing>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} />
                <Route path=path!("/activate") view={Lazy::<ActivateRoute>::new()} />
                <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} />
                <Route path=path!("/reset-password") view={Lazy::<ResetPasswordRoute>::new()} />
                <Route path=path!("/confirm-email") view={Lazy::<ConfirmEmailRoute>::new()} />
                <Route path=path!("/dev/outbox") view={Lazy::<OutboxRoute>::new()} />
                <ParentRoute path=path!("") view=AppShell ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<HomeRoute>::new()} />
                    <Route path=path!("users") view={Lazy::<UsersRoute>::new()} />
                    <Route path=path!("users/new") view={Lazy::<NewUserRoute>::new()} />
                    <Route path=path!("users/import") view={Lazy::<ImportUsersRoute>::new()} />
                    <Route path=path!("users/:id") view={Lazy::<UserRoute>::new()} />
                    <Route path=path!("subscriptions") view={Lazy::<SubscriptionsRoute>::new()} />
                    <Route path=path!("marketplace") view={Lazy::<MarketplaceRoute>::new()} />
                    <Route path=path!("marketplace/:id") view={Lazy::<ProductRoute>::new()} />
                    <Route path=path!("marketplace/:id/order") view={Lazy::<CheckoutRoute>::new()} />
                    <Route path=path!("orders") view={Lazy::<OrdersRoute>::new()} />
                    <Route path=path!("orders/:id") view={Lazy::<OrderDetailRoute>::new()} />
                    <Route path=path!("billing") view={Lazy::<BillingRoute>::new()} />
                    <Route path=path!("billing/:id") view={Lazy::<DocumentRoute>::new()} />
                    <Route path=path!("notifications") view={Lazy::<NotificationsRoute>::new()} />
                    <Route path=path!("activity") view={Lazy::<ActivityRoute>::new()} />
                    <Route path=path!("subscriptions/:id") view={Lazy::<SubscriptionRoute>::new()} />
                    <Route path=path!("subscriptions/:id/resources") view={Lazy::<ResourceChangeRoute>::new()} />
                    <Route path=path!("subscriptions/:id/cancel") view={Lazy::<CancelSubscriptionRoute>::new()} />
                    <Route path=path!("my-services") view={Lazy::<MyServicesRoute>::new()} />
                    <Route path=path!("profile") view={Lazy::<ProfileRoute>::new()} />
                    <Route path=path!("reseller") view={Lazy::<ResellerHomeRoute>::new()} />
                    <Route path=path!("reseller/customers") view={Lazy::<ResellerCustomersRoute>::new()} />
                    <Route path=path!("reseller/customers/new") view={Lazy::<NewCustomerRoute>::new()} />
                    <Route path=path!("reseller/customers/:id") view={Lazy::<ResellerCustomerRoute>::new()} />
                    <Route path=path!("reseller/activity") view={Lazy::<ResellerActivityRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Declares the route of a page whose code the browser loads only when the page is first shown.
///
/// `cargo leptos build --split` cuts the wasm at each of these: the first download holds the
/// router, the shell and what every page shares, and each page's views, server-function calls
/// and the serde code of their data come in a chunk of their own (fetched in parallel with the
/// hydration of a cold load, and on the first client-side visit otherwise). Pages inside the shell
/// are wrapped in `ForRole` with their route's pattern, as the access table in
/// `components::navigation` expects.
macro_rules! page_chunk {
    ($route:ident => $page:ident) => {
        page_chunk!(@chunk $route, view! { <$page /> });
    };
    ($route:ident => $page:ident for $path:tt) => {
        page_chunk!(@chunk $route, view! { <ForRole page=$path><$page /></ForRole> });
    };
    (@chunk $route:ident, $view:expr) => {
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $view.into_any()
            }
        }
    };
}

page_chunk!(LoginRoute => LoginPage);
page_chunk!(ActivateRoute => ActivatePage);
page_chunk!(ForgotPasswordRoute => ForgotPasswordPage);
page_chunk!(ResetPasswordRoute => ResetPasswordPage);
page_chunk!(ConfirmEmailRoute => ConfirmEmailPage);
page_chunk!(OutboxRoute => OutboxPage);
page_chunk!(HomeRoute => HomePage for "/");
page_chunk!(UsersRoute => UsersPage for "/users");
page_chunk!(NewUserRoute => NewUserPage for "/users/new");
page_chunk!(ImportUsersRoute => ImportUsersPage for "/users/import");
page_chunk!(UserRoute => UserPage for "/users/:id");
page_chunk!(SubscriptionsRoute => SubscriptionsPage for "/subscriptions");
page_chunk!(MarketplaceRoute => MarketplacePage for "/marketplace");
page_chunk!(ProductRoute => ProductPage for "/marketplace/:id");
page_chunk!(CheckoutRoute => CheckoutPage for "/marketplace/:id/order");
page_chunk!(OrdersRoute => OrdersPage for "/orders");
page_chunk!(OrderDetailRoute => OrderDetailPage for "/orders/:id");
page_chunk!(BillingRoute => BillingPage for "/billing");
page_chunk!(DocumentRoute => DocumentPage for "/billing/:id");
page_chunk!(NotificationsRoute => NotificationsPage for "/notifications");
page_chunk!(ActivityRoute => ActivityPageView for "/activity");
page_chunk!(SubscriptionRoute => SubscriptionPage for "/subscriptions/:id");
page_chunk!(ResourceChangeRoute => ResourceChangePage for "/subscriptions/:id/resources");
page_chunk!(CancelSubscriptionRoute => CancelSubscriptionPage for "/subscriptions/:id/cancel");
page_chunk!(MyServicesRoute => MyServicesPage for "/my-services");
page_chunk!(ProfileRoute => ProfilePage for "/profile");
page_chunk!(ResellerHomeRoute => ResellerHomePage for "/reseller");
page_chunk!(ResellerCustomersRoute => ResellerCustomersPage for "/reseller/customers");
page_chunk!(NewCustomerRoute => NewCustomerPage for "/reseller/customers/new");
page_chunk!(ResellerCustomerRoute => ResellerCustomerPage for "/reseller/customers/:id");
page_chunk!(ResellerActivityRoute => ResellerActivityPageView for "/reseller/activity");

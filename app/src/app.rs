//! The HTML shell and the route table.

use crate::components::navigation::ForRole;
use crate::components::shell::AppShell;
use crate::pages::{
    activate::ActivatePage,
    activity::ActivityPageView,
    billing::BillingPage,
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
    reseller::ResellerHomePage,
    subscription::SubscriptionPage,
    subscriptions::SubscriptionsPage,
    user::UserPage,
    users::UsersPage,
};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

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
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() {
                "Customer Control Panel".to_owned()
            } else {
                format!("{page} · Customer Control Panel")
            }
        } />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/activate") view=ActivatePage />
                <Route path=path!("/forgot-password") view=ForgotPasswordPage />
                <Route path=path!("/reset-password") view=ResetPasswordPage />
                <Route path=path!("/confirm-email") view=ConfirmEmailPage />
                <Route path=path!("/dev/outbox") view=OutboxPage />
                <ParentRoute path=path!("") view=AppShell ssr=SsrMode::Async>
                    <Route path=path!("") view=|| view! { <ForRole page="/"><HomePage /></ForRole> } />
                    <Route path=path!("users") view=|| view! { <ForRole page="/users"><UsersPage /></ForRole> } />
                    <Route path=path!("users/new") view=|| view! { <ForRole page="/users/new"><NewUserPage /></ForRole> } />
                    <Route path=path!("users/import") view=|| view! { <ForRole page="/users/import"><ImportUsersPage /></ForRole> } />
                    <Route path=path!("users/:id") view=|| view! { <ForRole page="/users/:id"><UserPage /></ForRole> } />
                    <Route path=path!("subscriptions") view=|| view! { <ForRole page="/subscriptions"><SubscriptionsPage /></ForRole> } />
                    <Route path=path!("marketplace") view=|| view! { <ForRole page="/marketplace"><MarketplacePage /></ForRole> } />
                    <Route path=path!("marketplace/:id") view=|| view! { <ForRole page="/marketplace/:id"><ProductPage /></ForRole> } />
                    <Route path=path!("marketplace/:id/order") view=|| view! { <ForRole page="/marketplace/:id/order"><CheckoutPage /></ForRole> } />
                    <Route path=path!("orders") view=|| view! { <ForRole page="/orders"><OrdersPage /></ForRole> } />
                    <Route path=path!("orders/:id") view=|| view! { <ForRole page="/orders/:id"><OrderDetailPage /></ForRole> } />
                    <Route path=path!("billing") view=|| view! { <ForRole page="/billing"><BillingPage /></ForRole> } />
                    <Route path=path!("billing/:id") view=|| view! { <ForRole page="/billing/:id"><DocumentPage /></ForRole> } />
                    <Route path=path!("notifications") view=|| view! { <ForRole page="/notifications"><NotificationsPage /></ForRole> } />
                    <Route path=path!("activity") view=|| view! { <ForRole page="/activity"><ActivityPageView /></ForRole> } />
                    <Route path=path!("subscriptions/:id") view=|| view! { <ForRole page="/subscriptions/:id"><SubscriptionPage /></ForRole> } />
                    <Route path=path!("my-services") view=|| view! { <ForRole page="/my-services"><MyServicesPage /></ForRole> } />
                    <Route path=path!("profile") view=|| view! { <ForRole page="/profile"><ProfilePage /></ForRole> } />
                    <Route path=path!("reseller") view=|| view! { <ForRole page="/reseller"><ResellerHomePage /></ForRole> } />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

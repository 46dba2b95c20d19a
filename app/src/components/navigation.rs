//! Which role may open which page of the panel, and the menu of each role, from one table.
//!
//! Every route of the shell wraps its page in `<ForRole page="/users">`, which renders the page
//! only for the roles this table lets open it; the others get the "not available for your role"
//! page (HTTP 403 when rendered on the server) instead of the page's controls, and the page's
//! component, with its resources, is never made. The check sits on the route itself rather than
//! on the address bar, because while the router moves to a new page the address it reports can
//! still be the old one. This only spares people a page they cannot use; every server function
//! still checks the caller itself.

use super::shell::{focus_on_arrival, use_me};
use crate::domain::Role;
use leptos::prelude::*;
use leptos_router::components::Redirect;

const EVERYONE: &[Role] = &[Role::Owner, Role::Admin, Role::User, Role::ResellerAdmin];
const CUSTOMER_PEOPLE: &[Role] = &[Role::Owner, Role::Admin, Role::User];
const MANAGERS: &[Role] = &[Role::Owner, Role::Admin];
const SERVICE_USERS: &[Role] = &[Role::User];
const RESELLER_STAFF: &[Role] = &[Role::ResellerAdmin];

/// A page of the signed-in panel.
struct PageAccess {
    /// The route, with `:name` for a parameter segment.
    path: &'static str,
    /// Who may open it.
    roles: &'static [Role],
    /// Its menu entry, and for whom the menu shows it.
    menu: Option<(&'static str, &'static [Role])>,
}

const fn page(path: &'static str, roles: &'static [Role]) -> PageAccess {
    PageAccess {
        path,
        roles,
        menu: None,
    }
}

const fn menu(path: &'static str, roles: &'static [Role], label: &'static str) -> PageAccess {
    PageAccess {
        path,
        roles,
        menu: Some((label, roles)),
    }
}

/// Every page inside the shell, in menu order. The route table in `app.rs` names the same
/// paths; a unit test below keeps the two from drifting apart.
const PAGES: &[PageAccess] = &[
    menu("/", MANAGERS, "Home"),
    menu("/marketplace", MANAGERS, "Marketplace"),
    page("/marketplace/:id", MANAGERS),
    page("/marketplace/:id/order", MANAGERS),
    menu("/subscriptions", MANAGERS, "Subscriptions"),
    page("/subscriptions/:id", MANAGERS),
    page("/subscriptions/:id/resources", MANAGERS),
    page("/subscriptions/:id/cancel", MANAGERS),
    menu("/orders", MANAGERS, "Orders"),
    page("/orders/:id", MANAGERS),
    menu("/billing", MANAGERS, "Billing"),
    page("/billing/:id", MANAGERS),
    menu("/users", MANAGERS, "Users"),
    page("/users/new", MANAGERS),
    page("/users/import", MANAGERS),
    page("/users/:id", MANAGERS),
    menu("/activity", MANAGERS, "Activity"),
    PageAccess {
        path: "/my-services",
        roles: CUSTOMER_PEOPLE,
        menu: Some(("My services", SERVICE_USERS)),
    },
    PageAccess {
        path: "/profile",
        roles: EVERYONE,
        menu: Some(("Profile", SERVICE_USERS)),
    },
    page("/notifications", EVERYONE),
    menu("/reseller", RESELLER_STAFF, "Home"),
    menu("/reseller/customers", RESELLER_STAFF, "Customers"),
    page("/reseller/customers/new", RESELLER_STAFF),
    page("/reseller/customers/:id", RESELLER_STAFF),
    menu("/reseller/activity", RESELLER_STAFF, "Activity"),
];

fn matches(pattern: &str, path: &str) -> bool {
    let path = path.trim_end_matches('/');
    let pattern = pattern.trim_end_matches('/');
    let mut wanted = pattern.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with(':') && !g.is_empty() => {}
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

/// Whether `role` may open the page at `path`. An address that is no page of the table is left
/// to the router, which answers "Page not found".
pub fn may_open(path: &str, role: Role) -> bool {
    PAGES
        .iter()
        .find(|page| matches(page.path, path))
        .is_none_or(|page| page.roles.contains(&role))
}

/// Where a role starts: its first menu entry.
pub fn landing(role: Role) -> &'static str {
    menu_for(role).first().map_or("/", |(path, _)| path)
}

/// The menu of a role: (path, label), in order.
pub fn menu_for(role: Role) -> Vec<(&'static str, &'static str)> {
    PAGES
        .iter()
        .filter_map(|page| {
            let (label, shown_to) = page.menu?;
            shown_to.contains(&role).then_some((page.path, label))
        })
        .collect()
}

/// Whether the demo's email outbox is linked in the menu: it holds other people's activation
/// links, so only for those who add people.
pub fn shows_outbox(role: Role, demo_mode: bool) -> bool {
    demo_mode && (role.manages_account() || role.is_reseller())
}

/// The page `page` (its route, as in the table) if the signed-in person's role may open it.
/// The home address sends a role that has no home there to its own start.
#[component]
pub fn ForRole(page: &'static str, children: Children) -> impl IntoView {
    focus_on_arrival();
    let role = use_me().role;
    // A route's pattern matches its own row.
    if may_open(page, role) {
        children().into_any()
    } else if page == "/" {
        view! { <Redirect path=landing(role) /> }.into_any()
    } else {
        view! { <NotForYourRole role /> }.into_any()
    }
}

#[component]
fn NotForYourRole(role: Role) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <leptos_meta::Title text="Not available" />
        <section class="card narrow">
            <h1>"Not available for your role"</h1>
            <p>{format!("This page is for other roles. Your role: {}.", role.label())}</p>
            <a class="button" href=landing(role)>"Go to your start page"</a>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_match_one_segment() {
        assert!(matches("/users/:id", "/users/7"));
        assert!(matches("/users/:id", "/users/7/"));
        assert!(!matches("/users/:id", "/users"));
        assert!(!matches("/users/:id", "/users/7/edit"));
        assert!(matches("/", "/"));
        assert!(matches("/", ""));
        assert!(!matches("/", "/users"));
    }

    #[test]
    fn fixed_pages_win_over_parameters_by_order() {
        // "/users/new" is a page of its own, not the person with id "new"; both are for
        // managers, so the answer is the same either way, but the table keeps them apart.
        assert!(may_open("/users/new", Role::Admin));
        assert!(!may_open("/users/new", Role::User));
    }

    #[test]
    fn a_service_user_sees_only_their_own_area() {
        assert_eq!(
            menu_for(Role::User),
            [("/my-services", "My services"), ("/profile", "Profile")]
        );
        for path in [
            "/",
            "/users",
            "/users/new",
            "/users/3",
            "/orders",
            "/activity",
            "/billing/1",
        ] {
            assert!(!may_open(path, Role::User), "{path}");
        }
        assert!(may_open("/profile", Role::User));
        assert!(may_open("/notifications", Role::User));
        assert_eq!(landing(Role::User), "/my-services");
    }

    #[test]
    fn reseller_staff_have_their_own_panel() {
        assert_eq!(
            menu_for(Role::ResellerAdmin),
            [
                ("/reseller", "Home"),
                ("/reseller/customers", "Customers"),
                ("/reseller/activity", "Activity")
            ]
        );
        assert_eq!(landing(Role::ResellerAdmin), "/reseller");
        for path in ["/", "/users", "/subscriptions", "/orders/1", "/my-services"] {
            assert!(!may_open(path, Role::ResellerAdmin), "{path}");
        }
        // Their own password and sign-in email, like anyone's.
        assert!(may_open("/profile", Role::ResellerAdmin));
        for path in ["/reseller", "/reseller/customers", "/reseller/customers/2"] {
            assert!(!may_open(path, Role::Owner), "{path}");
            assert!(!may_open(path, Role::Admin), "{path}");
        }
    }

    #[test]
    fn managers_use_the_whole_customer_panel() {
        let paths: Vec<_> = menu_for(Role::Admin).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                "/",
                "/marketplace",
                "/subscriptions",
                "/orders",
                "/billing",
                "/users",
                "/activity"
            ]
        );
        for page in PAGES.iter().filter(|p| !p.path.starts_with("/reseller")) {
            assert!(may_open(page.path, Role::Owner), "{}", page.path);
        }
    }

    #[test]
    fn unknown_addresses_are_left_to_the_router() {
        assert!(may_open("/no-such-page", Role::User));
    }

    #[test]
    fn every_page_of_the_table_is_a_route() {
        let routes = include_str!("../app.rs");
        for page in PAGES {
            let route = format!("path!(\"{}\")", page.path.trim_start_matches('/'));
            assert!(
                routes.contains(&route),
                "{} is not in the route table",
                page.path
            );
        }
    }

    #[test]
    fn every_route_of_the_shell_is_in_the_table() {
        let routes = include_str!("../app.rs");
        let inside_shell = &routes[routes.find("<ParentRoute").expect("the shell route")..];
        for route in inside_shell.split("<Route path=path!(\"").skip(1) {
            let path = format!("/{}", &route[..route.find('"').unwrap_or(0)]);
            assert!(
                PAGES.iter().any(|p| p.path == path),
                "{path} has no access rule"
            );
            // The page's chunk checks the role against the same pattern.
            let chunk = route
                .split("Lazy::<")
                .nth(1)
                .and_then(|rest| rest.split('>').next())
                .expect("every route of the shell is a lazy page");
            assert!(
                routes.contains(&format!("page_chunk!({chunk} => ")),
                "{path}: no page_chunk! for {chunk}"
            );
            let declared = routes
                .split(&format!("page_chunk!({chunk} => "))
                .nth(1)
                .and_then(|rest| rest.split(" for \"").nth(1))
                .and_then(|rest| rest.split('"').next());
            assert_eq!(declared, Some(path.as_str()), "{chunk} checks another page");
        }
    }

    #[test]
    fn the_outbox_link_is_for_managers_and_resellers_in_demo_mode() {
        assert!(shows_outbox(Role::Owner, true));
        assert!(!shows_outbox(Role::User, true));
        assert!(shows_outbox(Role::ResellerAdmin, true));
        assert!(!shows_outbox(Role::ResellerAdmin, false));
        assert!(!shows_outbox(Role::Admin, false));
    }
}

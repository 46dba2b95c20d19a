//! The access matrix: every registered server function, called as every kind of caller, with
//! ids that belong to Contoso (so for a caller of another customer they are another tenant's).
//!
//! The list of functions comes from the server-function registry, not from this file: a new
//! function without a row here fails the test until someone decides who may call it.

use crate::helpers::*;
use app::server::entities::{
    billing_document, license_assignment, order, person, reseller, subscription,
    subscription_resource,
};
use chrono::Utc;
use http::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, NotSet, QueryFilter, Set};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Who may call a function, as the endpoint's access rule says.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Rule {
    /// No session needed (sign-in, links).
    Public,
    SignedIn,
    CustomerPerson,
    AccountManager,
    ResellerStaff,
    /// Signed in, for oneself only: a reseller acting for a customer is refused.
    Oneself,
    /// Reseller staff acting for a customer: the way back.
    ActingStaff,
    /// An account's managers, and reseller staff in their own panel.
    OutboxReader,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    Anonymous,
    User,
    Admin,
    Owner,
    OtherCustomerOwner,
    Reseller,
    OtherReseller,
    /// Rita acting for Contoso (with its owner's rights).
    Acting,
}

const CALLERS: [Caller; 8] = [
    Caller::Anonymous,
    Caller::User,
    Caller::Admin,
    Caller::Owner,
    Caller::OtherCustomerOwner,
    Caller::Reseller,
    Caller::OtherReseller,
    Caller::Acting,
];

impl Caller {
    fn admitted(self, rule: Rule) -> bool {
        use Caller::*;
        match rule {
            Rule::Public => true,
            Rule::SignedIn => self != Anonymous,
            Rule::Oneself => !matches!(self, Anonymous | Acting),
            Rule::CustomerPerson => {
                matches!(self, User | Admin | Owner | OtherCustomerOwner | Acting)
            }
            Rule::AccountManager => matches!(self, Admin | Owner | OtherCustomerOwner | Acting),
            Rule::ResellerStaff => matches!(self, Reseller | OtherReseller),
            Rule::ActingStaff => self == Acting,
            Rule::OutboxReader => {
                self.admitted(Rule::AccountManager) || self.admitted(Rule::ResellerStaff)
            }
        }
    }
}

enum Args {
    Form(Vec<(&'static str, String)>),
    Json(Value),
}

struct Row {
    rule: Rule,
    /// The arguments name a record of Contoso: a caller of another customer must get
    /// `NotFound`, exactly as for a record that does not exist.
    tenant_ids: bool,
    /// The arguments name Contoso itself, a customer of Rita's reseller: another reseller's
    /// staff must get `NotFound`.
    reseller_ids: bool,
    args: Args,
}

struct Ids {
    customer: i32,
    person: i32,
    subscription: i32,
    license_resource: i32,
    license_rate: i32,
    order: i32,
    document: i32,
    product: i32,
    plan: i32,
}

async fn contoso_ids(app: &TestApp) -> Ids {
    let db = &app.state.db;
    let contoso = customer_by_name(app, CONTOSO).await;
    let person = person::Entity::find()
        .filter(person::Column::Email.eq(GRACE))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let assignment = license_assignment::Entity::find()
        .one(db)
        .await
        .unwrap()
        .expect("the demo has a license assignment");
    let resource = subscription_resource::Entity::find_by_id(assignment.subscription_resource_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let subscription = subscription::Entity::find_by_id(resource.subscription_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(subscription.customer_id, contoso.id);
    let order = order::Entity::find()
        .filter(order::Column::CustomerId.eq(contoso.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let document = billing_document::Entity::find()
        .filter(billing_document::Column::CustomerId.eq(contoso.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let plan = app::server::entities::plan::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    Ids {
        customer: contoso.id,
        person: person.id,
        subscription: subscription.id,
        license_resource: resource.id,
        license_rate: resource.resource_rate_id,
        order: order.id,
        document: document.id,
        product: plan.product_id,
        plan: plan.id,
    }
}

fn form(pairs: &[(&'static str, &str)]) -> Args {
    Args::Form(pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
}

fn matrix(ids: &Ids) -> BTreeMap<&'static str, Row> {
    use Rule::*;
    let person = ids.person.to_string();
    let subscription = ids.subscription.to_string();
    let resource = ids.license_resource.to_string();
    let row = |rule, tenant_ids, args| Row {
        rule,
        tenant_ids,
        reseller_ids: false,
        args,
    };
    let of_contoso = |args| Row {
        rule: ResellerStaff,
        tenant_ids: false,
        reseller_ids: true,
        args,
    };
    let contoso = ids.customer.to_string();
    let order_request = json!({ "plan_id": ids.plan, "resources": [] });
    // A limit above the maximum on Contoso's subscription: refused after the tenant check, so
    // nothing is placed.
    let change_request = json!({
        "subscription_id": ids.subscription,
        "limits": [[ids.license_rate, 1_000]],
    });
    BTreeMap::from([
        // Sign-in and links: bad input, so nothing happens, but the call is admitted.
        (
            "login",
            row(
                Public,
                false,
                form(&[("email", "not-an-email"), ("password", "x")]),
            ),
        ),
        ("logout", row(Public, false, form(&[]))),
        ("current_user", row(Public, false, form(&[]))),
        (
            "get_invitation",
            row(Public, false, form(&[("token", "bogus")])),
        ),
        (
            "activate_account",
            row(
                Public,
                false,
                form(&[
                    ("token", "bogus"),
                    ("password", "Long-enough-2026"),
                    ("password_confirm", "Long-enough-2026"),
                ]),
            ),
        ),
        (
            "request_password_reset",
            row(Public, false, form(&[("email", "nobody@example.com")])),
        ),
        (
            "reset_password",
            row(
                Public,
                false,
                form(&[
                    ("token", "bogus"),
                    ("password", "Long-enough-2026"),
                    ("password_confirm", "Long-enough-2026"),
                ]),
            ),
        ),
        (
            "confirm_email_change",
            row(Public, false, form(&[("token", "bogus")])),
        ),
        // The demo outbox holds live links: only for the account's managers and its reseller.
        ("list_outbox", row(OutboxReader, false, form(&[]))),
        // Oneself.
        (
            "change_password",
            row(
                Oneself,
                false,
                form(&[
                    ("current_password", "wrong-1"),
                    ("new_password", "Long-enough-2026"),
                    ("new_password_confirm", "Long-enough-2026"),
                ]),
            ),
        ),
        (
            "request_email_change",
            row(
                Oneself,
                false,
                form(&[("new_email", "bad"), ("current_password", "wrong-1")]),
            ),
        ),
        (
            "count_unread_notifications",
            row(SignedIn, false, form(&[])),
        ),
        ("list_notifications", row(SignedIn, false, form(&[]))),
        (
            "mark_notifications_read",
            row(SignedIn, false, form(&[("id", "0")])),
        ),
        ("list_my_services", row(CustomerPerson, false, form(&[]))),
        // The account, for its owner and admins.
        ("get_dashboard", row(AccountManager, false, form(&[]))),
        ("list_subscriptions", row(AccountManager, false, form(&[]))),
        (
            "get_subscription",
            row(AccountManager, true, form(&[("id", &subscription)])),
        ),
        (
            "list_users",
            row(
                AccountManager,
                false,
                form(&[
                    ("search", ""),
                    ("role", ""),
                    ("status", ""),
                    ("sort", ""),
                    ("page", "1"),
                ]),
            ),
        ),
        (
            "create_user",
            row(
                AccountManager,
                false,
                form(&[
                    ("name", "N"),
                    ("email", "bad"),
                    ("role", "user"),
                    ("notification_email", ""),
                ]),
            ),
        ),
        (
            "get_user",
            row(AccountManager, true, form(&[("id", &person)])),
        ),
        (
            "update_user",
            row(
                AccountManager,
                true,
                form(&[
                    ("id", &person),
                    ("name", "Grace Kim"),
                    ("notification_email", ""),
                ]),
            ),
        ),
        (
            "change_user",
            row(
                AccountManager,
                true,
                form(&[("id", &person), ("command", "unlock")]),
            ),
        ),
        (
            "preview_user_import",
            row(
                AccountManager,
                false,
                Args::Json(json!({ "csv": "name,email,role\n" })),
            ),
        ),
        (
            "import_users",
            row(AccountManager, false, Args::Json(json!({ "csv": "" }))),
        ),
        (
            "list_license_slots",
            row(AccountManager, true, form(&[("person_id", &person)])),
        ),
        (
            "assign_license",
            row(
                AccountManager,
                true,
                form(&[("resource_id", &resource), ("person_id", &person)]),
            ),
        ),
        (
            "unassign_license",
            row(
                AccountManager,
                true,
                form(&[("resource_id", &resource), ("person_id", &person)]),
            ),
        ),
        (
            "list_license_holders",
            row(
                AccountManager,
                true,
                form(&[("subscription_id", &subscription)]),
            ),
        ),
        (
            "assign_license_by_email",
            row(
                AccountManager,
                true,
                form(&[
                    ("resource_id", &resource),
                    ("email", "grace.kim@contoso-dental.example"),
                ]),
            ),
        ),
        (
            "list_products",
            row(
                AccountManager,
                false,
                form(&[("search", ""), ("category", "")]),
            ),
        ),
        (
            "get_product",
            row(
                AccountManager,
                false,
                form(&[("id", &ids.product.to_string())]),
            ),
        ),
        (
            "preview_order",
            row(
                AccountManager,
                false,
                Args::Json(json!({ "request": order_request })),
            ),
        ),
        (
            "submit_order",
            row(
                AccountManager,
                false,
                Args::Json(json!({ "request": order_request, "idempotency_key": "short" })),
            ),
        ),
        (
            "list_orders",
            row(
                AccountManager,
                false,
                form(&[("order_type", ""), ("status", ""), ("page", "1")]),
            ),
        ),
        (
            "get_order",
            row(
                AccountManager,
                true,
                form(&[("id", &ids.order.to_string())]),
            ),
        ),
        (
            "list_orders_in_progress",
            row(AccountManager, false, form(&[])),
        ),
        (
            "get_usage_history",
            row(
                AccountManager,
                true,
                form(&[("subscription_id", &subscription)]),
            ),
        ),
        (
            "schedule_reduction",
            row(
                AccountManager,
                true,
                form(&[
                    ("subscription_id", &subscription),
                    ("rate_id", &ids.license_rate.to_string()),
                    ("units", "0"),
                ]),
            ),
        ),
        (
            "set_auto_renew",
            row(
                AccountManager,
                true,
                form(&[("subscription_id", &subscription), ("auto_renew", "true")]),
            ),
        ),
        (
            "get_resource_change_form",
            row(
                AccountManager,
                true,
                form(&[("subscription_id", &subscription)]),
            ),
        ),
        (
            "preview_resource_change",
            row(
                AccountManager,
                true,
                Args::Json(json!({ "request": change_request })),
            ),
        ),
        (
            "submit_resource_change",
            row(
                AccountManager,
                true,
                Args::Json(json!({
                    "request": change_request,
                    "idempotency_key": "access-matrix-change-key",
                })),
            ),
        ),
        (
            "get_cancellation_form",
            row(
                AccountManager,
                true,
                form(&[("subscription_id", &subscription)]),
            ),
        ),
        (
            "request_cancellation",
            row(
                AccountManager,
                true,
                // A comment too long: refused after the tenant check, so nothing is placed.
                Args::Json(json!({
                    "request": {
                        "subscription_id": ids.subscription,
                        "reason": "other",
                        "comment": "x".repeat(1_001),
                    },
                    "idempotency_key": "access-matrix-cancel-key",
                })),
            ),
        ),
        (
            "withdraw_cancellation",
            row(
                AccountManager,
                true,
                form(&[("order_id", &ids.order.to_string())]),
            ),
        ),
        (
            "list_pending_cancellations",
            row(ResellerStaff, false, form(&[])),
        ),
        (
            "approve_cancellation",
            row(
                ResellerStaff,
                false,
                // A sales order: no cancellation to approve, so nothing changes.
                form(&[("order_id", &ids.order.to_string())]),
            ),
        ),
        (
            "reject_cancellation",
            row(
                ResellerStaff,
                false,
                form(&[("order_id", &ids.order.to_string()), ("reason", "No.")]),
            ),
        ),
        (
            "list_documents",
            row(AccountManager, false, form(&[("page", "1")])),
        ),
        (
            "get_document",
            row(
                AccountManager,
                true,
                form(&[("id", &ids.document.to_string())]),
            ),
        ),
        (
            "list_activity",
            row(
                AccountManager,
                false,
                form(&[("area", ""), ("from", ""), ("to", ""), ("page", "1")]),
            ),
        ),
        // The reseller panel.
        (
            "get_reseller_overview",
            row(ResellerStaff, false, form(&[])),
        ),
        (
            "list_reseller_customers",
            row(
                ResellerStaff,
                false,
                form(&[("search", ""), ("status", "")]),
            ),
        ),
        (
            "get_reseller_customer",
            of_contoso(form(&[("customer_id", &contoso)])),
        ),
        (
            "create_customer",
            row(
                ResellerStaff,
                false,
                // No company name: refused after the rule, so nothing is created.
                Args::Json(
                    json!({ "form": { "company_name": "", "address": "", "country": "",
                    "contact_name": "", "contact_email": "", "contact_phone": "",
                    "owner_name": "", "owner_email": "" } }),
                ),
            ),
        ),
        (
            // Contoso's owner is active: nothing is sent (409).
            "resend_welcome",
            of_contoso(form(&[("customer_id", &contoso)])),
        ),
        (
            "set_auto_approve_cancellations",
            row(ResellerStaff, false, form(&[("on", "false")])),
        ),
        (
            "list_reseller_activity",
            row(ResellerStaff, false, form(&[("page", "1")])),
        ),
        (
            "enter_customer_panel",
            of_contoso(form(&[("customer_id", &contoso)])),
        ),
        (
            "return_to_reseller_panel",
            row(ActingStaff, false, form(&[])),
        ),
    ])
}

/// A second reseller with one staff member, who signs in with the demo password.
pub(crate) async fn add_other_reseller(app: &TestApp) -> &'static str {
    const EMAIL: &str = "ola.other@other-reseller.example";
    let db = &app.state.db;
    let now = Utc::now();
    let other = reseller::ActiveModel {
        id: NotSet,
        name: Set("Other Reseller Ltd".into()),
        contact_email: Set("hello@other-reseller.example".into()),
        auto_approve_cancellations: Set(false),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    let rita = person::Entity::find()
        .filter(person::Column::Email.eq(RESELLER))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    person::ActiveModel {
        id: NotSet,
        customer_id: Set(None),
        reseller_id: Set(Some(other.id)),
        role: Set(app::domain::Role::ResellerAdmin),
        name: Set("Ola Other".into()),
        name_key: Set("ola other".into()),
        email: Set(EMAIL.into()),
        notification_email: Set(None),
        password_hash: Set(rita.password_hash),
        status: Set(app::domain::PersonStatus::Active),
        failed_logins: Set(0),
        locked_until: Set(None),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    EMAIL
}

async fn call(app: &TestApp, name: &str, args: &Args, cookie: Option<&str>) -> Reply {
    match args {
        Args::Form(pairs) => {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(name, &pairs, cookie).await
        }
        Args::Json(body) => app.call_json(name, body.clone(), cookie).await,
    }
}

#[tokio::test]
async fn every_server_function_admits_exactly_its_callers() {
    let app = TestApp::new().await;
    let ids = contoso_ids(&app).await;
    let other_reseller = add_other_reseller(&app).await;
    let matrix = matrix(&ids);

    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    registered.sort();
    registered.dedup();
    let missing: Vec<&String> = registered
        .iter()
        .filter(|name| !matrix.contains_key(name.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "server functions without a row in the access matrix: {missing:?}"
    );
    let stale: Vec<&&str> = matrix
        .keys()
        .filter(|name| !registered.iter().any(|r| r == *name))
        .collect();
    assert!(
        stale.is_empty(),
        "rows for functions that do not exist: {stale:?}"
    );

    let mut cookies = BTreeMap::new();
    for (caller, email) in [
        (Caller::User, USER),
        (Caller::Admin, ADMIN),
        (Caller::Owner, OWNER),
        (Caller::OtherCustomerOwner, OTHER_OWNER),
        (Caller::Reseller, RESELLER),
        (Caller::OtherReseller, other_reseller),
    ] {
        cookies.insert(format!("{caller:?}"), app.login(email).await);
    }
    // Rita again, in a session of her own, logged in to Contoso's panel.
    let staff = app.login(RESELLER).await;
    cookies.insert(
        format!("{:?}", Caller::Acting),
        app.enter_panel(&staff, ids.customer).await,
    );

    // The return ends the acting session and `logout` ends every caller's: they go last.
    let last = ["return_to_reseller_panel", "logout"];
    let mut order: Vec<&str> = matrix
        .keys()
        .copied()
        .filter(|n| !last.contains(n))
        .collect();
    order.extend(last);
    let mut table = String::new();
    for name in order {
        let row = &matrix[name];
        let mut line = format!("{name:<28}");
        for caller in CALLERS {
            let cookie = cookies.get(&format!("{caller:?}")).map(String::as_str);
            let reply = call(&app, name, &row.args, cookie).await;
            let status = reply.status;
            line.push_str(&format!(" {:>3}", status.as_u16()));
            let expected = if caller == Caller::Anonymous && row.rule != Rule::Public {
                Some(StatusCode::UNAUTHORIZED)
            } else if !caller.admitted(row.rule) {
                Some(StatusCode::FORBIDDEN)
            } else if row.tenant_ids && caller == Caller::OtherCustomerOwner
                || row.reseller_ids && caller == Caller::OtherReseller
            {
                Some(StatusCode::NOT_FOUND)
            } else {
                None
            };
            match expected {
                Some(code) => assert_eq!(
                    status, code,
                    "{name} as {caller:?}: expected {code}, got {status} {:?}",
                    reply.body
                ),
                None => assert!(
                    !matches!(
                        status,
                        StatusCode::UNAUTHORIZED
                            | StatusCode::FORBIDDEN
                            | StatusCode::INTERNAL_SERVER_ERROR
                    ),
                    "{name} as {caller:?} is admitted, got {status} {:?}",
                    reply.body
                ),
            }
            if expected == Some(StatusCode::NOT_FOUND) {
                assert_eq!(
                    reply.body,
                    json!("NotFound"),
                    "{name}: nothing but NotFound"
                );
            }
        }
        table.push_str(&line);
        table.push('\n');
    }
    println!(
        "function                     anon user admin owner other-cust reseller other-res acting\n{table}"
    );
}

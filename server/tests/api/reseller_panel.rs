//! The reseller panel and "Log in to Customer Control Panel": a reseller's staff see, create and
//! enter only their own customers; an acting session has the owner's rights but not the
//! owner's keys, reaches no reseller function, is audited with both identities, ends after an
//! hour unused, and its return restores the staff member's own session.

use crate::helpers::*;
use app::api::account::{ChangePassword, RequestEmailChange};
use app::api::acting::{EnterCustomerPanel, ReturnToResellerPanel};
use app::api::auth::CurrentUser;
use app::api::reseller::{
    CreateCustomer, GetResellerCustomer, GetResellerOverview, ListResellerActivity,
    ListResellerCustomers, SetAutoApproveCancellations,
};
use app::api::subscriptions::ListSubscriptions;
use app::api::users::{ChangeUser, UpdateUser};
use app::domain::customer::CustomerForm;
use app::domain::{PersonStatus, Role};
use app::dto::users::UserCommand;
use app::error::AppError;
use app::server::entities::{audit_log, customer, person, session};
use chrono::Duration;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

const LEO: &str = "leo.litware@litware-cloud.example";
const TAILSPIN: &str = "Tailspin Toys";
const OWNER_PASSWORD: &str = "Woodgrove-2026!";

fn new_customer(name: &str, owner_email: &str) -> CustomerForm {
    CustomerForm {
        company_name: name.into(),
        address: "1 Quay Street\nWellington 6011".into(),
        country: "NZ".into(),
        contact_name: "Casey Contact".into(),
        contact_email: "office@woodgrove.example".into(),
        contact_phone: "+64 4 555 0199".into(),
        owner_name: "Wendy Owner".into(),
        owner_email: owner_email.into(),
    }
}

/// Follows an activation link, choosing the password `OWNER_PASSWORD`.
async fn activate(app: &TestApp, token: &str) -> StatusCode {
    app.call(
        "activate_account",
        &[
            ("token", token),
            ("password", OWNER_PASSWORD),
            ("password_confirm", OWNER_PASSWORD),
        ],
        None,
    )
    .await
    .status
}

async fn sessions(app: &TestApp) -> u64 {
    session::Entity::find().count(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn acting_has_the_owners_rights_but_not_the_owners_keys() {
    let app = TestApp::new().await;
    let acting = app.acting_for_contoso().await;

    let me = acting.send(CurrentUser {}).await.unwrap().unwrap();
    assert_eq!(me.role, Role::Owner);
    assert_eq!(me.customer_name.as_deref(), Some(CONTOSO));
    assert_eq!(me.impersonator_name.as_deref(), Some("Rita Reseller"));
    assert!(!acting.send(ListSubscriptions {}).await.unwrap().is_empty());

    // No reseller function admits the acting session.
    for status in [
        acting.send(GetResellerOverview {}).await.status(),
        acting
            .send(ListResellerCustomers {
                search: String::new(),
                status: String::new(),
            })
            .await
            .status(),
        acting
            .send(EnterCustomerPanel {
                customer_id: customer_by_name(&app, FABRIKAM).await.id,
            })
            .await
            .status(),
    ] {
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    // The owner's password, sign-in email, details and role stay the owner's.
    let owner = person_by_email(&app, OWNER).await;
    let refused = acting
        .send(ChangePassword {
            current_password: PASSWORD.into(),
            new_password: "Taken-over-2026".into(),
            new_password_confirm: "Taken-over-2026".into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(refused.error, AppError::NotAllowed(_)));
    let refused = acting
        .send(RequestEmailChange {
            new_email: "rita@northwind-cloud.example".into(),
            current_password: PASSWORD.into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(refused.error, AppError::NotAllowed(_)));
    let refused = acting
        .send(UpdateUser {
            id: owner.id,
            name: "Olivia Owner".into(),
            notification_email: "rita@northwind-cloud.example".into(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(refused.error, AppError::NotAllowed(_)),
        "{refused:?}"
    );
    for command in [
        UserCommand::SendPasswordReset,
        UserCommand::MakeUser,
        UserCommand::Disable,
    ] {
        let refused = acting
            .send(ChangeUser {
                id: owner.id,
                command,
            })
            .await
            .unwrap_err();
        assert!(
            matches!(refused.error, AppError::NotAllowed(_)),
            "{command:?}: {refused:?}"
        );
    }
    let after = person_by_email(&app, OWNER).await;
    assert_eq!(
        (after.role, after.status, after.notification_email),
        (owner.role, owner.status, owner.notification_email)
    );
    assert_eq!(app.try_login(OWNER, PASSWORD).await.status, StatusCode::OK);

    // What the acting session does is audited with both identities.
    let grace = person_by_email(&app, GRACE).await;
    acting
        .send(UpdateUser {
            id: grace.id,
            name: "Grace Kim-Park".into(),
            notification_email: String::new(),
        })
        .await
        .unwrap();
    let entry = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("person.updated"))
        .order_by_desc(audit_log::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let rita = person_by_email(&app, RESELLER).await;
    assert_eq!(entry.actor_id, Some(owner.id));
    assert_eq!(entry.impersonator_id, Some(rita.id));
    assert_eq!(
        entry.impersonator_name.as_deref(),
        Some("Rita Reseller (Northwind Cloud Partners)")
    );
    let entered = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("panel.entered"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("entering is audited");
    assert_eq!(entered.impersonator_id, Some(rita.id));
}

#[tokio::test]
async fn the_return_restores_the_resellers_own_session_and_ends_the_acting_one() {
    let app = TestApp::new().await;
    let staff = app.login(RESELLER).await;
    let contoso = customer_by_name(&app, CONTOSO).await;
    let cookies = app.enter_panel(&staff, contoso.id).await;
    let acting = app.with_cookie(cookies.clone());

    let reply = acting.send_raw(ReturnToResellerPanel {}).await;
    assert!(reply.status.is_success() || reply.status.is_redirection());
    assert_eq!(reply.session_cookie().as_deref(), Some(staff.as_str()));
    assert!(reply.clears_cookie("ccp_return"));
    let back = app.with_cookie(staff.clone());
    assert!(back.send(GetResellerOverview {}).await.is_ok());
    // The acting session is gone: replaying it signs no one in.
    assert!(acting.send(CurrentUser {}).await.unwrap().is_none());
    let acting_only = app.with_cookie(cookies.split("; ").next().unwrap().to_owned());
    assert_eq!(
        acting_only.send(ReturnToResellerPanel {}).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // With the return cookie still beside it, a return answers the staff member's own session,
    // which that cookie holds anyway: nothing more.
    let again = acting.send_raw(ReturnToResellerPanel {}).await;
    assert_eq!(again.session_cookie().as_deref(), Some(staff.as_str()));
    // The staff member's own session is not a way back from anything.
    assert_eq!(
        back.send(ReturnToResellerPanel {}).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_forged_return_cookie_restores_nothing() {
    let app = TestApp::new().await;
    let staff = app.login(RESELLER).await;
    let owner = app.login(OWNER).await;
    let contoso = customer_by_name(&app, CONTOSO).await;
    let cookies = app.enter_panel(&staff, contoso.id).await;
    let acting_only = cookies.split("; ").next().unwrap().to_owned();
    // The owner's own session token put where the staff member's should be.
    let owner_token = owner.trim_start_matches("ccp_session=");
    let forged = app.with_cookie(format!("{acting_only}; ccp_return={owner_token}"));
    let reply = forged.send_raw(ReturnToResellerPanel {}).await;
    assert!(reply.status.is_success() || reply.status.is_redirection());
    assert_eq!(reply.session_cookie(), None, "no session handed out");
    assert!(reply.clears_cookie("ccp_session"));
}

#[tokio::test]
async fn acting_sessions_end_after_an_hour_unused_and_keep_the_staff_session_alive() {
    let app = TestApp::new().await;
    let staff = app.login(RESELLER).await;
    let contoso = customer_by_name(&app, CONTOSO).await;
    let acting = app.with_cookie(app.enter_panel(&staff, contoso.id).await);
    // Forty-five minutes of work in the customer's panel: past the staff session's 30-minute
    // idle limit, which the work kept alive.
    for _ in 0..3 {
        app.state.clock.advance(Duration::minutes(15));
        assert!(acting.send(ListSubscriptions {}).await.is_ok());
    }
    let back = acting.send_raw(ReturnToResellerPanel {}).await;
    assert_eq!(back.session_cookie().as_deref(), Some(staff.as_str()));

    let acting = app.with_cookie(app.enter_panel(&staff, contoso.id).await);
    app.state.clock.advance(Duration::minutes(59));
    assert!(acting.send(ListSubscriptions {}).await.is_ok());
    app.state.clock.advance(Duration::minutes(61));
    assert_eq!(
        acting.send(ListSubscriptions {}).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn signing_out_while_acting_signs_the_staff_member_out() {
    let app = TestApp::new().await;
    let staff = app.login(RESELLER).await;
    let contoso = customer_by_name(&app, CONTOSO).await;
    let cookies = app.enter_panel(&staff, contoso.id).await;
    let before = sessions(&app).await;
    let reply = app.call("logout", &[], Some(&cookies)).await;
    assert!(reply.clears_cookie("ccp_return"));
    assert_eq!(sessions(&app).await, before - 2);
    let back = app.with_cookie(staff);
    assert_eq!(
        back.send(GetResellerOverview {}).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_reseller_never_reaches_another_resellers_customer() {
    let app = TestApp::new().await;
    let leo = app.signed_in(LEO).await;
    let rita = app.reseller().await;
    let contoso = customer_by_name(&app, CONTOSO).await;
    let tailspin = customer_by_name(&app, TAILSPIN).await;

    let seen: Vec<String> = leo
        .send(ListResellerCustomers {
            search: String::new(),
            status: String::new(),
        })
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(seen, [TAILSPIN]);
    let before = sessions(&app).await;
    for customer_id in [contoso.id, 999_999] {
        let refused = leo
            .send(EnterCustomerPanel { customer_id })
            .await
            .unwrap_err();
        assert_eq!(refused.error, AppError::NotFound);
        let refused = leo
            .send(GetResellerCustomer { customer_id })
            .await
            .unwrap_err();
        assert_eq!(refused.error, AppError::NotFound);
    }
    assert_eq!(sessions(&app).await, before, "no session was opened");
    let refused = rita
        .send(GetResellerCustomer {
            customer_id: tailspin.id,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.error, AppError::NotFound);
    // A customer cannot enter anything.
    let owner = app.owner().await;
    assert_eq!(
        owner
            .send(EnterCustomerPanel {
                customer_id: contoso.id
            })
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn creating_a_customer_invites_its_owner_with_a_welcome_email() {
    let app = TestApp::new().await;
    let rita = app.reseller().await;
    let id = rita
        .send(CreateCustomer {
            form: new_customer("Woodgrove Bank", "wendy@woodgrove.example"),
        })
        .await
        .unwrap();
    let created = customer::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(created.country, "NZ");
    assert_eq!(created.contact_phone.as_deref(), Some("+64 4 555 0199"));
    let owner = person_by_email(&app, "wendy@woodgrove.example").await;
    assert_eq!(
        (owner.role, owner.status, owner.customer_id),
        (Role::Owner, PersonStatus::Invited, Some(id))
    );
    let email = newest_email_to(&app, "wendy@woodgrove.example").await;
    assert_eq!(email.kind, "welcome");
    assert!(
        email
            .body_text
            .contains("Your sign-in: wendy@woodgrove.example")
    );
    assert!(email.body_text.contains("Northwind Cloud Partners"));
    assert!(!email.body_text.to_lowercase().contains("password:"));
    let token = link_token(&email.body_text, "/activate");
    let activated = activate(&app, &token).await;
    assert!(activated.is_success() || activated.is_redirection());
    assert_eq!(
        app.try_login("wendy@woodgrove.example", OWNER_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );

    let detail = rita
        .send(GetResellerCustomer { customer_id: id })
        .await
        .unwrap();
    assert_eq!(detail.people, 1);
    assert_eq!(detail.owner.unwrap().status, PersonStatus::Active);

    // The same name again, another company's owner, bad fields: refused, nothing written.
    let customers = customer::Entity::find().count(&app.state.db).await.unwrap();
    let people = person::Entity::find().count(&app.state.db).await.unwrap();
    let cases = [
        (
            new_customer("woodgrove   BANK", "x@woodgrove.example"),
            "company_name",
        ),
        (new_customer("Woodgrove Two", OWNER), "owner_email"),
        (
            CustomerForm {
                country: "Atlantis".into(),
                ..new_customer("Woodgrove Three", "y@woodgrove.example")
            },
            "country",
        ),
        (
            CustomerForm {
                owner_name: "\u{202E}nimda".into(),
                ..new_customer("Woodgrove Four", "z@woodgrove.example")
            },
            "owner_name",
        ),
    ];
    for (form, field) in cases {
        let refused = rita.send(CreateCustomer { form }).await.unwrap_err();
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.error.for_field(field).is_some(),
            "{field}: {:?}",
            refused.error
        );
    }
    assert_eq!(
        customer::Entity::find().count(&app.state.db).await.unwrap(),
        customers
    );
    assert_eq!(
        person::Entity::find().count(&app.state.db).await.unwrap(),
        people
    );
    // Another reseller may use the same company name: names are per reseller.
    let leo = app.signed_in(LEO).await;
    assert!(
        leo.send(CreateCustomer {
            form: new_customer("Woodgrove Bank", "w2@woodgrove.example"),
        })
        .await
        .is_ok()
    );
}

#[tokio::test]
async fn customers_are_searched_by_name_or_contact_and_filtered_by_status() {
    let app = TestApp::new().await;
    let rita = app.reseller().await;
    let find = |search: &str, status: &str| {
        let rita = rita.clone();
        let (search, status) = (search.to_owned(), status.to_owned());
        async move {
            rita.send(ListResellerCustomers { search, status })
                .await
                .map(|list| list.into_iter().map(|c| c.name).collect::<Vec<_>>())
        }
    };
    assert_eq!(find("", "").await.unwrap(), [CONTOSO, FABRIKAM]);
    assert_eq!(find("DENTAL", "").await.unwrap(), [CONTOSO]);
    assert_eq!(find("it@fabrikam", "active").await.unwrap(), [FABRIKAM]);
    assert!(find("", "suspended").await.unwrap().is_empty());
    // `%` and `_` are letters in a search, not wildcards.
    assert!(find("%", "").await.unwrap().is_empty());
    assert!(find("_", "").await.unwrap().is_empty());
    for (search, status, field) in [("\u{0}", "", "search"), ("", "gone", "status")] {
        let refused = find(search, status).await.unwrap_err();
        assert!(refused.error.for_field(field).is_some(), "{refused:?}");
    }
    let contoso = rita
        .send(ListResellerCustomers {
            search: "contoso".into(),
            status: String::new(),
        })
        .await
        .unwrap()
        .remove(0);
    // Olivia, Adam, Uma, five more and Noah, who is invited.
    assert_eq!(contoso.people, 9);
    assert!(contoso.live_subscriptions >= 5);
}

#[tokio::test]
async fn the_overview_counts_and_the_auto_approve_setting_is_audited() {
    let app = TestApp::new().await;
    let rita = app.reseller().await;
    let overview = rita.send(GetResellerOverview {}).await.unwrap();
    assert_eq!(overview.customers, 2);
    assert_eq!(
        overview.pending_cancellations, 1,
        "the demo's waiting request"
    );
    assert!(!overview.auto_approve_cancellations);
    assert!(
        rita.send(SetAutoApproveCancellations { on: true })
            .await
            .unwrap()
    );
    assert!(
        rita.send(GetResellerOverview {})
            .await
            .unwrap()
            .auto_approve_cancellations
    );
    let leo = app.signed_in(LEO).await;
    assert!(
        !leo.send(GetResellerOverview {})
            .await
            .unwrap()
            .auto_approve_cancellations,
        "one reseller's setting is its own"
    );
    let changed = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("reseller.auto_approve_changed"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(changed, 1);
}

#[tokio::test]
async fn the_resellers_activity_shows_its_staff_in_customers_panels_and_nothing_else() {
    let app = TestApp::new().await;
    let acting = app.acting_for_contoso().await;
    let grace = person_by_email(&app, GRACE).await;
    acting
        .send(UpdateUser {
            id: grace.id,
            name: "Grace K.".into(),
            notification_email: String::new(),
        })
        .await
        .unwrap();
    // The owner's own work is not the reseller's activity.
    let owner = app.owner().await;
    owner
        .send(UpdateUser {
            id: grace.id,
            name: "Grace Kim".into(),
            notification_email: String::new(),
        })
        .await
        .unwrap();
    let rita = app.reseller().await;
    let page = rita.send(ListResellerActivity { page: 1 }).await.unwrap();
    let newest = &page.rows[0];
    assert_eq!(newest.entry.action, "person.updated");
    assert_eq!(
        newest.entry.impersonator_name.as_deref(),
        Some("Rita Reseller (Northwind Cloud Partners)")
    );
    assert_eq!(newest.customer_name.as_deref(), Some(CONTOSO));
    assert!(page.rows.iter().any(|r| r.entry.action == "panel.entered"));
    assert_eq!(
        page.rows
            .iter()
            .filter(|r| r.entry.action == "person.updated")
            .count(),
        1,
        "the owner's own change is not listed"
    );
    let leo = app.signed_in(LEO).await;
    let theirs = leo.send(ListResellerActivity { page: 1 }).await.unwrap();
    assert!(
        theirs
            .rows
            .iter()
            .all(|r| r.customer_name.as_deref() != Some(CONTOSO))
    );
}

#[tokio::test]
async fn an_order_placed_while_acting_names_the_purchase_in_a_new_welcome_email() {
    use crate::orders::{key, plan_by_sku, rate, request, submit};
    let app = TestApp::new().await;
    let rita_cookie = app.login(RESELLER).await;
    let rita = app.with_cookie(rita_cookie.clone());
    let id = rita
        .send(CreateCustomer {
            form: new_customer("Woodgrove Bank", "wendy@woodgrove.example"),
        })
        .await
        .unwrap();
    let first = newest_email_to(&app, "wendy@woodgrove.example").await;
    let acting = app.with_cookie(app.enter_panel(&rita_cookie, id).await);
    let plan = plan_by_sku(&app, "ms365-business-basic-annual").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    submit(&acting, request(plan.id, &[(licenses.id, 3)]), &key(1))
        .await
        .unwrap();
    let again = newest_email_to(&app, "wendy@woodgrove.example").await;
    assert_ne!(again.id, first.id);
    assert_eq!(again.kind, "welcome");
    assert!(
        again
            .body_text
            .contains("Northwind Cloud Partners has ordered for you: Microsoft 365 Business Basic"),
        "{}",
        again.body_text
    );
    // The new link works; the first one no longer does.
    let old_token = link_token(&first.body_text, "/activate");
    let new_token = link_token(&again.body_text, "/activate");
    assert!(activate(&app, &old_token).await.is_client_error());
    assert!(!activate(&app, &new_token).await.is_client_error());
    // Once the owner is active, an order sends no welcome again.
    let welcomes = outbox(&app, "welcome").await.len();
    submit(&acting, request(plan.id, &[(licenses.id, 1)]), &key(2))
        .await
        .ok();
    assert_eq!(outbox(&app, "welcome").await.len(), welcomes);
}

#[tokio::test]
async fn the_demo_outbox_shows_a_reseller_the_emails_of_its_own_customers_only() {
    let app = TestApp::new().await;
    let rita = app.reseller().await;
    rita.send(CreateCustomer {
        form: new_customer("Woodgrove Bank", "wendy@woodgrove.example"),
    })
    .await
    .unwrap();
    let seen = rita.send(app::api::dev::ListOutbox {}).await.unwrap();
    assert!(
        seen.iter()
            .any(|e| e.to == "wendy@woodgrove.example" && e.kind == "welcome")
    );
    assert!(
        seen.iter()
            .all(|e| !e.to.ends_with("@tailspin-toys.example"))
    );
    let leo = app.signed_in(LEO).await;
    let theirs = leo.send(app::api::dev::ListOutbox {}).await.unwrap();
    assert!(theirs.iter().all(|e| e.to != "wendy@woodgrove.example"));
    assert!(
        theirs
            .iter()
            .any(|e| e.to == "tara.owner@tailspin-toys.example")
    );
}

/// Found by the break-it review: changing the staff member's password ended their own sessions
/// but not the acting session opened from one of them.
#[tokio::test]
async fn whatever_ends_the_staff_members_sessions_ends_the_acting_ones() {
    let app = TestApp::new().await;
    let contoso = customer_by_name(&app, CONTOSO).await;
    let staff = app.login(RESELLER).await;
    let acting = app.with_cookie(app.enter_panel(&staff, contoso.id).await);
    assert!(acting.send(ListSubscriptions {}).await.is_ok());
    let elsewhere = app.reseller().await;
    elsewhere
        .send(ChangePassword {
            current_password: PASSWORD.into(),
            new_password: "Another-pass-2026".into(),
            new_password_confirm: "Another-pass-2026".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        acting.send(ListSubscriptions {}).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(acting.send(CurrentUser {}).await.unwrap().is_none());

    // Signing out of the staff session itself ends what was opened from it.
    let staff = app
        .try_login(RESELLER, "Another-pass-2026")
        .await
        .session_cookie()
        .unwrap();
    let acting = app.with_cookie(app.enter_panel(&staff, contoso.id).await);
    app.call("logout", &[], Some(&staff)).await;
    assert_eq!(
        acting.send(ListSubscriptions {}).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

/// Found by the break-it review: an owner whose welcome link expired had no way in.
#[tokio::test]
async fn the_welcome_email_can_be_sent_again_while_the_owner_has_not_activated() {
    use app::api::reseller::ResendWelcome;
    let app = TestApp::new().await;
    let rita = app.reseller().await;
    let id = rita
        .send(CreateCustomer {
            form: new_customer("Woodgrove Bank", "wendy@woodgrove.example"),
        })
        .await
        .unwrap();
    let first = newest_email_to(&app, "wendy@woodgrove.example").await;
    // Two days later the first link has expired.
    app.state.clock.advance(Duration::hours(49));
    let rita = app.reseller().await;
    rita.send(ResendWelcome { customer_id: id }).await.unwrap();
    let again = newest_email_to(&app, "wendy@woodgrove.example").await;
    assert_ne!(again.id, first.id);
    assert_eq!(again.kind, "welcome");
    let old = link_token(&first.body_text, "/activate");
    let new = link_token(&again.body_text, "/activate");
    assert_ne!(old, new);
    assert!(activate(&app, &old).await.is_client_error());
    assert!(!activate(&app, &new).await.is_client_error());
    // Active now: nothing to send. Another reseller's customer: not found.
    let refused = rita
        .send(ResendWelcome { customer_id: id })
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let leo = app.signed_in(LEO).await;
    let refused = leo
        .send(ResendWelcome { customer_id: id })
        .await
        .unwrap_err();
    assert_eq!(refused.error, AppError::NotFound);
}

/// Found by the break-it review: a return after the acting session had ended by itself left the
/// person stuck, although their own session was still valid.
#[tokio::test]
async fn a_return_after_the_acting_session_expired_restores_the_own_session() {
    let app = TestApp::new().await;
    let contoso = customer_by_name(&app, CONTOSO).await;
    let staff = app.login(RESELLER).await;
    let cookies = app.enter_panel(&staff, contoso.id).await;
    // The staff session is kept alive elsewhere meanwhile (another tab of the reseller panel
    // would do this); the acting one sits unused for more than an hour.
    let own = app.with_cookie(staff.clone());
    for _ in 0..3 {
        app.state.clock.advance(Duration::minutes(25));
        assert!(own.send(GetResellerOverview {}).await.is_ok());
    }
    let stale = app.with_cookie(cookies);
    let reply = stale.send_raw(ReturnToResellerPanel {}).await;
    assert!(reply.status.is_success(), "{:?}", reply.body);
    assert_eq!(reply.session_cookie().as_deref(), Some(staff.as_str()));
    assert!(reply.clears_cookie("ccp_return"));
    // Without a valid own session there is nothing to restore.
    let nothing = app.anonymous();
    assert_eq!(
        nothing.send(ReturnToResellerPanel {}).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

/// Found by the break-it review: a return with a lost or forged return cookie left the staff
/// member's own session alive in the database.
#[tokio::test]
async fn a_return_that_cannot_restore_ends_the_own_session_too() {
    let app = TestApp::new().await;
    let contoso = customer_by_name(&app, CONTOSO).await;
    let staff = app.login(RESELLER).await;
    let cookies = app.enter_panel(&staff, contoso.id).await;
    let acting_only = cookies.split("; ").next().unwrap().to_owned();
    let reply = app
        .with_cookie(acting_only)
        .send_raw(ReturnToResellerPanel {})
        .await;
    assert!(reply.status.is_success());
    assert_eq!(reply.session_cookie(), None);
    assert_eq!(
        app.with_cookie(staff)
            .send(GetResellerOverview {})
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

/// Found by the break-it review: the demo outbox showed reseller staff their customers' reset
/// links, with which they could set an owner's password.
#[tokio::test]
async fn the_demo_outbox_shows_resellers_no_customer_links_but_their_welcomes() {
    let app = TestApp::new().await;
    app.call("request_password_reset", &[("email", OWNER)], None)
        .await;
    let reset = newest_email_to(&app, OWNER).await;
    assert_eq!(reset.kind, "password_reset");
    let seen = app
        .reseller()
        .await
        .send(app::api::dev::ListOutbox {})
        .await
        .unwrap();
    assert!(seen.iter().all(|e| e.id != reset.id));
    assert!(
        seen.iter()
            .filter(|e| !e.to.ends_with("@northwind-cloud.example"))
            .all(|e| e.kind == "welcome")
    );
    assert!(seen.iter().any(|e| e.to == OWNER && e.kind == "welcome"));
}

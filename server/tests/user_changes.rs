//! Changing one person: who may do what to whom, and what each change does.

mod common;

use app::server::entities::{audit_log, email_outbox, license_assignment, person, session};
use common::*;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const OTHER_ADMIN: &str = "felix.admin@fabrikam-logistics.example";

async fn id_of(app: &TestApp, email: &str) -> String {
    person::Entity::find()
        .filter(person::Column::Email.eq(email))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

async fn command(app: &TestApp, cookie: &str, id: &str, command: &str) -> Reply {
    app.call(
        "change_user",
        &[("id", id), ("command", command)],
        Some(cookie),
    )
    .await
}

#[tokio::test]
async fn authorization_matrix() {
    let app = TestApp::new().await;
    let target = id_of(&app, "grace.kim@contoso-dental.example").await;
    let user = app.login(USER).await;
    let other = app.login(OTHER_ADMIN).await;
    let reseller = app.login(RESELLER).await;

    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("get_user", vec![("id", &target)]),
        (
            "update_user",
            vec![
                ("id", &target),
                ("name", "Grace K"),
                ("notification_email", ""),
            ],
        ),
        (
            "change_user",
            vec![("id", &target), ("command", "make_admin")],
        ),
    ];
    for (name, form) in &calls {
        assert_eq!(
            app.call(name, form, None).await.status,
            StatusCode::UNAUTHORIZED,
            "{name} anonymous"
        );
        assert_eq!(
            app.call(name, form, Some(&user)).await.status,
            StatusCode::FORBIDDEN,
            "{name} user"
        );
        assert_eq!(
            app.call(name, form, Some(&reseller)).await.status,
            StatusCode::FORBIDDEN,
            "{name} reseller"
        );
        // Another customer's admin: the person does not exist for them.
        assert_eq!(
            app.call(name, form, Some(&other)).await.status,
            StatusCode::NOT_FOUND,
            "{name} other customer"
        );
    }
    let grace = person::Entity::find_by_id(target.parse::<i32>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (grace.name.as_str(), grace.role.as_str()),
        ("Grace Kim", "user"),
        "nothing changed"
    );

    for email in [OWNER, ADMIN] {
        let cookie = app.login(email).await;
        for (name, form) in &calls {
            let reply = app.call(name, form, Some(&cookie)).await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{name} by {email}: {:?}",
                reply.body
            );
        }
        command(&app, &cookie, &target, "make_user").await;
    }
}

#[tokio::test]
async fn an_admin_cannot_demote_disable_or_delete_the_owner() {
    let app = TestApp::new().await;
    let owner_id = id_of(&app, OWNER).await;
    let admin = app.login(ADMIN).await;
    for c in ["make_user", "make_admin", "disable", "delete"] {
        let reply = command(&app, &admin, &owner_id, c).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{c}");
        assert_eq!(
            reply.body["NotAllowed"], "The owner cannot be demoted, disabled or deleted.",
            "{c}"
        );
    }
    // Nor edit the owner's details: only the owner changes them.
    let reply = app
        .call(
            "update_user",
            &[
                ("id", &owner_id),
                ("name", "Olivia O. Owner"),
                ("notification_email", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let detail = app
        .call("get_user", &[("id", &owner_id)], Some(&admin))
        .await;
    assert_eq!(detail.body["user"]["name"], "Olivia Owner");
    assert_eq!(detail.body["actions"]["edit"], false);
    assert_eq!(detail.body["actions"]["change_role"], false);
    assert_eq!(detail.body["actions"]["delete"], false);
}

#[tokio::test]
async fn nobody_changes_their_own_role_or_locks_themselves_out() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let me = id_of(&app, ADMIN).await;
    for c in ["make_user", "disable", "delete"] {
        let reply = command(&app, &admin, &me, c).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{c}");
    }
    let owner = app.login(OWNER).await;
    let owner_id = id_of(&app, OWNER).await;
    assert_eq!(
        command(&app, &owner, &owner_id, "delete").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn disabling_signs_the_person_out_and_enabling_lets_them_back() {
    let app = TestApp::new().await;
    let uma = app.login(USER).await;
    let uma_id = id_of(&app, USER).await;
    let admin = app.login(ADMIN).await;
    assert_eq!(
        command(&app, &admin, &uma_id, "disable").await.status,
        StatusCode::OK
    );
    let sessions = session::Entity::find()
        .filter(session::Column::PersonId.eq(uma_id.parse::<i32>().unwrap()))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    assert_eq!(
        app.call("list_my_services", &[], Some(&uma)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.try_login(USER, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Twice is a clear conflict, not a silent success.
    assert_eq!(
        command(&app, &admin, &uma_id, "disable").await.status,
        StatusCode::CONFLICT
    );

    assert_eq!(
        command(&app, &admin, &uma_id, "enable").await.status,
        StatusCode::OK
    );
    assert_eq!(app.try_login(USER, PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_admin_unlocks_a_locked_person() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        app.try_login(USER, "wrong-password-1").await;
    }
    assert_eq!(
        app.try_login(USER, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let admin = app.login(ADMIN).await;
    let uma_id = id_of(&app, USER).await;
    assert_eq!(
        command(&app, &admin, &uma_id, "unlock").await.status,
        StatusCode::OK
    );
    assert_eq!(app.try_login(USER, PASSWORD).await.status, StatusCode::OK);
    assert_eq!(
        command(&app, &admin, &uma_id, "unlock").await.status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn deleting_releases_licenses_and_keeps_the_audit_trail() {
    let app = TestApp::new().await;
    let uma_id: i32 = id_of(&app, USER).await.parse().unwrap();
    let licenses = || {
        license_assignment::Entity::find().filter(license_assignment::Column::PersonId.eq(uma_id))
    };
    assert!(licenses().count(&app.state.db).await.unwrap() > 0);

    let owner = app.login(OWNER).await;
    let reply = command(&app, &owner, &uma_id.to_string(), "delete").await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert!(
        person::Entity::find_by_id(uma_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(licenses().count(&app.state.db).await.unwrap(), 0);
    let entries = audit_log::Entity::find()
        .filter(audit_log::Column::TargetId.eq(uma_id.to_string()))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "person.deleted");
    assert_eq!(entries[0].actor_name.as_deref(), Some("Olivia Owner"));
    assert!(entries[0].details.as_deref().unwrap().contains("Uma User"));
}

#[tokio::test]
async fn links_are_sent_only_when_they_make_sense() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let invited = id_of(&app, "noah.newhire@contoso-dental.example").await;
    let active = id_of(&app, USER).await;

    assert_eq!(
        command(&app, &admin, &invited, "resend_activation")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        command(&app, &admin, &active, "resend_activation")
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        command(&app, &admin, &active, "send_password_reset")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        command(&app, &admin, &invited, "send_password_reset")
            .await
            .status,
        StatusCode::CONFLICT
    );

    let kinds: Vec<String> = email_outbox::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["activation", "password_reset"]);
}

#[tokio::test]
async fn role_changes_are_audited_with_before_and_after() {
    let app = TestApp::new().await;
    let owner = app.login(OWNER).await;
    let grace = id_of(&app, "grace.kim@contoso-dental.example").await;
    assert_eq!(
        command(&app, &owner, &grace, "make_admin").await.status,
        StatusCode::OK
    );
    let entry = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("person.role_changed"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let details: serde_json::Value =
        serde_json::from_str(entry.details.as_deref().unwrap()).unwrap();
    assert_eq!(details["before"]["role"], "user");
    assert_eq!(details["after"]["role"], "admin");
    // The new admin can now manage people.
    let grace_cookie = {
        // Grace has the demo password.
        app.login("grace.kim@contoso-dental.example").await
    };
    assert_eq!(
        app.call(
            "list_users",
            &[
                ("search", ""),
                ("role", ""),
                ("status", ""),
                ("sort", ""),
                ("page", "1")
            ],
            Some(&grace_cookie)
        )
        .await
        .status,
        StatusCode::OK
    );
}

fn activity_form<'a>(area: &'a str, from: &'a str, to: &'a str) -> [(&'a str, &'a str); 4] {
    [("area", area), ("from", from), ("to", to), ("page", "1")]
}

#[tokio::test]
async fn the_activity_log_shows_the_accounts_changes_only() {
    let app = TestApp::new().await;
    let owner = app.login(OWNER).await;
    let grace = id_of(&app, "grace.kim@contoso-dental.example").await;
    command(&app, &owner, &grace, "make_admin").await;
    let other = app.login(OTHER_ADMIN).await;
    let jonas = id_of(&app, "jonas.weber@fabrikam-logistics.example").await;
    command(&app, &other, &jonas, "disable").await;

    let actions = |reply: &Reply| -> Vec<String> {
        reply.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect()
    };
    let mine = app
        .call(
            "list_activity",
            &activity_form("people", "", ""),
            Some(&owner),
        )
        .await;
    assert_eq!(mine.status, StatusCode::OK, "{:?}", mine.body);
    assert_eq!(actions(&mine), ["person.role_changed"]);
    assert_eq!(mine.body["rows"][0]["actor_name"], "Olivia Owner");
    // The other customer's admin sees their own change only.
    let theirs = app
        .call("list_activity", &activity_form("", "", ""), Some(&other))
        .await;
    assert_eq!(actions(&theirs), ["person.disabled"]);
    // Admins see it too.
    let admin = app.login(ADMIN).await;
    let reply = app
        .call(
            "list_activity",
            &activity_form("people", "", ""),
            Some(&admin),
        )
        .await;
    assert_eq!(actions(&reply), ["person.role_changed"]);

    // Date filters: today includes it, tomorrow onwards does not.
    let today = app.state.clock.now().date_naive();
    let tomorrow = (today + chrono::Days::new(1)).to_string();
    let today = today.to_string();
    let reply = app
        .call(
            "list_activity",
            &activity_form("", &today, &today),
            Some(&owner),
        )
        .await;
    assert_eq!(actions(&reply).len(), 1);
    let reply = app
        .call(
            "list_activity",
            &activity_form("", &tomorrow, ""),
            Some(&owner),
        )
        .await;
    assert!(actions(&reply).is_empty());
    let reply = app
        .call(
            "list_activity",
            &activity_form("", &tomorrow, &today),
            Some(&owner),
        )
        .await;
    assert_eq!(reply.body["Validation"]["field"], "to");
    let reply = app
        .call(
            "list_activity",
            &activity_form("", "25/11/2026", ""),
            Some(&owner),
        )
        .await;
    assert_eq!(reply.body["Validation"]["field"], "from");

    let user = app.login(USER).await;
    let form = activity_form("", "", "");
    assert_eq!(
        app.call("list_activity", &form, Some(&user)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("list_activity", &form, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let bad = app
        .call(
            "list_activity",
            &activity_form("nope", "", ""),
            Some(&owner),
        )
        .await;
    assert_eq!(bad.body["Validation"]["field"], "area");
}

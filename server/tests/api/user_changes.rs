//! Changing one person: who may do what to whom, and what each change does.

use crate::helpers::*;
use app::AppError;
use app::api::activity::ListActivity;
use app::api::me::ListMyServices;
use app::api::users::{ChangeUser, GetUser, ListUsers, UpdateUser};
use app::dto::activity::ActivityPage;
use app::dto::users::UserCommand;
use app::server::entities::{audit_log, license_assignment, person, session};
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn command(client: &Client, id: i32, command: UserCommand) -> Result<(), Refused> {
    client.send(ChangeUser { id, command }).await
}

/// The three ways to touch one person, each as `caller`, with the status each answered.
async fn touch(caller: &Client, id: i32) -> [(&'static str, StatusCode); 3] {
    [
        ("get_user", caller.send(GetUser { id }).await.status()),
        (
            "update_user",
            caller
                .send(UpdateUser {
                    id,
                    name: "Grace K".into(),
                    notification_email: String::new(),
                })
                .await
                .status(),
        ),
        (
            "change_user",
            command(caller, id, UserCommand::MakeAdmin).await.status(),
        ),
    ]
}

#[tokio::test]
async fn authorization_matrix() {
    let app = TestApp::new().await;
    let target = id_of(&app, GRACE).await;
    for (caller, who, expected) in [
        (app.anonymous(), "anonymous", StatusCode::UNAUTHORIZED),
        (app.user().await, "user", StatusCode::FORBIDDEN),
        (app.reseller().await, "reseller", StatusCode::FORBIDDEN),
        // Another customer's admin: the person does not exist for them.
        (
            app.other_admin().await,
            "other customer",
            StatusCode::NOT_FOUND,
        ),
    ] {
        for (name, status) in touch(&caller, target).await {
            assert_eq!(status, expected, "{name} {who}");
        }
    }
    let grace = person::Entity::find_by_id(target)
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
        let manager = app.signed_in(email).await;
        for (name, status) in touch(&manager, target).await {
            assert_eq!(status, StatusCode::OK, "{name} by {email}");
        }
        command(&manager, target, UserCommand::MakeUser)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn an_admin_cannot_demote_disable_or_delete_the_owner() {
    let app = TestApp::new().await;
    let owner_id = id_of(&app, OWNER).await;
    let admin = app.admin().await;
    for c in [
        UserCommand::MakeUser,
        UserCommand::MakeAdmin,
        UserCommand::Disable,
        UserCommand::Delete,
    ] {
        let refused = command(&admin, owner_id, c).await.unwrap_err();
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{c:?}");
        assert_eq!(
            refused.error,
            AppError::NotAllowed("The owner cannot be demoted, disabled or deleted.".into()),
            "{c:?}"
        );
    }
    // Nor edit the owner's details: only the owner changes them.
    let reply = admin
        .send(UpdateUser {
            id: owner_id,
            name: "Olivia O. Owner".into(),
            notification_email: String::new(),
        })
        .await;
    assert_eq!(reply.status(), StatusCode::FORBIDDEN);
    let detail = admin.send(GetUser { id: owner_id }).await.unwrap();
    assert_eq!(detail.user.name, "Olivia Owner");
    assert!(!detail.actions.edit);
    assert!(!detail.actions.change_role);
    assert!(!detail.actions.delete);
}

#[tokio::test]
async fn nobody_changes_their_own_role_or_locks_themselves_out() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let me = id_of(&app, ADMIN).await;
    for c in [
        UserCommand::MakeUser,
        UserCommand::Disable,
        UserCommand::Delete,
    ] {
        let reply = command(&admin, me, c).await;
        assert_eq!(reply.status(), StatusCode::FORBIDDEN, "{c:?}");
    }
    let owner = app.owner().await;
    let owner_id = id_of(&app, OWNER).await;
    assert_eq!(
        command(&owner, owner_id, UserCommand::Delete)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn disabling_signs_the_person_out_and_enabling_lets_them_back() {
    let app = TestApp::new().await;
    let uma = app.user().await;
    let uma_id = id_of(&app, USER).await;
    let admin = app.admin().await;
    command(&admin, uma_id, UserCommand::Disable).await.unwrap();
    let sessions = session::Entity::find()
        .filter(session::Column::PersonId.eq(uma_id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    assert_eq!(
        uma.send(ListMyServices {}).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.try_login(USER, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Twice is a clear conflict, not a silent success.
    assert_eq!(
        command(&admin, uma_id, UserCommand::Disable).await.status(),
        StatusCode::CONFLICT
    );

    command(&admin, uma_id, UserCommand::Enable).await.unwrap();
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
    let admin = app.admin().await;
    let uma_id = id_of(&app, USER).await;
    command(&admin, uma_id, UserCommand::Unlock).await.unwrap();
    assert_eq!(app.try_login(USER, PASSWORD).await.status, StatusCode::OK);
    assert_eq!(
        command(&admin, uma_id, UserCommand::Unlock).await.status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn deleting_releases_licenses_and_keeps_the_audit_trail() {
    let app = TestApp::new().await;
    let uma_id = id_of(&app, USER).await;
    let licenses = || {
        license_assignment::Entity::find().filter(license_assignment::Column::PersonId.eq(uma_id))
    };
    assert!(licenses().count(&app.state.db).await.unwrap() > 0);

    let owner = app.owner().await;
    command(&owner, uma_id, UserCommand::Delete).await.unwrap();
    assert!(
        person::Entity::find_by_id(uma_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(licenses().count(&app.state.db).await.unwrap(), 0);
    let entries: Vec<_> = new_audit_entries(&app)
        .await
        .into_iter()
        .filter(|e| e.target_id == Some(uma_id.to_string()))
        .collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "person.deleted");
    assert_eq!(entries[0].actor_name.as_deref(), Some("Olivia Owner"));
    assert!(entries[0].details.as_deref().unwrap().contains("Uma User"));
}

#[tokio::test]
async fn links_are_sent_only_when_they_make_sense() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let invited = id_of(&app, INVITED).await;
    let active = id_of(&app, USER).await;

    command(&admin, invited, UserCommand::ResendActivation)
        .await
        .unwrap();
    assert_eq!(
        command(&admin, active, UserCommand::ResendActivation)
            .await
            .status(),
        StatusCode::CONFLICT
    );
    command(&admin, active, UserCommand::SendPasswordReset)
        .await
        .unwrap();
    assert_eq!(
        command(&admin, invited, UserCommand::SendPasswordReset)
            .await
            .status(),
        StatusCode::CONFLICT
    );

    let kinds: Vec<String> = new_emails(&app).await.into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["activation", "password_reset"]);
}

#[tokio::test]
async fn role_changes_are_audited_with_before_and_after() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let grace = id_of(&app, GRACE).await;
    command(&owner, grace, UserCommand::MakeAdmin)
        .await
        .unwrap();
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
    // The new admin can now manage people (Grace has the demo password).
    let grace = app.signed_in(GRACE).await;
    grace
        .send(ListUsers {
            search: String::new(),
            role: String::new(),
            status: String::new(),
            sort: String::new(),
            page: 1,
        })
        .await
        .unwrap();
}

fn activity(area: &str, from: &str, to: &str) -> ListActivity {
    ListActivity {
        area: area.to_owned(),
        from: from.to_owned(),
        to: to.to_owned(),
        page: 1,
    }
}

#[tokio::test]
async fn the_activity_log_shows_the_accounts_changes_only() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let grace = id_of(&app, GRACE).await;
    command(&owner, grace, UserCommand::MakeAdmin)
        .await
        .unwrap();
    let other = app.other_admin().await;
    let jonas = id_of(&app, OTHER_USER).await;
    command(&other, jonas, UserCommand::Disable).await.unwrap();

    let actions = |page: &ActivityPage| -> Vec<String> {
        page.rows.iter().map(|e| e.action.clone()).collect()
    };
    let mine = owner.send(activity("people", "", "")).await.unwrap();
    // Newest first: the change just made, then the demo's invitations and activations; never
    // the other account's change.
    assert_eq!(actions(&mine)[0], "person.role_changed");
    assert!(
        mine.rows
            .iter()
            .all(|e| e.target_id != Some(jonas.to_string()) && e.action != "person.disabled"),
        "{mine:?}"
    );
    assert_eq!(mine.rows[0].actor_name.as_deref(), Some("Olivia Owner"));
    // The other customer's admin sees their own change only.
    let theirs = other.send(activity("", "", "")).await.unwrap();
    assert_eq!(actions(&theirs)[0], "person.disabled");
    assert!(!actions(&theirs).contains(&"person.role_changed".to_owned()));
    // Admins see it too.
    let page = app
        .admin()
        .await
        .send(activity("people", "", ""))
        .await
        .unwrap();
    assert_eq!(actions(&page)[0], "person.role_changed");

    // Date filters: today includes it, tomorrow onwards does not.
    let today = app.state.clock.now().date_naive();
    let tomorrow = (today + chrono::Days::new(1)).to_string();
    let today = today.to_string();
    let page = owner.send(activity("", &today, &today)).await.unwrap();
    assert_eq!(actions(&page).len(), 1);
    let page = owner.send(activity("", &tomorrow, "")).await.unwrap();
    assert!(actions(&page).is_empty());
    let refused = owner.send(activity("", &tomorrow, &today)).await;
    assert_eq!(refused.field(), Some("to"));
    let refused = owner.send(activity("", "25/11/2026", "")).await;
    assert_eq!(refused.field(), Some("from"));

    assert_eq!(
        app.user().await.send(activity("", "", "")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.anonymous().send(activity("", "", "")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let bad = owner.send(activity("nope", "", "")).await;
    assert_eq!(bad.field(), Some("area"));
}

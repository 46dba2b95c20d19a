//! People management: who may list and create people, search and pages, activation links.

mod common;

use app::server::entities::{email_outbox, person};
use chrono::Duration;
use common::*;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;

const OTHER_ADMIN: &str = "felix.admin@fabrikam-logistics.example";

fn list_form<'a>(search: &'a str, role: &'a str, page: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("search", search),
        ("role", role),
        ("status", ""),
        ("sort", ""),
        ("page", page),
    ]
}

fn new_user<'a>(name: &'a str, email: &'a str, role: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("email", email),
        ("role", role),
        ("notification_email", ""),
    ]
}

fn emails(reply: &Value) -> Vec<String> {
    reply["people"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["email"].as_str().unwrap().to_owned())
        .collect()
}

/// The activation token from the newest email in the outbox to `to`.
async fn activation_token(app: &TestApp, to: &str) -> String {
    let email = email_outbox::Entity::find()
        .filter(email_outbox::Column::ToAddress.eq(to))
        .order_by_desc(email_outbox::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("an email to the new person");
    assert_eq!(email.kind, "activation");
    let (_, rest) = email
        .body_text
        .split_once("/activate?token=")
        .expect("activation link");
    rest.split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn who_may_list_users() {
    let app = TestApp::new().await;
    assert_eq!(
        app.call("list_users", &list_form("", "", "1"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let user = app.login(USER).await;
    assert_eq!(
        app.call("list_users", &list_form("", "", "1"), Some(&user))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    for email in [OWNER, ADMIN] {
        let cookie = app.login(email).await;
        let reply = app
            .call("list_users", &list_form("", "", "1"), Some(&cookie))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{email}");
        assert_eq!(reply.body["total"], 9, "{email}");
    }
    // Another customer's admin sees only their own people.
    let other = app.login(OTHER_ADMIN).await;
    let reply = app
        .call("list_users", &list_form("", "", "1"), Some(&other))
        .await;
    assert_eq!(reply.body["total"], 5);
    assert!(
        emails(&reply.body)
            .iter()
            .all(|e| e.ends_with("@fabrikam-logistics.example"))
    );
}

#[tokio::test]
async fn search_filter_and_sort() {
    let app = TestApp::new().await;
    let cookie = app.login(OWNER).await;
    // Name prefix, any case.
    let reply = app
        .call("list_users", &list_form("HAN", "", "1"), Some(&cookie))
        .await;
    assert_eq!(emails(&reply.body), ["hannah.lee@contoso-dental.example"]);
    // Email prefix.
    let reply = app
        .call("list_users", &list_form("tomas.", "", "1"), Some(&cookie))
        .await;
    assert_eq!(emails(&reply.body), ["tomas.ortega@contoso-dental.example"]);
    // Role filter.
    let reply = app
        .call("list_users", &list_form("", "admin", "1"), Some(&cookie))
        .await;
    assert_eq!(emails(&reply.body), [ADMIN]);
    // Status filter.
    let form = [
        ("search", ""),
        ("role", ""),
        ("status", "invited"),
        ("sort", ""),
        ("page", "1"),
    ];
    let reply = app.call("list_users", &form, Some(&cookie)).await;
    assert_eq!(emails(&reply.body), ["noah.newhire@contoso-dental.example"]);
    // Sorted by name, A to Z and back.
    let reply = app
        .call("list_users", &list_form("", "", "1"), Some(&cookie))
        .await;
    let names: Vec<&str> = reply.body["people"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    let form = [
        ("search", ""),
        ("role", ""),
        ("status", ""),
        ("sort", "-name"),
        ("page", "1"),
    ];
    let reply = app.call("list_users", &form, Some(&cookie)).await;
    assert_eq!(reply.body["people"]["rows"][0]["name"], "Uma User");
    // Services are counted per person.
    let reply = app
        .call("list_users", &list_form("uma", "", "1"), Some(&cookie))
        .await;
    assert_eq!(reply.body["people"]["rows"][0]["services"], 2);
    // A bad filter value is a clear error, not an empty list.
    let reply = app
        .call(
            "list_users",
            &list_form("", "superuser", "1"),
            Some(&cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["Validation"]["field"], "role");
}

#[tokio::test]
async fn pages_of_fifty() {
    let app = TestApp::new().await;
    let cookie = app.login(ADMIN).await;
    for i in 0..60 {
        let email = format!("bulk{i:03}@contoso-dental.example");
        let name = format!("Bulk Person {i:03}");
        let reply = app
            .call(
                "create_user",
                &new_user(&name, &email, "user"),
                Some(&cookie),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    let first = app
        .call("list_users", &list_form("bulk", "", "1"), Some(&cookie))
        .await;
    assert_eq!(first.body["total"], 60);
    assert_eq!(first.body["people"]["rows"].as_array().unwrap().len(), 50);
    let second = app
        .call("list_users", &list_form("bulk", "", "2"), Some(&cookie))
        .await;
    let rows = second.body["people"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0]["name"], "Bulk Person 050");
}

#[tokio::test]
async fn who_may_create_users() {
    let app = TestApp::new().await;
    let form = new_user("Nina New", "nina.new@contoso-dental.example", "user");
    assert_eq!(
        app.call("create_user", &form, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let user = app.login(USER).await;
    assert_eq!(
        app.call("create_user", &form, Some(&user)).await.status,
        StatusCode::FORBIDDEN
    );
    let reseller = app.login(RESELLER).await;
    assert_eq!(
        app.call("create_user", &form, Some(&reseller)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        person::Entity::find()
            .filter(person::Column::Email.eq("nina.new@contoso-dental.example"))
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );

    let admin = app.login(ADMIN).await;
    let reply = app.call("create_user", &form, Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["status"], "invited");

    // Another customer's admin creates people in their own account only.
    let other = app.login(OTHER_ADMIN).await;
    let reply = app
        .call(
            "create_user",
            &new_user("Otto Other", "otto@fabrikam-logistics.example", "admin"),
            Some(&other),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let otto = person::Entity::find_by_id(reply.body["id"].as_i64().unwrap() as i32)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let felix = person::Entity::find()
        .filter(person::Column::Email.eq(OTHER_ADMIN))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(otto.customer_id, felix.customer_id);
}

#[tokio::test]
async fn creating_validates_every_field() {
    let app = TestApp::new().await;
    let cookie = app.login(OWNER).await;
    for (form, field) in [
        (new_user("", "a@contoso-dental.example", "user"), "name"),
        (new_user("Ann", "not-an-email", "user"), "email"),
        (
            new_user("Ann", "ann@contoso-dental.example", "owner"),
            "role",
        ),
        (
            new_user("Ann", "ann@contoso-dental.example", "root"),
            "role",
        ),
        (
            vec![
                ("name", "Ann"),
                ("email", "ann@contoso-dental.example"),
                ("role", "user"),
                ("notification_email", "nope"),
            ],
            "notification_email",
        ),
        // Emails are unique on the platform, whatever their case.
        (
            new_user(
                "Fiona Again",
                "FIONA.OWNER@fabrikam-logistics.example",
                "user",
            ),
            "email",
        ),
    ] {
        let reply = app.call("create_user", &form, Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
        assert_eq!(reply.body["Validation"]["field"], field, "{form:?}");
    }
    assert_eq!(
        email_outbox::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0,
        "nothing half-written"
    );
}

#[tokio::test]
async fn simultaneous_creates_of_one_address_make_one_person() {
    let app = TestApp::new().await;
    let owner = app.login(OWNER).await;
    let admin = app.login(ADMIN).await;
    let a = new_user("Twin One", "twin@contoso-dental.example", "user");
    let b = new_user("Twin Two", "Twin@Contoso-Dental.example", "admin");
    let (first, second) = tokio::join!(
        app.call("create_user", &a, Some(&owner)),
        app.call("create_user", &b, Some(&admin)),
    );
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY],
        "{:?} {:?}",
        first.body,
        second.body
    );
    let refused = if first.status == StatusCode::OK {
        &second
    } else {
        &first
    };
    assert_eq!(
        refused.body["Validation"]["message"],
        "A person with this email already exists."
    );
    let count = person::Entity::find()
        .filter(person::Column::Email.eq("twin@contoso-dental.example"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(count, 1);
    assert_eq!(
        email_outbox::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn an_activation_link_works_once() {
    let app = TestApp::new().await;
    let owner = app.login(OWNER).await;
    let form = vec![
        ("name", "Ivy Invite"),
        ("email", "ivy@contoso-dental.example"),
        ("role", "user"),
        ("notification_email", "ivy.private@mail.example"),
    ];
    assert_eq!(
        app.call("create_user", &form, Some(&owner)).await.status,
        StatusCode::OK
    );
    // The link goes to the sign-in address only, never to the notification address (which
    // anyone managing the account can set).
    let token = activation_token(&app, "ivy@contoso-dental.example").await;
    assert_eq!(
        email_outbox::Entity::find()
            .filter(email_outbox::Column::ToAddress.eq("ivy.private@mail.example"))
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );

    // Cannot sign in before activation.
    assert_eq!(
        app.try_login("ivy@contoso-dental.example", "Ivy-password-1")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let invite = app.call("get_invitation", &[("token", &token)], None).await;
    assert_eq!(invite.body["email"], "ivy@contoso-dental.example");
    assert_eq!(invite.body["customer_name"], "Contoso Dental Group");

    // A weak password or a mismatch is refused and does not use the link up.
    let weak = app
        .call(
            "activate_account",
            &[
                ("token", &token),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
            None,
        )
        .await;
    assert_eq!(weak.body["Validation"]["field"], "password");
    let mismatch = app
        .call(
            "activate_account",
            &[
                ("token", &token),
                ("password", "Ivy-password-1"),
                ("password_confirm", "Ivy-password-2"),
            ],
            None,
        )
        .await;
    assert_eq!(mismatch.body["Validation"]["field"], "password_confirm");

    let ok = app
        .call(
            "activate_account",
            &[
                ("token", &token),
                ("password", "Ivy-password-1"),
                ("password_confirm", "Ivy-password-1"),
            ],
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    let cookie = ok.session_cookie().expect("activation signs in");
    let me = app.call("current_user", &[], Some(&cookie)).await;
    assert_eq!(me.body["email"], "ivy@contoso-dental.example");

    // Used: a second time fails.
    let again = app
        .call(
            "activate_account",
            &[
                ("token", &token),
                ("password", "Ivy-password-9"),
                ("password_confirm", "Ivy-password-9"),
            ],
            None,
        )
        .await;
    assert_eq!(again.body["Validation"]["field"], "token");
    assert_eq!(
        app.try_login("ivy@contoso-dental.example", "Ivy-password-1")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_activation_link_expires_after_48_hours() {
    let app = TestApp::new().await;
    let owner = app.login(OWNER).await;
    let form = new_user("Late Larry", "larry@contoso-dental.example", "user");
    assert_eq!(
        app.call("create_user", &form, Some(&owner)).await.status,
        StatusCode::OK
    );
    let token = activation_token(&app, "larry@contoso-dental.example").await;

    app.state.clock.advance(Duration::hours(47));
    assert_eq!(
        app.call("get_invitation", &[("token", &token)], None)
            .await
            .status,
        StatusCode::OK
    );
    app.state.clock.advance(Duration::hours(2));
    let late = app
        .call(
            "activate_account",
            &[
                ("token", &token),
                ("password", "Larry-password-1"),
                ("password_confirm", "Larry-password-1"),
            ],
            None,
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(late.body["Validation"]["field"], "token");
    assert_eq!(
        app.call("get_invitation", &[("token", "garbage")], None)
            .await
            .body["Validation"]["field"],
        "token"
    );
}

/// Inserts people straight into the admin's account, faster than creating them one by one.
async fn add_people(app: &TestApp, people: impl Iterator<Item = (String, String)>) {
    use app::domain::PersonName;
    use sea_orm::{NotSet, Set};
    let customer_id = person::Entity::find()
        .filter(person::Column::Email.eq(ADMIN))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .customer_id;
    let now = app.state.clock.now();
    let rows: Vec<person::ActiveModel> = people
        .map(|(name, email)| person::ActiveModel {
            id: NotSet,
            customer_id: Set(customer_id),
            reseller_id: Set(None),
            role: Set(app::domain::Role::User),
            name_key: Set(PersonName::key_of(&name)),
            name: Set(name),
            email: Set(email),
            notification_email: Set(None),
            password_hash: Set(None),
            status: Set(app::domain::PersonStatus::Active),
            failed_logins: Set(0),
            locked_until: Set(None),
            last_login_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .collect();
    for chunk in rows.chunks(500) {
        person::Entity::insert_many(chunk.to_vec())
            .exec(&app.state.db)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_broad_search_lists_the_sorted_field_matches_first() {
    let app = TestApp::new().await;
    let cookie = app.login(ADMIN).await;
    // 40 people whose name starts with "zz", and 1,000 whose email does: more than the count cap.
    add_people(
        &app,
        (0..40)
            .map(|i| {
                (
                    format!("Zz Name {i:02}"),
                    format!("named{i:02}@contoso-dental.example"),
                )
            })
            .chain((0..1000).map(|i| {
                (
                    format!("Alpha {i:04}"),
                    format!("zz{i:04}@contoso-dental.example"),
                )
            })),
    )
    .await;
    let form = |search: &'static str, page: &'static str, sort: &'static str| {
        vec![
            ("search", search),
            ("role", ""),
            ("status", ""),
            ("sort", sort),
            ("page", page),
        ]
    };

    let first = app
        .call("list_users", &form("zz", "1", ""), Some(&cookie))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(first.body["grouped"], true);
    assert_eq!(first.body["total"], 1001);
    assert_eq!(first.body["people"]["has_next"], true);
    let found = emails(&first.body);
    assert_eq!(found.len(), 50);
    let expected: Vec<String> = (0..40)
        .map(|i| format!("named{i:02}@contoso-dental.example"))
        .chain((0..10).map(|i| format!("zz{i:04}@contoso-dental.example")))
        .collect();
    assert_eq!(found, expected);

    // The second page lies wholly in the second group and goes on where the first page ended.
    let second = app
        .call("list_users", &form("zz", "2", ""), Some(&cookie))
        .await;
    let found = emails(&second.body);
    assert_eq!(found.first().unwrap(), "zz0010@contoso-dental.example");
    assert_eq!(found.last().unwrap(), "zz0059@contoso-dental.example");

    // The last page of the second group says there is nothing after it.
    let last = app
        .call("list_users", &form("zz", "21", ""), Some(&cookie))
        .await;
    let found = emails(&last.body);
    assert_eq!(found.len(), 40);
    assert_eq!(found.last().unwrap(), "zz0999@contoso-dental.example");
    assert_eq!(last.body["people"]["has_next"], false);

    // Sorted by email descending, the email matches come first, in that order.
    let by_email = app
        .call("list_users", &form("zz", "1", "-email"), Some(&cookie))
        .await;
    let found = emails(&by_email.body);
    assert_eq!(found[0], "zz0999@contoso-dental.example");
    assert_eq!(found[49], "zz0950@contoso-dental.example");

    // Newest first is one list: the id order finds a page whatever the matches.
    let newest = app
        .call("list_users", &form("zz", "1", "newest"), Some(&cookie))
        .await;
    assert_eq!(newest.body["grouped"], false);
    let found = emails(&newest.body);
    assert_eq!(found[0], "zz0999@contoso-dental.example");
    assert_eq!(found.len(), 50);

    // A narrower search is one group, sorted as asked.
    let narrow = app
        .call("list_users", &form("zz000", "1", ""), Some(&cookie))
        .await;
    assert_eq!(narrow.body["grouped"], false);
    assert_eq!(narrow.body["total"], 10);
}

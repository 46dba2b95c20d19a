//! People management: who may list and create people, search and pages, activation links.

use crate::helpers::*;
use app::AppError;
use app::api::account::{ActivateAccount, GetInvitation};
use app::api::auth::CurrentUser;
use app::api::users::{CreateUser, ListUsers};
use app::domain::PersonStatus;
use app::dto::users::UserPage;
use app::server::entities::{email_outbox, person};
use chrono::Duration;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Page `page` of the people whose name or email starts with `search`, of `role` ("" any).
fn list(search: &str, role: &str, page: u64) -> ListUsers {
    ListUsers {
        search: search.to_owned(),
        role: role.to_owned(),
        status: String::new(),
        sort: String::new(),
        page,
    }
}

fn new_user(name: &str, email: &str, role: &str) -> CreateUser {
    CreateUser {
        name: name.to_owned(),
        email: email.to_owned(),
        role: role.to_owned(),
        notification_email: String::new(),
    }
}

fn emails(page: &UserPage) -> Vec<String> {
    page.people.rows.iter().map(|r| r.email.clone()).collect()
}

/// The activation token from the newest email in the outbox to `to`.
async fn activation_token(app: &TestApp, to: &str) -> String {
    let email = newest_email_to(app, to).await;
    assert_eq!(email.kind, "activation");
    link_token(&email.body_text, "/activate")
}

fn activation(token: &str, password: &str, confirm: &str) -> ActivateAccount {
    ActivateAccount {
        token: token.to_owned(),
        password: password.to_owned(),
        password_confirm: confirm.to_owned(),
    }
}

#[tokio::test]
async fn who_may_list_users() {
    let app = TestApp::new().await;
    assert_eq!(
        app.anonymous().send(list("", "", 1)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.user().await.send(list("", "", 1)).await.status(),
        StatusCode::FORBIDDEN
    );
    for email in [OWNER, ADMIN] {
        let manager = app.signed_in(email).await;
        let page = manager.send(list("", "", 1)).await.unwrap();
        assert_eq!(page.total, 9, "{email}");
    }
    // Another customer's admin sees only their own people.
    let page = app.other_admin().await.send(list("", "", 1)).await.unwrap();
    assert_eq!(page.total, 5);
    assert!(
        emails(&page)
            .iter()
            .all(|e| e.ends_with("@fabrikam-logistics.example"))
    );
}

#[tokio::test]
async fn search_filter_and_sort() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    // Name prefix, any case.
    let page = owner.send(list("HAN", "", 1)).await.unwrap();
    assert_eq!(emails(&page), ["hannah.lee@contoso-dental.example"]);
    // Email prefix.
    let page = owner.send(list("tomas.", "", 1)).await.unwrap();
    assert_eq!(emails(&page), ["tomas.ortega@contoso-dental.example"]);
    // Role filter.
    let page = owner.send(list("", "admin", 1)).await.unwrap();
    assert_eq!(emails(&page), [ADMIN]);
    // Status filter.
    let invited = ListUsers {
        status: "invited".into(),
        ..list("", "", 1)
    };
    let page = owner.send(invited).await.unwrap();
    assert_eq!(emails(&page), [INVITED]);
    // Sorted by name, A to Z and back.
    let page = owner.send(list("", "", 1)).await.unwrap();
    let names: Vec<&str> = page.people.rows.iter().map(|r| r.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    let descending = ListUsers {
        sort: "-name".into(),
        ..list("", "", 1)
    };
    let page = owner.send(descending).await.unwrap();
    assert_eq!(page.people.rows[0].name, "Uma User");
    // Services are counted per person.
    let page = owner.send(list("uma", "", 1)).await.unwrap();
    assert_eq!(page.people.rows[0].services, 2);
    // A bad filter value is a clear error, not an empty list.
    let refused = owner.send(list("", "superuser", 1)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field(), Some("role"));
}

#[tokio::test]
async fn pages_of_fifty() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    for i in 0..60 {
        let email = format!("bulk{i:03}@contoso-dental.example");
        let name = format!("Bulk Person {i:03}");
        admin.send(new_user(&name, &email, "user")).await.unwrap();
    }
    let first = admin.send(list("bulk", "", 1)).await.unwrap();
    assert_eq!(first.total, 60);
    assert_eq!(first.people.rows.len(), 50);
    let second = admin.send(list("bulk", "", 2)).await.unwrap();
    let rows = &second.people.rows;
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0].name, "Bulk Person 050");
}

#[tokio::test]
async fn who_may_create_users() {
    let app = TestApp::new().await;
    let nina = || new_user("Nina New", "nina.new@contoso-dental.example", "user");
    assert_eq!(
        app.anonymous().send(nina()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.user().await.send(nina()).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.reseller().await.send(nina()).await.status(),
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

    let created = app.admin().await.send(nina()).await.unwrap();
    assert_eq!(created.status, PersonStatus::Invited);

    // Another customer's admin creates people in their own account only.
    let otto = app
        .other_admin()
        .await
        .send(new_user(
            "Otto Other",
            "otto@fabrikam-logistics.example",
            "admin",
        ))
        .await
        .unwrap();
    let otto = person::Entity::find_by_id(otto.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let felix = person_by_email(&app, OTHER_ADMIN).await;
    assert_eq!(otto.customer_id, felix.customer_id);
}

#[tokio::test]
async fn creating_validates_every_field() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
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
            CreateUser {
                notification_email: "nope".into(),
                ..new_user("Ann", "ann@contoso-dental.example", "user")
            },
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
        let label = format!("{form:?}");
        let refused = owner.send(form).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}"
        );
        assert_eq!(refused.field(), Some(field), "{label}");
    }
    assert_eq!(outbox_count(&app).await, 0, "nothing half-written");
}

#[tokio::test]
async fn simultaneous_creates_of_one_address_make_one_person() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let admin = app.admin().await;
    let a = new_user("Twin One", "twin@contoso-dental.example", "user");
    let b = new_user("Twin Two", "Twin@Contoso-Dental.example", "admin");
    let (first, second) = tokio::join!(owner.send(a), admin.send(b));
    let mut statuses = [first.status(), second.status()];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY],
        "{first:?} {second:?}"
    );
    let refused = first.err().or(second.err()).unwrap();
    let AppError::Validation { message, .. } = &refused.error else {
        panic!("{refused:?}")
    };
    assert_eq!(message, "A person with this email already exists.");
    let count = person::Entity::find()
        .filter(person::Column::Email.eq("twin@contoso-dental.example"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(count, 1);
    assert_eq!(outbox_count(&app).await, 1);
}

#[tokio::test]
async fn an_activation_link_works_once() {
    let app = TestApp::new().await;
    app.owner()
        .await
        .send(CreateUser {
            notification_email: "ivy.private@mail.example".into(),
            ..new_user("Ivy Invite", "ivy@contoso-dental.example", "user")
        })
        .await
        .unwrap();
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

    let anonymous = app.anonymous();
    let invite = anonymous
        .send(GetInvitation {
            token: token.clone(),
        })
        .await
        .unwrap();
    assert_eq!(invite.email, "ivy@contoso-dental.example");
    assert_eq!(invite.customer_name, CONTOSO);

    // A weak password or a mismatch is refused and does not use the link up.
    let weak = anonymous.send(activation(&token, "short", "short")).await;
    assert_eq!(weak.field(), Some("password"));
    let mismatch = anonymous
        .send(activation(&token, "Ivy-password-1", "Ivy-password-2"))
        .await;
    assert_eq!(mismatch.field(), Some("password_confirm"));

    let ok = anonymous
        .send_raw(activation(&token, "Ivy-password-1", "Ivy-password-1"))
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    let ivy = app.with_cookie(ok.session_cookie().expect("activation signs in"));
    let me = ivy.send(CurrentUser {}).await.unwrap().unwrap();
    assert_eq!(me.email, "ivy@contoso-dental.example");

    // Used: a second time fails.
    let again = anonymous
        .send(activation(&token, "Ivy-password-9", "Ivy-password-9"))
        .await;
    assert_eq!(again.field(), Some("token"));
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
    app.owner()
        .await
        .send(new_user(
            "Late Larry",
            "larry@contoso-dental.example",
            "user",
        ))
        .await
        .unwrap();
    let token = activation_token(&app, "larry@contoso-dental.example").await;
    let anonymous = app.anonymous();

    app.state.clock.advance(Duration::hours(47));
    anonymous
        .send(GetInvitation {
            token: token.clone(),
        })
        .await
        .unwrap();
    app.state.clock.advance(Duration::hours(2));
    let late = anonymous
        .send(activation(&token, "Larry-password-1", "Larry-password-1"))
        .await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(late.field(), Some("token"));
    let garbage = anonymous
        .send(GetInvitation {
            token: "garbage".into(),
        })
        .await;
    assert_eq!(garbage.field(), Some("token"));
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
    let admin = app.admin().await;
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
    let form = |search: &str, page: u64, sort: &str| ListUsers {
        sort: sort.to_owned(),
        ..list(search, "", page)
    };

    let first = admin.send(form("zz", 1, "")).await.unwrap();
    assert!(first.grouped);
    assert_eq!(first.total, 1001);
    assert!(first.people.has_next);
    let found = emails(&first);
    assert_eq!(found.len(), 50);
    let expected: Vec<String> = (0..40)
        .map(|i| format!("named{i:02}@contoso-dental.example"))
        .chain((0..10).map(|i| format!("zz{i:04}@contoso-dental.example")))
        .collect();
    assert_eq!(found, expected);

    // The second page lies wholly in the second group and goes on where the first page ended.
    let second = admin.send(form("zz", 2, "")).await.unwrap();
    let found = emails(&second);
    assert_eq!(found.first().unwrap(), "zz0010@contoso-dental.example");
    assert_eq!(found.last().unwrap(), "zz0059@contoso-dental.example");

    // The last page of the second group says there is nothing after it.
    let last = admin.send(form("zz", 21, "")).await.unwrap();
    let found = emails(&last);
    assert_eq!(found.len(), 40);
    assert_eq!(found.last().unwrap(), "zz0999@contoso-dental.example");
    assert!(!last.people.has_next);

    // Sorted by email descending, the email matches come first, in that order.
    let by_email = admin.send(form("zz", 1, "-email")).await.unwrap();
    let found = emails(&by_email);
    assert_eq!(found[0], "zz0999@contoso-dental.example");
    assert_eq!(found[49], "zz0950@contoso-dental.example");

    // Newest first is one list: the id order finds a page whatever the matches.
    let newest = admin.send(form("zz", 1, "newest")).await.unwrap();
    assert!(!newest.grouped);
    let found = emails(&newest);
    assert_eq!(found[0], "zz0999@contoso-dental.example");
    assert_eq!(found.len(), 50);

    // A narrower search is one group, sorted as asked.
    let narrow = admin.send(form("zz000", 1, "")).await.unwrap();
    assert!(!narrow.grouped);
    assert_eq!(narrow.total, 10);
}

//! The account-takeover reproductions of the Trust issue, each kept as a regression test: a
//! disabled person getting back in, an admin taking over the owner, the open outbox, lockout
//! as a denial of service and an oracle, missing rate limits, 500s for bad input, missing
//! security headers, names that display as something else.

use crate::helpers::*;
use app::api::account::{RequestPasswordReset, ResetPassword};
use app::api::auth::Login;
use app::api::dashboard::GetDashboard;
use app::api::dev::ListOutbox;
use app::api::users::{ChangeUser, GetUser, UpdateUser};
use app::domain::PersonStatus;
use app::dto::users::UserCommand;
use app::server::services::auth::{LOCKOUT, MAX_FAILED_LOGINS};
use app::server::{Settings, Tenant};
use axum::body::Body;
use http::{Request, StatusCode, header};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::net::SocketAddr;

async fn status_of(app: &TestApp, email: &str) -> PersonStatus {
    person_by_email(app, email).await.status
}

// These answer the raw reply (typed request, whole answer): the tests print the body of an
// unexpected answer and read the refusal's text.

async fn change(app: &TestApp, cookie: &str, id: i32, command: UserCommand) -> Reply {
    app.with_cookie(cookie)
        .send_raw(ChangeUser { id, command })
        .await
}

/// Uses a reset link with a new password.
async fn reset_with(app: &TestApp, token: &str, password: &str) -> Reply {
    app.anonymous()
        .send_raw(ResetPassword {
            token: token.to_owned(),
            password: password.to_owned(),
            password_confirm: password.to_owned(),
        })
        .await
}

/// An admin's edit of a person's name and notification address.
async fn update(app: &TestApp, cookie: &str, id: i32, name: &str, notify: &str) -> Reply {
    app.with_cookie(cookie)
        .send_raw(UpdateUser {
            id,
            name: name.to_owned(),
            notification_email: notify.to_owned(),
        })
        .await
}

/// Asks for a reset link for `email`, as the forgotten-password form does.
async fn reset_request(app: &TestApp, email: &str) -> Result<(), Refused> {
    app.anonymous()
        .send(RequestPasswordReset {
            email: email.to_owned(),
        })
        .await
}

async fn fail_sign_ins(app: &TestApp, email: &str, times: i32) -> Reply {
    let mut last = None;
    for _ in 0..times {
        last = Some(app.try_login(email, "not-the-password-1").await);
    }
    last.unwrap()
}

#[tokio::test]
async fn a_disabled_person_cannot_get_back_in_by_any_path() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let uma = person_by_email(&app, USER).await;
    // A reset link sent before the disable must not work after it.
    let reply = change(&app, &admin, uma.id, UserCommand::SendPasswordReset).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let early_link = newest_link(&app, "password_reset", "/reset-password").await;
    assert_eq!(
        change(&app, &admin, uma.id, UserCommand::Disable)
            .await
            .status,
        StatusCode::OK
    );

    // Five wrong passwords do not turn `disabled` into `locked`.
    fail_sign_ins(&app, USER, MAX_FAILED_LOGINS).await;
    assert_eq!(status_of(&app, USER).await, PersonStatus::Disabled);
    // Nor does the cool-down, nor the right password after it.
    app.state
        .clock
        .advance(LOCKOUT + chrono::Duration::minutes(1));
    let reply = app.try_login(USER, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(
        reply.body.to_string().contains("disabled"),
        "{:?}",
        reply.body
    );
    assert_eq!(status_of(&app, USER).await, PersonStatus::Disabled);

    // "Forgot password" sends nothing; the link from before the disable is void.
    let before = outbox(&app, "password_reset").await.len();
    let reply = app
        .call("request_password_reset", &[("email", USER)], None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(outbox(&app, "password_reset").await.len(), before);
    let reply = reset_with(&app, &early_link, "A-new-password-2026").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        reply.body
    );
    assert_eq!(status_of(&app, USER).await, PersonStatus::Disabled);

    // Unlock is refused; the admin still sees `disabled`, and only Enable ends it.
    let reply = change(&app, &admin, uma.id, UserCommand::Unlock).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(
        change(&app, &admin, uma.id, UserCommand::Enable)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(status_of(&app, USER).await, PersonStatus::Active);
    app.login(USER).await;
}

#[tokio::test]
async fn failed_sign_ins_do_not_stop_an_invitation() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    fail_sign_ins(&app, INVITED, MAX_FAILED_LOGINS + 1).await;
    assert_eq!(status_of(&app, INVITED).await, PersonStatus::Invited);
    let noah = person_by_email(&app, INVITED).await;
    let reply = change(&app, &admin, noah.id, UserCommand::ResendActivation).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

#[tokio::test]
async fn an_admin_cannot_take_over_the_owner() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let owner = person_by_email(&app, OWNER).await;
    let id = owner.id;

    let reply = update(&app, &admin, id, "Olivia Owner", ADMIN).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{:?}", reply.body);
    assert_eq!(person_by_email(&app, OWNER).await.notification_email, None);

    let before = outbox(&app, "password_reset").await.len();
    let reply = change(&app, &admin, owner.id, UserCommand::SendPasswordReset).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{:?}", reply.body);
    assert_eq!(outbox(&app, "password_reset").await.len(), before);

    // The owner sees the same rules on the page the admin opens.
    let detail = app.with_cookie(&admin).send(GetUser { id }).await.unwrap();
    assert!(!detail.actions.edit);
    assert!(!detail.actions.send_links);
}

#[tokio::test]
async fn links_go_only_to_the_sign_in_email() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let uma = person_by_email(&app, USER).await;
    let id = uma.id;
    // An admin may set another person's notification address (it gets notices, not links).
    let reply = update(&app, &admin, id, "Uma User", "attacker@evil.example").await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(
        change(&app, &admin, uma.id, UserCommand::SendPasswordReset)
            .await
            .status,
        StatusCode::OK
    );
    reset_request(&app, USER).await.unwrap();
    let resets = outbox(&app, "password_reset").await;
    assert_eq!(resets.len(), 2);
    assert!(resets.iter().all(|e| e.to_address == USER), "{resets:?}");
}

#[tokio::test]
async fn changing_the_sign_in_email_needs_the_link_sent_to_the_new_address() {
    let app = TestApp::new().await;
    let uma = app.login(USER).await;
    let new = "uma.new@contoso-dental.example";
    let wrong = app
        .call(
            "request_email_change",
            &[("new_email", new), ("current_password", "wrong-password-1")],
            Some(&uma),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let taken = app
        .call(
            "request_email_change",
            &[("new_email", ADMIN), ("current_password", PASSWORD)],
            Some(&uma),
        )
        .await;
    // An address in use answers like a free one (nothing tells it has an account) and gets
    // no link.
    assert_eq!(taken.status, StatusCode::OK, "{:?}", taken.body);
    assert!(outbox(&app, "email_change").await.is_empty());

    let reply = app
        .call(
            "request_email_change",
            &[("new_email", new), ("current_password", PASSWORD)],
            Some(&uma),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    // Nothing changed yet; the link went to the new address only.
    assert_eq!(person_by_email(&app, USER).await.email, USER);
    let sent = outbox(&app, "email_change").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to_address, new);
    let token = link_token(&sent[0].body_text, "/confirm-email");

    let reply = app
        .call("confirm_email_change", &[("token", &token)], None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body, serde_json::json!(new));
    // Signed out everywhere; the new address signs in, the old one no longer does.
    assert_eq!(
        app.with_cookie(&uma).send(GetDashboard {}).await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.login(new).await;
    assert_eq!(
        app.try_login(USER, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let notice = outbox(&app, "email_changed").await;
    assert_eq!(notice[0].to_address, USER);
    // The link works once.
    let again = app
        .call("confirm_email_change", &[("token", &token)], None)
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_outbox_answers_only_this_machine_and_only_in_demo_mode() {
    let demo = TestApp::new().await;
    let owner = demo.owner().await;
    let outside: SocketAddr = "203.0.113.7:5555".parse().unwrap();
    let remote = demo
        .request_from(
            Request::post("/api/list_outbox")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, "http://127.0.0.1:3000")
                .header(header::ACCEPT, "application/json")
                .header(header::COOKIE, owner.cookie().unwrap())
                .body(Body::empty())
                .unwrap(),
            outside,
        )
        .await;
    assert_eq!(remote.status, StatusCode::NOT_FOUND);
    assert!(owner.send(ListOutbox {}).await.is_ok());
    // Without a session, even on this machine: the reset links in it would open any account.
    assert_eq!(
        demo.call("list_outbox", &[], None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let production = TestApp::with_settings(Settings {
        demo_mode: false,
        ..Settings::default()
    })
    .await;
    assert_eq!(
        production.call("list_outbox", &[], None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_locked_account_answers_like_a_wrong_password() {
    let app = TestApp::new().await;
    let unknown = app
        .try_login("nobody@contoso-dental.example", "not-the-password-1")
        .await;
    fail_sign_ins(&app, OWNER, MAX_FAILED_LOGINS).await;
    assert_eq!(status_of(&app, OWNER).await, PersonStatus::Locked);
    let locked = app.try_login(OWNER, PASSWORD).await;
    assert_eq!(locked.status, unknown.status);
    assert_eq!(locked.body, unknown.body);
    // The answer says how to get out, which only the address's owner can use.
    assert!(locked.body.to_string().contains("Forgot your password"));
    // A reset link unlocks.
    reset_request(&app, OWNER).await.unwrap();
    let token = newest_link(&app, "password_reset", "/reset-password").await;
    let reply = reset_with(&app, &token, "A-new-password-2026").await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(status_of(&app, OWNER).await, PersonStatus::Active);
}

#[tokio::test]
async fn sign_in_and_reset_requests_are_rate_limited() {
    let app = TestApp::new().await;
    let client: SocketAddr = "198.51.100.20:4000".parse().unwrap();
    let from_there = app.anonymous().at_address(client);
    let attempt = |n: usize| Login {
        email: format!("someone{n}@example.com"),
        password: "wrong-password-1".into(),
    };
    let limit = app.state.settings.limits.sign_in_per_client_per_minute as usize;
    // The bucket holds `limit` attempts and gets one back every minute / `limit`. Each attempt
    // hashes a password, so on a busy machine some come back while the test runs: each lets
    // exactly one more attempt through, never more.
    let every = std::time::Duration::from_secs(60).as_secs_f64() / limit as f64;
    let started = std::time::Instant::now();
    let mut n = 0;
    let refused = loop {
        let reply = from_there.send(attempt(n)).await;
        if reply.status() == StatusCode::TOO_MANY_REQUESTS {
            break reply.unwrap_err();
        }
        assert_eq!(reply.status(), StatusCode::UNAUTHORIZED, "attempt {n}");
        n += 1;
        let returned = (started.elapsed().as_secs_f64() / every).ceil() as usize;
        assert!(
            n <= limit + returned,
            "{n} attempts let through in {:?}",
            started.elapsed()
        );
    };
    assert!(n >= limit, "refused after {n} of {limit} attempts");
    let wait: u64 = refused.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    let err = &refused.error;
    assert!(err.to_string().contains("Too many attempts"), "{err}");
    // Another client is not affected.
    assert_eq!(
        app.try_login(OWNER, "wrong-password-1").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Ten reset requests for one address queue at most three emails.
    let mut answers = Vec::new();
    for _ in 0..10 {
        answers.push(reset_request(&app, ADMIN).await.status());
    }
    assert_eq!(outbox(&app, "password_reset").await.len(), 3);
    assert!(
        answers[3..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS)
    );
    // An unknown address is limited the same way (from a fresh client, so only the address's
    // limit counts), so the limit reveals nothing.
    let elsewhere: SocketAddr = "198.51.100.21:4000".parse().unwrap();
    let mut unknown = Vec::new();
    for _ in 0..4 {
        let anonymous = app.anonymous().at_address(elsewhere);
        let request = RequestPasswordReset {
            email: "nobody@example.com".into(),
        };
        unknown.push(anonymous.send(request).await.status());
    }
    assert_eq!(unknown[..3], [StatusCode::OK; 3]);
    assert_eq!(unknown[3], StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn malformed_requests_get_a_4xx_with_a_message() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    for (name, form, expected) in [
        ("get_user", vec![("id", "abc")], StatusCode::BAD_REQUEST),
        ("get_user", vec![], StatusCode::BAD_REQUEST),
        (
            "change_user",
            vec![("id", "1"), ("command", "become_owner")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "list_users",
            vec![
                ("search", "a\u{0}b"),
                ("role", ""),
                ("status", ""),
                ("sort", ""),
                ("page", "1"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "list_products",
            vec![("search", "x\u{0}"), ("category", "")],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let reply = app.call(name, &form, Some(&admin)).await;
        assert_eq!(reply.status, expected, "{name} {form:?}: {:?}", reply.body);
        assert!(
            !reply.body.to_string().contains("Internal"),
            "{name}: {:?}",
            reply.body
        );
    }
    let unknown = app.call("no_such_function", &[], Some(&admin)).await;
    assert!(unknown.status.is_client_error(), "{}", unknown.status);

    // Over the body limit: 413 with a readable message, before the function reads it.
    let huge = "a".repeat(app::error::MAX_REQUEST_BYTES + 10);
    let reply = app
        .call_json(
            "preview_user_import",
            serde_json::json!({ "csv": huge }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{:?}",
        reply.body
    );
    assert!(
        reply.body.to_string().contains("too large"),
        "{:?}",
        reply.body
    );
    // Under the body limit but over the import's: the import's own message.
    let big = format!("name,email,role\n{}", "a".repeat(2 * 1024 * 1024 + 10));
    let reply = app
        .call_json(
            "preview_user_import",
            serde_json::json!({ "csv": big }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        reply.body
    );
    assert!(reply.body.to_string().contains("2 MB"), "{:?}", reply.body);
}

#[tokio::test]
async fn names_that_display_as_something_else_are_refused() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    for name in ["Rita\u{202E}nimdA", "Eve\u{200F}", "Nul\u{0}", "Bell\u{7}"] {
        let reply = app
            .call(
                "create_user",
                &[
                    ("name", name),
                    ("email", "eve@contoso-dental.example"),
                    ("role", "user"),
                    ("notification_email", ""),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        assert_eq!(reply.body["Validation"]["field"], "name");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    let page = app.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // Every inline script of the page carries the policy's nonce.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_owned();
    let html = page.body.as_str().unwrap();
    let scripts = html.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every script has the nonce"
    );
    // Another page load gets another nonce.
    let again = app.get("/login").await;
    assert_ne!(again.headers[header::CONTENT_SECURITY_POLICY], csp.as_str());

    let api = app.call("current_user", &[], None).await;
    for reply in [&page, &api] {
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(reply.headers[header::X_FRAME_OPTIONS], "DENY");
        assert!(reply.headers.contains_key(header::REFERRER_POLICY));
        assert!(reply.headers.contains_key("permissions-policy"));
        assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
        assert!(reply.headers.contains_key(header::CONTENT_SECURITY_POLICY));
        assert!(
            !reply
                .headers
                .contains_key(header::STRICT_TRANSPORT_SECURITY)
        );
    }
    let https = TestApp::with_settings(Settings {
        secure_cookies: true,
        ..Settings::default()
    })
    .await;
    assert!(
        https
            .get("/login")
            .await
            .headers
            .contains_key(header::STRICT_TRANSPORT_SECURITY)
    );
}

#[tokio::test]
async fn services_take_the_tenant_they_were_given() {
    // A Tenant names one customer; a person of another customer is simply not found.
    let app = TestApp::new().await;
    let felix = person_by_email(&app, OTHER_ADMIN).await;
    let contoso = person_by_email(&app, OWNER).await.customer_id.unwrap();
    let held = |customer_id| {
        app::server::services::licenses::held_by(
            &app.state.db,
            Tenant::for_system_task(customer_id),
            felix.id,
        )
    };
    assert!(held(contoso).await.unwrap().is_empty());
    // The same question in Felix's own account finds his licenses.
    assert!(!held(felix.customer_id.unwrap()).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_wait_instead_of_failing() {
    use app::server::entities::{plan, resource_rate};
    use app::server::services::fulfilment;
    use app::server::vendor::SimulatedVendor;
    use std::sync::Arc;

    // Several connections to one SQLite file, as the server runs: license changes while
    // fulfilment writes orders used to answer "database is locked" (500).
    let app = Arc::new(TestApp::on_sqlite_file().await);
    let admin = app.login(ADMIN).await;
    let plan = plan::Entity::find()
        .filter(plan::Column::Sku.eq("slack-pro-annual"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let licenses = resource_rate::Entity::find()
        .filter(resource_rate::Column::PlanId.eq(plan.id))
        .filter(resource_rate::Column::Code.eq("licenses"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    for n in 0..30 {
        let reply = app
            .call_json(
                "submit_order",
                serde_json::json!({
                    "request": { "plan_id": plan.id, "resources": [[licenses.id, 3]] },
                    "idempotency_key": format!("concurrency-key-{n:06}"),
                }),
                Some(&admin),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    let slot = app
        .call(
            "list_license_slots",
            &[(
                "person_id",
                &person_by_email(&app, USER).await.id.to_string(),
            )],
            Some(&admin),
        )
        .await;
    let resource = slot.body[0]["resource_id"].as_i64().unwrap().to_string();
    let grace = person_by_email(&app, GRACE).await.id.to_string();

    let workers: Vec<_> = (0..2)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                let vendor = SimulatedVendor::default();
                while fulfilment::fulfil_next(&app.state, &vendor)
                    .await
                    .unwrap()
                    .is_some()
                {}
            })
        })
        .collect();
    let changers: Vec<_> = (0..4)
        .map(|_| {
            let (app, admin, resource, grace) =
                (app.clone(), admin.clone(), resource.clone(), grace.clone());
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                for n in 0..15 {
                    let name = if n % 2 == 0 {
                        "assign_license"
                    } else {
                        "unassign_license"
                    };
                    let form = [
                        ("resource_id", resource.as_str()),
                        ("person_id", grace.as_str()),
                    ];
                    statuses.push(app.call(name, &form, Some(&admin)).await.status);
                }
                statuses
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    for changer in changers {
        for status in changer.await.unwrap() {
            assert!(
                !status.is_server_error(),
                "a concurrent license change failed with {status}"
            );
        }
    }
}

/// Findings of the review by a second session, each kept.
#[tokio::test]
async fn what_the_break_it_review_found_stays_fixed() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;

    // An address with a zero-width space looked exactly like Adam's.
    let reply = app
        .call(
            "create_user",
            &[
                ("name", "Look Alike"),
                ("email", "adam.admin\u{200B}@contoso-dental.example"),
                ("role", "user"),
                ("notification_email", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["Validation"]["field"], "email");

    // Unlocking a disabled person tells the admin what to do instead.
    let grace = person_by_email(&app, GRACE).await;
    change(&app, &admin, grace.id, UserCommand::Disable).await;
    let reply = change(&app, &admin, grace.id, UserCommand::Unlock).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(
        reply.body.to_string().contains("enable them"),
        "{:?}",
        reply.body
    );

    // A state change with no Origin (and no Sec-Fetch-Site) is not taken as our own.
    let no_origin = app
        .request(
            Request::post("/api/change_user")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &admin)
                .header(header::REFERER, "http://evil.example/")
                .body(Body::from(format!("id={}&command=enable", grace.id)))
                .unwrap(),
        )
        .await;
    assert_eq!(no_origin.status, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, GRACE).await, PersonStatus::Disabled);

    // Dates far in the future were compared as text.
    for date in ["+99999-01-01", "0000-01-01", "2026-1-01"] {
        let reply = app
            .call(
                "list_activity",
                &[("area", ""), ("from", date), ("to", ""), ("page", "1")],
                Some(&admin),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{date}");
    }

    // Unknown values of a fixed set get a message for people, not a type name.
    let reply = app
        .call(
            "list_users",
            &[
                ("search", ""),
                ("role", "god"),
                ("status", ""),
                ("sort", ""),
                ("page", "1"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.body["Validation"]["message"],
        "Choose a role from the list."
    );

    // A resource listed twice in an order was silently dropped.
    let plan = app::server::entities::plan::Entity::find()
        .filter(app::server::entities::plan::Column::Sku.eq("slack-pro-annual"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let rate = app::server::entities::resource_rate::Entity::find()
        .filter(app::server::entities::resource_rate::Column::PlanId.eq(plan.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let reply = app
        .call_json(
            "preview_order",
            serde_json::json!({ "request": { "plan_id": plan.id, "resources": [[rate.id, 5], [rate.id, 500]] } }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        reply.body
    );
}

/// Garbage to every registered server function, signed in and not: whatever comes in, the
/// answer is never a 5xx. (A fixed seed: the same garbage every run, so a failure repeats.)
#[tokio::test]
async fn garbage_to_every_function_never_gets_a_server_error() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    const PIECES: &[&str] = &[
        "",
        "0",
        "-1",
        "2147483648",
        "99999999999999999999",
        "1e9",
        "abc",
        "%00",
        "%FF%FE",
        "%E2%80%AE",
        "null",
        "true",
        "[]",
        "{}",
        "%22",
        "a%3Db",
        "id",
        "search",
        "page",
        "email",
        "command",
        "name",
        "csv",
        "token",
        "request",
        "x%0Ay",
        "%C3%A9",
    ];
    let mut names: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    names.sort();
    names.dedup();
    for name in names.iter().filter(|n| *n != "logout") {
        for round in 0..12 {
            let mut body = String::new();
            for _ in 0..(next() % 5) {
                let key = PIECES[(next() % PIECES.len() as u64) as usize];
                let value = PIECES[(next() % PIECES.len() as u64) as usize];
                body.push_str(&format!("{key}={value}&"));
            }
            let json = round % 3 == 2;
            let request = Request::post(format!("/api/{name}"))
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, "http://127.0.0.1:3000")
                .header(
                    header::CONTENT_TYPE,
                    if json {
                        "application/json"
                    } else {
                        "application/x-www-form-urlencoded"
                    },
                )
                .header(header::ACCEPT, "application/json");
            let request = if round % 2 == 0 {
                request.header(header::COOKIE, &admin)
            } else {
                request
            };
            let body = if json {
                format!("{{\"{}\": {}}}", PIECES[(next() % 20) as usize], body.len())
            } else {
                body
            };
            let reply = app
                .request(request.body(Body::from(body.clone())).unwrap())
                .await;
            assert!(
                !reply.status.is_server_error(),
                "{name} with {body:?}: {} {:?}",
                reply.status,
                reply.body
            );
        }
    }
}

/// Found by the second review: an email change asked for by someone who had the password
/// survived the owner's password reset, and then took the account.
#[tokio::test]
async fn a_password_reset_or_change_voids_a_waiting_email_change() {
    let app = TestApp::new().await;
    for (round, email) in [(0, USER), (1, ADMIN)] {
        let intruder = app.login(email).await;
        let target = format!("intruder{round}@evil.example");
        let reply = app
            .call(
                "request_email_change",
                &[("new_email", &target), ("current_password", PASSWORD)],
                Some(&intruder),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        // The current address hears of it at once.
        let notices = outbox(&app, "email_change_requested").await;
        assert_eq!(notices.last().unwrap().to_address, email);
        let link = newest_link(&app, "email_change", "/confirm-email").await;
        if round == 0 {
            // The owner of the address resets the password from a link.
            reset_request(&app, email).await.unwrap();
            let reset = newest_link(&app, "password_reset", "/reset-password").await;
            let reply = reset_with(&app, &reset, "Fresh-password-2026").await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        } else {
            // Or changes it while signed in.
            let own = app.login(email).await;
            let reply = app
                .call(
                    "change_password",
                    &[
                        ("current_password", PASSWORD),
                        ("new_password", "Fresh-password-2026"),
                        ("new_password_confirm", "Fresh-password-2026"),
                    ],
                    Some(&own),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        }
        let reply = app
            .call("confirm_email_change", &[("token", &link)], None)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            reply.body
        );
        assert_eq!(person_by_email(&app, email).await.email, email);
    }
}

/// Found by the second review: a trillion units of a resource without a maximum overflowed the
/// account's balance, and Billing answered 500 from then on.
#[tokio::test]
async fn no_order_asks_for_absurd_quantities() {
    use app::server::entities::{plan, resource_rate};
    let app = TestApp::new().await;
    let owner = app.login(OWNER).await;
    let unlimited = resource_rate::Entity::find()
        .filter(resource_rate::Column::MaxUnits.is_null())
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the catalog has a resource without a maximum");
    let plan = plan::Entity::find_by_id(unlimited.plan_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let reply = app
        .call_json(
            "preview_order",
            serde_json::json!({ "request": {
                "plan_id": plan.id,
                "resources": [[unlimited.id, 160_000_000_000_000_i64]],
            } }),
            Some(&owner),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        reply.body
    );
    assert!(
        reply.body.to_string().contains("ask your reseller"),
        "{:?}",
        reply.body
    );
}

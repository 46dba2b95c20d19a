//! Self-service: forgotten password and changing one's password.

use crate::helpers::*;
use app::server::entities::email_outbox;
use chrono::Duration;
use http::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};

async fn reset_token(app: &TestApp) -> String {
    let email = email_outbox::Entity::find()
        .order_by_desc(email_outbox::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("a reset email");
    assert_eq!(email.kind, "password_reset");
    let (_, rest) = email
        .body_text
        .split_once("/reset-password?token=")
        .unwrap();
    rest.split_whitespace().next().unwrap().to_owned()
}

fn reset_form<'a>(token: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("token", token),
        ("password", password),
        ("password_confirm", password),
    ]
}

#[tokio::test]
async fn asking_for_a_reset_does_not_reveal_who_has_an_account() {
    let app = TestApp::new().await;
    let known = app
        .call("request_password_reset", &[("email", USER)], None)
        .await;
    let unknown = app
        .call(
            "request_password_reset",
            &[("email", "nobody@nowhere.example")],
            None,
        )
        .await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!((unknown.status, &unknown.body), (known.status, &known.body));
    assert_eq!(
        email_outbox::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1
    );
    let invalid = app
        .call("request_password_reset", &[("email", "not an email")], None)
        .await;
    assert_eq!(invalid.body["Validation"]["field"], "email");
}

#[tokio::test]
async fn a_reset_link_works_once_unlocks_and_signs_out_elsewhere() {
    let app = TestApp::new().await;
    let old_session = app.login(USER).await;
    for _ in 0..5 {
        app.try_login(USER, "wrong-password-1").await;
    }
    app.call("request_password_reset", &[("email", USER)], None)
        .await;
    let token = reset_token(&app).await;

    let weak = app
        .call("reset_password", &reset_form(&token, "weak"), None)
        .await;
    assert_eq!(weak.body["Validation"]["field"], "password");

    let ok = app
        .call(
            "reset_password",
            &reset_form(&token, "Brand-new-pass-7"),
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    assert!(ok.session_cookie().is_some());
    assert_eq!(
        app.call("list_my_services", &[], Some(&old_session))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.try_login(USER, "Brand-new-pass-7").await.status,
        StatusCode::OK,
        "unlocked"
    );
    assert_eq!(
        app.try_login(USER, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );

    let again = app
        .call(
            "reset_password",
            &reset_form(&token, "Another-pass-8"),
            None,
        )
        .await;
    assert_eq!(again.body["Validation"]["field"], "token");
}

#[tokio::test]
async fn a_reset_link_expires_after_two_hours() {
    let app = TestApp::new().await;
    app.call("request_password_reset", &[("email", USER)], None)
        .await;
    let token = reset_token(&app).await;
    app.state.clock.advance(Duration::minutes(121));
    let late = app
        .call(
            "reset_password",
            &reset_form(&token, "Brand-new-pass-7"),
            None,
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(late.body["Validation"]["field"], "token");
}

#[tokio::test]
async fn changing_ones_password() {
    let app = TestApp::new().await;
    let form = |current: &'static str, new: &'static str, confirm: &'static str| {
        vec![
            ("current_password", current),
            ("new_password", new),
            ("new_password_confirm", confirm),
        ]
    };
    assert_eq!(
        app.call(
            "change_password",
            &form(PASSWORD, "Brand-new-pass-7", "Brand-new-pass-7"),
            None
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    let here = app.login(USER).await;
    let elsewhere = app.login(USER).await;

    let wrong = app
        .call(
            "change_password",
            &form("not-it-1234", "Brand-new-pass-7", "Brand-new-pass-7"),
            Some(&here),
        )
        .await;
    assert_eq!(wrong.body["Validation"]["field"], "current_password");
    let weak = app
        .call(
            "change_password",
            &form(PASSWORD, "short", "short"),
            Some(&here),
        )
        .await;
    assert_eq!(weak.body["Validation"]["field"], "new_password");
    let mismatch = app
        .call(
            "change_password",
            &form(PASSWORD, "Brand-new-pass-7", "Brand-new-pass-8"),
            Some(&here),
        )
        .await;
    assert_eq!(mismatch.body["Validation"]["field"], "new_password_confirm");

    let ok = app
        .call(
            "change_password",
            &form(PASSWORD, "Brand-new-pass-7", "Brand-new-pass-7"),
            Some(&here),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    // This session goes on; the others are signed out.
    assert_eq!(
        app.call("list_my_services", &[], Some(&here)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.call("list_my_services", &[], Some(&elsewhere))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.try_login(USER, "Brand-new-pass-7").await.status,
        StatusCode::OK
    );
}

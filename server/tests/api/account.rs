//! Self-service: forgotten password and changing one's password.

use crate::helpers::*;
use app::api::account::{ChangePassword, RequestPasswordReset, ResetPassword};
use app::api::me::ListMyServices;
use chrono::Duration;
use http::StatusCode;

/// The token of the newest email, which must be a password reset.
async fn reset_token(app: &TestApp) -> String {
    let email = newest_email(app).await.expect("a reset email");
    assert_eq!(email.kind, "password_reset");
    link_token(&email.body_text, "/reset-password")
}

fn reset_request(email: &str) -> RequestPasswordReset {
    RequestPasswordReset {
        email: email.to_owned(),
    }
}

fn reset(token: &str, password: &str) -> ResetPassword {
    ResetPassword {
        token: token.to_owned(),
        password: password.to_owned(),
        password_confirm: password.to_owned(),
    }
}

fn change(current: &str, new: &str, confirm: &str) -> ChangePassword {
    ChangePassword {
        current_password: current.to_owned(),
        new_password: new.to_owned(),
        new_password_confirm: confirm.to_owned(),
    }
}

#[tokio::test]
async fn asking_for_a_reset_does_not_reveal_who_has_an_account() {
    let app = TestApp::new().await;
    let anonymous = app.anonymous();
    // Compared as raw answers: not one byte may differ.
    let known = anonymous.send_raw(reset_request(USER)).await;
    let unknown = anonymous
        .send_raw(reset_request("nobody@nowhere.example"))
        .await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!((unknown.status, &unknown.body), (known.status, &known.body));
    assert_eq!(outbox_count(&app).await, 1);
    let invalid = anonymous.send(reset_request("not an email")).await;
    assert_eq!(invalid.field(), Some("email"));
}

#[tokio::test]
async fn a_reset_link_works_once_unlocks_and_signs_out_elsewhere() {
    let app = TestApp::new().await;
    let old_session = app.user().await;
    for _ in 0..5 {
        app.try_login(USER, "wrong-password-1").await;
    }
    let anonymous = app.anonymous();
    anonymous.send(reset_request(USER)).await.unwrap();
    let token = reset_token(&app).await;

    let weak = anonymous.send(reset(&token, "weak")).await;
    assert_eq!(weak.field(), Some("password"));

    let ok = anonymous.send_raw(reset(&token, "Brand-new-pass-7")).await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    assert!(ok.session_cookie().is_some());
    assert_eq!(
        old_session.send(ListMyServices {}).await.status(),
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

    let again = anonymous.send(reset(&token, "Another-pass-8")).await;
    assert_eq!(again.field(), Some("token"));
}

#[tokio::test]
async fn a_reset_link_expires_after_two_hours() {
    let app = TestApp::new().await;
    let anonymous = app.anonymous();
    anonymous.send(reset_request(USER)).await.unwrap();
    let token = reset_token(&app).await;
    app.state.clock.advance(Duration::minutes(121));
    let late = anonymous.send(reset(&token, "Brand-new-pass-7")).await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(late.field(), Some("token"));
}

#[tokio::test]
async fn changing_ones_password() {
    let app = TestApp::new().await;
    assert_eq!(
        app.anonymous()
            .send(change(PASSWORD, "Brand-new-pass-7", "Brand-new-pass-7"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let here = app.user().await;
    let elsewhere = app.user().await;

    let wrong = here
        .send(change(
            "not-it-1234",
            "Brand-new-pass-7",
            "Brand-new-pass-7",
        ))
        .await;
    assert_eq!(wrong.field(), Some("current_password"));
    let weak = here.send(change(PASSWORD, "short", "short")).await;
    assert_eq!(weak.field(), Some("new_password"));
    let mismatch = here
        .send(change(PASSWORD, "Brand-new-pass-7", "Brand-new-pass-8"))
        .await;
    assert_eq!(mismatch.field(), Some("new_password_confirm"));

    here.send(change(PASSWORD, "Brand-new-pass-7", "Brand-new-pass-7"))
        .await
        .unwrap();
    // This session goes on; the others are signed out.
    assert_eq!(here.send(ListMyServices {}).await.status(), StatusCode::OK);
    assert_eq!(
        elsewhere.send(ListMyServices {}).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.try_login(USER, "Brand-new-pass-7").await.status,
        StatusCode::OK
    );
}

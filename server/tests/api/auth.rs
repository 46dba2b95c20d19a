//! Sign-in, lockout, sessions and the cross-site guard, through the real HTTP endpoints.

use crate::helpers::*;
use app::AppError;
use app::api::auth::{CurrentUser, Login, Logout};
use app::api::dashboard::GetDashboard;
use app::domain::PersonStatus;
use app::server::entities::{login_history, person, session};
use app::server::services::auth::BAD_CREDENTIALS;
use chrono::Duration;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

#[tokio::test]
async fn demo_owner_signs_in_with_a_safe_cookie() {
    let app = TestApp::new().await;
    let reply = app.try_login(OWNER, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let set_cookie = reply
        .headers
        .get(http::header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(
        !set_cookie.contains("Secure"),
        "secure cookies are off by default"
    );

    let owner = app.with_cookie(reply.session_cookie().unwrap());
    let me = owner.send(CurrentUser {}).await.unwrap().unwrap();
    assert_eq!(me.email, OWNER);
    assert_eq!(me.role, app::domain::Role::Owner);
    assert_eq!(me.customer_name.as_deref(), Some(CONTOSO));
}

#[tokio::test]
async fn emails_are_matched_case_insensitively() {
    let app = TestApp::new().await;
    let reply = app
        .try_login("  Olivia.Owner@Contoso-Dental.EXAMPLE ", PASSWORD)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = TestApp::new().await;
    let wrong = app.try_login(OWNER, "not-the-password-1").await;
    let unknown = app
        .try_login("nobody@nowhere.example", "not-the-password-1")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(unknown.body, wrong.body);
    assert!(wrong.session_cookie().is_none());
    assert_eq!(
        wrong.decode::<()>().unwrap_err().error,
        AppError::LoginFailed(BAD_CREDENTIALS.into())
    );
}

#[tokio::test]
async fn invalid_email_is_a_field_error() {
    let app = TestApp::new().await;
    let reply = app.try_login("not-an-email", PASSWORD).await.decode::<()>();
    assert_eq!(reply.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field(), Some("email"));
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        let reply = app.try_login(ADMIN, "wrong-password-1").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    // Locked: even the right password is refused, with a message that says why.
    let locked = app.try_login(ADMIN, PASSWORD).await.decode::<()>();
    let refused = locked.unwrap_err();
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let AppError::LoginFailed(message) = &refused.error else {
        panic!("{refused:?}")
    };
    assert!(message.contains("locked"), "{message}");
    let row = person_by_email(&app, ADMIN).await;
    assert_eq!(row.status, PersonStatus::Locked);

    app.state.clock.advance(Duration::minutes(14));
    assert_eq!(
        app.try_login(ADMIN, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );

    app.state.clock.advance(Duration::minutes(2));
    let reply = app.try_login(ADMIN, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let row = person::Entity::find_by_id(row.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, PersonStatus::Active);
    assert_eq!(row.failed_logins, 0);
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    let app = TestApp::new().await;
    for _ in 0..4 {
        app.try_login(ADMIN, "wrong-password-1").await;
    }
    app.login(ADMIN).await;
    for _ in 0..4 {
        app.try_login(ADMIN, "wrong-password-1").await;
    }
    assert_eq!(app.try_login(ADMIN, PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn every_attempt_is_recorded_in_login_history() {
    let app = TestApp::new().await;
    app.try_login(OWNER, "wrong-password-1").await;
    app.login(OWNER).await;
    app.try_login("ghost@nowhere.example", "wrong-password-1")
        .await;
    let owner = person_by_email(&app, OWNER).await;
    let rows = login_history::Entity::find()
        .filter(login_history::Column::PersonId.eq(owner.id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows.iter().filter(|r| r.success).count(), 1);
    assert_eq!(
        login_history::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        3
    );
}

#[tokio::test]
async fn an_invited_person_cannot_sign_in() {
    let app = TestApp::new().await;
    let refused = app.try_login(INVITED, PASSWORD).await.decode::<()>();
    let refused = refused.unwrap_err();
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.error, AppError::LoginFailed(BAD_CREDENTIALS.into()));
}

#[tokio::test]
async fn logout_invalidates_the_session() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    owner.send(GetDashboard {}).await.unwrap();

    let out = owner.send_raw(Logout {}).await;
    assert_eq!(out.status, StatusCode::OK);
    let cleared = out
        .headers
        .get(http::header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    // The old cookie, replayed, is worth nothing.
    assert_eq!(
        owner.send(GetDashboard {}).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(owner.send(CurrentUser {}).await.unwrap(), None);
    assert_eq!(
        session::Entity::find().count(&app.state.db).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn signing_in_again_replaces_the_session_id() {
    let app = TestApp::new().await;
    let first = app.owner().await;
    let reply = first
        .send_raw(Login {
            email: OWNER.into(),
            password: PASSWORD.into(),
        })
        .await;
    let second = app.with_cookie(reply.session_cookie().unwrap());
    assert_ne!(first.cookie(), second.cookie());
    assert_eq!(first.send(CurrentUser {}).await.unwrap(), None);
    let me = second.send(CurrentUser {}).await.unwrap().unwrap();
    assert_eq!(me.email, OWNER);
}

#[tokio::test]
async fn idle_and_absolute_expiry_end_sessions() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    app.state.clock.advance(Duration::minutes(31));
    assert_eq!(
        owner.send(GetDashboard {}).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Used every 20 minutes it stays alive, until the absolute limit.
    let owner = app.owner().await;
    for _ in 0..40 {
        app.state.clock.advance(Duration::minutes(20));
        let status = owner.send(GetDashboard {}).await.status();
        if status == StatusCode::UNAUTHORIZED {
            return;
        }
        assert_eq!(status, StatusCode::OK);
    }
    panic!("the session outlived its absolute lifetime");
}

#[tokio::test]
async fn a_cross_site_origin_is_refused() {
    let app = TestApp::new().await;
    let request = http::Request::post("/api/login")
        .header(http::header::HOST, "127.0.0.1:3000")
        .header(http::header::ORIGIN, "https://evil.example")
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(axum::body::Body::from(format!(
            "email={OWNER}&password={PASSWORD}"
        )))
        .unwrap();
    let reply = app.request(request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.session_cookie().is_none());
    assert_eq!(
        session::Entity::find().count(&app.state.db).await.unwrap(),
        0
    );
}

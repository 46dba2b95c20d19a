//! The email outbox: written with the change, delivered by the worker with retries.

use crate::helpers::*;
use app::api::dev::ListOutbox;
use app::api::users::CreateUser;
use app::domain::EmailStatus;
use app::server::Settings;
use app::server::entities::email_outbox;
use app::server::worker::email::{MAX_ATTEMPTS, Mailer, Outgoing, deliver_due};
use chrono::Duration;
use http::StatusCode;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

/// Records what it sends; fails while `failing` is set.
#[derive(Default)]
struct FakeMailer {
    sent: Mutex<Vec<(String, String)>>,
    failing: Mutex<bool>,
}

impl Mailer for FakeMailer {
    fn send<'a>(
        &'a self,
        email: &'a Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            if *self.failing.lock().unwrap() {
                return Err("connection refused".into());
            }
            self.sent
                .lock()
                .unwrap()
                .push((email.to.clone(), email.subject.clone()));
            Ok(())
        })
    }
}

async fn create_someone(app: &TestApp) {
    app.owner()
        .await
        .send(CreateUser {
            name: "Mia Mail".into(),
            email: "mia@contoso-dental.example".into(),
            role: "user".into(),
            notification_email: String::new(),
        })
        .await
        .unwrap();
}

/// The one email the test caused.
async fn only_email(app: &TestApp) -> email_outbox::Model {
    let mut all = new_emails(app).await;
    assert_eq!(all.len(), 1);
    all.pop().unwrap()
}

/// The demo data's own emails, delivered long ago (as the worker would have done), so that
/// what a test sends is all there is to send.
async fn deliver_the_demos_mail(app: &TestApp) {
    let now = app.state.clock.now();
    // The worker sends in batches.
    while deliver_due(&app.state.db, &FakeMailer::default(), now)
        .await
        .unwrap()
        > 0
    {}
}

#[tokio::test]
async fn the_worker_sends_each_email_once() {
    let app = TestApp::new().await;
    deliver_the_demos_mail(&app).await;
    create_someone(&app).await;
    assert_eq!(only_email(&app).await.status, EmailStatus::Pending);

    let mailer = FakeMailer::default();
    let now = app.state.clock.now();
    assert_eq!(deliver_due(&app.state.db, &mailer, now).await.unwrap(), 1);
    assert_eq!(
        deliver_due(&app.state.db, &mailer, now + Duration::hours(1))
            .await
            .unwrap(),
        0
    );
    let sent = mailer.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "mia@contoso-dental.example");
    assert!(sent[0].1.contains("Contoso Dental Group"));
    let email = only_email(&app).await;
    assert_eq!(email.status, EmailStatus::Sent);
    assert!(email.sent_at.is_some());
}

#[tokio::test]
async fn a_failed_send_is_retried_later_then_given_up() {
    let app = TestApp::new().await;
    deliver_the_demos_mail(&app).await;
    create_someone(&app).await;
    let mailer = FakeMailer::default();
    *mailer.failing.lock().unwrap() = true;
    let mut now = app.state.clock.now();

    assert_eq!(deliver_due(&app.state.db, &mailer, now).await.unwrap(), 0);
    let email = only_email(&app).await;
    assert_eq!((email.status.as_str(), email.attempts), ("pending", 1));
    assert_eq!(email.last_error.as_deref(), Some("connection refused"));
    assert!(email.next_attempt_at > now, "backs off");

    // Not due yet: nothing is attempted.
    deliver_due(&app.state.db, &mailer, now).await.unwrap();
    assert_eq!(only_email(&app).await.attempts, 1);

    // The server comes back: the retry succeeds.
    *mailer.failing.lock().unwrap() = false;
    now += Duration::hours(2);
    assert_eq!(deliver_due(&app.state.db, &mailer, now).await.unwrap(), 1);
    assert_eq!(only_email(&app).await.status, EmailStatus::Sent);
}

#[tokio::test]
async fn after_the_last_attempt_an_email_is_failed() {
    let app = TestApp::new().await;
    deliver_the_demos_mail(&app).await;
    create_someone(&app).await;
    let mailer = FakeMailer::default();
    *mailer.failing.lock().unwrap() = true;
    let mut now = app.state.clock.now();
    for _ in 0..MAX_ATTEMPTS + 2 {
        deliver_due(&app.state.db, &mailer, now).await.unwrap();
        now += Duration::hours(2);
    }
    let email = only_email(&app).await;
    assert_eq!(email.status, EmailStatus::Failed);
    assert_eq!(email.attempts, MAX_ATTEMPTS);
}

#[tokio::test]
async fn the_outbox_page_exists_only_in_demo_mode() {
    let demo = TestApp::new().await;
    create_someone(&demo).await;
    let outbox = demo.owner().await.send(ListOutbox {}).await.unwrap();
    // Newest first: the email just written, then the demo data's own.
    assert_eq!(outbox[0].to, "mia@contoso-dental.example");
    assert!(outbox.len() > 1);
    // Only the account's own people's emails: their links are the keys to their accounts.
    assert!(
        outbox
            .iter()
            .all(|e| e.to.ends_with("@contoso-dental.example")),
        "{outbox:?}"
    );
    let theirs = demo.other_owner().await.send(ListOutbox {}).await.unwrap();
    assert!(!theirs.is_empty());
    assert!(
        theirs
            .iter()
            .all(|e| !e.to.ends_with("@contoso-dental.example"))
    );
    // Nobody else reads it: not anonymous visitors, not service users. Reseller staff read the
    // emails of their own customers (see `reseller_panel`).
    assert_eq!(
        demo.anonymous().send(ListOutbox {}).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        demo.user().await.send(ListOutbox {}).await.status(),
        StatusCode::FORBIDDEN
    );

    let production = TestApp::with_settings(Settings {
        demo_mode: false,
        ..Settings::default()
    })
    .await;
    let refused = production.anonymous().send(ListOutbox {}).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}

//! Delivers the email outbox through SMTP, with retries and backoff.
//!
//! Several server processes may run this at once: an email is claimed by one conditional
//! `UPDATE` (only one process sees its row change), which also pushes its next attempt into the
//! future. If a process dies while sending, the claim simply runs out and another process sends
//! it later: delivery is at least once, never lost.

use crate::domain::EmailStatus;
use crate::error::AppError;
use crate::server::entities::email_outbox;
use chrono::{DateTime, Duration, Utc};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::future::Future;
use std::pin::Pin;

/// How long a claimed email is reserved for the process that claimed it.
const CLAIM: Duration = Duration::minutes(5);
/// After this many failed attempts an email is marked `failed` and left alone.
pub const MAX_ATTEMPTS: i32 = 8;
const BATCH: u64 = 20;

/// An email ready to send.
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Something that sends email: SMTP in production, a recorder in tests.
pub trait Mailer: Send + Sync {
    fn send<'a>(
        &'a self,
        email: &'a Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// `url` as lettre understands it: `smtp://host:25`, `smtps://user:pass@host`,
    /// `smtp://user:pass@host:587?tls=required`.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("CCP_SMTP_URL is not usable: {e}"))?
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("CCP_MAIL_FROM is not an address: {e}"))?;
        Ok(Self { transport, from })
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(
        &'a self,
        email: &'a Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            let to: Mailbox = email
                .to
                .parse()
                .map_err(|e| format!("bad recipient: {e}"))?;
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(email.subject.clone())
                .body(email.body.clone())
                .map_err(|e| format!("cannot build the message: {e}"))?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    }
}

/// Waits before attempt `n + 1`: 1, 2, 4... minutes, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    Duration::minutes(1i64 << attempts.clamp(0, 6)).min(Duration::hours(1))
}

/// Sends what is due now; returns how many emails were sent.
pub async fn deliver_due(
    db: &impl ConnectionTrait,
    mailer: &dyn Mailer,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let due = email_outbox::Entity::find()
        .filter(email_outbox::Column::Status.eq(EmailStatus::Pending))
        .filter(email_outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(email_outbox::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let mut sent = 0;
    for email in due {
        // The claim: only the process whose update changes the row sends the email.
        let claimed = email_outbox::Entity::update_many()
            .col_expr(
                email_outbox::Column::NextAttemptAt,
                Expr::value(now + CLAIM),
            )
            .col_expr(
                email_outbox::Column::Attempts,
                Expr::col(email_outbox::Column::Attempts).add(1),
            )
            .filter(email_outbox::Column::Id.eq(email.id))
            .filter(email_outbox::Column::Status.eq(EmailStatus::Pending))
            .filter(email_outbox::Column::NextAttemptAt.eq(email.next_attempt_at))
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let attempts = email.attempts + 1;
        let outgoing = Outgoing {
            to: email.to_address,
            subject: email.subject,
            body: email.body_text,
        };
        let update =
            email_outbox::Entity::update_many().filter(email_outbox::Column::Id.eq(email.id));
        match mailer.send(&outgoing).await {
            Ok(()) => {
                update
                    .col_expr(email_outbox::Column::Status, Expr::value(EmailStatus::Sent))
                    .col_expr(email_outbox::Column::SentAt, Expr::value(Some(now)))
                    .col_expr(
                        email_outbox::Column::LastError,
                        Expr::value(Option::<String>::None),
                    )
                    .exec(db)
                    .await?;
                sent += 1;
                tracing::info!(email.id = email.id, kind = %email.kind, "email sent");
            }
            Err(error) => {
                let give_up = attempts >= MAX_ATTEMPTS;
                update
                    .col_expr(
                        email_outbox::Column::Status,
                        Expr::value(if give_up {
                            EmailStatus::Failed
                        } else {
                            EmailStatus::Pending
                        }),
                    )
                    .col_expr(
                        email_outbox::Column::NextAttemptAt,
                        Expr::value(now + backoff(attempts)),
                    )
                    .col_expr(
                        email_outbox::Column::LastError,
                        Expr::value(Some(error.clone())),
                    )
                    .exec(db)
                    .await?;
                tracing::warn!(email.id = email.id, attempts, give_up, %error, "email not sent");
            }
        }
    }
    Ok(sent)
}

/// How often the outbox is looked at.
const EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Sends the outbox, a batch at a time, for as long as the process runs.
pub async fn run(state: crate::server::AppState, mailer: SmtpMailer) {
    let mut every = tokio::time::interval(EVERY);
    loop {
        every.tick().await;
        if let Err(err) = deliver_due(&state.db, &mailer, state.clock.now()).await {
            tracing::warn!(error = %err, "email delivery round failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0), Duration::minutes(1));
        assert_eq!(backoff(1), Duration::minutes(2));
        assert_eq!(backoff(3), Duration::minutes(8));
        assert_eq!(backoff(40), Duration::hours(1));
    }
}

//! The email outbox. Every email is written here in the same transaction as the change that
//! causes it, so an email is never sent for a change that did not happen, nor lost for one that
//! did. A worker delivers them (see `server::worker::email`).

use crate::domain::EmailStatus;
use crate::dto::dev::OutboxEmail;
use crate::error::AppError;
use crate::server::access::Mailboxes;
use crate::server::entities::{customer, email_outbox, person};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

pub struct NewEmail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// What the email is about: `activation`, `password_reset`...
    pub kind: &'static str,
}

pub async fn enqueue(
    db: &impl ConnectionTrait,
    email: NewEmail,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    email_outbox::ActiveModel {
        id: NotSet,
        to_address: Set(email.to),
        subject: Set(email.subject),
        body_text: Set(email.body),
        kind: Set(email.kind.to_owned()),
        status: Set(EmailStatus::Pending),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(now),
        created_at: Set(now),
        sent_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The latest emails to the people of `mailboxes` (at their sign-in or notification address),
/// newest first. An email to an address none of them has yet (the confirmation of an email
/// change) is not shown: the address may be anyone's. Reseller staff see their own staff's
/// emails and, of their customers' people, only the welcome emails they themselves caused:
/// a customer's reset and activation links are the keys to that customer's accounts, which
/// the reseller may not hold (found by the break-it review).
pub async fn list_for(
    db: &impl ConnectionTrait,
    mailboxes: Mailboxes,
    limit: u64,
) -> Result<Vec<OutboxEmail>, AppError> {
    use sea_orm::sea_query::ExprTrait;
    let addresses_of = |people: Vec<person::Model>| {
        people
            .into_iter()
            .flat_map(|p| std::iter::once(p.email).chain(p.notification_email))
            .collect::<Vec<_>>()
    };
    let shown = match mailboxes {
        Mailboxes::Account(tenant) => {
            let people = person::Entity::find()
                .filter(person::Column::CustomerId.eq(tenant.customer_id()))
                .all(db)
                .await?;
            email_outbox::Column::ToAddress.is_in(addresses_of(people))
        }
        Mailboxes::Reseller(scope) => {
            let customers: Vec<i32> = customer::Entity::find()
                .filter(customer::Column::ResellerId.eq(scope.reseller_id()))
                .select_only()
                .column(customer::Column::Id)
                .into_tuple()
                .all(db)
                .await?;
            let staff = person::Entity::find()
                .filter(person::Column::ResellerId.eq(scope.reseller_id()))
                .all(db)
                .await?;
            let customers_people = person::Entity::find()
                .filter(person::Column::CustomerId.is_in(customers))
                .all(db)
                .await?;
            email_outbox::Column::ToAddress
                .is_in(addresses_of(staff))
                .or(email_outbox::Column::ToAddress
                    .is_in(addresses_of(customers_people))
                    .and(email_outbox::Column::Kind.eq("welcome")))
        }
    };
    Ok(email_outbox::Entity::find()
        .filter(shown)
        .order_by_desc(email_outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|e| OutboxEmail {
            id: e.id,
            to: e.to_address,
            subject: e.subject,
            body: e.body_text,
            kind: e.kind,
            status: e.status,
            created_at: e.created_at,
        })
        .collect())
}

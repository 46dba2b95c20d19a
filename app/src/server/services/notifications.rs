//! In-app notifications of one person. Every query is scoped to that person, and `notify` is
//! the one place a notification is written.

use super::{emails, outbox};
use crate::dto::notifications::{NOTIFICATIONS_SHOWN, NotificationItem, NotificationList};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::entities::{notification, person};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

pub struct NewNotification {
    pub person_id: i32,
    /// What it is about, e.g. `order_completed`.
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    /// The page it leads to.
    pub link: Option<String>,
}

/// Writes a notification; run it inside the transaction of the change it tells about.
pub async fn notify(
    db: &impl ConnectionTrait,
    new: NewNotification,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notification::ActiveModel {
        id: NotSet,
        person_id: Set(new.person_id),
        kind: Set(new.kind.to_owned()),
        title: Set(new.title),
        body: Set(new.body),
        link: Set(new.link),
        read_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// What the account's managers are told.
pub struct Message {
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    /// The page it leads to.
    pub link: String,
}

/// An in-app notification and an email to each of the account's managers (the owner and every
/// admin who has not been disabled): whoever placed an order, the others are answerable for
/// the account too, and what the system does on its own (a renewal) has no placer at all.
pub async fn tell_managers(
    db: &impl ConnectionTrait,
    state: &AppState,
    customer_id: i32,
    message: Message,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::domain::{PersonStatus, Role};
    let managers = person::Entity::find()
        .filter(person::Column::CustomerId.eq(customer_id))
        .filter(person::Column::Role.is_in([Role::Owner, Role::Admin]))
        .filter(person::Column::Status.ne(PersonStatus::Disabled))
        .order_by_asc(person::Column::Id)
        .all(db)
        .await?;
    for recipient in managers {
        notify(
            db,
            NewNotification {
                person_id: recipient.id,
                kind: message.kind,
                title: message.title.clone(),
                body: message.body.clone(),
                link: Some(message.link.clone()),
            },
            now,
        )
        .await?;
        let email = emails::account_news(
            &recipient,
            message.kind,
            &message.title,
            &message.body,
            &state.settings.public_url,
            &message.link,
        );
        outbox::enqueue(db, email, now).await?;
    }
    Ok(())
}

pub async fn count_unread(db: &impl ConnectionTrait, person_id: i32) -> Result<u64, AppError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::PersonId.eq(person_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

pub async fn list(db: &impl ConnectionTrait, person_id: i32) -> Result<NotificationList, AppError> {
    let items = notification::Entity::find()
        .filter(notification::Column::PersonId.eq(person_id))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(NOTIFICATIONS_SHOWN)
        .all(db)
        .await?
        .into_iter()
        .map(|n| NotificationItem {
            id: n.id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            link: n.link,
            read: n.read_at.is_some(),
            created_at: n.created_at,
        })
        .collect();
    Ok(NotificationList {
        items,
        unread: count_unread(db, person_id).await?,
    })
}

/// Marks one of the person's notifications (or all, for `None`) read; returns how many unread
/// remain. Someone else's notification id is simply not found.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    person_id: i32,
    id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Some(now)))
        .filter(notification::Column::PersonId.eq(person_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        let exists = notification::Entity::find_by_id(id)
            .filter(notification::Column::PersonId.eq(person_id))
            .count(db)
            .await?;
        if exists == 0 {
            return Err(AppError::NotFound);
        }
        update = update.filter(notification::Column::Id.eq(id));
    }
    update.exec(db).await?;
    count_unread(db, person_id).await
}

//! Writes a person's status changes. The domain state machine (`PersonStatus::after`) decides;
//! this writes its answer only while the stored status is still the one it decided on (a
//! compare-and-set), so of two racing changes one applies and the other is refused.
//!
//! What goes with a status is written in the same statement (the lockout's end, the failure
//! count), and leaving for `disabled` also ends the person's sessions and voids their links.

use super::auth::{LOCKOUT, MAX_FAILED_LOGINS};
use super::tokens;
use crate::domain::{PersonEvent, PersonStatus};
use crate::error::AppError;
use crate::server::entities::{person, session};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Applies `event` to `person` (as read before) and returns the new status. Refused events are
/// `Conflict` with the state machine's reason; a lost race is `Conflict` too.
pub async fn apply(
    db: &impl ConnectionTrait,
    person: &person::Model,
    event: PersonEvent,
    now: DateTime<Utc>,
) -> Result<PersonStatus, AppError> {
    let from = person.status;
    let to = from
        .after(event)
        .map_err(|reason| AppError::Conflict(reason.to_owned()))?;
    let mut update = person::Entity::update_many()
        .col_expr(person::Column::Status, Expr::value(to.as_str()))
        .col_expr(person::Column::UpdatedAt, Expr::value(now))
        .filter(person::Column::Id.eq(person.id))
        .filter(person::Column::Status.eq(from.as_str()));
    update = match (event, to) {
        // Only at the limit, counted in the database (parallel failures all count).
        (PersonEvent::TooManyFailedSignIns, PersonStatus::Locked) => update
            .col_expr(
                person::Column::LockedUntil,
                Expr::value(Some(now + LOCKOUT)),
            )
            .col_expr(person::Column::FailedLogins, Expr::value(0))
            .filter(person::Column::FailedLogins.gte(MAX_FAILED_LOGINS)),
        // An invited or disabled person is not locked; the count starts again.
        (PersonEvent::TooManyFailedSignIns, _) => update
            .col_expr(person::Column::FailedLogins, Expr::value(0))
            .filter(person::Column::FailedLogins.gte(MAX_FAILED_LOGINS)),
        // Leaving `locked` (or arriving anywhere but `locked`) ends any lockout.
        (_, PersonStatus::Active | PersonStatus::Disabled | PersonStatus::Invited)
            if from == PersonStatus::Locked || to == PersonStatus::Disabled =>
        {
            update
                .col_expr(
                    person::Column::LockedUntil,
                    Expr::value(Option::<DateTime<Utc>>::None),
                )
                .col_expr(person::Column::FailedLogins, Expr::value(0))
        }
        _ => update,
    };
    let written = update.exec(db).await?;
    if written.rows_affected == 0 {
        if event == PersonEvent::TooManyFailedSignIns {
            // Below the limit after all (a parallel failure locked first, or a success reset
            // the count): nothing to do.
            return Ok(from);
        }
        return Err(AppError::Conflict(
            "This person was changed at the same moment. Reload the page and try again.".into(),
        ));
    }
    if to == PersonStatus::Disabled {
        // Signed out everywhere at once, and no link sent before still works.
        session::Entity::delete_many()
            .filter(session::Column::PersonId.eq(person.id))
            .exec(db)
            .await?;
        tokens::revoke_all(db, person.id, now).await?;
    }
    if to != from {
        tracing::info!(
            person.id = person.id,
            from = from.as_str(),
            to = to.as_str(),
            "person status changed"
        );
    }
    Ok(to)
}

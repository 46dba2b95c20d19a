//! One person of the account: their details as the user page shows them, with what the caller
//! may do to them, and every change (details, role, status, links, deletion) under the rules
//! of `domain::role`.

use crate::domain::role::{PersonAction, check_person_action};
use crate::domain::{Email, PersonEvent, PersonName, PersonStatus, Role};
use crate::dto::users::{LoginEntry, UserActions, UserCommand, UserDetail, UserRow};
use crate::error::AppError;
use crate::server::Tenant;
use crate::server::entities::{customer, login_history, order, person};
use crate::server::services::audit;
use crate::server::services::outbox;
use crate::server::services::tokens::{self, Purpose};
use crate::server::services::{emails, person_status};
use crate::server::{Actor, AppState};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

const LOGIN_HISTORY_SHOWN: u64 = 20;

/// A person of the actor's account; `NotFound` for anyone else.
async fn person_in_account(
    db: &impl ConnectionTrait,
    customer_id: i32,
    id: i32,
) -> Result<person::Model, AppError> {
    person::Entity::find_by_id(id)
        .filter(person::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether the person at the keyboard is the target. Reseller staff acting for a customer act
/// with the owner's rights but are not the owner: the owner's own details, password and links
/// stay the owner's.
fn at_the_keyboard(actor: &Actor, target: &person::Model) -> bool {
    actor.person_id == target.id && actor.impersonator.is_none()
}

fn allowed(actor: &Actor, target: &person::Model, action: PersonAction) -> Result<bool, AppError> {
    let target_role = target.role;
    Ok(check_person_action(
        actor.role,
        at_the_keyboard(actor, target),
        target_role,
        action,
    )
    .is_ok())
}

fn require(actor: &Actor, target: &person::Model, action: PersonAction) -> Result<(), AppError> {
    let target_role = target.role;
    check_person_action(
        actor.role,
        at_the_keyboard(actor, target),
        target_role,
        action,
    )
    .map_err(|message| AppError::NotAllowed(message.to_owned()))
}

pub async fn get_person(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    id: i32,
) -> Result<UserDetail, AppError> {
    let customer_id = tenant.customer_id();
    let db = &state.db;
    let person = person_in_account(db, customer_id, id).await?;
    let services = crate::server::services::licenses::held_by(db, tenant, person.id).await?;
    let logins = login_history::Entity::find()
        .filter(login_history::Column::PersonId.eq(person.id))
        .order_by_desc(login_history::Column::CreatedAt)
        .order_by_desc(login_history::Column::Id)
        .limit(LOGIN_HISTORY_SHOWN)
        .all(db)
        .await?
        .into_iter()
        .map(|l| LoginEntry {
            at: l.created_at,
            success: l.success,
            failure_reason: l.failure_reason,
            ip: l.ip,
            user_agent: l.user_agent,
        })
        .collect();
    let actions = UserActions {
        edit: allowed(actor, &person, PersonAction::Edit)?,
        send_links: allowed(actor, &person, PersonAction::SendLinks)?,
        change_role: allowed(actor, &person, PersonAction::ChangeRole)?,
        disable: allowed(actor, &person, PersonAction::Disable)?,
        delete: allowed(actor, &person, PersonAction::Delete)?,
    };
    Ok(UserDetail {
        user: UserRow {
            id: person.id,
            name: person.name,
            email: person.email,
            role: person.role,
            status: person.status,
            services: services.len() as u64,
        },
        notification_email: person.notification_email,
        created_at: person.created_at,
        last_login_at: person.last_login_at,
        locked_until: person.locked_until,
        services,
        logins,
        actions,
    })
}

pub enum PersonChange {
    Details {
        name: PersonName,
        notification_email: Option<Email>,
    },
    Command(UserCommand),
}

/// Applies one change to a person of the actor's account, with its audit entry (and email,
/// where one is due) in the same transaction.
pub async fn change_person(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    ip: Option<String>,
    id: i32,
    change: PersonChange,
) -> Result<(), AppError> {
    let customer_id = tenant.customer_id();
    let now = state.clock.now();
    let transaction = crate::server::transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let target = person_in_account(txn, customer_id, id).await?;
    let status = target.status;
    let before = serde_json::json!({
        "name": target.name,
        "notification_email": target.notification_email,
        "role": target.role,
        "status": target.status,
    });
    let mut row: person::ActiveModel = target.clone().into();
    row.updated_at = Set(now);
    let action = match change {
        PersonChange::Details {
            name,
            notification_email,
        } => {
            require(actor, &target, PersonAction::Edit)?;
            row.name = Set(name.as_str().to_owned());
            row.name_key = Set(name.key());
            row.notification_email = Set(notification_email.map(|e| e.to_string()));
            row.update(txn).await?;
            "person.updated"
        }
        PersonChange::Command(command) => {
            apply_command(
                txn,
                actor,
                &target,
                status,
                row,
                command,
                now,
                &state.settings.public_url,
            )
            .await?
        }
    };
    let after = person::Entity::find_by_id(id).one(txn).await?.map(|p| {
        serde_json::json!({
            "name": p.name,
            "notification_email": p.notification_email,
            "role": p.role,
            "status": p.status,
        })
    });
    audit::record(
        txn,
        actor,
        ip,
        now,
        audit::Entry {
            action,
            target_type: "person",
            target_id: Some(id.to_string()),
            details: Some(serde_json::json!({ "before": before, "after": after })),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn apply_command(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    target: &person::Model,
    status: PersonStatus,
    mut row: person::ActiveModel,
    command: UserCommand,
    now: chrono::DateTime<chrono::Utc>,
    public_url: &str,
) -> Result<&'static str, AppError> {
    let refuse = |message: &str| Err(AppError::Conflict(message.to_owned()));
    match command {
        UserCommand::MakeAdmin | UserCommand::MakeUser => {
            require(actor, target, PersonAction::ChangeRole)?;
            let role = if command == UserCommand::MakeAdmin {
                Role::Admin
            } else {
                Role::User
            };
            row.role = Set(role);
            row.update(txn).await?;
            Ok("person.role_changed")
        }
        UserCommand::Disable => {
            require(actor, target, PersonAction::Disable)?;
            person_status::apply(txn, target, PersonEvent::Disabled, now).await?;
            Ok("person.disabled")
        }
        UserCommand::Enable => {
            require(actor, target, PersonAction::Disable)?;
            let event = PersonEvent::Enabled {
                has_password: target.password_hash.is_some(),
            };
            person_status::apply(txn, target, event, now).await?;
            Ok("person.enabled")
        }
        UserCommand::Unlock => {
            require(actor, target, PersonAction::Unlock)?;
            person_status::apply(txn, target, PersonEvent::Unlocked, now).await?;
            Ok("person.unlocked")
        }
        UserCommand::ResendActivation => {
            require(actor, target, PersonAction::SendLinks)?;
            if status != PersonStatus::Invited {
                return refuse(
                    "Only a person who has not activated their account yet gets an activation link.",
                );
            }
            let token = tokens::issue(txn, target.id, Purpose::Activation, now).await?;
            let customer =
                customer::Entity::find_by_id(target.customer_id.ok_or(AppError::NotFound)?)
                    .one(txn)
                    .await?
                    .ok_or(AppError::NotFound)?;
            outbox::enqueue(
                txn,
                emails::activation(target, &customer.name, &actor.name, public_url, &token),
                now,
            )
            .await?;
            Ok("person.activation_sent")
        }
        UserCommand::SendPasswordReset => {
            require(actor, target, PersonAction::SendLinks)?;
            if !status.may_reset_password() {
                return refuse("Only an active or locked person can reset their password.");
            }
            let token = tokens::issue(txn, target.id, Purpose::PasswordReset, now).await?;
            outbox::enqueue(txn, emails::password_reset(target, public_url, &token), now).await?;
            Ok("person.password_reset_sent")
        }
        UserCommand::Delete => {
            require(actor, target, PersonAction::Delete)?;
            // Orders keep their history without the person; licenses, sessions, tokens and
            // login history go with them (foreign keys cascade); the audit log keeps names.
            for column in [order::Column::CreatedBy, order::Column::ImpersonatorId] {
                order::Entity::update_many()
                    .col_expr(column, Expr::value(Option::<i32>::None))
                    .filter(column.eq(target.id))
                    .exec(txn)
                    .await?;
            }
            person::Entity::delete_by_id(target.id).exec(txn).await?;
            Ok("person.deleted")
        }
    }
}

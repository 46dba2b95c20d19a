//! Inviting people: one at a time or every row of a CSV file (all or nothing), each with an
//! activation link in the outbox and an audit entry; and reading a link back for its page.

use crate::domain::user_import::{ImportPreview, parse_user_csv};
use crate::domain::{Email, PersonName, PersonStatus, Role};
use crate::dto::account::Invitation;
use crate::dto::users::UserRow;
use crate::error::AppError;
use crate::server::Tenant;
use crate::server::entities::{customer, person};
use crate::server::services::audit;
use crate::server::services::emails;
use crate::server::services::outbox;
use crate::server::services::tokens::{self, Purpose};
use crate::server::{Actor, AppState};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, PaginatorTrait,
    QueryFilter, QuerySelect, Set, SqlErr,
};
use std::collections::HashSet;

pub struct NewPerson {
    pub name: PersonName,
    pub email: Email,
    pub role: Role,
    pub notification_email: Option<Email>,
}

fn already_exists() -> AppError {
    AppError::validation("email", "A person with this email already exists.")
}

/// Creates an `invited` person in the actor's account, with an activation email in the outbox,
/// all in one transaction. Emails are unique on the whole platform.
pub async fn create_person(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    ip: Option<String>,
    new: NewPerson,
) -> Result<UserRow, AppError> {
    let customer_id = tenant.customer_id();
    let now = state.clock.now();
    let customer = customer::Entity::find_by_id(customer_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let transaction = crate::server::transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let invite = Invite::new(
        &customer,
        actor,
        ip.as_deref(),
        &state.settings.public_url,
        now,
    );
    let inserted = insert_invited(txn, &invite, &new).await?;
    let row = UserRow {
        id: inserted.id,
        name: inserted.name,
        email: inserted.email,
        role: new.role,
        status: PersonStatus::Invited,
        services: 0,
    };
    transaction.commit().await?;
    tracing::info!(
        person.id = row.id,
        customer.id = customer_id,
        "person created"
    );
    Ok(row)
}

/// The context in which people are invited.
struct Invite<'a> {
    customer_id: i32,
    customer_name: &'a str,
    actor: &'a Actor,
    ip: Option<&'a str>,
    public_url: &'a str,
    now: chrono::DateTime<chrono::Utc>,
    /// The account's first owner, whom the reseller welcomes to the panel.
    welcome: bool,
}

impl<'a> Invite<'a> {
    fn new(
        customer: &'a customer::Model,
        actor: &'a Actor,
        ip: Option<&'a str>,
        public_url: &'a str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        Self {
            customer_id: customer.id,
            customer_name: &customer.name,
            actor,
            ip,
            public_url,
            now,
            welcome: false,
        }
    }
}

/// Invites a new account's first owner into `customer` on behalf of the reseller's `inviter`:
/// the same row, link and audit entry as `create_person`, in the caller's transaction, with the
/// reseller's welcome email.
pub async fn invite_into(
    db: &impl ConnectionTrait,
    inviter: &Actor,
    customer: &customer::Model,
    new: &NewPerson,
    public_url: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<person::Model, AppError> {
    let invite = Invite {
        welcome: true,
        ..Invite::new(customer, inviter, None, public_url, now)
    };
    insert_invited(db, &invite, new).await
}

/// The welcome email again, to a customer's owner who has not activated their account yet, with
/// a fresh activation link (the earlier one stops working): when reseller staff ask for it, or
/// after they ordered `bought` in the customer's panel, which the email then names. Answers the
/// owner it went to; `None` (and nothing sent) when the owner is active.
pub async fn welcome_owner_again(
    txn: &impl ConnectionTrait,
    staff: &Actor,
    tenant: Tenant,
    bought: Option<&str>,
    public_url: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<person::Model>, AppError> {
    let Some(owner) = person::Entity::find()
        .filter(person::Column::CustomerId.eq(tenant.customer_id()))
        .filter(person::Column::Role.eq(Role::Owner))
        .filter(person::Column::Status.eq(PersonStatus::Invited))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let customer = customer::Entity::find_by_id(tenant.customer_id())
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let token = tokens::issue(txn, owner.id, Purpose::Activation, now).await?;
    let email = emails::welcome(
        &owner,
        &customer.name,
        &staff.reseller_name,
        public_url,
        &token,
        bought,
    );
    outbox::enqueue(txn, email, now).await?;
    Ok(Some(owner))
}

/// Inserts one `invited` person with their activation link, email and audit entry.
async fn insert_invited(
    txn: &impl ConnectionTrait,
    invite: &Invite<'_>,
    new: &NewPerson,
) -> Result<person::Model, AppError> {
    let now = invite.now;
    let taken = person::Entity::find()
        .filter(person::Column::Email.eq(new.email.as_str()))
        .count(txn)
        .await?;
    if taken > 0 {
        return Err(already_exists());
    }
    let inserted = person::ActiveModel {
        id: NotSet,
        customer_id: Set(Some(invite.customer_id)),
        reseller_id: Set(None),
        role: Set(new.role),
        name: Set(new.name.as_str().to_owned()),
        name_key: Set(new.name.key()),
        email: Set(new.email.as_str().to_owned()),
        notification_email: Set(new.notification_email.as_ref().map(|e| e.to_string())),
        password_hash: Set(None),
        status: Set(PersonStatus::Invited),
        failed_logins: Set(0),
        locked_until: Set(None),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(|err| match err.sql_err() {
        // Lost a race with a simultaneous create of the same address.
        Some(SqlErr::UniqueConstraintViolation(_)) => already_exists(),
        _ => err.into(),
    })?;
    let token = tokens::issue(txn, inserted.id, Purpose::Activation, now).await?;
    let email = if invite.welcome {
        emails::welcome(
            &inserted,
            invite.customer_name,
            &invite.actor.reseller_name,
            invite.public_url,
            &token,
            None,
        )
    } else {
        emails::activation(
            &inserted,
            invite.customer_name,
            &invite.actor.name,
            invite.public_url,
            &token,
        )
    };
    outbox::enqueue(txn, email, now).await?;
    // In the account the person joins, also when reseller staff invite its first owner.
    let who = audit::Who {
        customer_id: Some(invite.customer_id),
        ..audit::Who::from(invite.actor)
    };
    audit::record(
        txn,
        who,
        invite.ip.map(str::to_owned),
        now,
        audit::Entry {
            action: "person.created",
            target_type: "person",
            target_id: Some(inserted.id.to_string()),
            details: Some(serde_json::json!({
                "name": inserted.name,
                "email": inserted.email,
                "role": inserted.role,
            })),
        },
    )
    .await?;
    Ok(inserted)
}

// --- Importing many people from a CSV file ----------------------------------------------------

/// Parses the file and marks rows whose address already has an account. Writes nothing.
pub async fn preview_import(
    db: &impl ConnectionTrait,
    csv: &str,
) -> Result<ImportPreview, AppError> {
    let mut preview =
        parse_user_csv(csv).map_err(|e| AppError::validation("csv", e.to_string()))?;
    let emails: Vec<String> = preview
        .rows
        .iter()
        .filter_map(|r| r.email.as_ref().map(|e| e.as_str().to_owned()))
        .collect();
    let mut existing = HashSet::new();
    // In chunks: databases limit the number of parameters of one statement.
    for chunk in emails.chunks(500) {
        let found: Vec<String> = person::Entity::find()
            .select_only()
            .column(person::Column::Email)
            .filter(person::Column::Email.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        existing.extend(found);
    }
    preview.mark_existing(&existing);
    Ok(preview)
}

/// Creates every person of the file in one transaction, or none when any row has a problem.
pub async fn import_people(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    ip: Option<String>,
    csv: &str,
) -> Result<u64, AppError> {
    let customer_id = tenant.customer_id();
    let preview = preview_import(&state.db, csv).await?;
    if preview.rows.is_empty() {
        return Err(AppError::validation("csv", "The file has no people in it."));
    }
    if !preview.is_valid() {
        return Err(AppError::validation(
            "csv",
            format!(
                "{} row(s) have problems; nothing was imported. Fix them and try again.",
                preview.error_count()
            ),
        ));
    }
    let mut people = Vec::with_capacity(preview.rows.len());
    for row in preview.rows {
        let (Some(email), Some(role)) = (row.email, row.role) else {
            return Err(AppError::Internal);
        };
        let name = PersonName::parse(&row.name).map_err(|m| AppError::validation("csv", m))?;
        people.push(NewPerson {
            name,
            email,
            role,
            notification_email: None,
        });
    }
    let now = state.clock.now();
    let customer = customer::Entity::find_by_id(customer_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let count = people.len() as u64;
    let transaction = crate::server::transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let invite = Invite::new(
        &customer,
        actor,
        ip.as_deref(),
        &state.settings.public_url,
        now,
    );
    for new in &people {
        insert_invited(txn, &invite, new)
            .await
            .map_err(|err| match err {
                // Someone took an address between the preview and now.
                AppError::Validation { .. } => AppError::validation(
                    "csv",
                    format!(
                        "{} already has an account; nothing was imported.",
                        new.email
                    ),
                ),
                other => other,
            })?;
    }
    transaction.commit().await?;
    tracing::info!(customer.id = customer_id, people = count, "people imported");
    Ok(count)
}

/// Who an activation link is for (without using it).
pub async fn invitation(state: &AppState, token: &str) -> Result<Invitation, AppError> {
    let now = state.clock.now();
    let link = tokens::peek(&state.db, token, Purpose::Activation, now).await?;
    let person = person::Entity::find_by_id(link.person_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let customer = match person.customer_id {
        Some(id) => customer::Entity::find_by_id(id).one(&state.db).await?,
        None => None,
    };
    Ok(Invitation {
        name: person.name,
        email: person.email,
        customer_name: customer.map(|c| c.name).unwrap_or_default(),
    })
}

//! People of a customer account: the users list, creating and activating people, and what is
//! assigned to whom.

use super::audit;
use super::outbox;
use super::tokens::{self, Purpose};
use super::{emails, person_status};
use crate::domain::role::{PersonAction, check_person_action};
use crate::domain::user_import::{ImportPreview, parse_user_csv};
use crate::domain::{Email, PageRequest, PersonEvent, PersonName, PersonStatus, Role};
use crate::dto::account::Invitation;
use crate::dto::me::MyService;
use crate::dto::users::{
    COUNT_CAP, LoginEntry, UserActions, UserCommand, UserDetail, UserPage, UserRow, UserSort,
};
use crate::error::AppError;
use crate::server::Tenant;
use crate::server::entities::{
    customer, license_assignment, login_history, order, person, plan, product, resource_rate,
    subscription, subscription_resource,
};
use crate::server::{Actor, AppState};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, NotSet, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, SqlErr,
};
use std::collections::{HashMap, HashSet};

/// The licenses assigned to one person of the account, newest first.
pub async fn list_services_of(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    person_id: i32,
) -> Result<Vec<MyService>, AppError> {
    let customer_id = tenant.customer_id();
    let assignments = license_assignment::Entity::find()
        .filter(license_assignment::Column::PersonId.eq(person_id))
        .all(db)
        .await?;
    if assignments.is_empty() {
        return Ok(Vec::new());
    }
    let resources: HashMap<i32, subscription_resource::Model> =
        subscription_resource::Entity::find()
            .filter(
                subscription_resource::Column::Id
                    .is_in(assignments.iter().map(|a| a.subscription_resource_id)),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
    // Scoped to the caller's account: an assignment can only point into it, but never trust that.
    let subscriptions: HashMap<i32, subscription::Model> = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(customer_id))
        .filter(subscription::Column::Id.is_in(resources.values().map(|r| r.subscription_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let rates: HashMap<i32, resource_rate::Model> = resource_rate::Entity::find()
        .filter(resource_rate::Column::Id.is_in(resources.values().map(|r| r.resource_rate_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let plans: HashMap<i32, plan::Model> = plan::Entity::find()
        .filter(plan::Column::Id.is_in(subscriptions.values().map(|s| s.plan_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let products: HashMap<i32, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(plans.values().map(|p| p.product_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();

    let mut out: Vec<MyService> = assignments
        .iter()
        .filter_map(|a| {
            let resource = resources.get(&a.subscription_resource_id)?;
            let subscription = subscriptions.get(&resource.subscription_id)?;
            let rate = rates.get(&resource.resource_rate_id)?;
            let product = products.get(&plans.get(&subscription.plan_id)?.product_id)?;
            Some(MyService {
                product_name: product.name.clone(),
                vendor: product.vendor.clone(),
                icon: product.icon.clone(),
                color: product.color.clone(),
                resource_name: rate.name.clone(),
                assigned_at: a.assigned_at,
            })
        })
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.assigned_at));
    Ok(out)
}

// --- The users list ------------------------------------------------------------------------

pub struct PeopleQuery {
    /// Lower-cased; matches the start of the name or of the email.
    pub search: String,
    pub role: Option<Role>,
    pub status: Option<PersonStatus>,
    pub sort: UserSort,
    pub page: PageRequest,
}

/// The smallest string greater than every string that starts with `prefix`, so that
/// `prefix <= x < upper` is a prefix match that an index can answer.
fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (last as u32 + 1..=char::MAX as u32).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

fn prefix_of(column: person::Column, prefix: &str) -> Condition {
    let mut condition = Condition::all().add(column.gte(prefix));
    if let Some(upper) = prefix_upper_bound(prefix) {
        condition = condition.add(column.lt(upper));
    }
    condition
}

/// How many people match, counting no further than `limit`.
async fn count_up_to(
    db: &impl ConnectionTrait,
    condition: Condition,
    limit: u64,
) -> Result<u64, AppError> {
    Ok(person::Entity::find()
        .filter(condition)
        .select_only()
        .column(person::Column::Id)
        .limit(limit)
        .count(db)
        .await?)
}

pub async fn list_people(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    query: &PeopleQuery,
) -> Result<UserPage, AppError> {
    let customer_id = tenant.customer_id();
    let mut filters = Condition::all().add(person::Column::CustomerId.eq(customer_id));
    if let Some(role) = query.role {
        filters = filters.add(person::Column::Role.eq(role));
    }
    if let Some(status) = query.status {
        filters = filters.add(person::Column::Status.eq(status));
    }
    let by_name = prefix_of(person::Column::NameKey, &query.search);
    let by_email = prefix_of(person::Column::Email, &query.search);
    let matching = if query.search.is_empty() {
        filters.clone()
    } else {
        filters
            .clone()
            .add(Condition::any().add(by_name.clone()).add(by_email.clone()))
    };

    // Counted in two disjoint parts, name matches then the other email matches, each an index
    // range walk that stops at the cap. (One OR condition lets PostgreSQL collect every match
    // of both ranges in a bitmap before the LIMIT applies.)
    let total = if query.search.is_empty() {
        count_up_to(db, matching.clone(), COUNT_CAP + 1).await?
    } else {
        let by_name_count =
            count_up_to(db, filters.clone().add(by_name.clone()), COUNT_CAP + 1).await?;
        if by_name_count > COUNT_CAP {
            by_name_count
        } else {
            let email_only = filters
                .clone()
                .add(by_email.clone())
                .add(by_name.clone().not());
            by_name_count + count_up_to(db, email_only, COUNT_CAP + 1 - by_name_count).await?
        }
    };

    let offset = query.page.offset();
    let wanted = query.page.fetch();
    // "Newest" walks the id order, which an OR condition does not hinder; the others would need
    // every broad match sorted.
    let grouped = !query.search.is_empty() && total > COUNT_CAP && query.sort != UserSort::Newest;
    let rows = if grouped {
        // A broad search: no index yields name-ordered results for an email prefix, so sorting
        // them all would cost as much as the account is large. Instead the matches on the sorted
        // field come first, each group walked in its own index's order.
        let descending = matches!(query.sort, UserSort::NameDesc | UserSort::EmailDesc);
        let (first, second) = match query.sort {
            UserSort::EmailAsc | UserSort::EmailDesc => (
                (by_email, person::Column::Email),
                (by_name, person::Column::NameKey),
            ),
            UserSort::NameAsc | UserSort::NameDesc | UserSort::Newest => (
                (by_name, person::Column::NameKey),
                (by_email, person::Column::Email),
            ),
        };
        let group = |condition: Condition, column: person::Column| {
            let select = person::Entity::find().filter(condition);
            if descending {
                select
                    .order_by_desc(column)
                    .order_by_desc(person::Column::Id)
            } else {
                select.order_by_asc(column).order_by_asc(person::Column::Id)
            }
        };
        let first_condition = filters.clone().add(first.0.clone());
        let mut rows = group(first_condition.clone(), first.1)
            .offset(offset)
            .limit(wanted)
            .all(db)
            .await?;
        if (rows.len() as u64) < wanted {
            // Bounded by the page's position, not by the account's size.
            let in_first = person::Entity::find()
                .filter(first_condition)
                .select_only()
                .column(person::Column::Id)
                .limit(offset + wanted)
                .count(db)
                .await?;
            let second_condition = filters.add(second.0).add(first.0.not());
            rows.extend(
                group(second_condition, second.1)
                    .offset(offset.saturating_sub(in_first))
                    .limit(wanted - rows.len() as u64)
                    .all(db)
                    .await?,
            );
        }
        rows
    } else {
        // A search that matches few people: find them through the search indexes first, then
        // sort those few. (Left to itself, a planner may walk the whole name index looking for
        // them.) With no search, or many matches sorted newest first, walking the sort order
        // finds a page at once.
        let select = if query.search.is_empty() || total > COUNT_CAP {
            person::Entity::find().filter(matching)
        } else {
            let ids = Query::select()
                .column(person::Column::Id)
                .from(person::Entity)
                .cond_where(matching)
                .limit(COUNT_CAP + 1)
                .to_owned();
            person::Entity::find().filter(person::Column::Id.in_subquery(ids))
        };
        let ordered = match query.sort {
            UserSort::NameAsc => select
                .order_by_asc(person::Column::NameKey)
                .order_by_asc(person::Column::Id),
            UserSort::NameDesc => select
                .order_by_desc(person::Column::NameKey)
                .order_by_desc(person::Column::Id),
            UserSort::EmailAsc => select.order_by_asc(person::Column::Email),
            UserSort::EmailDesc => select.order_by_desc(person::Column::Email),
            UserSort::Newest => select.order_by_desc(person::Column::Id),
        };
        ordered.offset(offset).limit(wanted).all(db).await?
    };
    let rows = query.page.page_of(rows);

    let services: HashMap<i32, i64> = license_assignment::Entity::find()
        .select_only()
        .column(license_assignment::Column::PersonId)
        .column_as(license_assignment::Column::Id.count(), "count")
        .filter(license_assignment::Column::PersonId.is_in(rows.rows.iter().map(|p| p.id)))
        .group_by(license_assignment::Column::PersonId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();

    let people = rows.try_map(|p| {
        Ok::<_, AppError>(UserRow {
            services: services.get(&p.id).copied().unwrap_or(0).max(0) as u64,
            role: p.role,
            status: p.status,
            id: p.id,
            name: p.name,
            email: p.email,
        })
    })?;
    Ok(UserPage {
        people,
        total,
        grouped,
    })
}

// --- Creating people and activating them ---------------------------------------------------

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
    let public_url = state.settings.public_url.clone();
    let transaction = crate::server::transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let invite = Invite {
        customer_id,
        customer_name: &customer.name,
        actor,
        ip: ip.as_deref(),
        public_url: &public_url,
        now,
    };
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
}

/// Invites a person (an account's first owner, say) into `customer` on behalf of `inviter`:
/// the same row, link, email and audit entry as `create_person`, in the caller's transaction.
pub async fn invite_into(
    db: &impl ConnectionTrait,
    inviter: &Actor,
    customer: &customer::Model,
    new: &NewPerson,
    public_url: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<person::Model, AppError> {
    let invite = Invite {
        customer_id: customer.id,
        customer_name: &customer.name,
        actor: inviter,
        ip: None,
        public_url,
        now,
    };
    insert_invited(db, &invite, new).await
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
    let email = emails::activation(
        &inserted,
        invite.customer_name,
        &invite.actor.name,
        invite.public_url,
        &token,
    );
    outbox::enqueue(txn, email, now).await?;
    audit::record(
        txn,
        invite.actor,
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
    let public_url = state.settings.public_url.clone();
    let count = people.len() as u64;
    let transaction = crate::server::transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let invite = Invite {
        customer_id,
        customer_name: &customer.name,
        actor,
        ip: ip.as_deref(),
        public_url: &public_url,
        now,
    };
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

// --- One person: details and changes -------------------------------------------------------

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

fn allowed(actor: &Actor, target: &person::Model, action: PersonAction) -> Result<bool, AppError> {
    let target_role = target.role;
    Ok(check_person_action(
        actor.role,
        actor.person_id == target.id,
        target_role,
        action,
    )
    .is_ok())
}

fn require(actor: &Actor, target: &person::Model, action: PersonAction) -> Result<(), AppError> {
    let target_role = target.role;
    check_person_action(
        actor.role,
        actor.person_id == target.id,
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
    let services = list_services_of(db, tenant, person.id).await?;
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
    let public_url = state.settings.public_url.clone();
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
            apply_command(txn, actor, &target, status, row, command, now, &public_url).await?
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_bounds() {
        assert_eq!(prefix_upper_bound("abc").as_deref(), Some("abd"));
        assert_eq!(prefix_upper_bound("az").as_deref(), Some("a{"));
        assert_eq!(prefix_upper_bound(""), None);
        let max = char::MAX.to_string();
        assert_eq!(prefix_upper_bound(&format!("a{max}")).as_deref(), Some("b"));
    }
}

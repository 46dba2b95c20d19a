//! License assignments. The limit of a resource is never exceeded, even when several requests
//! assign the last free license at the same moment: the count and the insert are one statement,
//! and on PostgreSQL the resource row is locked first.

use super::{audit, catalog};
use crate::domain::{ResourceKind, SubscriptionStatus};
use crate::dto::licenses::{LicenseHolder, LicenseHolders, LicenseSlot};
use crate::dto::me::MyService;
use crate::error::AppError;
use crate::server::Tenant;
use crate::server::entities::{
    license_assignment, person, plan, product, resource_rate, subscription, subscription_resource,
};
use crate::server::{Actor, AppState};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};
use std::collections::{HashMap, HashSet};

pub async fn slots_for_person(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    person_id: i32,
) -> Result<Vec<LicenseSlot>, AppError> {
    let customer_id = tenant.customer_id();
    person::Entity::find_by_id(person_id)
        .filter(person::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let subscriptions = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(customer_id))
        .filter(subscription::Column::Status.is_in(SubscriptionStatus::live()))
        .all(db)
        .await?;
    let plans = catalog::plans_with_products(db, subscriptions.iter().map(|s| s.plan_id)).await?;
    let resources = subscription_resource::Entity::find()
        .filter(
            subscription_resource::Column::SubscriptionId.is_in(subscriptions.iter().map(|s| s.id)),
        )
        .all(db)
        .await?;
    let rates: HashMap<i32, resource_rate::Model> = resource_rate::Entity::find()
        .filter(resource_rate::Column::Id.is_in(resources.iter().map(|r| r.resource_rate_id)))
        .filter(resource_rate::Column::Kind.eq(ResourceKind::License))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let license_ids: Vec<i32> = resources
        .iter()
        .filter(|r| rates.contains_key(&r.resource_rate_id))
        .map(|r| r.id)
        .collect();
    let counts: HashMap<i32, i64> = license_assignment::Entity::find()
        .select_only()
        .column(license_assignment::Column::SubscriptionResourceId)
        .column_as(license_assignment::Column::Id.count(), "count")
        .filter(license_assignment::Column::SubscriptionResourceId.is_in(license_ids.clone()))
        .group_by(license_assignment::Column::SubscriptionResourceId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let held: HashSet<i32> = license_assignment::Entity::find()
        .filter(license_assignment::Column::PersonId.eq(person_id))
        .filter(license_assignment::Column::SubscriptionResourceId.is_in(license_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.subscription_resource_id)
        .collect();
    let subscriptions: HashMap<i32, &subscription::Model> =
        subscriptions.iter().map(|s| (s.id, s)).collect();
    let mut slots: Vec<LicenseSlot> = resources
        .iter()
        .filter_map(|r| {
            let rate = rates.get(&r.resource_rate_id)?;
            let sub = subscriptions.get(&r.subscription_id)?;
            let (plan, product) = plans.get(&sub.plan_id)?;
            Some(LicenseSlot {
                subscription_id: sub.id,
                resource_id: r.id,
                product_name: product.name.clone(),
                plan_name: plan.name.clone(),
                resource_name: rate.name.clone(),
                limit: r.limit_units,
                assigned: counts.get(&r.id).copied().unwrap_or(0),
                held: held.contains(&r.id),
            })
        })
        .collect();
    slots.sort_by(|a, b| a.product_name.cmp(&b.product_name));
    Ok(slots)
}

/// The license resource and the person, both in the actor's account, or `NotFound`.
async fn resource_and_person(
    db: &impl ConnectionTrait,
    customer_id: i32,
    resource_id: i32,
    person_id: i32,
) -> Result<(subscription_resource::Model, person::Model), AppError> {
    let resource = subscription_resource::Entity::find_by_id(resource_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let sub = subscription::Entity::find_by_id(resource.subscription_id)
        .filter(subscription::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let person = person::Entity::find_by_id(person_id)
        .filter(person::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let rate = resource_rate::Entity::find_by_id(resource.resource_rate_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    if rate.kind != ResourceKind::License {
        return Err(AppError::Conflict(
            "This resource is a quota; it is not assigned to people.".into(),
        ));
    }
    if !sub.status.is_live() {
        return Err(AppError::Conflict(
            "Licenses of a subscription that is not active cannot be assigned.".into(),
        ));
    }
    Ok((resource, person))
}

pub async fn assign(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    ip: Option<String>,
    resource_id: i32,
    person_id: i32,
) -> Result<(), AppError> {
    let customer_id = tenant.customer_id();
    let now = state.clock.now();
    let transaction = crate::server::transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let backend = txn.get_database_backend();
    if backend == DbBackend::Postgres {
        // Serialises assignments to this resource until the transaction ends.
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT id FROM subscription_resources WHERE id = $1 FOR UPDATE",
            [resource_id.into()],
        ))
        .await?;
    }
    let (resource, person) = resource_and_person(txn, customer_id, resource_id, person_id).await?;
    let already = license_assignment::Entity::find()
        .filter(license_assignment::Column::SubscriptionResourceId.eq(resource.id))
        .filter(license_assignment::Column::PersonId.eq(person.id))
        .count(txn)
        .await?;
    if already > 0 {
        return Err(AppError::Conflict(format!(
            "{} already has this license.",
            person.name
        )));
    }
    // A disabled person cannot sign in to use it; the license would sit idle while billed.
    if person.status == crate::domain::PersonStatus::Disabled {
        return Err(AppError::Conflict(format!(
            "{} is disabled. Enable them before assigning a license.",
            person.name
        )));
    }
    // A lower limit on its way (an open change, a reduction scheduled for the renewal) is the
    // ceiling already, so the change never lands below the people holding a license.
    let pending = super::resource_changes::pending_lower_limit(
        txn,
        resource.subscription_id,
        resource.resource_rate_id,
    )
    .await?;
    let in_use = license_assignment::Entity::find()
        .filter(license_assignment::Column::SubscriptionResourceId.eq(resource.id))
        .count(txn)
        .await?;
    let in_use = i64::try_from(in_use).unwrap_or(i64::MAX);
    if let Some(lower) = pending.filter(|lower| in_use >= *lower) {
        return Err(AppError::Conflict(format!(
            "A change in progress lowers these licenses to {lower}. Assign this one when it has completed, or raise the limit."
        )));
    }
    if let Some(lower) = resource.scheduled_limit.filter(|lower| in_use >= *lower) {
        return Err(AppError::Conflict(format!(
            "A reduction to {lower} licenses is scheduled for the renewal. Cancel it before assigning more."
        )));
    }
    // Count and insert in one statement: atomic on SQLite, and under the row lock
    // above on PostgreSQL.
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO license_assignments (subscription_resource_id, person_id, assigned_at) \
             SELECT $1, $2, $3 WHERE (SELECT COUNT(*) FROM license_assignments \
             WHERE subscription_resource_id = $1) < $4"
        }
        _ => {
            "INSERT INTO license_assignments (subscription_resource_id, person_id, assigned_at) \
             SELECT ?1, ?2, ?3 WHERE (SELECT COUNT(*) FROM license_assignments \
             WHERE subscription_resource_id = ?1) < ?4"
        }
    };
    let inserted = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                resource.id.into(),
                person.id.into(),
                now.into(),
                resource.limit_units.into(),
            ],
        ))
        .await
        .map_err(|err| match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                AppError::Conflict(format!("{} already has this license.", person.name))
            }
            _ => err.into(),
        })?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::Conflict(format!(
            "All {} licenses are assigned. Unassign one or buy more licenses first.",
            resource.limit_units
        )));
    }
    let entry = license_entry("license.assigned", &resource, &person);
    audit::record(txn, actor, ip, now, entry).await?;
    transaction.commit().await?;
    Ok(())
}

pub async fn unassign(
    state: &AppState,
    actor: &Actor,
    tenant: Tenant,
    ip: Option<String>,
    resource_id: i32,
    person_id: i32,
) -> Result<(), AppError> {
    let customer_id = tenant.customer_id();
    let now = state.clock.now();
    let transaction = crate::server::transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let (resource, person) = resource_and_person(txn, customer_id, resource_id, person_id).await?;
    let deleted = license_assignment::Entity::delete_many()
        .filter(license_assignment::Column::SubscriptionResourceId.eq(resource.id))
        .filter(license_assignment::Column::PersonId.eq(person.id))
        .exec(txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::Conflict(format!(
            "{} does not have this license.",
            person.name
        )));
    }
    let entry = license_entry("license.unassigned", &resource, &person);
    audit::record(txn, actor, ip, now, entry).await?;
    transaction.commit().await?;
    Ok(())
}

fn license_entry(
    action: &'static str,
    resource: &subscription_resource::Model,
    person: &person::Model,
) -> audit::Entry<'static> {
    audit::Entry {
        action,
        target_type: "person",
        target_id: Some(person.id.to_string()),
        details: Some(serde_json::json!({
            "subscription_id": resource.subscription_id,
            "resource_id": resource.id,
            "person": person.name,
        })),
    }
}

pub async fn holders_of(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    subscription_id: i32,
) -> Result<Vec<LicenseHolders>, AppError> {
    let customer_id = tenant.customer_id();
    let sub = subscription::Entity::find_by_id(subscription_id)
        .filter(subscription::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let rates: HashMap<i32, resource_rate::Model> = resource_rate::Entity::find()
        .filter(resource_rate::Column::PlanId.eq(sub.plan_id))
        .filter(resource_rate::Column::Kind.eq(ResourceKind::License))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let resources: Vec<subscription_resource::Model> = subscription_resource::Entity::find()
        .filter(subscription_resource::Column::SubscriptionId.eq(sub.id))
        .all(db)
        .await?
        .into_iter()
        .filter(|r| rates.contains_key(&r.resource_rate_id))
        .collect();
    let assignments = license_assignment::Entity::find()
        .filter(
            license_assignment::Column::SubscriptionResourceId
                .is_in(resources.iter().map(|r| r.id)),
        )
        .all(db)
        .await?;
    let people: HashMap<i32, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(assignments.iter().map(|a| a.person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(resources
        .into_iter()
        .map(|r| {
            let mut holders: Vec<LicenseHolder> = assignments
                .iter()
                .filter(|a| a.subscription_resource_id == r.id)
                .filter_map(|a| people.get(&a.person_id))
                .map(|p| LicenseHolder {
                    person_id: p.id,
                    name: p.name.clone(),
                    email: p.email.clone(),
                })
                .collect();
            holders.sort_by_key(|h| h.name.to_lowercase());
            LicenseHolders {
                resource_id: r.id,
                resource_name: rates[&r.resource_rate_id].name.clone(),
                limit: r.limit_units,
                holders,
            }
        })
        .collect())
}

/// The person of the account with this sign-in email, to hold a license of `resource_id`. A
/// resource of another account is `NotFound` before the email is looked at.
pub async fn holder_by_email(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    resource_id: i32,
    email: &crate::domain::Email,
) -> Result<i32, AppError> {
    let customer_id = tenant.customer_id();
    let resource = subscription_resource::Entity::find_by_id(resource_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    subscription::Entity::find_by_id(resource.subscription_id)
        .filter(subscription::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    person::Entity::find()
        .filter(person::Column::CustomerId.eq(customer_id))
        .filter(person::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| AppError::validation("email", "No one in this account has this email."))
}

/// The licenses one person of the account holds, newest first: one query, joined along the
/// entities' relations, and scoped to the account (an assignment can only point into it, but
/// that is never trusted).
pub async fn held_by(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    person_id: i32,
) -> Result<Vec<MyService>, AppError> {
    use sea_orm::{JoinType, RelationTrait};
    let rows: Vec<(String, String, String, String, String, DateTime<Utc>)> =
        license_assignment::Entity::find()
            .select_only()
            .column(product::Column::Name)
            .column(product::Column::Vendor)
            .column(product::Column::Icon)
            .column(product::Column::Color)
            .column(resource_rate::Column::Name)
            .column(license_assignment::Column::AssignedAt)
            .join(
                JoinType::InnerJoin,
                license_assignment::Relation::SubscriptionResource.def(),
            )
            .join(
                JoinType::InnerJoin,
                subscription_resource::Relation::Subscription.def(),
            )
            .join(
                JoinType::InnerJoin,
                subscription_resource::Relation::ResourceRate.def(),
            )
            .join(JoinType::InnerJoin, subscription::Relation::Plan.def())
            .join(JoinType::InnerJoin, plan::Relation::Product.def())
            .filter(license_assignment::Column::PersonId.eq(person_id))
            .filter(subscription::Column::CustomerId.eq(tenant.customer_id()))
            .order_by_desc(license_assignment::Column::AssignedAt)
            .order_by_desc(license_assignment::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(
            |(product_name, vendor, icon, color, resource_name, assigned_at)| MyService {
                product_name,
                vendor,
                icon,
                color,
                resource_name,
                assigned_at,
            },
        )
        .collect())
}

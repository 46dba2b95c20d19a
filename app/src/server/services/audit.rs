//! The append-only audit log: who did what, on whose behalf, to which target, from where.

use crate::domain::PageRequest;
use crate::dto::activity::{ActivityEntry, ActivityPage};
use crate::error::AppError;
use crate::server::Actor;
use crate::server::Tenant;
use crate::server::entities::{audit_log, billing_document, customer, order, person};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;

/// Who did it: the signed-in person, and the reseller user behind them when impersonating.
pub struct Who {
    pub reseller_id: Option<i32>,
    pub customer_id: Option<i32>,
    pub person_id: i32,
    pub name: String,
    pub impersonator: Option<(i32, String)>,
}

impl From<&Actor> for Who {
    fn from(actor: &Actor) -> Self {
        Self {
            reseller_id: Some(actor.reseller_id),
            customer_id: actor.customer_id,
            person_id: actor.person_id,
            name: actor.name.clone(),
            // Named with their reseller, as the customer's Activity page shows them: "Rita
            // Reseller (Northwind Cloud) for Olivia Owner".
            impersonator: actor
                .impersonator
                .as_ref()
                .map(|i| (i.person_id, staff_label(&i.name, &actor.reseller_name))),
        }
    }
}

/// How reseller staff are named in a customer's log: with their reseller.
pub fn staff_label(name: &str, reseller_name: &str) -> String {
    format!("{name} ({reseller_name})")
}

impl Who {
    /// A person acting for themselves without a session (e.g. through an emailed link).
    pub async fn of_person(
        db: &impl ConnectionTrait,
        person: &person::Model,
    ) -> Result<Self, AppError> {
        let customer = match person.customer_id {
            Some(id) => customer::Entity::find_by_id(id).one(db).await?,
            None => None,
        };
        Ok(Self {
            reseller_id: customer
                .as_ref()
                .map(|c| c.reseller_id)
                .or(person.reseller_id),
            customer_id: person.customer_id,
            person_id: person.id,
            name: person.name.clone(),
            impersonator: None,
        })
    }
}

/// One entry to record. `details` is JSON (before/after values where useful).
pub struct Entry<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    pub details: Option<serde_json::Value>,
}

pub async fn record(
    db: &impl ConnectionTrait,
    who: impl Into<Who>,
    ip: Option<String>,
    at: DateTime<Utc>,
    entry: Entry<'_>,
) -> Result<(), AppError> {
    let who = who.into();
    let (impersonator_id, impersonator_name) = who.impersonator.unzip();
    audit_log::ActiveModel {
        id: NotSet,
        reseller_id: Set(who.reseller_id),
        customer_id: Set(who.customer_id),
        actor_id: Set(Some(who.person_id)),
        actor_name: Set(Some(who.name)),
        impersonator_id: Set(impersonator_id),
        impersonator_name: Set(impersonator_name),
        action: Set(entry.action.to_owned()),
        target_type: Set(entry.target_type.to_owned()),
        target_id: Set(entry.target_id),
        details: Set(entry.details.map(|d| d.to_string())),
        ip: Set(ip),
        created_at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// An entry made by the system itself (a background worker), with no person behind it.
pub async fn record_system(
    db: &impl ConnectionTrait,
    customer: &customer::Model,
    system: &str,
    at: DateTime<Utc>,
    entry: Entry<'_>,
) -> Result<(), AppError> {
    audit_log::ActiveModel {
        id: NotSet,
        reseller_id: Set(Some(customer.reseller_id)),
        customer_id: Set(Some(customer.id)),
        actor_id: Set(None),
        actor_name: Set(Some(system.to_owned())),
        impersonator_id: Set(None),
        impersonator_name: Set(None),
        action: Set(entry.action.to_owned()),
        target_type: Set(entry.target_type.to_owned()),
        target_id: Set(entry.target_id),
        details: Set(entry.details.map(|d| d.to_string())),
        ip: Set(None),
        created_at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Which entries the Activity page shows.
pub struct Filter<'a> {
    pub action_prefix: Option<&'a str>,
    /// First and last day shown (UTC), both included.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// One page of a customer's audit entries, newest first.
pub async fn list_for_customer(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    filter: &Filter<'_>,
    page: PageRequest,
) -> Result<ActivityPage, AppError> {
    let customer_id = tenant.customer_id();
    let midnight = |day: chrono::NaiveDate| day.and_time(chrono::NaiveTime::MIN).and_utc();
    let mut select =
        audit_log::Entity::find().filter(audit_log::Column::CustomerId.eq(customer_id));
    if let Some(prefix) = filter.action_prefix {
        select = select.filter(audit_log::Column::Action.starts_with(prefix));
    }
    if let Some(from) = filter.from {
        select = select.filter(audit_log::Column::CreatedAt.gte(midnight(from)));
    }
    if let Some(next_day) = filter.to.and_then(|to| to.succ_opt()) {
        select = select.filter(audit_log::Column::CreatedAt.lt(midnight(next_day)));
    }
    let found = select
        .order_by_desc(audit_log::Column::CreatedAt)
        .order_by_desc(audit_log::Column::Id)
        .offset(page.offset())
        .limit(page.fetch())
        .all(db)
        .await?;
    let names = Targets::load(db, customer_id, &found).await?;
    Ok(page.page_of(found).map(|r| {
        let (target_name, target_href) = names.target(&r.target_type, r.target_id.as_deref());
        let actor_id = r.actor_id.filter(|id| names.people.contains_key(id));
        entry(r, actor_id, target_name, target_href)
    }))
}

/// A log row as a page shows it; `actor_id`, `target_name` and `target_href` only where the
/// viewer may open them.
pub fn entry(
    r: audit_log::Model,
    actor_id: Option<i32>,
    target_name: Option<String>,
    target_href: Option<String>,
) -> ActivityEntry {
    ActivityEntry {
        id: r.id,
        at: r.created_at,
        actor_id,
        actor_name: r.actor_name,
        impersonator_name: r.impersonator_name,
        action: r.action,
        target_type: r.target_type,
        target_id: r.target_id,
        target_name,
        target_href,
        details: r.details,
        ip: r.ip,
    }
}

/// The people and orders a page of entries names, as they are now, so the log reads "Anna
/// Berg" instead of "person 6" and links to them. Only the account's own records are looked
/// up: an id in the log never reaches another tenant's data.
struct Targets {
    people: HashMap<i32, String>,
    /// Order and document numbers, with the page of each.
    numbered: HashMap<String, String>,
}

impl Targets {
    async fn load(
        db: &impl ConnectionTrait,
        customer_id: i32,
        entries: &[audit_log::Model],
    ) -> Result<Self, AppError> {
        let mut person_ids: Vec<i32> = entries.iter().filter_map(|e| e.actor_id).collect();
        let mut order_numbers = Vec::new();
        let mut document_numbers = Vec::new();
        for entry in entries {
            match (entry.target_type.as_str(), entry.target_id.as_deref()) {
                ("person", Some(id)) => person_ids.extend(id.parse::<i32>().ok()),
                ("order", Some(number)) => order_numbers.push(number.to_owned()),
                ("billing_document", Some(number)) => document_numbers.push(number.to_owned()),
                _ => {}
            }
        }
        person_ids.sort_unstable();
        person_ids.dedup();
        order_numbers.sort_unstable();
        order_numbers.dedup();
        let people = if person_ids.is_empty() {
            HashMap::new()
        } else {
            person::Entity::find()
                .filter(person::Column::CustomerId.eq(customer_id))
                .filter(person::Column::Id.is_in(person_ids))
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect()
        };
        let mut numbered = HashMap::new();
        if !order_numbers.is_empty() {
            for o in order::Entity::find()
                .filter(order::Column::CustomerId.eq(customer_id))
                .filter(order::Column::Number.is_in(order_numbers))
                .all(db)
                .await?
            {
                numbered.insert(o.number, format!("/orders/{}", o.id));
            }
        }
        if !document_numbers.is_empty() {
            for d in billing_document::Entity::find()
                .filter(billing_document::Column::CustomerId.eq(customer_id))
                .filter(billing_document::Column::Number.is_in(document_numbers))
                .all(db)
                .await?
            {
                numbered.insert(d.number, format!("/billing/{}", d.id));
            }
        }
        Ok(Self { people, numbered })
    }

    /// The name and page of a target.
    fn target(&self, kind: &str, id: Option<&str>) -> (Option<String>, Option<String>) {
        let Some(id) = id else {
            return (None, None);
        };
        match kind {
            "person" => match id
                .parse::<i32>()
                .ok()
                .and_then(|n| Some((n, self.people.get(&n)?)))
            {
                Some((n, name)) => (Some(name.clone()), Some(format!("/users/{n}"))),
                None => (None, None),
            },
            "order" | "billing_document" => (Some(id.to_owned()), self.numbered.get(id).cloned()),
            _ => (None, None),
        }
    }
}

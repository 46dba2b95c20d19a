//! The reseller panel: the reseller's own customers (listed, created, each one's general
//! information), its setting for cancellation requests, and what its staff did. Every query goes
//! through the caller's `ResellerScope`: another reseller's customer is simply not found.

use crate::domain::customer::NewCustomer;
use crate::domain::{
    Currency, CustomerStatus, OrderStatus, OrderType, PageRequest, Role, SearchText,
    SubscriptionStatus,
};
use crate::dto::reseller::{
    CUSTOMER_RECENT, CustomerDetail, CustomerOwner, ResellerActivityEntry, ResellerActivityPage,
    ResellerCustomer, ResellerOverview,
};
use crate::error::AppError;
use crate::server::entities::{audit_log, customer, order, person, reseller, subscription};
use crate::server::services::people::{self, NewPerson};
use crate::server::services::{audit, billing, orders, subscriptions};
use crate::server::{Actor, AppState, ResellerScope};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;

async fn count_by_customer<E: EntityTrait>(
    db: &impl ConnectionTrait,
    query: sea_orm::Select<E>,
    customer_col: E::Column,
    id_col: E::Column,
) -> Result<HashMap<i32, u64>, AppError> {
    Ok(query
        .select_only()
        .column(customer_col)
        .column_as(id_col.count(), "count")
        .group_by(customer_col)
        .into_tuple::<(Option<i32>, i64)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, u64::try_from(n).unwrap_or(0))))
        .collect())
}

/// The reseller's customers, to filter further.
fn customers_of(reseller_id: i32) -> sea_orm::Select<customer::Entity> {
    customer::Entity::find().filter(customer::Column::ResellerId.eq(reseller_id))
}

async fn the_reseller(
    db: &impl ConnectionTrait,
    scope: ResellerScope,
) -> Result<reseller::Model, AppError> {
    reseller::Entity::find_by_id(scope.reseller_id())
        .one(db)
        .await?
        .ok_or(AppError::Internal)
}

/// The reseller's home figures.
pub async fn overview(
    db: &impl ConnectionTrait,
    scope: ResellerScope,
) -> Result<ResellerOverview, AppError> {
    let reseller = the_reseller(db, scope).await?;
    let ids: Vec<i32> = customers_of(reseller.id)
        .select_only()
        .column(customer::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let live_subscriptions = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.is_in(ids.clone()))
        .filter(subscription::Column::Status.is_in(SubscriptionStatus::live()))
        .count(db)
        .await?;
    let pending_cancellations = order::Entity::find()
        .filter(order::Column::CustomerId.is_in(ids.clone()))
        .filter(order::Column::OrderType.eq(OrderType::Cancellation))
        .filter(order::Column::Status.eq(OrderStatus::PendingApproval))
        .count(db)
        .await?;
    Ok(ResellerOverview {
        reseller_name: reseller.name,
        customers: ids.len() as u64,
        live_subscriptions,
        pending_cancellations,
        auto_approve_cancellations: reseller.auto_approve_cancellations,
    })
}

/// The reseller's customers by name, those whose name or contact email contains `search`
/// (any case), of one status if given.
pub async fn list_customers(
    db: &impl ConnectionTrait,
    scope: ResellerScope,
    search: &SearchText,
    status: Option<CustomerStatus>,
) -> Result<Vec<ResellerCustomer>, AppError> {
    let mut select = customers_of(scope.reseller_id());
    if !search.as_str().is_empty() {
        let pattern = format!("%{}%", like_escaped(&search.as_str().to_lowercase()));
        let lower = |col: customer::Column| Expr::expr(Func::lower(Expr::col(col)));
        select = select.filter(
            lower(customer::Column::Name)
                .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\'))
                .or(lower(customer::Column::ContactEmail)
                    .like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\'))),
        );
    }
    if let Some(status) = status {
        select = select.filter(customer::Column::Status.eq(status));
    }
    let customers = select.order_by_asc(customer::Column::Name).all(db).await?;
    let ids: Vec<i32> = customers.iter().map(|c| c.id).collect();
    let people = count_by_customer(
        db,
        person::Entity::find().filter(person::Column::CustomerId.is_in(ids.clone())),
        person::Column::CustomerId,
        person::Column::Id,
    )
    .await?;
    let live = count_by_customer(
        db,
        subscription::Entity::find()
            .filter(subscription::Column::CustomerId.is_in(ids.clone()))
            .filter(subscription::Column::Status.is_in(SubscriptionStatus::live())),
        subscription::Column::CustomerId,
        subscription::Column::Id,
    )
    .await?;
    let owners: HashMap<i32, person::Model> = person::Entity::find()
        .filter(person::Column::CustomerId.is_in(ids))
        .filter(person::Column::Role.eq(Role::Owner))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.customer_id.map(|c| (c, p)))
        .collect();
    Ok(customers
        .into_iter()
        .map(|c| ResellerCustomer {
            people: people.get(&c.id).copied().unwrap_or(0),
            live_subscriptions: live.get(&c.id).copied().unwrap_or(0),
            owner_status: owners.get(&c.id).map(|p| p.status),
            id: c.id,
            name: c.name,
            country: c.country,
            status: c.status,
        })
        .collect())
}

/// `%`, `_` and the escape itself stand for themselves in a search.
fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A customer's general information page.
pub async fn get_customer(
    state: &AppState,
    scope: ResellerScope,
    customer_id: i32,
) -> Result<CustomerDetail, AppError> {
    let db = &state.db;
    let (tenant, c) = scope.customer(db, customer_id).await?;
    let owner = person::Entity::find()
        .filter(person::Column::CustomerId.eq(c.id))
        .filter(person::Column::Role.eq(Role::Owner))
        .one(db)
        .await?;
    let people = person::Entity::find()
        .filter(person::Column::CustomerId.eq(c.id))
        .count(db)
        .await?;
    let recent = PageRequest::new(1, CUSTOMER_RECENT);
    let recent_orders = orders::list_orders(db, tenant, None, None, recent)
        .await?
        .rows;
    let today = state.clock.now().date_naive();
    let recent_documents = billing::list_documents(db, tenant, recent, today)
        .await?
        .documents
        .rows;
    Ok(CustomerDetail {
        id: c.id,
        name: c.name,
        status: c.status,
        country: c.country,
        currency: c.currency.code().to_owned(),
        address: c.address,
        contact_name: c.contact_name,
        contact_email: c.contact_email,
        contact_phone: c.contact_phone,
        created_at: c.created_at,
        owner: owner.map(|o| CustomerOwner {
            name: o.name,
            email: o.email,
            status: o.status,
        }),
        people,
        subscriptions: subscriptions::list_subscriptions(db, tenant).await?,
        recent_orders,
        recent_documents,
    })
}

fn name_taken() -> AppError {
    AppError::validation(
        "company_name",
        "You already have a customer with this name.",
    )
}

/// Creates a customer of the reseller with its owner, who is invited by a welcome email (the
/// panel's address, their sign-in, an activation link), all in one transaction. Answers the new
/// customer's id.
pub async fn create_customer(
    state: &AppState,
    staff: &Actor,
    scope: ResellerScope,
    ip: Option<String>,
    new: NewCustomer,
) -> Result<i32, AppError> {
    let now = state.clock.now();
    let transaction = crate::server::transaction::begin_write(&state.db).await?;
    let txn = &transaction;
    let lower = Expr::expr(Func::lower(Expr::col(customer::Column::Name)));
    let taken = customers_of(scope.reseller_id())
        .filter(lower.eq(new.company_name.to_lowercase()))
        .count(txn)
        .await?;
    if taken > 0 {
        return Err(name_taken());
    }
    let created = customer::ActiveModel {
        id: NotSet,
        reseller_id: Set(scope.reseller_id()),
        name: Set(new.company_name.clone()),
        contact_email: Set(new.contact_email.as_str().to_owned()),
        country: Set(new.country.to_owned()),
        currency: Set(Currency::USD),
        status: Set(CustomerStatus::Active),
        address: Set(Some(new.address.clone())),
        contact_name: Set(Some(new.contact_name.as_str().to_owned())),
        contact_phone: Set(new.contact_phone.clone()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    let owner = NewPerson {
        name: new.owner_name.clone(),
        email: new.owner_email.clone(),
        role: Role::Owner,
        notification_email: None,
    };
    people::invite_into(
        txn,
        staff,
        &created,
        &owner,
        &state.settings.public_url,
        now,
    )
    .await
    .map_err(|err| match err {
        AppError::Validation { field, message } if field == "email" => {
            AppError::validation("owner_email", message)
        }
        other => other,
    })?;
    // Recorded in the new account too: its owner reads who opened it.
    let who = audit::Who {
        customer_id: Some(created.id),
        ..audit::Who::from(staff)
    };
    audit::record(
        txn,
        who,
        ip,
        now,
        audit::Entry {
            action: "customer.created",
            target_type: "customer",
            target_id: Some(created.id.to_string()),
            details: Some(serde_json::json!({
                "name": created.name,
                "country": created.country,
                "owner_email": new.owner_email.as_str(),
            })),
        },
    )
    .await?;
    transaction.commit().await?;
    tracing::info!(customer.id = created.id, "customer created");
    Ok(created.id)
}

/// Sends the welcome email again, with a fresh activation link, to the owner of the reseller's
/// customer who has not activated yet (their link expired or got lost).
pub async fn resend_welcome(
    state: &AppState,
    staff: &Actor,
    scope: ResellerScope,
    ip: Option<String>,
    customer_id: i32,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let (tenant, _) = scope.customer(&state.db, customer_id).await?;
    let transaction = crate::server::transaction::begin_write(&state.db).await?;
    let owner = people::welcome_owner_again(
        &transaction,
        staff,
        tenant,
        None,
        &state.settings.public_url,
        now,
    )
    .await?
    .ok_or_else(|| AppError::Conflict("The owner has already activated their account.".into()))?;
    let who = audit::Who {
        customer_id: Some(customer_id),
        ..audit::Who::from(staff)
    };
    audit::record(
        &transaction,
        who,
        ip,
        now,
        audit::Entry {
            action: "person.activation_sent",
            target_type: "person",
            target_id: Some(owner.id.to_string()),
            details: None,
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

/// Turns automatic approval of cancellation requests on or off; answers the new setting.
pub async fn set_auto_approve(
    state: &AppState,
    staff: &Actor,
    scope: ResellerScope,
    ip: Option<String>,
    on: bool,
) -> Result<bool, AppError> {
    let now = state.clock.now();
    let transaction = crate::server::transaction::begin_write(&state.db).await?;
    let current = the_reseller(&transaction, scope).await?;
    if current.auto_approve_cancellations != on {
        let mut row: reseller::ActiveModel = current.into();
        row.auto_approve_cancellations = Set(on);
        row.update(&transaction).await?;
        audit::record(
            &transaction,
            staff,
            ip,
            now,
            audit::Entry {
                action: "reseller.auto_approve_changed",
                target_type: "reseller",
                target_id: Some(scope.reseller_id().to_string()),
                details: Some(serde_json::json!({ "auto_approve_cancellations": on })),
            },
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(on)
}

/// What the reseller's staff did, newest first: in the reseller panel and in their customers'
/// panels.
pub async fn list_activity(
    db: &impl ConnectionTrait,
    scope: ResellerScope,
    page: PageRequest,
) -> Result<ResellerActivityPage, AppError> {
    let staff: Vec<i32> = person::Entity::find()
        .filter(person::Column::ResellerId.eq(scope.reseller_id()))
        .select_only()
        .column(person::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let found = audit_log::Entity::find()
        .filter(audit_log::Column::ResellerId.eq(scope.reseller_id()))
        .filter(
            audit_log::Column::ActorId
                .is_in(staff.clone())
                .or(audit_log::Column::ImpersonatorId.is_in(staff)),
        )
        .order_by_desc(audit_log::Column::CreatedAt)
        .order_by_desc(audit_log::Column::Id)
        .offset(page.offset())
        .limit(page.fetch())
        .all(db)
        .await?;
    let names: HashMap<i32, String> = customers_of(scope.reseller_id())
        .filter(customer::Column::Id.is_in(found.iter().filter_map(|e| e.customer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(page.page_of(found).map(|r| ResellerActivityEntry {
        customer_name: r.customer_id.and_then(|id| names.get(&id).cloned()),
        customer_id: r.customer_id,
        // The reseller's view names no target: they are the customers' records.
        entry: audit::entry(r, None, None, None),
    }))
}

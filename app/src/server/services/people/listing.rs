//! The users list: filters, search by the start of a name or email, and sorting that an index
//! can answer however large the account.

use crate::domain::{PageRequest, PersonStatus, Role};
use crate::dto::users::{COUNT_CAP, UserPage, UserRow, UserSort};
use crate::error::AppError;
use crate::server::Tenant;
use crate::server::entities::{license_assignment, person};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;

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

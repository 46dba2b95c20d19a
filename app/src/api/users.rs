//! People management for owner and admins: list, search, create, resend activation.

use crate::dto::users::{UserCommand, UserDetail, UserPage, UserRow};
use crate::error::AppError;
use leptos::prelude::*;

/// The users of the caller's account. `role` and `status` are empty for "any"; `search` matches
/// the start of the name or of the email address, ignoring case.
#[server(endpoint = "list_users")]
pub async fn list_users(
    search: String,
    role: String,
    status: String,
    sort: String,
    page: u64,
) -> Result<UserPage, AppError> {
    use super::context;
    use crate::domain::filter::optional;
    use crate::domain::{PageRequest, SearchText};
    use crate::domain::{PersonStatus, Role};
    use crate::dto::users::{USERS_PER_PAGE, UserSort};
    use crate::server::access::AccountManager;
    use crate::server::services::people::{self, PeopleQuery};

    let call = context::authorize::<AccountManager>().await?;
    let search = SearchText::parse(&search).map_err(|m| AppError::validation("search", m))?;
    let query = PeopleQuery {
        search: search.as_str().to_lowercase(),
        role: optional(&role, Role::parse)
            .map_err(|_| AppError::validation("role", "Choose a role from the list."))?,
        status: optional(&status, PersonStatus::parse)
            .map_err(|_| AppError::validation("status", "Choose a status from the list."))?,
        sort: UserSort::parse(&sort),
        page: PageRequest::new(page, USERS_PER_PAGE),
    };
    people::list_people(&call.state.db, call.scope, &query).await
}

/// Creates a person (`user` or `admin`) who receives an activation email.
#[server(endpoint = "create_user")]
pub async fn create_user(
    name: String,
    email: String,
    role: String,
    notification_email: String,
) -> Result<UserRow, AppError> {
    use super::context;
    use crate::domain::filter::optional;
    use crate::domain::{Email, PersonName, Role};
    use crate::server::access::AccountManager;
    use crate::server::services::people::{self, NewPerson};

    let call = context::authorize::<AccountManager>().await?;
    call.count_address_checks(1)?;
    let role = match Role::parse(role.trim()) {
        Ok(role @ (Role::User | Role::Admin)) => role,
        _ => return Err(AppError::validation("role", "Choose User or Admin.")),
    };
    let person = NewPerson {
        name: PersonName::parse(&name).map_err(|m| AppError::validation("name", m))?,
        email: Email::parse(&email).map_err(|m| AppError::validation("email", m))?,
        role,
        notification_email: optional(&notification_email, Email::parse)
            .map_err(|m| AppError::validation("notification_email", m))?,
    };
    people::create_person(&call.state, &call.actor, call.scope, call.ip, person).await
}

#[server(endpoint = "get_user")]
pub async fn get_user(id: i32) -> Result<UserDetail, AppError> {
    use super::context;
    use crate::server::access::AccountManager;
    use crate::server::services::people;

    let call = context::authorize::<AccountManager>().await?;
    people::get_person(&call.state, &call.actor, call.scope, id).await
}

#[server(endpoint = "update_user")]
pub async fn update_user(
    id: i32,
    name: String,
    notification_email: String,
) -> Result<(), AppError> {
    use super::context;
    use crate::domain::filter::optional;
    use crate::domain::{Email, PersonName};
    use crate::server::access::AccountManager;
    use crate::server::services::people::{self, PersonChange};

    let call = context::authorize::<AccountManager>().await?;
    let change = PersonChange::Details {
        name: PersonName::parse(&name).map_err(|m| AppError::validation("name", m))?,
        notification_email: optional(&notification_email, Email::parse)
            .map_err(|m| AppError::validation("notification_email", m))?,
    };
    people::change_person(&call.state, &call.actor, call.scope, call.ip, id, change).await
}

#[server(endpoint = "change_user")]
pub async fn change_user(id: i32, command: UserCommand) -> Result<(), AppError> {
    use super::context;
    use crate::server::access::AccountManager;
    use crate::server::services::people::{self, PersonChange};

    let call = context::authorize::<AccountManager>().await?;
    let change = PersonChange::Command(command);
    people::change_person(&call.state, &call.actor, call.scope, call.ip, id, change).await
}

/// Checks a CSV file of people (columns name,email,role) without writing anything: every row
/// with its problems, including addresses that already have an account.
#[server(endpoint = "preview_user_import", input = leptos::server_fn::codec::Json)]
pub async fn preview_user_import(
    csv: String,
) -> Result<crate::domain::user_import::ImportPreview, AppError> {
    use super::context;
    use crate::server::access::AccountManager;
    use crate::server::services::people;

    let call = context::authorize::<AccountManager>().await?;
    call.state
        .limits
        .import_preview
        .check(&call.actor.person_id.to_string())?;
    call.count_address_checks(csv.lines().count().min(MAX_ROWS + 1))?;
    people::preview_import(&call.state.db, &csv).await
}

/// Creates every person of the file, or none: a file with any bad row writes nothing.
#[server(endpoint = "import_users", input = leptos::server_fn::codec::Json)]
pub async fn import_users(csv: String) -> Result<u64, AppError> {
    use super::context;
    use crate::server::access::AccountManager;
    use crate::server::services::people;

    let call = context::authorize::<AccountManager>().await?;
    call.count_address_checks(csv.lines().count().min(MAX_ROWS + 1))?;
    people::import_people(&call.state, &call.actor, call.scope, call.ip, &csv).await
}

#[cfg(feature = "ssr")]
use crate::domain::user_import::MAX_ROWS;

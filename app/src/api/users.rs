//! People management for owner and admins: list, search, create, resend activation.

use crate::domain::{PersonStatus, Role};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One row of the users list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub status: PersonStatus,
    /// Licenses assigned to this person.
    pub services: u64,
}

/// Sort orders of the users list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserSort {
    #[default]
    NameAsc,
    NameDesc,
    EmailAsc,
    EmailDesc,
    Newest,
}

impl UserSort {
    pub const ALL: &'static [UserSort] = &[
        Self::NameAsc,
        Self::NameDesc,
        Self::EmailAsc,
        Self::EmailDesc,
        Self::Newest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NameAsc => "name",
            Self::NameDesc => "-name",
            Self::EmailAsc => "email",
            Self::EmailDesc => "-email",
            Self::Newest => "newest",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NameAsc => "Name A–Z",
            Self::NameDesc => "Name Z–A",
            Self::EmailAsc => "Email A–Z",
            Self::EmailDesc => "Email Z–A",
            Self::Newest => "Newest first",
        }
    }

    pub fn parse(text: &str) -> Self {
        Self::ALL
            .iter()
            .copied()
            .find(|s| s.as_str() == text)
            .unwrap_or_default()
    }
}

pub const USERS_PER_PAGE: u64 = 50;
/// Counting stops here: "more than 1,000 people" is as useful as the exact figure, and the
/// count then costs the same for 10,000 people as for 10 million.
pub const COUNT_CAP: u64 = 1_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserPage {
    pub rows: Vec<UserRow>,
    /// Matching people, at most `COUNT_CAP + 1` (then shown as "10,000+").
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// There are more people after this page.
    pub has_next: bool,
    /// A search with more than `COUNT_CAP` matches lists the people whose sorted field matches
    /// first, then the others, each group in order: sorting them all together would cost as
    /// much as the account is large.
    pub grouped: bool,
}

impl UserPage {
    pub fn total_is_capped(&self) -> bool {
        self.total > COUNT_CAP
    }

    /// The number of pages, when the count is exact.
    pub fn last_page(&self) -> Option<u64> {
        (!self.total_is_capped()).then(|| self.total.div_ceil(self.per_page).max(1))
    }
}

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
    use crate::domain::SearchText;
    use crate::server::access::AccountManager;
    use crate::server::services::people::{self, PeopleQuery};

    let call = context::authorize::<AccountManager>().await?;
    let search = SearchText::parse(&search).map_err(|m| AppError::validation("search", m))?;
    let query = PeopleQuery {
        search: search.as_str().to_lowercase(),
        role: Some(role.as_str())
            .filter(|r| !r.is_empty())
            .map(|r| {
                Role::parse(r)
                    .map_err(|_| AppError::validation("role", "Choose a role from the list."))
            })
            .transpose()?,
        status: Some(status.as_str())
            .filter(|s| !s.is_empty())
            .map(|s| {
                PersonStatus::parse(s)
                    .map_err(|_| AppError::validation("status", "Choose a status from the list."))
            })
            .transpose()?,
        sort: UserSort::parse(&sort),
        page: page.clamp(1, super::orders::MAX_PAGE),
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
    use crate::domain::{Email, PersonName};
    use crate::server::access::AccountManager;
    use crate::server::services::people::{self, NewPerson};

    let call = context::authorize::<AccountManager>().await?;
    address_checks(&call, 1)?;
    let role = match Role::parse(role.trim()) {
        Ok(role @ (Role::User | Role::Admin)) => role,
        _ => return Err(AppError::validation("role", "Choose User or Admin.")),
    };
    let person = NewPerson {
        name: PersonName::parse(&name).map_err(|m| AppError::validation("name", m))?,
        email: Email::parse(&email).map_err(|m| AppError::validation("email", m))?,
        role,
        notification_email: Some(notification_email.trim())
            .filter(|e| !e.is_empty())
            .map(|e| Email::parse(e).map_err(|m| AppError::validation("notification_email", m)))
            .transpose()?,
    };
    people::create_person(&call.state, &call.actor, call.scope, call.ip, person).await
}

/// A sign-in attempt, for the user page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginEntry {
    pub at: chrono::DateTime<chrono::Utc>,
    pub success: bool,
    pub failure_reason: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// What the caller may do to this person; the server checks the same rules on every call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserActions {
    /// Edit name and notification email.
    pub edit: bool,
    /// Send activation or password-reset links.
    pub send_links: bool,
    pub change_role: bool,
    pub disable: bool,
    pub delete: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserDetail {
    pub user: UserRow,
    pub notification_email: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
    pub services: Vec<crate::api::me::MyService>,
    /// The latest sign-in attempts, newest first.
    pub logins: Vec<LoginEntry>,
    pub actions: UserActions,
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
    use crate::domain::{Email, PersonName};
    use crate::server::access::AccountManager;
    use crate::server::services::people::{self, PersonChange};

    let call = context::authorize::<AccountManager>().await?;
    let change = PersonChange::Details {
        name: PersonName::parse(&name).map_err(|m| AppError::validation("name", m))?,
        notification_email: Some(notification_email.trim())
            .filter(|e| !e.is_empty())
            .map(|e| Email::parse(e).map_err(|m| AppError::validation("notification_email", m)))
            .transpose()?,
    };
    people::change_person(&call.state, &call.actor, call.scope, call.ip, id, change).await
}

/// What `change_user` can do besides editing details.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserCommand {
    MakeAdmin,
    MakeUser,
    Disable,
    Enable,
    Unlock,
    ResendActivation,
    SendPasswordReset,
    Delete,
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
    address_checks(&call, csv.lines().count().min(MAX_ROWS + 1))?;
    people::preview_import(&call.state.db, &csv).await
}

/// Creates every person of the file, or none: a file with any bad row writes nothing.
#[server(endpoint = "import_users", input = leptos::server_fn::codec::Json)]
pub async fn import_users(csv: String) -> Result<u64, AppError> {
    use super::context;
    use crate::server::access::AccountManager;
    use crate::server::services::people;

    let call = context::authorize::<AccountManager>().await?;
    address_checks(&call, csv.lines().count().min(MAX_ROWS + 1))?;
    people::import_people(&call.state, &call.actor, call.scope, call.ip, &csv).await
}

#[cfg(feature = "ssr")]
use crate::domain::user_import::MAX_ROWS;

/// Counts `addresses` against the caller's budget of checks against existing sign-ins.
#[cfg(feature = "ssr")]
fn address_checks<S>(call: &super::context::Call<S>, addresses: usize) -> Result<(), AppError> {
    let addresses = u32::try_from(addresses).unwrap_or(u32::MAX);
    call.state
        .limits
        .address_checks
        .check_n(&call.actor.person_id.to_string(), addresses)
}

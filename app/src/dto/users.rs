//! People management for owner and admins: list, search, create, resend activation.

use crate::domain::{Page, PersonStatus, Role};
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
    pub people: Page<UserRow>,
    /// Matching people, at most `COUNT_CAP + 1` (then shown as "10,000+").
    pub total: u64,
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
        (!self.total_is_capped()).then(|| self.total.div_ceil(self.people.per_page).max(1))
    }
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
    pub services: Vec<crate::dto::me::MyService>,
    /// The latest sign-in attempts, newest first.
    pub logins: Vec<LoginEntry>,
    pub actions: UserActions,
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

//! One's own account: activation, password-reset and email-change links (no session needed),
//! and changing one's password or sign-in email.

use serde::{Deserialize, Serialize};

/// Who an activation link is for, to greet them on the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub name: String,
    pub email: String,
    pub customer_name: String,
}

//! Roles and what each may do. The server checks these; the UI only mirrors them.

use super::status::text_enum;
use serde::{Deserialize, Serialize};

text_enum!(
    Role {
        Owner => ("owner", "Owner"),
        Admin => ("admin", "Admin"),
        User => ("user", "User"),
        ResellerAdmin => ("reseller_admin", "Reseller admin"),
    }
);

impl Role {
    /// Owner and admins manage the customer account: people, orders, billing, activity.
    pub fn manages_account(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }

    pub fn is_reseller(self) -> bool {
        matches!(self, Role::ResellerAdmin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_manages_the_account() {
        assert!(Role::Owner.manages_account());
        assert!(Role::Admin.manages_account());
        assert!(!Role::User.manages_account());
        assert!(!Role::ResellerAdmin.manages_account());
        assert_eq!(Role::parse("reseller_admin"), Ok(Role::ResellerAdmin));
    }
}

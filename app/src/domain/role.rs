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

/// What an owner or admin may do to a person of their account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonAction {
    Edit,
    ChangeRole,
    Disable,
    Delete,
    Unlock,
    SendLinks,
}

/// The rules of DESIGN.md: nobody demotes, disables or deletes the owner here (ownership moves
/// only by a transfer), nobody but the owner edits the owner's details or sends them links, and
/// nobody changes their own role or locks themselves out.
pub fn check_person_action(
    actor: Role,
    actor_is_target: bool,
    target: Role,
    action: PersonAction,
) -> Result<(), &'static str> {
    use PersonAction::*;
    if !actor.manages_account() {
        return Err("Only the owner and admins manage people.");
    }
    let drastic = matches!(action, ChangeRole | Disable | Delete);
    if drastic && target == Role::Owner {
        return Err("The owner cannot be demoted, disabled or deleted.");
    }
    if drastic && actor_is_target {
        return Err("You cannot change your own role, disable or delete yourself.");
    }
    // The owner's contact data and password are the keys to the account: only the owner
    // changes them (on their profile); nobody else may redirect or reset them.
    if matches!(action, Edit | SendLinks) && target == Role::Owner && !actor_is_target {
        return Err("Only the owner can change the owner's details or reset their password.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_is_protected_and_nobody_locks_themselves_out() {
        use PersonAction::*;
        for action in [ChangeRole, Disable, Delete] {
            assert!(check_person_action(Role::Admin, false, Role::Owner, action).is_err());
            assert!(check_person_action(Role::Owner, true, Role::Owner, action).is_err());
            assert!(check_person_action(Role::Admin, true, Role::Admin, action).is_err());
            assert!(check_person_action(Role::Admin, false, Role::Admin, action).is_ok());
            assert!(check_person_action(Role::Owner, false, Role::User, action).is_ok());
        }
        for action in [Edit, Unlock, SendLinks] {
            assert!(check_person_action(Role::Admin, true, Role::Admin, action).is_ok());
            assert!(check_person_action(Role::Admin, false, Role::Admin, action).is_ok());
            assert!(check_person_action(Role::Owner, true, Role::Owner, action).is_ok());
        }
        // An admin may unlock the owner, but not edit them or send them a reset link.
        assert!(check_person_action(Role::Admin, false, Role::Owner, Unlock).is_ok());
        for action in [Edit, SendLinks] {
            assert!(check_person_action(Role::Admin, false, Role::Owner, action).is_err());
        }
        assert!(check_person_action(Role::User, false, Role::User, Edit).is_err());
    }

    #[test]
    fn who_manages_the_account() {
        assert!(Role::Owner.manages_account());
        assert!(Role::Admin.manages_account());
        assert!(!Role::User.manages_account());
        assert!(!Role::ResellerAdmin.manages_account());
        assert_eq!(Role::parse("reseller_admin"), Ok(Role::ResellerAdmin));
    }
}

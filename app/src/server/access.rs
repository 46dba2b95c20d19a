//! Who may call what: the access rules every server function names at its top, and the scopes
//! they admit a caller to.
//!
//! A [`Tenant`] can only be made here (its field is private), so a service that takes one can
//! only be reached through a rule that checked the caller's role and account. Rules about the
//! *target* of an action (an admin and the owner, oneself) are domain rules
//! (`domain::role::check_person_action`), checked by the service that loads the target.

use super::auth::Actor;
use super::entities::customer;
use crate::error::AppError;

/// A customer account the caller has been admitted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tenant {
    customer_id: i32,
}

impl Tenant {
    pub fn customer_id(self) -> i32 {
        self.customer_id
    }

    /// For work that no caller asked for (background workers, benchmarks, demo data): they act
    /// for a customer they already hold. Never call this from an endpoint.
    pub fn for_system_task(customer_id: i32) -> Self {
        Self { customer_id }
    }
}

/// A reseller whose own panel the caller works in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResellerScope {
    reseller_id: i32,
}

impl ResellerScope {
    pub fn reseller_id(self) -> i32 {
        self.reseller_id
    }

    /// One of the reseller's own customers, as an account its staff look at from the reseller
    /// panel. Another reseller's customer, and an unknown id, are not found.
    pub async fn customer(
        self,
        db: &impl sea_orm::ConnectionTrait,
        customer_id: i32,
    ) -> Result<(Tenant, customer::Model), AppError> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let found = customer::Entity::find_by_id(customer_id)
            .filter(customer::Column::ResellerId.eq(self.reseller_id))
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((Tenant { customer_id }, found))
    }
}

/// An access rule: admits an authenticated caller, or refuses with `Forbidden`.
pub trait Access {
    type Scope;
    fn admit(actor: &Actor) -> Result<Self::Scope, AppError>;
}

/// Anyone signed in (customer people and reseller staff): things about oneself.
pub struct SignedIn;

/// Any person of a customer account, service users included: their own services.
pub struct CustomerPerson;

/// The owner and admins of a customer account (and reseller staff acting as its owner).
pub struct AccountManager;

/// Reseller staff in their own reseller panel (not while acting for a customer).
pub struct ResellerStaff;

/// Whose emails a caller may read in the developer outbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mailboxes {
    /// The people of one customer account.
    Account(Tenant),
    /// The reseller's staff and the people of all its customers.
    Reseller(ResellerScope),
}

/// The owner and admins of an account, and reseller staff in their own panel: the developer
/// outbox, each with the emails of the people they look after.
pub struct OutboxReader;

impl Access for OutboxReader {
    type Scope = Mailboxes;
    fn admit(actor: &Actor) -> Result<Mailboxes, AppError> {
        AccountManager::admit(actor)
            .map(Mailboxes::Account)
            .or_else(|_| ResellerStaff::admit(actor).map(Mailboxes::Reseller))
    }
}

/// Reseller staff acting for a customer ("log in to Customer Control Panel"): the way back.
pub struct ActingStaff;

impl Access for ActingStaff {
    type Scope = ();
    fn admit(actor: &Actor) -> Result<(), AppError> {
        match actor.impersonator {
            Some(_) => Ok(()),
            None => Err(AppError::Forbidden),
        }
    }
}

impl Access for SignedIn {
    type Scope = ();
    fn admit(_: &Actor) -> Result<(), AppError> {
        Ok(())
    }
}

impl Access for CustomerPerson {
    type Scope = Tenant;
    fn admit(actor: &Actor) -> Result<Tenant, AppError> {
        let customer_id = actor.customer_id.ok_or(AppError::Forbidden)?;
        Ok(Tenant { customer_id })
    }
}

impl Access for AccountManager {
    type Scope = Tenant;
    fn admit(actor: &Actor) -> Result<Tenant, AppError> {
        match actor.customer_id {
            Some(customer_id) if actor.role.manages_account() => Ok(Tenant { customer_id }),
            _ => Err(AppError::Forbidden),
        }
    }
}

impl Access for ResellerStaff {
    type Scope = ResellerScope;
    fn admit(actor: &Actor) -> Result<ResellerScope, AppError> {
        if actor.role.is_reseller() && actor.impersonator.is_none() && actor.customer_id.is_none() {
            Ok(ResellerScope {
                reseller_id: actor.reseller_id,
            })
        } else {
            Err(AppError::Forbidden)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn actor(role: Role, customer_id: Option<i32>) -> Actor {
        Actor {
            session_id: "s".into(),
            person_id: 1,
            name: "A".into(),
            email: "a@example.com".into(),
            role,
            customer_id,
            customer_name: None,
            reseller_id: 9,
            reseller_name: "R".into(),
            impersonator: None,
        }
    }

    #[test]
    fn each_rule_admits_exactly_its_roles() {
        let owner = actor(Role::Owner, Some(3));
        let admin = actor(Role::Admin, Some(3));
        let user = actor(Role::User, Some(3));
        let staff = actor(Role::ResellerAdmin, None);

        for who in [&owner, &admin] {
            assert_eq!(AccountManager::admit(who).unwrap().customer_id(), 3);
        }
        for who in [&user, &staff] {
            assert_eq!(AccountManager::admit(who), Err(AppError::Forbidden));
        }
        assert_eq!(CustomerPerson::admit(&user).unwrap().customer_id(), 3);
        assert_eq!(CustomerPerson::admit(&staff), Err(AppError::Forbidden));
        assert_eq!(ResellerStaff::admit(&staff).unwrap().reseller_id(), 9);
        for who in [&owner, &admin, &user] {
            assert_eq!(ResellerStaff::admit(who), Err(AppError::Forbidden));
        }
        for who in [&owner, &admin, &user, &staff] {
            assert!(SignedIn::admit(who).is_ok());
        }
    }
}

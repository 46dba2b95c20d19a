//! Assigning licenses of license-type resources to people of the account.

use serde::{Deserialize, Serialize};

/// A license-type resource of a live subscription, seen from one person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenseSlot {
    pub subscription_id: i32,
    pub resource_id: i32,
    pub product_name: String,
    /// Which plan of the product: two subscriptions of one product differ by it.
    pub plan_name: String,
    pub resource_name: String,
    pub limit: i64,
    pub assigned: i64,
    /// Whether the person in question holds one of these licenses.
    pub held: bool,
}

/// A person holding a license.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenseHolder {
    pub person_id: i32,
    pub name: String,
    pub email: String,
}

/// A license-type resource of one subscription, with who holds its licenses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenseHolders {
    pub resource_id: i32,
    pub resource_name: String,
    pub limit: i64,
    pub holders: Vec<LicenseHolder>,
}

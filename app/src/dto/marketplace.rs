//! The in-panel marketplace: browsing the catalog and pricing an order before it is placed.

use crate::domain::{BillingPeriod, Money, ResourceKind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryCount {
    pub name: String,
    pub products: u64,
}

/// A product as a marketplace card shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    pub id: i32,
    pub vendor: String,
    pub name: String,
    pub category: String,
    pub short_description: String,
    pub icon: String,
    pub color: String,
    /// The lowest price a month over the product's plans, annual plans counted by the month
    /// ("from $6.00 per month"), so tiles compare.
    pub from_monthly: Option<Money>,
    /// Set when the product has no price until something is used or bought: `from_monthly` is
    /// then the cheapest price of one of these units ("from $0.05 per GB per month").
    pub from_unit: Option<String>,
    /// Some plan starts with a free trial.
    pub has_trial: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Marketplace {
    /// Every category with its number of products, whatever the search.
    pub categories: Vec<CategoryCount>,
    pub products: Vec<ProductCard>,
}

/// A resource of a plan, with what the customer may choose.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateOffer {
    pub id: i32,
    pub name: String,
    pub unit: String,
    pub kind: ResourceKind,
    pub included: i64,
    pub min: i64,
    pub max: Option<i64>,
    pub unit_price: Money,
    /// What the order form starts with.
    pub default_units: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanOffer {
    pub id: i32,
    pub name: String,
    pub billing_period: BillingPeriod,
    pub price: Money,
    /// One period at the smallest quantities the plan can be bought with.
    pub from_price: Money,
    pub setup_fee: Money,
    pub trial_days: i32,
    /// False when the customer has already had this product's trial: the plan is then sold
    /// without one.
    pub trial_available: bool,
    pub refund_policy: String,
    pub cancellable_online: bool,
    pub resources: Vec<RateOffer>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub card: ProductCard,
    pub long_description: String,
    pub plans: Vec<PlanOffer>,
}

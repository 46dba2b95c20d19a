//! Rules of ordering a new subscription that do not depend on storage: the quantities a
//! customer may choose, the dates a new subscription gets, and its refund policy in plain words.

use super::BillingPeriod;
use chrono::{Days, Months, NaiveDate};

/// The limits a resource rate puts on the quantity ordered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitBounds {
    pub min: i64,
    /// `None`: unlimited.
    pub max: Option<i64>,
}

impl UnitBounds {
    /// The most units of one resource an order can ask for, also where the plan sets no
    /// maximum: beyond it an order is a typo or an attack (a trillion licenses would overflow
    /// the account's balance), and a real need goes through the reseller.
    pub const CEILING: i64 = 1_000_000;

    /// Refuses a quantity outside the limits, saying which limit and in the resource's words.
    pub fn check(&self, resource: &str, unit: &str, units: i64) -> Result<(), String> {
        if units < self.min {
            return Err(format!(
                "{resource}: at least {} {unit} (you asked for {units}).",
                self.min
            ));
        }
        if let Some(max) = self.max.filter(|max| units > *max && *max <= Self::CEILING) {
            return Err(format!(
                "{resource}: at most {max} {unit} (you asked for {units})."
            ));
        }
        if units > Self::CEILING {
            return Err(format!(
                "{resource}: at most {} {unit} can be ordered here (you asked for {units}); \
                 ask your reseller for more.",
                Self::CEILING
            ));
        }
        Ok(())
    }
}

/// The first period of a subscription starting on `start`: it ends one billing period later,
/// or at the end of the trial when there is one.
pub fn first_period(
    start: NaiveDate,
    period: BillingPeriod,
    trial_days: i32,
) -> (NaiveDate, NaiveDate) {
    let end = if trial_days > 0 {
        start.checked_add_days(Days::new(trial_days as u64))
    } else {
        start.checked_add_months(Months::new(period.months()))
    };
    (start, end.unwrap_or(NaiveDate::MAX))
}

/// The refund policy of a plan, as the customer reads it before buying.
pub fn refund_policy_words(full_refund_days: i32, prorated_refund_days: i32) -> String {
    let days = |n: i32| {
        if n == 1 {
            "1 day".to_owned()
        } else {
            format!("{n} days")
        }
    };
    let full = full_refund_days.max(0);
    let prorated = prorated_refund_days.max(0);
    let refund: String = match (full, prorated) {
        (0, 0) => "No refund after purchase.".into(),
        (full, 0) => format!(
            "Full refund if cancelled within {} of the start or renewal; no refund after that.",
            days(full)
        ),
        (0, prorated) => format!(
            "Refund of the unused part if cancelled within {} of the start or renewal; no refund after that.",
            days(prorated)
        ),
        (full, prorated) => format!(
            "Full refund if cancelled within {} of the start or renewal, then a refund of the unused part until day {}; no refund after that.",
            days(full),
            prorated
        ),
    };
    refund + " Setup fees are not refunded."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_order_asks_for_more_than_the_ceiling() {
        let unlimited = UnitBounds { min: 0, max: None };
        assert!(
            unlimited
                .check("Storage", "GB", UnitBounds::CEILING)
                .is_ok()
        );
        let refused = unlimited
            .check("Storage", "GB", 160_000_000_000_000)
            .unwrap_err();
        assert!(refused.contains("ask your reseller"), "{refused}");
        let generous = UnitBounds {
            min: 1,
            max: Some(i64::MAX),
        };
        assert!(
            generous
                .check("Licenses", "licenses", UnitBounds::CEILING + 1)
                .is_err()
        );
    }

    #[test]
    fn bounds() {
        let seats = UnitBounds {
            min: 1,
            max: Some(300),
        };
        assert!(seats.check("Licenses", "licenses", 1).is_ok());
        assert!(seats.check("Licenses", "licenses", 300).is_ok());
        assert_eq!(
            seats.check("Licenses", "licenses", 0).unwrap_err(),
            "Licenses: at least 1 licenses (you asked for 0)."
        );
        assert!(
            seats
                .check("Licenses", "licenses", 301)
                .unwrap_err()
                .contains("at most 300")
        );
        // "No maximum" still stops at the ceiling.
        let unlimited = UnitBounds { min: 0, max: None };
        assert!(unlimited.check("Storage", "GB", 250_000).is_ok());
        assert!(unlimited.check("Storage", "GB", i64::MAX).is_err());
    }

    #[test]
    fn first_periods() {
        let start = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        assert_eq!(
            first_period(start, BillingPeriod::Monthly, 0).1,
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        assert_eq!(
            first_period(start, BillingPeriod::Annual, 0).1,
            NaiveDate::from_ymd_opt(2027, 1, 31).unwrap()
        );
        assert_eq!(
            first_period(start, BillingPeriod::Annual, 30).1,
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
    }

    #[test]
    fn refund_words() {
        assert_eq!(
            refund_policy_words(0, 0),
            "No refund after purchase. Setup fees are not refunded."
        );
        assert!(refund_policy_words(7, 0).starts_with("Full refund if cancelled within 7 days"));
        assert!(refund_policy_words(1, 30).contains("within 1 day"));
        assert!(refund_policy_words(1, 30).contains("until day 30"));
        assert!(refund_policy_words(0, 30).starts_with("Refund of the unused part"));
    }
}

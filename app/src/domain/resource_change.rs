//! Changing the limit of one resource of a running subscription: which new limits are allowed
//! (and the specific reason when one is not), what an increase costs for the rest of the period,
//! what a decrease credits, and when a decrease has to wait for the renewal.
//!
//! The same function prices the preview the person reads before confirming and the line the
//! billing document gets when the change order completes, so the two cannot disagree.
//!
//! Proration follows the design: `unit_price * delta_units * remaining_days / period_days`,
//! rounded half to even to the cent. Days are counted from `today` to the period's end (the
//! renewal date, exclusive), so a change on the first day of a period pays the whole period and
//! a change on its last day pays one day.

use super::money::{Currency, Money, mul_div_half_even};
use super::status::ResourceKind;
use chrono::{Days, NaiveDate};

/// One resource of a subscription as the change rules see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceLimit {
    pub name: String,
    pub unit: String,
    pub kind: ResourceKind,
    /// Units in the plan's price.
    pub included: i64,
    /// The limit today.
    pub limit: i64,
    pub min: i64,
    /// `None`: unlimited.
    pub max: Option<i64>,
    /// Assigned licenses, or the quota's current usage.
    pub in_use: i64,
    /// Price of one unit above the included ones, per billing period.
    pub unit_price_cents: i64,
    /// A reduction is credited only within this many days of the period's start (purchase or
    /// last renewal); 0: a reduction always waits for the renewal.
    pub downsize_window_days: i32,
}

/// The current billing period: `start` inclusive, `end` (the renewal date) exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn days(self) -> i64 {
        (self.end - self.start).num_days()
    }

    /// Days of service left from `today` (inclusive) to the end.
    pub fn days_left(self, today: NaiveDate) -> i64 {
        (self.end - today).num_days().clamp(0, self.days())
    }
}

/// Why a new limit is refused, with the words shown next to the field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LimitRefused {
    #[error("{resource}: at least {min} (you asked for {asked}).")]
    BelowMinimum {
        resource: String,
        min: i64,
        asked: i64,
    },
    #[error("{resource}: at most {max} (you asked for {asked}).")]
    AboveMaximum {
        resource: String,
        max: i64,
        asked: i64,
    },
    #[error(
        "{resource}: {in_use} are assigned to people; unassign some before lowering the limit to {asked}."
    )]
    BelowAssigned {
        resource: String,
        in_use: i64,
        asked: i64,
    },
    #[error(
        "{resource}: {in_use} {unit} are in use; the limit cannot go below that (you asked for {asked})."
    )]
    BelowUsage {
        resource: String,
        unit: String,
        in_use: i64,
        asked: i64,
    },
    #[error("{resource}: the limit is already {asked}.")]
    Unchanged { resource: String, asked: i64 },
    #[error("The amount is too large.")]
    Overflow,
}

/// What setting a new limit does, priced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitChange {
    /// A raise: charged now for the days left of the period.
    Charge(Proration),
    /// A reduction inside the downsize window: credited for the days left.
    Credit(Proration),
    /// A reduction after the window closed: it can only take effect at the renewal, on `on`.
    AtRenewal { on: NaiveDate },
    /// A change during a trial: no charge and no credit.
    Free,
}

/// A prorated amount and how it was reached, for the preview and the document line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proration {
    /// Units added (a charge) or removed (a credit), always positive.
    pub units: i64,
    pub unit_price: Money,
    pub days_left: i64,
    pub period_days: i64,
    /// Always positive; a credit note carries it as a credit.
    pub amount: Money,
    /// The span of service the amount covers: `from` inclusive, `until` exclusive.
    pub from: NaiveDate,
    pub until: NaiveDate,
}

impl ResourceLimit {
    /// Refuses a new limit outside the plan's bounds or below what is in use.
    pub fn check(&self, asked: i64) -> Result<(), LimitRefused> {
        let resource = self.name.clone();
        if asked == self.limit {
            return Err(LimitRefused::Unchanged { resource, asked });
        }
        if asked < self.min {
            return Err(LimitRefused::BelowMinimum {
                resource,
                min: self.min,
                asked,
            });
        }
        let ceiling = self
            .max
            .unwrap_or(super::ordering::UnitBounds::CEILING)
            .min(super::ordering::UnitBounds::CEILING);
        if asked > ceiling {
            return Err(LimitRefused::AboveMaximum {
                resource,
                max: ceiling,
                asked,
            });
        }
        if asked < self.in_use {
            return Err(match self.kind {
                ResourceKind::License => LimitRefused::BelowAssigned {
                    resource,
                    in_use: self.in_use,
                    asked,
                },
                ResourceKind::Quota => LimitRefused::BelowUsage {
                    resource,
                    unit: self.unit.clone(),
                    in_use: self.in_use,
                    asked,
                },
            });
        }
        Ok(())
    }

    /// The last day a reduction is still credited in `period`, or `None` when reductions always
    /// wait for the renewal.
    pub fn last_downsize_day(&self, period: Period) -> Option<NaiveDate> {
        let window = u64::try_from(self.downsize_window_days)
            .ok()
            .filter(|d| *d > 0)?;
        period
            .start
            .checked_add_days(Days::new(window - 1))
            .filter(|day| *day < period.end)
            .or_else(|| period.end.pred_opt())
    }

    /// Checks `asked` and prices the change on `today`. Units within the included ones cost
    /// nothing: only the part of the change above `included` is charged or credited.
    pub fn price_change(
        &self,
        asked: i64,
        period: Period,
        today: NaiveDate,
        trial: bool,
        currency: Currency,
    ) -> Result<LimitChange, LimitRefused> {
        self.check(asked)?;
        if trial {
            return Ok(LimitChange::Free);
        }
        let billed = |units: i64| (units - self.included).max(0);
        let delta = billed(asked) - billed(self.limit);
        if asked < self.limit {
            let in_window = self
                .last_downsize_day(period)
                .is_some_and(|last| today <= last);
            if !in_window {
                return Ok(LimitChange::AtRenewal { on: period.end });
            }
        }
        let days_left = period.days_left(today);
        let period_days = period.days();
        let cents = self
            .unit_price_cents
            .checked_mul(delta.abs())
            .and_then(|full| mul_div_half_even(full, days_left, period_days.max(1)))
            .ok_or(LimitRefused::Overflow)?;
        let proration = Proration {
            units: delta.abs(),
            unit_price: Money::new(self.unit_price_cents, currency),
            days_left,
            period_days,
            amount: Money::new(cents, currency),
            from: today.max(period.start),
            until: period.end,
        };
        Ok(if asked > self.limit {
            LimitChange::Charge(proration)
        } else {
            LimitChange::Credit(proration)
        })
    }

    /// What the resource costs per period at `limit` units.
    pub fn recurring_cents(&self, limit: i64) -> Option<i64> {
        self.unit_price_cents
            .checked_mul((limit - self.included).max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn licenses() -> ResourceLimit {
        ResourceLimit {
            name: "Licenses".into(),
            unit: "license".into(),
            kind: ResourceKind::License,
            included: 0,
            limit: 10,
            min: 1,
            max: Some(40),
            in_use: 7,
            unit_price_cents: 1_250,
            downsize_window_days: 7,
        }
    }

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    const JUNE: Period = Period {
        start: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        end: NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
    };

    #[test]
    fn refuses_each_bound_with_its_reason() {
        let r = licenses();
        assert!(matches!(
            r.check(0),
            Err(LimitRefused::BelowMinimum { min: 1, .. })
        ));
        assert!(matches!(
            r.check(41),
            Err(LimitRefused::AboveMaximum { max: 40, .. })
        ));
        assert!(matches!(
            r.check(6),
            Err(LimitRefused::BelowAssigned { in_use: 7, .. })
        ));
        assert!(matches!(r.check(10), Err(LimitRefused::Unchanged { .. })));
        let storage = ResourceLimit {
            kind: ResourceKind::Quota,
            unit: "GB".into(),
            in_use: 80,
            limit: 100,
            max: None,
            ..licenses()
        };
        let refused = storage.check(50).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Licenses: 80 GB are in use; the limit cannot go below that (you asked for 50)."
        );
        assert!(
            storage.check(2_000_000).is_err(),
            "unlimited still has the order ceiling"
        );
        assert!(r.check(7).is_ok() && r.check(40).is_ok());
    }

    #[test]
    fn a_raise_on_the_first_day_pays_the_whole_period_and_on_the_last_day_one_day() {
        let r = licenses();
        let LimitChange::Charge(first) =
            r.price_change(12, JUNE, JUNE.start, false, usd()).unwrap()
        else {
            panic!("a charge")
        };
        assert_eq!(
            (first.units, first.days_left, first.period_days),
            (2, 30, 30)
        );
        assert_eq!(first.amount.cents, 2_500);
        let LimitChange::Charge(last) = r
            .price_change(12, JUNE, date(2026, 6, 30), false, usd())
            .unwrap()
        else {
            panic!("a charge")
        };
        // 2 × 12.50 × 1/30 = 0.8333… → 0.83
        assert_eq!((last.days_left, last.amount.cents), (1, 83));
        assert_eq!((last.from, last.until), (date(2026, 6, 30), JUNE.end));
    }

    #[test]
    fn a_reduction_is_credited_inside_the_window_and_waits_for_the_renewal_after_it() {
        let r = licenses();
        // Day 7 of the period is the window's last day.
        assert_eq!(r.last_downsize_day(JUNE), Some(date(2026, 6, 7)));
        let LimitChange::Credit(credit) = r
            .price_change(8, JUNE, date(2026, 6, 7), false, usd())
            .unwrap()
        else {
            panic!("a credit")
        };
        // 2 × 12.50 × 24/30 = 20.00
        assert_eq!(
            (credit.units, credit.days_left, credit.amount.cents),
            (2, 24, 2_000)
        );
        assert_eq!(
            r.price_change(8, JUNE, date(2026, 6, 8), false, usd())
                .unwrap(),
            LimitChange::AtRenewal { on: JUNE.end }
        );
        let never = ResourceLimit {
            downsize_window_days: 0,
            ..licenses()
        };
        assert_eq!(
            never
                .price_change(8, JUNE, JUNE.start, false, usd())
                .unwrap(),
            LimitChange::AtRenewal { on: JUNE.end }
        );
    }

    #[test]
    fn only_units_above_the_included_ones_are_charged() {
        let r = ResourceLimit {
            included: 11,
            ..licenses()
        };
        let LimitChange::Charge(p) = r.price_change(13, JUNE, JUNE.start, false, usd()).unwrap()
        else {
            panic!("a charge")
        };
        assert_eq!((p.units, p.amount.cents), (2, 2_500));
        assert_eq!(r.recurring_cents(13), Some(2_500));
        assert_eq!(r.recurring_cents(5), Some(0));
    }

    #[test]
    fn a_trial_changes_limits_for_free() {
        assert_eq!(
            licenses()
                .price_change(20, JUNE, JUNE.start, true, usd())
                .unwrap(),
            LimitChange::Free
        );
    }

    #[test]
    fn leap_february_and_annual_periods_count_their_real_days() {
        let feb = Period {
            start: date(2028, 2, 1),
            end: date(2028, 3, 1),
        };
        assert_eq!(feb.days(), 29);
        let year = Period {
            start: date(2027, 3, 1),
            end: date(2028, 3, 1),
        };
        assert_eq!(year.days(), 366);
        let LimitChange::Charge(p) = licenses()
            .price_change(11, year, date(2028, 2, 29), false, usd())
            .unwrap()
        else {
            panic!("a charge")
        };
        // 12.50 × 1/366 = 0.0341… → 0.03
        assert_eq!((p.days_left, p.amount.cents), (1, 3));
    }

    proptest! {
        /// Whatever the period, day and quantities: the amount is the formula rounded half to
        /// even, never more than the full period's price, and a raise and the same reduction on
        /// the same day (inside the window) are the same amount.
        #[test]
        fn proration_is_the_formula(
            start_offset in 0i64..3_000,
            length in prop::sample::select(vec![28i64, 29, 30, 31, 365, 366]),
            day in 0i64..366,
            from in 1i64..100,
            to in 1i64..100,
            price in 0i64..100_000,
        ) {
            prop_assume!(from != to);
            let start = date(2026, 1, 1) + chrono::Duration::days(start_offset);
            let period = Period { start, end: start + chrono::Duration::days(length) };
            let today = start + chrono::Duration::days(day % length);
            let r = ResourceLimit {
                limit: from,
                min: 1,
                max: Some(100),
                in_use: 0,
                unit_price_cents: price,
                downsize_window_days: 400,
                ..licenses()
            };
            let change = r.price_change(to, period, today, false, usd()).unwrap();
            let (LimitChange::Charge(p) | LimitChange::Credit(p)) = change else {
                panic!("inside the window a change is always priced");
            };
            let delta = (to - from).abs();
            let left = (period.end - today).num_days();
            prop_assert_eq!(p.days_left, left);
            prop_assert_eq!(Some(p.amount.cents), mul_div_half_even(price * delta, left, length));
            prop_assert!(p.amount.cents <= price * delta);
            prop_assert!(p.amount.cents >= 0);
            let back = ResourceLimit { limit: to, ..r.clone() };
            let (LimitChange::Charge(q) | LimitChange::Credit(q)) =
                back.price_change(from, period, today, false, usd()).unwrap()
            else {
                panic!("priced");
            };
            prop_assert_eq!(q.amount, p.amount);
        }
    }
}

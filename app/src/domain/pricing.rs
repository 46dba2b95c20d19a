//! What a new subscription costs for its first period. The same code prices the preview the
//! customer sees and the invoice that is written, so the two cannot disagree.

use super::money::{Currency, Money};
use serde::{Deserialize, Serialize};

/// The price-relevant part of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanPrice {
    pub name: String,
    pub currency: Currency,
    pub price_cents: i64,
    pub setup_fee_cents: i64,
    pub trial_days: i32,
}

/// The price-relevant part of a resource rate, with the quantity ordered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceQuantity {
    pub name: String,
    pub included: i64,
    pub quantity: i64,
    pub unit_price_cents: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Plan,
    Resource,
    SetupFee,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Resource => "resource",
            Self::SetupFee => "setup_fee",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    pub kind: LineKind,
    pub description: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub lines: Vec<QuoteLine>,
    pub total: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("The amount is too large.")]
    Overflow,
    #[error("A quantity cannot be negative.")]
    NegativeQuantity,
}

/// Prices the first period: the plan's base price, every unit above the included ones, and the
/// setup fee. During a trial the first period is free and the setup fee is waived.
pub fn quote_new_subscription(
    plan: &PlanPrice,
    resources: &[ResourceQuantity],
) -> Result<Quote, PricingError> {
    let trial = plan.trial_days > 0;
    let charge = |cents: i64| if trial { 0 } else { cents };
    let money = |cents: i64| Money::new(cents, plan.currency);
    let mut lines = Vec::new();

    if plan.price_cents > 0 {
        lines.push(QuoteLine {
            kind: LineKind::Plan,
            description: plan.name.clone(),
            quantity: 1,
            unit_price: money(plan.price_cents),
            amount: money(charge(plan.price_cents)),
        });
    }
    for r in resources {
        if r.quantity < 0 {
            return Err(PricingError::NegativeQuantity);
        }
        let extra = (r.quantity - r.included).max(0);
        if extra == 0 {
            continue;
        }
        let amount = r
            .unit_price_cents
            .checked_mul(extra)
            .ok_or(PricingError::Overflow)?;
        lines.push(QuoteLine {
            kind: LineKind::Resource,
            description: r.name.clone(),
            quantity: extra,
            unit_price: money(r.unit_price_cents),
            amount: money(charge(amount)),
        });
    }
    if plan.setup_fee_cents > 0 {
        lines.push(QuoteLine {
            kind: LineKind::SetupFee,
            description: "Setup fee".into(),
            quantity: 1,
            unit_price: money(plan.setup_fee_cents),
            amount: money(charge(plan.setup_fee_cents)),
        });
    }
    let total = lines
        .iter()
        .try_fold(0i64, |sum, line| sum.checked_add(line.amount.cents))
        .ok_or(PricingError::Overflow)?;
    Ok(Quote {
        lines,
        total: money(total),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plan(price: i64, setup: i64, trial: i32) -> PlanPrice {
        PlanPrice {
            name: "Annual".into(),
            currency: Currency::USD,
            price_cents: price,
            setup_fee_cents: setup,
            trial_days: trial,
        }
    }

    fn seats(included: i64, quantity: i64, price: i64) -> ResourceQuantity {
        ResourceQuantity {
            name: "Licenses".into(),
            included,
            quantity,
            unit_price_cents: price,
        }
    }

    #[test]
    fn charges_units_above_included_and_setup_fee() {
        let quote = quote_new_subscription(&plan(1000, 4900, 0), &[seats(2, 10, 720)]).unwrap();
        assert_eq!(quote.lines.len(), 3);
        assert_eq!(quote.lines[1].quantity, 8);
        assert_eq!(quote.lines[1].amount.cents, 5760);
        assert_eq!(quote.total.cents, 1000 + 5760 + 4900);
    }

    #[test]
    fn trial_is_free() {
        let quote = quote_new_subscription(&plan(1000, 4900, 30), &[seats(0, 5, 720)]).unwrap();
        assert_eq!(quote.total.cents, 0);
        assert!(quote.lines.iter().all(|l| l.amount.cents == 0));
    }

    #[test]
    fn refuses_overflow_and_negative() {
        assert_eq!(
            quote_new_subscription(&plan(0, 0, 0), &[seats(0, i64::MAX, 2)]),
            Err(PricingError::Overflow)
        );
        assert_eq!(
            quote_new_subscription(&plan(0, 0, 0), &[seats(0, -1, 2)]),
            Err(PricingError::NegativeQuantity)
        );
    }

    proptest! {
        #[test]
        fn total_is_the_sum_of_lines(
            price in 0i64..1_000_000, setup in 0i64..100_000,
            included in 0i64..50, quantity in 0i64..10_000, unit in 0i64..100_000,
        ) {
            let quote = quote_new_subscription(&plan(price, setup, 0), &[seats(included, quantity, unit)]).unwrap();
            let sum: i64 = quote.lines.iter().map(|l| l.amount.cents).sum();
            prop_assert_eq!(quote.total.cents, sum);
            prop_assert_eq!(sum, price + setup + unit * (quantity - included).max(0));
        }
    }
}

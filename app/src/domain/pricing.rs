//! What a new subscription costs for its first period. The same code prices the preview the
//! customer sees and the invoice that is written, so the two cannot disagree.

use super::money::{Currency, Money, mul_div_half_even};
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

super::status::text_enum!(
    /// What a line of an order or a billing document charges for. A `trial` line takes the
    /// charges of the trial period (and the waived setup fee) off again, so the lines still
    /// add up.
    LineKind {
        Plan => ("plan", "Plan"),
        Resource => ("resource", "Resource"),
        SetupFee => ("setup_fee", "Setup fee"),
        Trial => ("trial", "Free trial"),
        Tax => ("tax", "Tax"),
    }
);

impl LineKind {
    /// Whether a line of this kind is for a span of service (and its document shows the
    /// span): the plan, a resource and a trial are; a one-off setup fee and a tax are not.
    pub fn has_service_span(self) -> bool {
        matches!(self, Self::Plan | Self::Resource | Self::Trial)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    pub kind: LineKind,
    /// For a resource line: its position in the resources that were priced.
    #[serde(skip)]
    pub resource: Option<usize>,
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

/// A sales tax added to every charge, when the operator configures one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRate {
    /// As printed on the invoice, such as "VAT".
    pub name: String,
    /// Hundredths of a percent: 2000 is 20 %.
    pub basis_points: u32,
}

impl TaxRate {
    /// `name` and a percentage with at most two decimals, such as `"VAT"` and `"20"` or `"8.25"`.
    pub fn parse(name: &str, percent: &str) -> Result<Self, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("The tax needs a name, such as VAT.".into());
        }
        let invalid = || {
            format!("{percent:?} is not a percentage between 0 and 100 with at most two decimals.")
        };
        let percent = percent.trim().trim_end_matches('%');
        let (whole, fraction) = percent.split_once('.').unwrap_or((percent, ""));
        if whole.is_empty()
            || fraction.len() > 2
            || !whole
                .chars()
                .chain(fraction.chars())
                .all(|c| c.is_ascii_digit())
        {
            return Err(invalid());
        }
        let whole: u32 = whole.parse().map_err(|_| invalid())?;
        let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
        let basis_points = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(fraction))
            .ok_or_else(invalid)?;
        if basis_points > 10_000 {
            return Err(invalid());
        }
        Ok(Self {
            name: name.into(),
            basis_points,
        })
    }

    /// "VAT 20%", "Sales tax 8.25%".
    pub fn label(&self) -> String {
        let whole = self.basis_points / 100;
        match self.basis_points % 100 {
            0 => format!("{} {whole}%", self.name),
            f if f % 10 == 0 => format!("{} {whole}.{}%", self.name, f / 10),
            f => format!("{} {whole}.{f:02}%", self.name),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("The amount is too large.")]
    Overflow,
    #[error("A quantity cannot be negative.")]
    NegativeQuantity,
}

/// Prices the first period: the plan's base price, every unit above the included ones, the
/// setup fee, and the tax on their sum (rounded half to even to the cent). During a trial the
/// first period is free and the setup fee is waived: every charge is still shown at its price
/// (so each line reads quantity × unit price = amount, and the customer sees what the service
/// is worth), and one trial line takes their sum off again.
pub fn quote_new_subscription(
    plan: &PlanPrice,
    resources: &[ResourceQuantity],
    tax: Option<&TaxRate>,
) -> Result<Quote, PricingError> {
    let trial = plan.trial_days > 0;
    let money = |cents: i64| Money::new(cents, plan.currency);
    let mut lines = Vec::new();

    if plan.price_cents > 0 {
        lines.push(QuoteLine {
            kind: LineKind::Plan,
            resource: None,
            description: plan.name.clone(),
            quantity: 1,
            unit_price: money(plan.price_cents),
            amount: money(plan.price_cents),
        });
    }
    for (position, r) in resources.iter().enumerate() {
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
            resource: Some(position),
            description: r.name.clone(),
            quantity: extra,
            unit_price: money(r.unit_price_cents),
            amount: money(amount),
        });
    }
    if plan.setup_fee_cents > 0 {
        lines.push(QuoteLine {
            kind: LineKind::SetupFee,
            resource: None,
            description: "Setup fee".into(),
            quantity: 1,
            unit_price: money(plan.setup_fee_cents),
            amount: money(plan.setup_fee_cents),
        });
    }
    let charges = lines
        .iter()
        .try_fold(0i64, |sum, line| sum.checked_add(line.amount.cents))
        .ok_or(PricingError::Overflow)?;
    let mut subtotal = charges;
    if trial {
        let days = if plan.trial_days == 1 {
            "1 day".to_owned()
        } else {
            format!("{} days", plan.trial_days)
        };
        let waived = if plan.setup_fee_cents > 0 {
            ", setup fee waived"
        } else {
            ""
        };
        lines.push(QuoteLine {
            kind: LineKind::Trial,
            resource: None,
            description: format!("Free trial, {days}{waived}"),
            quantity: 1,
            unit_price: money(-charges),
            amount: money(-charges),
        });
        subtotal = 0;
    }
    let mut total = subtotal;
    if let Some(tax) = tax.filter(|t| t.basis_points > 0 && subtotal > 0) {
        let amount = mul_div_half_even(subtotal, i64::from(tax.basis_points), 10_000)
            .ok_or(PricingError::Overflow)?;
        total = total.checked_add(amount).ok_or(PricingError::Overflow)?;
        lines.push(QuoteLine {
            kind: LineKind::Tax,
            resource: None,
            description: tax.label(),
            quantity: 1,
            unit_price: money(amount),
            amount: money(amount),
        });
    }
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
        let quote =
            quote_new_subscription(&plan(1000, 4900, 0), &[seats(2, 10, 720)], None).unwrap();
        assert_eq!(quote.lines.len(), 3);
        assert_eq!(quote.lines[1].quantity, 8);
        assert_eq!(quote.lines[1].amount.cents, 5760);
        assert_eq!(quote.total.cents, 1000 + 5760 + 4900);
    }

    #[test]
    fn trial_is_free_and_its_line_says_so() {
        let quote =
            quote_new_subscription(&plan(1000, 4900, 30), &[seats(0, 5, 720)], None).unwrap();
        assert_eq!(quote.total.cents, 0);
        let kinds: Vec<LineKind> = quote.lines.iter().map(|l| l.kind).collect();
        use LineKind::*;
        assert_eq!(kinds, [Plan, Resource, SetupFee, Trial]);
        // Each charge at its price; the trial takes them all off.
        assert_eq!(quote.lines[1].amount.cents, 5 * 720);
        let trial = quote.lines.last().unwrap();
        assert_eq!(trial.description, "Free trial, 30 days, setup fee waived");
        assert_eq!(trial.amount.cents, -(1000 + 5 * 720 + 4900));
        for line in &quote.lines {
            assert_eq!(line.quantity * line.unit_price.cents, line.amount.cents);
        }
        let one_day = quote_new_subscription(&plan(1000, 0, 1), &[], None).unwrap();
        assert_eq!(
            one_day.lines.last().unwrap().description,
            "Free trial, 1 day"
        );
    }

    #[test]
    fn tax_line_rounds_half_to_even() {
        let vat = TaxRate::parse("VAT", "20").unwrap();
        let quote = quote_new_subscription(&plan(1000, 0, 0), &[], Some(&vat)).unwrap();
        assert_eq!(quote.lines.last().unwrap().amount.cents, 200);
        assert_eq!(quote.total.cents, 1200);
        let half = TaxRate::parse("Tax", "50").unwrap();
        // Half a cent of tax rounds to the even cent: 0.5 -> 0, 1.5 -> 2.
        assert_eq!(
            quote_new_subscription(&plan(1, 0, 0), &[], Some(&half))
                .unwrap()
                .total
                .cents,
            1
        );
        assert_eq!(
            quote_new_subscription(&plan(3, 0, 0), &[], Some(&half))
                .unwrap()
                .total
                .cents,
            5
        );
        // Nothing charged (a trial): no tax line.
        let trial = quote_new_subscription(&plan(1000, 0, 14), &[], Some(&vat)).unwrap();
        assert!(trial.lines.iter().all(|l| l.kind != LineKind::Tax));
    }

    #[test]
    fn tax_rates_parse() {
        assert_eq!(TaxRate::parse("VAT", "20").unwrap().basis_points, 2000);
        assert_eq!(
            TaxRate::parse("Sales tax", "8.25%").unwrap().basis_points,
            825
        );
        assert_eq!(TaxRate::parse("GST", "7.5").unwrap().label(), "GST 7.5%");
        assert_eq!(
            TaxRate::parse("Sales tax", "8.25").unwrap().label(),
            "Sales tax 8.25%"
        );
        assert!(TaxRate::parse("VAT", "101").is_err());
        assert!(TaxRate::parse("VAT", "1.234").is_err());
        assert!(TaxRate::parse("VAT", "-5").is_err());
        assert!(TaxRate::parse("", "5").is_err());
    }

    #[test]
    fn refuses_overflow_and_negative() {
        assert_eq!(
            quote_new_subscription(&plan(0, 0, 0), &[seats(0, i64::MAX, 2)], None),
            Err(PricingError::Overflow)
        );
        assert_eq!(
            quote_new_subscription(&plan(0, 0, 0), &[seats(0, -1, 2)], None),
            Err(PricingError::NegativeQuantity)
        );
    }

    proptest! {
        #[test]
        fn total_is_the_sum_of_lines(
            price in 0i64..1_000_000, setup in 0i64..100_000,
            included in 0i64..50, quantity in 0i64..10_000, unit in 0i64..100_000,
        ) {
            let quote = quote_new_subscription(&plan(price, setup, 0), &[seats(included, quantity, unit)], None).unwrap();
            let sum: i64 = quote.lines.iter().map(|l| l.amount.cents).sum();
            prop_assert_eq!(quote.total.cents, sum);
            prop_assert_eq!(sum, price + setup + unit * (quantity - included).max(0));
        }

        #[test]
        fn every_line_checks_out_and_a_trial_totals_zero(
            price in 0i64..1_000_000, setup in 0i64..100_000, trial in 0i32..2,
            included in 0i64..50, quantity in 0i64..10_000, unit in 0i64..100_000,
        ) {
            let vat = TaxRate { name: "VAT".into(), basis_points: 2000 };
            let quote = quote_new_subscription(&plan(price, setup, trial * 30), &[seats(included, quantity, unit)], Some(&vat)).unwrap();
            for line in &quote.lines {
                prop_assert_eq!(line.quantity * line.unit_price.cents, line.amount.cents);
            }
            let sum: i64 = quote.lines.iter().map(|l| l.amount.cents).sum();
            prop_assert_eq!(quote.total.cents, sum);
            if trial == 1 {
                prop_assert_eq!(sum, 0);
                prop_assert_eq!(quote.lines.last().map(|l| l.kind), Some(LineKind::Trial));
            }
        }

        #[test]
        fn tax_is_the_rounded_share_of_the_charges(
            price in 0i64..1_000_000, setup in 0i64..100_000, quantity in 0i64..10_000,
            unit in 0i64..100_000, basis_points in 0u32..=10_000,
        ) {
            let tax = TaxRate { name: "VAT".into(), basis_points };
            let quote = quote_new_subscription(&plan(price, setup, 0), &[seats(0, quantity, unit)], Some(&tax)).unwrap();
            let charges: i64 = quote.lines.iter().filter(|l| l.kind != LineKind::Tax).map(|l| l.amount.cents).sum();
            let tax_cents: i64 = quote.lines.iter().filter(|l| l.kind == LineKind::Tax).map(|l| l.amount.cents).sum();
            // Within half a cent of the exact share, never floating point.
            let exact = i128::from(charges) * i128::from(basis_points);
            prop_assert!((i128::from(tax_cents) * 10_000 - exact).abs() * 2 <= 10_000);
            prop_assert_eq!(quote.total.cents, charges + tax_cents);
        }
    }
}

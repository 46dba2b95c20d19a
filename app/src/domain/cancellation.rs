//! Cancelling a subscription: the reasons a person may give, which refund the plan's policy
//! grants on the day they ask, and the refunded amounts line by line.
//!
//! A plan's policy has two windows counted from the start of the current period (the purchase
//! or the last renewal), day 1 being the period's first day:
//! - days 1 to `full_refund_days`: everything charged for the period comes back;
//! - then up to day `prorated_refund_days`: the unused part comes back, each charge prorated by
//!   the days from the request to the end of the span it paid for (the request day counts as
//!   unused, as a raise made on a day pays for that day);
//! - after that: nothing.
//!
//! Setup fees never come back. A reduction credited earlier in the period is a negative charge:
//! its unused part is taken off the refund on a line of its own, so it is not refunded twice,
//! and every line multiplies out like any document line. The same function prices the preview the person reads before
//! asking and the credit note written when the reseller approves, so the two cannot disagree.

use super::money::{Currency, Money, mul_div_half_even};
use super::pricing::LineKind;
use super::resource_change::Period;
use super::status::text_enum;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

text_enum!(
    /// Why a customer cancels: a fixed list, so the reseller can count them.
    CancelReason {
        NoLongerNeeded => ("no_longer_needed", "We no longer need it"),
        TooExpensive => ("too_expensive", "It is too expensive"),
        SwitchingProvider => ("switching_provider", "We are moving to another provider"),
        MissingFeatures => ("missing_features", "It lacks features we need"),
        TechnicalProblems => ("technical_problems", "Technical problems"),
        Other => ("other", "Another reason"),
    }
);

/// The longest comment a cancellation request keeps.
pub const COMMENT_MAX_CHARS: usize = 1000;

/// A plan's refund policy, in days from the start of the current period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefundPolicy {
    pub full_refund_days: i32,
    /// The last day (counted from the period's start, like `full_refund_days`) on which the
    /// unused part is refunded; at or below `full_refund_days` there is no prorated window.
    pub prorated_refund_days: i32,
}

/// Which refund applies on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefundWindow {
    /// Everything charged for the period; `last_day` is the last day this holds.
    Full { last_day: NaiveDate },
    /// The unused part; `last_day` is the last day this holds.
    Prorated { last_day: NaiveDate },
    /// No refund.
    None,
}

impl RefundPolicy {
    /// The refund a request on `today` gets in `period`.
    pub fn window(self, period: Period, today: NaiveDate) -> RefundWindow {
        // Day 1 is the period's first day; a day outside the period gets nothing.
        let day = (today - period.start).num_days() + 1;
        if day < 1 || today >= period.end {
            return RefundWindow::None;
        }
        let last_of_period = period.end - Days::new(1);
        let last_day = |n: i32| {
            period
                .start
                .checked_add_days(Days::new(u64::try_from(n - 1).unwrap_or(0)))
                .map_or(last_of_period, |d| d.min(last_of_period))
        };
        let full = i64::from(self.full_refund_days.max(0));
        let prorated = i64::from(self.prorated_refund_days.max(0));
        if day <= full {
            RefundWindow::Full {
                last_day: last_day(self.full_refund_days),
            }
        } else if day <= prorated {
            RefundWindow::Prorated {
                last_day: last_day(self.prorated_refund_days),
            }
        } else {
            RefundWindow::None
        }
    }
}

/// One amount charged (or, negative, credited) for the current period, as its document line
/// says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaidCharge {
    /// A setup fee is never refunded; a tax line is the tax its document charged, given back
    /// in proportion to what of that document is refunded.
    pub kind: LineKind,
    pub description: String,
    pub amount_cents: i64,
    /// The span of service the amount paid for: `from` inclusive, `until` exclusive.
    pub from: NaiveDate,
    pub until: NaiveDate,
}

/// One line of the refund as the credit note carries it: positive for what comes back,
/// negative for an earlier credit taken off. `amount` is `charged` for the whole span, or its
/// prorated part for `days`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundLine {
    pub kind: LineKind,
    pub description: String,
    /// What the charge (or credit) was.
    pub charged: Money,
    pub amount: Money,
    /// The refunded span: `from` inclusive, `until` exclusive.
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// For a prorated line: the unused days and the days the charge paid for.
    pub days: Option<(i64, i64)>,
}

/// The refund a cancellation gets, priced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundQuote {
    pub window: RefundWindow,
    pub lines: Vec<RefundLine>,
    /// The tax the refunded charges carried (its label and amount): the tax charged, in the
    /// proportion of the refund to everything it was charged on, never more than was charged.
    pub tax: Option<(String, Money)>,
    /// The sum of `lines` and the tax, never negative.
    pub total: Money,
    /// Setup fees charged in the period, which stay charged.
    pub setup_fees_kept: Money,
}

/// What the refund is priced from.
#[derive(Clone, Copy, Debug)]
pub struct RefundTerms {
    pub policy: RefundPolicy,
    pub period: Period,
    /// The day the person asks.
    pub today: NaiveDate,
    pub currency: Currency,
}

/// Prices the refund of `charges`. `None` when an amount does not fit.
pub fn quote_refund(terms: RefundTerms, charges: &[PaidCharge]) -> Option<RefundQuote> {
    let RefundTerms {
        policy,
        period,
        today,
        currency,
    } = terms;
    let window = policy.window(period, today);
    let mut lines = Vec::new();
    let mut setup_fees_kept = 0i64;
    // The tax charged and everything it was charged on (setup fees included).
    let mut tax_charged = 0i64;
    let mut taxed = 0i64;
    let mut tax_label = None;
    for charge in charges {
        match charge.kind {
            LineKind::Tax => {
                tax_charged = tax_charged.checked_add(charge.amount_cents)?;
                tax_label.get_or_insert_with(|| charge.description.clone());
                continue;
            }
            _ => taxed = taxed.checked_add(charge.amount_cents)?,
        }
        if charge.kind == LineKind::SetupFee {
            setup_fees_kept = setup_fees_kept.checked_add(charge.amount_cents)?;
            continue;
        }
        let (amount, from, days) = match window {
            RefundWindow::None => continue,
            RefundWindow::Full { .. } => (charge.amount_cents, charge.from, None),
            RefundWindow::Prorated { .. } => {
                let span = (charge.until - charge.from).num_days();
                let from = today.max(charge.from);
                let unused = (charge.until - from).num_days().clamp(0, span.max(0));
                if span <= 0 || unused == 0 {
                    continue;
                }
                let amount = mul_div_half_even(charge.amount_cents, unused, span)?;
                (amount, from, Some((unused, span)))
            }
        };
        if amount == 0 {
            continue;
        }
        let description = if amount > 0 {
            format!("Refund: {}", charge.description)
        } else {
            format!("Less the credit already given: {}", charge.description)
        };
        lines.push(RefundLine {
            kind: charge.kind,
            description,
            charged: Money::new(charge.amount_cents, currency),
            amount: Money::new(amount, currency),
            from,
            until: charge.until,
            days,
        });
    }
    let mut subtotal = lines
        .iter()
        .try_fold(0i64, |sum, l| sum.checked_add(l.amount.cents))?;
    // Credits already given outweigh what is left: nothing comes back (and nothing is owed).
    if subtotal <= 0 {
        lines.clear();
        subtotal = 0;
    }
    let tax = match tax_label {
        Some(label) if tax_charged > 0 && taxed > 0 && subtotal > 0 => {
            let share = mul_div_half_even(tax_charged, subtotal.min(taxed), taxed)?;
            Some((label, share.min(tax_charged))).filter(|(_, cents)| *cents > 0)
        }
        _ => None,
    };
    let total = subtotal.checked_add(tax.as_ref().map_or(0, |(_, cents)| *cents))?;
    Some(RefundQuote {
        window,
        lines,
        tax: tax.map(|(label, cents)| (label, Money::new(cents, currency))),
        total: Money::new(total, currency),
        setup_fees_kept: Money::new(setup_fees_kept, currency),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const USD: Currency = Currency::USD;

    fn monthly() -> Period {
        Period {
            start: date(2026, 11, 1),
            end: date(2026, 12, 1),
        }
    }

    fn annual() -> Period {
        Period {
            start: date(2027, 3, 1),
            end: date(2028, 3, 1),
        }
    }

    fn terms(policy: RefundPolicy, period: Period, today: NaiveDate) -> RefundTerms {
        RefundTerms {
            policy,
            period,
            today,
            currency: USD,
        }
    }

    fn charge(cents: i64, period: Period) -> PaidCharge {
        PaidCharge {
            kind: LineKind::Plan,
            description: "Plan".into(),
            amount_cents: cents,
            from: period.start,
            until: period.end,
        }
    }

    fn setup(cents: i64, period: Period) -> PaidCharge {
        PaidCharge {
            kind: LineKind::SetupFee,
            description: "Setup".into(),
            ..charge(cents, period)
        }
    }

    const POLICY: RefundPolicy = RefundPolicy {
        full_refund_days: 7,
        prorated_refund_days: 20,
    };

    #[test]
    fn the_windows_turn_on_their_days() {
        let p = monthly();
        // Day 7 (Nov 7) is the last full day, day 8 the first prorated, day 20 the last.
        let full = RefundWindow::Full {
            last_day: date(2026, 11, 7),
        };
        let prorated = RefundWindow::Prorated {
            last_day: date(2026, 11, 20),
        };
        assert_eq!(POLICY.window(p, date(2026, 11, 1)), full);
        assert_eq!(POLICY.window(p, date(2026, 11, 6)), full);
        assert_eq!(POLICY.window(p, date(2026, 11, 7)), full);
        assert_eq!(POLICY.window(p, date(2026, 11, 8)), prorated);
        assert_eq!(POLICY.window(p, date(2026, 11, 19)), prorated);
        assert_eq!(POLICY.window(p, date(2026, 11, 20)), prorated);
        assert_eq!(POLICY.window(p, date(2026, 11, 21)), RefundWindow::None);
        assert_eq!(POLICY.window(p, date(2026, 11, 30)), RefundWindow::None);
        // Outside the period nothing applies.
        assert_eq!(POLICY.window(p, date(2026, 10, 31)), RefundWindow::None);
        assert_eq!(POLICY.window(p, date(2026, 12, 1)), RefundWindow::None);
    }

    #[test]
    fn annual_windows_and_ones_longer_than_the_period() {
        let p = annual();
        let policy = RefundPolicy {
            full_refund_days: 30,
            prorated_refund_days: 365,
        };
        assert!(matches!(
            policy.window(p, date(2027, 3, 30)),
            RefundWindow::Full { .. }
        ));
        assert!(matches!(
            policy.window(p, date(2027, 3, 31)),
            RefundWindow::Prorated { .. }
        ));
        // 2028 is a leap year: the period has 366 days, and day 366 is past the window.
        assert!(matches!(
            policy.window(p, date(2028, 2, 28)),
            RefundWindow::Prorated { .. }
        ));
        assert_eq!(policy.window(p, date(2028, 2, 29)), RefundWindow::None);
        // A window longer than the period ends with it.
        let generous = RefundPolicy {
            full_refund_days: 60,
            prorated_refund_days: 0,
        };
        assert_eq!(
            generous.window(monthly(), date(2026, 11, 30)),
            RefundWindow::Full {
                last_day: date(2026, 11, 30)
            }
        );
    }

    #[test]
    fn no_policy_no_refund() {
        let none = RefundPolicy {
            full_refund_days: 0,
            prorated_refund_days: 0,
        };
        let q = quote_refund(
            terms(none, monthly(), date(2026, 11, 1)),
            &[charge(3000, monthly())],
        )
        .unwrap();
        assert_eq!(q.window, RefundWindow::None);
        assert!(q.lines.is_empty());
        assert_eq!(q.total.cents, 0);
    }

    #[test]
    fn full_refund_gives_back_all_but_the_setup_fee() {
        let p = monthly();
        let q = quote_refund(
            terms(POLICY, p, date(2026, 11, 7)),
            &[charge(3000, p), setup(5000, p)],
        )
        .unwrap();
        assert_eq!(q.total.cents, 3000);
        assert_eq!(q.setup_fees_kept.cents, 5000);
        assert_eq!(q.lines.len(), 1);
        assert_eq!((q.lines[0].from, q.lines[0].until), (p.start, p.end));
        assert_eq!(q.lines[0].days, None);
    }

    #[test]
    fn prorated_refund_counts_the_request_day_as_unused() {
        let p = monthly();
        // Nov 8: 23 of 30 days unused; 3000 * 23 / 30 = 2300.
        let q = quote_refund(terms(POLICY, p, date(2026, 11, 8)), &[charge(3000, p)]).unwrap();
        assert_eq!(q.total.cents, 2300);
        assert_eq!(q.lines[0].days, Some((23, 30)));
        assert_eq!(q.lines[0].from, date(2026, 11, 8));
        // Rounded half to even: 1001 * 23 / 30 = 767.43 -> 767.
        let q = quote_refund(terms(POLICY, p, date(2026, 11, 8)), &[charge(1001, p)]).unwrap();
        assert_eq!(q.total.cents, 767);
    }

    #[test]
    fn a_raise_mid_period_is_refunded_for_its_own_span() {
        let p = monthly();
        let raise = PaidCharge {
            kind: LineKind::Resource,
            description: "Licenses 5 → 6".into(),
            amount_cents: 1000,
            from: date(2026, 11, 11),
            until: p.end,
        };
        // Nov 16: the plan has 15 of 30 days unused, the raise 15 of its 20.
        let q = quote_refund(
            terms(POLICY, p, date(2026, 11, 16)),
            &[charge(3000, p), raise],
        )
        .unwrap();
        assert_eq!(q.lines[0].amount.cents, 1500);
        assert_eq!(q.lines[1].amount.cents, 750);
        assert_eq!(q.lines[1].days, Some((15, 20)));
        assert_eq!(q.total.cents, 2250);
    }

    fn q_credit() -> PaidCharge {
        PaidCharge {
            kind: LineKind::Resource,
            description: "Licenses 6 → 5".into(),
            amount_cents: -600,
            from: date(2026, 11, 2),
            until: monthly().end,
        }
    }

    #[test]
    fn an_earlier_credit_is_not_refunded_twice() {
        let p = monthly();
        let credit = PaidCharge {
            kind: LineKind::Resource,
            description: "Licenses 6 → 5".into(),
            amount_cents: -600,
            from: date(2026, 11, 2),
            until: p.end,
        };
        let q = quote_refund(
            terms(POLICY, p, date(2026, 11, 3)),
            &[charge(3000, p), credit],
        )
        .unwrap();
        assert_eq!(q.total.cents, 2400);
        assert_eq!(q.lines[1].amount.cents, -600);
        assert_eq!(
            q.lines[1].description,
            "Less the credit already given: Licenses 6 → 5"
        );
        // Credits worth more than what is left: nothing comes back.
        let big = PaidCharge {
            amount_cents: -3600,
            ..q_credit()
        };
        let q = quote_refund(terms(POLICY, p, date(2026, 11, 3)), &[charge(3000, p), big]).unwrap();
        assert_eq!(q.total.cents, 0);
        assert!(q.lines.is_empty());
    }

    fn tax(cents: i64) -> PaidCharge {
        PaidCharge {
            kind: LineKind::Tax,
            description: "VAT 20%".into(),
            amount_cents: cents,
            from: monthly().start,
            until: monthly().end,
        }
    }

    #[test]
    fn the_tax_comes_back_in_proportion_and_never_more_than_was_charged() {
        let p = monthly();
        // 20 % on 3000 and a 5000 setup fee: 1600 of tax. 2300 of the 8000 comes back before
        // tax, so 460 of the tax does.
        let q = quote_refund(
            terms(POLICY, p, date(2026, 11, 8)),
            &[charge(3000, p), setup(5000, p), tax(1600)],
        )
        .unwrap();
        assert_eq!(q.tax, Some(("VAT 20%".to_owned(), Money::new(460, USD))));
        assert_eq!(q.total.cents, 2760);
        // No tax charged (a rate set later): none comes back.
        let q = quote_refund(terms(POLICY, p, date(2026, 11, 2)), &[charge(3000, p)]).unwrap();
        assert_eq!((q.tax, q.total.cents), (None, 3000));
        // A full refund gives back exactly the tax charged, rounding and all.
        let q = quote_refund(
            terms(POLICY, p, date(2026, 11, 2)),
            &[charge(1010, p), charge(1010, p), tax(83), tax(83)],
        )
        .unwrap();
        assert_eq!(q.total.cents, 2020 + 166);
    }

    #[test]
    fn a_trial_with_nothing_charged_refunds_nothing() {
        let q = quote_refund(terms(POLICY, monthly(), date(2026, 11, 2)), &[]).unwrap();
        assert!(matches!(q.window, RefundWindow::Full { .. }));
        assert_eq!(q.total.cents, 0);
    }

    #[test]
    fn every_reason_parses_back() {
        for reason in CancelReason::ALL {
            assert_eq!(CancelReason::parse(reason.as_str()), Ok(*reason));
        }
        assert!(CancelReason::parse("because").is_err());
    }

    proptest! {
        /// Whatever the period, day, policy and charges: the refund is never negative, never
        /// more than what was charged (setup fees aside), equals the sum of its lines, keeps
        /// every setup fee, and the full window gives back exactly the charges.
        #[test]
        fn refunds_stay_within_what_was_paid(
            start_offset in 0i64..3_000,
            annual in any::<bool>(),
            day in 0i64..370,
            full in 0i32..40,
            prorated in 0i32..400,
            amounts in prop::collection::vec((0i64..500_000, 0i64..30, any::<bool>()), 0..5),
            fee in 0i64..10_000,
            base in 0i64..1_000_000,
            tax_cents in 0i64..200_000,
        ) {
            let start = date(2020, 1, 1) + chrono::Duration::days(start_offset);
            let end = if annual {
                start.checked_add_months(chrono::Months::new(12)).unwrap()
            } else {
                start.checked_add_months(chrono::Months::new(1)).unwrap()
            };
            let period = Period { start, end };
            let today = start + chrono::Duration::days(day);
            let policy = RefundPolicy { full_refund_days: full, prorated_refund_days: prorated };
            // The plan's charge for the whole period, then raises (charged) and reductions
            // (credited, each at most a tenth of the plan's charge, as units it paid for).
            let mut charges = vec![charge(base, period)];
            charges.extend(amounts.iter().map(|&(cents, late, credit)| PaidCharge {
                kind: LineKind::Resource,
                description: "x".into(),
                amount_cents: if credit { -(cents.min(base / 10)) } else { cents },
                from: (start + chrono::Duration::days(late)).min(end),
                until: end,
            }));
            charges.push(PaidCharge { kind: LineKind::SetupFee, ..charge(fee, period) });
            charges.push(PaidCharge { kind: LineKind::Tax, ..charge(tax_cents, period) });
            let q = quote_refund(terms(policy, period, today), &charges).unwrap();
            let net: i64 = charges
                .iter()
                .filter(|c| !matches!(c.kind, LineKind::SetupFee | LineKind::Tax))
                .map(|c| c.amount_cents)
                .sum();
            let refunded_tax = q.tax.as_ref().map_or(0, |(_, m)| m.cents);
            prop_assert!(refunded_tax <= tax_cents);
            prop_assert!(q.total.cents >= 0);
            prop_assert!(q.total.cents - refunded_tax <= net.max(0));
            prop_assert_eq!(
                q.total.cents - refunded_tax,
                q.lines.iter().map(|l| l.amount.cents).sum::<i64>()
            );
            // Every line multiplies out as a document line must.
            for l in &q.lines {
                let expected = match l.days {
                    Some((d, of)) => mul_div_half_even(l.charged.cents, d, of).unwrap(),
                    None => l.charged.cents,
                };
                prop_assert_eq!(l.amount.cents, expected);
            }
            prop_assert_eq!(q.setup_fees_kept.cents, fee);
            match q.window {
                RefundWindow::Full { last_day } => {
                    prop_assert_eq!(q.total.cents - refunded_tax, net.max(0));
                    prop_assert!(today <= last_day && last_day < end);
                }
                RefundWindow::Prorated { last_day } => {
                    prop_assert!(today <= last_day && last_day < end);
                }
                RefundWindow::None => prop_assert_eq!(q.total.cents, 0),
            }
        }

        /// Later in the prorated window never refunds more.
        #[test]
        fn later_requests_refund_no_more(day in 0i64..29, cents in 0i64..1_000_000) {
            let p = monthly();
            let policy = RefundPolicy { full_refund_days: 0, prorated_refund_days: 31 };
            let on = |d: i64| {
                quote_refund(terms(policy, p, p.start + chrono::Duration::days(d)), &[charge(cents, p)])
                    .unwrap()
                    .total
                    .cents
            };
            prop_assert!(on(day + 1) <= on(day));
        }
    }
}

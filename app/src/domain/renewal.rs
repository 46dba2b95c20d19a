//! What happens at the end of a subscription's period: the next period's dates, whether it
//! renews or ends, and when the people are told beforehand.
//!
//! Periods keep to the subscription's anniversary: the n-th paid period ends n billing periods
//! after the first paid day (the trial's end, or the start), so a subscription begun on the 31st
//! renews on the last day of shorter months and comes back to the 31st, never drifting earlier.

use super::resource_change::Period;
use super::status::{BillingPeriod, SubscriptionStatus};
use chrono::{Months, NaiveDate};

/// The period after one ending on `current_end`, anchored on `anchor` (the first paid day).
pub fn next_period(anchor: NaiveDate, current_end: NaiveDate, period: BillingPeriod) -> Period {
    let months = period.months();
    let mut n = 1u32;
    loop {
        let end = anchor
            .checked_add_months(Months::new(months.saturating_mul(n)))
            .unwrap_or(NaiveDate::MAX);
        if end > current_end || end == NaiveDate::MAX {
            return Period {
                start: current_end,
                end,
            };
        }
        n = n.saturating_add(1);
    }
}

/// What the end of a period does to a subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtPeriodEnd {
    /// A renewal order for the next period (a trial: its first paid one).
    Renew,
    /// The subscription is terminated.
    End,
    /// Not due yet, or not running (nothing to renew).
    Nothing,
}

/// Due on the period's last day's end: on `period_end` itself (the first day not paid for).
pub fn at_period_end(
    status: SubscriptionStatus,
    auto_renew: bool,
    period_end: NaiveDate,
    today: NaiveDate,
) -> AtPeriodEnd {
    let running = matches!(
        status,
        SubscriptionStatus::Active | SubscriptionStatus::Trial
    );
    if !running || today < period_end {
        AtPeriodEnd::Nothing
    } else if auto_renew {
        AtPeriodEnd::Renew
    } else {
        AtPeriodEnd::End
    }
}

/// The notices before a period ends, in days: 30 (only for periods longer than that, so a
/// monthly subscription is not told at the start of every month) and 7.
pub const NOTICE_DAYS: [i64; 2] = [30, 7];

/// The notice due on `today` for `period`, if any: the latest of `NOTICE_DAYS` whose day has
/// come. (A server that was down on the day still sends it late, once.)
pub fn notice_due(period: Period, today: NaiveDate) -> Option<i64> {
    let left = (period.end - today).num_days();
    if left <= 0 {
        return None;
    }
    NOTICE_DAYS
        .iter()
        .copied()
        .filter(|days| period.days() > *days && left <= *days)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods_keep_to_the_anniversary() {
        let anchor = date(2026, 1, 31);
        let feb = next_period(anchor, date(2026, 2, 28), BillingPeriod::Monthly);
        assert_eq!((feb.start, feb.end), (date(2026, 2, 28), date(2026, 3, 31)));
        let first = next_period(anchor, anchor, BillingPeriod::Monthly);
        assert_eq!(first.end, date(2026, 2, 28));
        let leap = next_period(date(2028, 2, 29), date(2029, 2, 28), BillingPeriod::Annual);
        assert_eq!(
            (leap.start, leap.end),
            (date(2029, 2, 28), date(2030, 2, 28))
        );
        // A trial ending on the 10th: paid periods run from the 10th.
        let paid = next_period(date(2026, 6, 10), date(2026, 6, 10), BillingPeriod::Monthly);
        assert_eq!(
            (paid.start, paid.end),
            (date(2026, 6, 10), date(2026, 7, 10))
        );
    }

    #[test]
    fn a_period_end_renews_or_ends_only_running_subscriptions_once_due() {
        use SubscriptionStatus::*;
        let end = date(2026, 7, 1);
        assert_eq!(
            at_period_end(Active, true, end, date(2026, 6, 30)),
            AtPeriodEnd::Nothing
        );
        assert_eq!(at_period_end(Active, true, end, end), AtPeriodEnd::Renew);
        assert_eq!(at_period_end(Trial, false, end, end), AtPeriodEnd::End);
        assert_eq!(
            at_period_end(Active, false, end, date(2026, 8, 1)),
            AtPeriodEnd::End
        );
        for status in [
            Terminated,
            Failed,
            Provisioning,
            CancellationPending,
            Suspended,
        ] {
            assert_eq!(at_period_end(status, true, end, end), AtPeriodEnd::Nothing);
        }
    }

    #[test]
    fn notices_come_30_and_7_days_before_and_monthly_periods_get_only_the_7_day_one() {
        let year = Period {
            start: date(2026, 1, 1),
            end: date(2027, 1, 1),
        };
        assert_eq!(notice_due(year, date(2026, 12, 1)), None);
        assert_eq!(notice_due(year, date(2026, 12, 2)), Some(30));
        assert_eq!(notice_due(year, date(2026, 12, 25)), Some(7));
        assert_eq!(notice_due(year, date(2027, 1, 1)), None);
        let month = Period {
            start: date(2026, 6, 1),
            end: date(2026, 7, 1),
        };
        assert_eq!(notice_due(month, date(2026, 6, 2)), None);
        assert_eq!(notice_due(month, date(2026, 6, 24)), Some(7));
    }

    proptest! {
        /// Whatever the anchor and the number of renewals, each next period starts where the
        /// last ended, is one billing period long (give or take month lengths) and lands on the
        /// anchor's day of month when that month has it.
        #[test]
        fn renewals_chain_without_gaps(offset in 0i64..4_000, renewals in 1usize..40, annual: bool) {
            let period = if annual { BillingPeriod::Annual } else { BillingPeriod::Monthly };
            let anchor = date(2024, 1, 1) + chrono::Duration::days(offset);
            let mut end = next_period(anchor, anchor, period).end;
            for _ in 0..renewals {
                let next = next_period(anchor, end, period);
                prop_assert_eq!(next.start, end);
                let days = next.days();
                if annual {
                    prop_assert!((365..=366).contains(&days), "{} days", days);
                } else {
                    prop_assert!((28..=31).contains(&days), "{} days", days);
                }
                use chrono::Datelike;
                prop_assert!(next.end.day() == anchor.day() || next.end.day() < anchor.day());
                end = next.end;
            }
        }
    }
}

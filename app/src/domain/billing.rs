//! Rules of billing documents that do not depend on storage: the status a document is issued
//! in, its due date, the moves its status may make, and when it counts as overdue.
//!
//! The rules, in words (also shown to customers on the Billing page):
//! - An invoice is due [`PAYMENT_TERMS_DAYS`] days after the day it is issued (UTC), and is
//!   `open` until a payment is recorded. It is overdue from the day after its due date.
//! - An invoice with nothing to pay (a free trial, a free plan) is `paid` when it is issued,
//!   due the same day.
//! - A credit note gives money back; nothing is due on it: it is `credited` when issued.
//! - An open invoice becomes `paid` (a payment is recorded) or `credited` (a credit note
//!   cancels it in full); a paid or credited document never changes status again.

use super::DocumentKind;
use super::status::text_enum;
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Days between an invoice's issue and its due date.
pub const PAYMENT_TERMS_DAYS: u64 = 14;

text_enum!(
    /// Where a billing document stands: something to pay, paid, or settled by credit.
    DocumentStatus {
        Open => ("open", "Open"),
        Paid => ("paid", "Paid"),
        Credited => ("credited", "Credited"),
    }
);

impl DocumentStatus {
    /// The moves of the rules above; anything else is a bug or a race lost.
    pub fn can_become(self, next: DocumentStatus) -> bool {
        use DocumentStatus::*;
        matches!((self, next), (Open, Paid) | (Open, Credited))
    }

    /// What is left to pay on a document of this status totalling `total_cents`: all of it
    /// while open (payments are recorded in full), nothing once paid or credited.
    pub fn left_to_pay(self, total_cents: i64) -> i64 {
        match self {
            Self::Open => total_cents,
            Self::Paid | Self::Credited => 0,
        }
    }

    /// An open document past its due date. A document without a due date is never overdue.
    pub fn is_overdue(self, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
        self == Self::Open && due_on.is_some_and(|due| today > due)
    }
}

/// How a document stands for the person reading it: its status, with an open document past
/// its due date called out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    Open,
    Overdue,
    Paid,
    Credited,
}

impl Standing {
    pub fn of(status: DocumentStatus, due_on: Option<NaiveDate>, today: NaiveDate) -> Self {
        match status {
            _ if status.is_overdue(due_on, today) => Self::Overdue,
            DocumentStatus::Open => Self::Open,
            DocumentStatus::Paid => Self::Paid,
            DocumentStatus::Credited => Self::Credited,
        }
    }

    /// The words on the status chip: the chip's colour only repeats them.
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::Overdue => "Overdue",
            Self::Paid => "Paid",
            Self::Credited => "Credited",
        }
    }
}

/// The status, due date and payment date a new document is issued with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IssueTerms {
    pub status: DocumentStatus,
    pub due_on: Option<NaiveDate>,
    pub paid_at: Option<DateTime<Utc>>,
}

/// Why a document cannot be issued as asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IssueError {
    /// Money owed to the customer is a credit note with a positive total, never an invoice
    /// below zero.
    #[error("An invoice cannot total less than zero.")]
    NegativeInvoice,
    #[error("A credit note cannot total less than zero.")]
    NegativeCredit,
}

/// The terms of a document of `kind` totalling `total_cents`, issued at `issued_at`.
pub fn issue_terms(
    kind: DocumentKind,
    total_cents: i64,
    issued_at: DateTime<Utc>,
) -> Result<IssueTerms, IssueError> {
    let issued_on = issued_at.date_naive();
    match kind {
        DocumentKind::Invoice if total_cents < 0 => Err(IssueError::NegativeInvoice),
        DocumentKind::Invoice if total_cents == 0 => Ok(IssueTerms {
            status: DocumentStatus::Paid,
            due_on: Some(issued_on),
            paid_at: Some(issued_at),
        }),
        DocumentKind::Invoice => Ok(IssueTerms {
            status: DocumentStatus::Open,
            due_on: Some(due_date(issued_on)),
            paid_at: None,
        }),
        DocumentKind::CreditNote if total_cents < 0 => Err(IssueError::NegativeCredit),
        DocumentKind::CreditNote => Ok(IssueTerms {
            status: DocumentStatus::Credited,
            due_on: None,
            paid_at: None,
        }),
    }
}

/// The due date of an invoice issued on `issued_on`.
pub fn due_date(issued_on: NaiveDate) -> NaiveDate {
    issued_on
        .checked_add_days(Days::new(PAYMENT_TERMS_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

/// Why a payment cannot be recorded on a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("A credit note is not paid: it gives money back.")]
    CreditNote,
    #[error("This invoice is already paid.")]
    AlreadyPaid,
    #[error("This invoice was cancelled by a credit note; there is nothing to pay.")]
    Credited,
}

/// Whether a payment may be recorded on a document of `kind` in `status`: only on an open
/// invoice, which then becomes paid.
pub fn check_payment(kind: DocumentKind, status: DocumentStatus) -> Result<(), PaymentError> {
    if kind == DocumentKind::CreditNote {
        return Err(PaymentError::CreditNote);
    }
    if status.can_become(DocumentStatus::Paid) {
        return Ok(());
    }
    Err(match status {
        DocumentStatus::Credited => PaymentError::Credited,
        _ => PaymentError::AlreadyPaid,
    })
}

/// The last day a service span covers. Spans are stored as subscriptions keep their periods,
/// from the first day to the first day after (the renewal date), and printed with their last
/// day: a 30-day trial from 1 Dec reads "1 Dec – 30 Dec".
pub fn last_day(span_end: NaiveDate) -> NaiveDate {
    span_end.pred_opt().unwrap_or(span_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(15, 30, 0)
            .unwrap()
            .and_utc()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn status_moves() {
        use DocumentStatus::*;
        assert!(Open.can_become(Paid));
        assert!(Open.can_become(Credited));
        for s in DocumentStatus::ALL {
            assert!(!s.can_become(Open), "{s:?}: nothing goes back to open");
            assert!(!Paid.can_become(*s), "{s:?}: paid is final");
            assert!(!Credited.can_become(*s), "{s:?}: credited is final");
        }
        for s in DocumentStatus::ALL {
            assert_eq!(DocumentStatus::parse(s.as_str()), Ok(*s));
        }
        assert_eq!(Open.left_to_pay(3500), 3500);
        assert_eq!(Paid.left_to_pay(3500), 0);
        assert_eq!(Credited.left_to_pay(3500), 0);
    }

    #[test]
    fn invoices_are_due_fourteen_days_after_issue() {
        let terms = issue_terms(DocumentKind::Invoice, 3500, at(2026, 12, 1)).unwrap();
        assert_eq!(terms.status, DocumentStatus::Open);
        assert_eq!(terms.due_on, Some(day(2026, 12, 15)));
        assert_eq!(terms.paid_at, None);
        // Across a month and a year.
        assert_eq!(due_date(day(2026, 12, 25)), day(2027, 1, 8));
        assert_eq!(due_date(day(2028, 2, 20)), day(2028, 3, 5));
    }

    #[test]
    fn nothing_to_pay_is_paid_at_issue_and_credit_is_settled() {
        let issued = at(2026, 12, 1);
        let free = issue_terms(DocumentKind::Invoice, 0, issued).unwrap();
        assert_eq!(free.status, DocumentStatus::Paid);
        assert_eq!(free.paid_at, Some(issued));
        assert_eq!(free.due_on, Some(day(2026, 12, 1)));
        let credit = issue_terms(DocumentKind::CreditNote, 1200, issued).unwrap();
        assert_eq!(credit.status, DocumentStatus::Credited);
        assert_eq!(credit.due_on, None);
        assert_eq!(
            issue_terms(DocumentKind::Invoice, -1, issued),
            Err(IssueError::NegativeInvoice)
        );
        assert_eq!(
            issue_terms(DocumentKind::CreditNote, -1, issued),
            Err(IssueError::NegativeCredit)
        );
    }

    #[test]
    fn overdue_from_the_day_after_the_due_date() {
        let due = Some(day(2026, 12, 15));
        assert!(!DocumentStatus::Open.is_overdue(due, day(2026, 12, 15)));
        assert!(DocumentStatus::Open.is_overdue(due, day(2026, 12, 16)));
        assert!(!DocumentStatus::Paid.is_overdue(due, day(2027, 6, 1)));
        assert!(!DocumentStatus::Open.is_overdue(None, day(2027, 6, 1)));
        assert_eq!(
            Standing::of(DocumentStatus::Open, due, day(2026, 12, 16)),
            Standing::Overdue
        );
        assert_eq!(
            Standing::of(DocumentStatus::Open, due, day(2026, 12, 1)),
            Standing::Open
        );
        assert_eq!(
            Standing::of(DocumentStatus::Credited, None, day(2026, 12, 1)).label(),
            "Credited"
        );
    }

    #[test]
    fn payments_only_on_open_invoices() {
        use DocumentStatus::*;
        assert_eq!(check_payment(DocumentKind::Invoice, Open), Ok(()));
        assert_eq!(
            check_payment(DocumentKind::Invoice, Paid),
            Err(PaymentError::AlreadyPaid)
        );
        assert_eq!(
            check_payment(DocumentKind::Invoice, Credited),
            Err(PaymentError::Credited)
        );
        for s in DocumentStatus::ALL {
            assert_eq!(
                check_payment(DocumentKind::CreditNote, *s),
                Err(PaymentError::CreditNote)
            );
        }
    }

    #[test]
    fn spans_print_their_last_day() {
        assert_eq!(last_day(day(2027, 1, 1)), day(2026, 12, 31));
        assert_eq!(last_day(day(2026, 12, 31)), day(2026, 12, 30));
    }
}

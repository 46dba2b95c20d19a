//! The closed sets of states the domain knows, each stored as a lower-case string.

use serde::{Deserialize, Serialize};

/// Declares an enum stored as text, with `as_str`, `parse`, a human `label` and `ALL`.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($text:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(text: &str) -> Result<Self, String> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(concat!("unknown ", stringify!($name), " {:?}"), other)),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// Whether a person can sign in.
    PersonStatus {
        Invited => ("invited", "Invited"),
        Active => ("active", "Active"),
        Locked => ("locked", "Locked"),
        Disabled => ("disabled", "Disabled"),
    }
);

text_enum!(
    SubscriptionStatus {
        Provisioning => ("provisioning", "Provisioning"),
        Trial => ("trial", "Trial"),
        Active => ("active", "Active"),
        CancellationPending => ("cancellation_pending", "Cancellation pending"),
        Terminated => ("terminated", "Terminated"),
        Failed => ("failed", "Failed"),
        Suspended => ("suspended", "Suspended"),
    }
);

impl SubscriptionStatus {
    /// Whether a change order may set new limits: the service runs and no cancellation waits.
    pub fn can_change_limits(self) -> bool {
        matches!(self, Self::Trial | Self::Active)
    }

    /// Statuses in which the customer is using (and paying for) the service.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Trial | Self::Active | Self::CancellationPending)
    }

    /// Every live status, for queries.
    pub fn live() -> impl Iterator<Item = SubscriptionStatus> {
        Self::ALL.iter().copied().filter(|s| s.is_live())
    }

    /// The lifecycle of DESIGN.md. A subscription is born `trial` or `active` when its order
    /// completes (or `failed`); every later move is one of these.
    pub fn can_become(self, next: SubscriptionStatus) -> bool {
        use SubscriptionStatus::*;
        matches!(
            (self, next),
            (Provisioning, Trial | Active | Failed)
                // A trial ends into its first paid period, or ends.
                | (Trial, Active | CancellationPending | Terminated)
                | (Active, CancellationPending | Suspended | Terminated)
                // A cancellation request is withdrawn or rejected, or approved.
                | (CancellationPending, Active | Trial | Terminated)
                | (Suspended, Active | Terminated)
        )
    }
}

text_enum!(
    OrderType {
        Sales => ("sales", "New subscription"),
        Change => ("change", "Resource change"),
        Cancellation => ("cancellation", "Cancellation"),
        Renewal => ("renewal", "Renewal"),
    }
);

text_enum!(
    OrderStatus {
        Submitted => ("submitted", "Submitted"),
        Provisioning => ("provisioning", "Provisioning"),
        Completed => ("completed", "Completed"),
        Failed => ("failed", "Failed"),
        PendingApproval => ("pending_approval", "Pending approval"),
        Approved => ("approved", "Approved"),
        Rejected => ("rejected", "Rejected"),
        Withdrawn => ("withdrawn", "Withdrawn"),
    }
);

impl OrderStatus {
    /// An order in a final status never changes again.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Failed | Self::Rejected | Self::Withdrawn
        )
    }

    /// The order may still change status: pages keep watching it.
    pub fn is_in_progress(self) -> bool {
        matches!(self, Self::Submitted | Self::Provisioning | Self::Approved)
    }

    /// The transitions of DESIGN.md; anything else is a bug or a race lost.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Submitted, Provisioning)
                | (Provisioning, Completed)
                | (Provisioning, Failed)
                // A crashed attempt goes back to the queue.
                | (Provisioning, Submitted)
                | (PendingApproval, Approved)
                | (PendingApproval, Rejected)
                // The customer takes a cancellation request back before it is decided.
                | (PendingApproval, Withdrawn)
                | (Approved, Provisioning)
        )
    }
}

text_enum!(
    /// Whether a customer account is in business with its reseller.
    CustomerStatus {
        Active => ("active", "Active"),
        Suspended => ("suspended", "Suspended"),
    }
);

text_enum!(
    /// Where an email of the outbox is: waiting (or retrying), delivered, or given up.
    EmailStatus {
        Pending => ("pending", "Waiting"),
        Sent => ("sent", "Sent"),
        Failed => ("failed", "Failed"),
    }
);

text_enum!(
    /// An invoice charges the customer; a credit note gives money back.
    DocumentKind {
        Invoice => ("invoice", "Invoice"),
        CreditNote => ("credit_note", "Credit note"),
    }
);

impl DocumentKind {
    /// The sign of the document's total in the account's balance.
    pub fn sign(self) -> i64 {
        match self {
            Self::Invoice => 1,
            Self::CreditNote => -1,
        }
    }
}

text_enum!(
    BillingPeriod {
        Monthly => ("monthly", "Monthly"),
        Annual => ("annual", "Annual"),
    }
);

impl BillingPeriod {
    pub fn months(self) -> u32 {
        match self {
            Self::Monthly => 1,
            Self::Annual => 12,
        }
    }

    /// "Billed monthly", "Billed yearly".
    pub fn billed(self) -> &'static str {
        match self {
            Self::Monthly => "Billed monthly",
            Self::Annual => "Billed yearly",
        }
    }

    /// "per month" / "per year", for prices.
    pub fn per(self) -> &'static str {
        match self {
            Self::Monthly => "per month",
            Self::Annual => "per year",
        }
    }
}

text_enum!(
    /// A `license` is assigned to people; a `quota` has a measured usage.
    ResourceKind {
        License => ("license", "License"),
        Quota => ("quota", "Quota"),
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips() {
        for s in SubscriptionStatus::ALL {
            assert_eq!(SubscriptionStatus::parse(s.as_str()), Ok(*s));
        }
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Ok(*s));
        }
        for s in PersonStatus::ALL {
            assert_eq!(PersonStatus::parse(s.as_str()), Ok(*s));
        }
        assert!(OrderType::parse("refund").is_err());
    }

    #[test]
    fn order_transitions() {
        use OrderStatus::*;
        assert!(Submitted.can_become(Provisioning));
        assert!(Provisioning.can_become(Completed));
        assert!(!Completed.can_become(Provisioning));
        assert!(!Submitted.can_become(Completed));
        assert!(!Rejected.can_become(Approved));
        for s in OrderStatus::ALL {
            if s.is_final() {
                assert!(OrderStatus::ALL.iter().all(|n| !s.can_become(*n)), "{s:?}");
            }
        }
    }

    #[test]
    fn subscription_lifecycle() {
        use SubscriptionStatus::*;
        assert!(Active.can_become(CancellationPending));
        assert!(CancellationPending.can_become(Active));
        assert!(Trial.can_become(Active));
        for s in SubscriptionStatus::ALL {
            // Nothing comes back from the end, and nothing goes back to the start.
            assert!(
                !Terminated.can_become(*s) && !Failed.can_become(*s),
                "{s:?}"
            );
            assert!(!s.can_become(Provisioning), "{s:?}");
        }
        assert!(!Suspended.can_become(CancellationPending));
    }

    #[test]
    fn live_subscriptions() {
        assert!(SubscriptionStatus::Active.is_live());
        assert!(!SubscriptionStatus::Terminated.is_live());
        assert!(!SubscriptionStatus::Provisioning.is_live());
    }
}

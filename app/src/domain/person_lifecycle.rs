//! A person's sign-in status as one state machine: every change of `PersonStatus` in the server
//! is an event given to [`PersonStatus::after`], and only the answer is written.
//!
//! The rules that matter most: only an admin's "enable" ends `disabled`, whatever else happens
//! (failed sign-ins, expired lockouts, reset or activation links, unlock); failed sign-ins lock
//! an active person but never touch an invited or disabled one.

use super::status::PersonStatus;

/// Something that happens to a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonEvent {
    /// The activation link was used: the first password is set.
    Activated,
    /// The right password at sign-in.
    SignedIn,
    /// Failed sign-ins in a row reached the limit.
    TooManyFailedSignIns,
    /// The lockout's cool-down has passed (seen at the next sign-in).
    LockExpired,
    /// A password-reset link was used.
    PasswordReset,
    /// The person changed their own password, signed in.
    PasswordChanged,
    /// The person confirmed a new sign-in email by its link.
    EmailChanged,
    /// An admin unlocked the person.
    Unlocked,
    /// An admin disabled the person.
    Disabled,
    /// An admin enabled the person; back to active if they have a password, else invited.
    Enabled { has_password: bool },
}

const DISABLED: &str = "This account is disabled. Ask your administrator to enable it.";

impl PersonStatus {
    /// The status after `event`, or why the event is refused in this status. An event that
    /// happens anyway but changes nothing (a failed sign-in of an invited person) answers the
    /// status unchanged.
    pub fn after(self, event: PersonEvent) -> Result<PersonStatus, &'static str> {
        use PersonEvent as E;
        use PersonStatus::*;
        match (self, event) {
            (Disabled, E::Enabled { has_password }) => {
                Ok(if has_password { Active } else { Invited })
            }
            (_, E::Enabled { .. }) => Err("This person is not disabled."),
            (Disabled, E::Disabled) => Err("This person is already disabled."),
            (_, E::Disabled) => Ok(Disabled),
            // Failed sign-ins are counted in any status, but only lock an active person: a
            // disabled person stays disabled, an invited one can still activate.
            (Disabled, E::TooManyFailedSignIns) => Ok(Disabled),
            (Invited, E::TooManyFailedSignIns) => Ok(Invited),
            (Active | Locked, E::TooManyFailedSignIns) => Ok(Locked),
            (Disabled, E::Unlocked) => Err("This person is disabled: enable them instead."),
            // Nothing a disabled person (or anyone holding their links) does gets them back in.
            (Disabled, _) => Err(DISABLED),

            (Invited, E::Activated) => Ok(Active),
            (_, E::Activated) => Err("This account is already activated."),

            (Active, E::SignedIn) => Ok(Active),
            (Locked, E::SignedIn) => Err("This account is locked."),
            (Invited, E::SignedIn) => Err("This account is not activated yet."),

            (Locked, E::LockExpired | E::Unlocked) => Ok(Active),
            (_, E::LockExpired | E::Unlocked) => Err("This person is not locked."),

            // A reset link proves the person reads their sign-in email: it also unlocks.
            (Active | Locked, E::PasswordReset) => Ok(Active),
            (Invited, E::PasswordReset) => {
                Err("This account is not activated yet: use the activation link.")
            }

            (Active | Locked, E::PasswordChanged | E::EmailChanged) => Ok(self),
            (Invited, E::PasswordChanged | E::EmailChanged) => {
                Err("This account is not activated yet.")
            }
        }
    }

    /// True when the person may be sent a password-reset link.
    pub fn may_reset_password(self) -> bool {
        self.after(PersonEvent::PasswordReset).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::PersonEvent as E;
    use super::*;
    use PersonStatus::*;

    const EVENTS: [PersonEvent; 11] = [
        E::Activated,
        E::SignedIn,
        E::TooManyFailedSignIns,
        E::LockExpired,
        E::PasswordReset,
        E::PasswordChanged,
        E::EmailChanged,
        E::Unlocked,
        E::Disabled,
        E::Enabled { has_password: true },
        E::Enabled {
            has_password: false,
        },
    ];

    /// Every (status, event) pair and its answer: `Some(next)` allowed, `None` refused.
    #[test]
    fn the_whole_transition_table() {
        let table: [(PersonStatus, [Option<PersonStatus>; 11]); 4] = [
            (
                Invited,
                [
                    Some(Active),
                    None,
                    Some(Invited),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some(Disabled),
                    None,
                    None,
                ],
            ),
            (
                Active,
                [
                    None,
                    Some(Active),
                    Some(Locked),
                    None,
                    Some(Active),
                    Some(Active),
                    Some(Active),
                    None,
                    Some(Disabled),
                    None,
                    None,
                ],
            ),
            (
                Locked,
                [
                    None,
                    None,
                    Some(Locked),
                    Some(Active),
                    Some(Active),
                    Some(Locked),
                    Some(Locked),
                    Some(Active),
                    Some(Disabled),
                    None,
                    None,
                ],
            ),
            (
                Disabled,
                [
                    None,
                    None,
                    Some(Disabled),
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some(Active),
                    Some(Invited),
                ],
            ),
        ];
        for (from, row) in table {
            for (event, expected) in EVENTS.iter().zip(row) {
                assert_eq!(from.after(*event).ok(), expected, "{from:?} + {event:?}");
            }
        }
    }

    /// From `disabled`, no sequence of events without `Enabled` ever reaches another status.
    #[test]
    fn only_enable_ends_disabled_in_any_order_of_steps() {
        let others: Vec<PersonEvent> = EVENTS
            .iter()
            .copied()
            .filter(|e| !matches!(e, E::Enabled { .. }))
            .collect();
        // Every sequence of up to four events.
        let mut frontier = vec![Disabled];
        for _ in 0..4 {
            let mut next = Vec::new();
            for status in &frontier {
                for event in &others {
                    let after = status.after(*event).unwrap_or(*status);
                    assert_eq!(after, Disabled, "{status:?} + {event:?}");
                    next.push(after);
                }
            }
            frontier = next;
        }
    }

    #[test]
    fn failed_sign_ins_never_stop_an_invitation() {
        assert_eq!(Invited.after(E::TooManyFailedSignIns), Ok(Invited));
        assert_eq!(Invited.after(E::Activated), Ok(Active));
    }

    #[test]
    fn who_may_reset() {
        assert!(Active.may_reset_password());
        assert!(Locked.may_reset_password());
        assert!(!Invited.may_reset_password());
        assert!(!Disabled.may_reset_password());
    }
}

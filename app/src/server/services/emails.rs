//! The text of every email the panel sends. A link that signs someone in or changes their
//! account goes only to the person's sign-in email (never to a notification address anyone else
//! can set), and an email-change link goes only to the new address it confirms. Durations come
//! from the constants they describe.

use super::outbox::NewEmail;
use super::tokens::Purpose;
use crate::server::entities::person;

/// Where a person wants news (not links) sent: their notification address, or their sign-in.
fn news_address(person: &person::Model) -> String {
    person
        .notification_email
        .clone()
        .unwrap_or_else(|| person.email.clone())
}

/// News of the account (an order completed or failed, a renewal coming), with a link to it.
pub fn account_news(
    person: &person::Model,
    kind: &'static str,
    subject: &str,
    text: &str,
    public_url: &str,
    link: &str,
) -> NewEmail {
    NewEmail {
        to: news_address(person),
        subject: subject.to_owned(),
        body: format!(
            "Hello {name},\n\n{text}\n\nDetails: {public_url}{link}\n",
            name = person.name,
        ),
        kind,
    }
}

fn hours(purpose: Purpose) -> i64 {
    purpose.lifetime().num_hours()
}

pub fn activation(
    person: &person::Model,
    customer_name: &str,
    invited_by: &str,
    public_url: &str,
    token: &str,
) -> NewEmail {
    NewEmail {
        to: person.email.clone(),
        subject: format!("Your {customer_name} account in the Customer Control Panel"),
        body: format!(
            "Hello {name},\n\n\
             {invited_by} created an account for you in the {customer_name} control panel.\n\
             Your sign-in is {email}.\n\n\
             Choose your password here to activate it:\n{public_url}/activate?token={token}\n\n\
             The link works once and expires in {hours} hours. If it has expired, ask your \
             administrator to send a new one.\n",
            name = person.name,
            email = person.email,
            hours = hours(Purpose::Activation),
        ),
        kind: "activation",
    }
}

/// The first owner's welcome: where the panel is, their sign-in, and the link to choose a
/// password (never a password itself).
/// When `bought` names a service the reseller ordered for the customer, the email says so.
pub fn welcome(
    person: &person::Model,
    customer_name: &str,
    reseller_name: &str,
    public_url: &str,
    token: &str,
    bought: Option<&str>,
) -> NewEmail {
    let purchase = bought
        .map(|b| format!("{reseller_name} has ordered for you: {b}.\n\n"))
        .unwrap_or_default();
    NewEmail {
        to: person.email.clone(),
        subject: format!("Welcome to the {customer_name} Customer Control Panel"),
        body: format!(
            "Hello {name},\n\n\
             {reseller_name} has opened a Customer Control Panel for {customer_name}. In it you \
             manage your people, order cloud services and follow your subscriptions and bills.\n\n\
             {purchase}\
             Your panel: {public_url}/\n\
             Your sign-in: {email}\n\n\
             Choose your password here to activate your account:\n\
             {public_url}/activate?token={token}\n\n\
             The link works once and expires in {hours} hours. If it has expired, ask \
             {reseller_name} to send a new one.\n",
            name = person.name,
            email = person.email,
            hours = hours(Purpose::Activation),
        ),
        kind: "welcome",
    }
}

pub fn password_reset(person: &person::Model, public_url: &str, token: &str) -> NewEmail {
    NewEmail {
        to: person.email.clone(),
        subject: "Reset your Customer Control Panel password".into(),
        body: format!(
            "Hello {name},\n\n\
             Someone (hopefully you or your administrator) asked to reset the password of {email}.\n\n\
             Choose a new password here:\n{public_url}/reset-password?token={token}\n\n\
             The link works once and expires in {hours} hours; using it also unlocks the \
             account. If you did not ask for this, ignore this email: your password stays as \
             it is.\n",
            name = person.name,
            email = person.email,
            hours = hours(Purpose::PasswordReset),
        ),
        kind: "password_reset",
    }
}

/// Sent to the new address: using the link makes it the sign-in email.
pub fn email_change_confirmation(
    person: &person::Model,
    new_email: &str,
    public_url: &str,
    token: &str,
) -> NewEmail {
    NewEmail {
        to: new_email.to_owned(),
        subject: "Confirm your new Customer Control Panel sign-in email".into(),
        body: format!(
            "Hello {name},\n\n\
             You asked to sign in to the Customer Control Panel with {new_email} instead of \
             {old}.\n\n\
             Confirm the change here:\n{public_url}/confirm-email?token={token}\n\n\
             The link works once and expires in {hours} hours. Until it is used, nothing \
             changes.\n",
            name = person.name,
            old = person.email,
            hours = hours(Purpose::EmailChange),
        ),
        kind: "email_change",
    }
}

/// Sent to the current address when a change is asked for, before anything changes: someone
/// who got hold of the password is noticed while the owner can still stop it.
pub fn email_change_requested_notice(person: &person::Model) -> NewEmail {
    NewEmail {
        to: person.email.clone(),
        subject: "A change of your Customer Control Panel sign-in email was asked for".into(),
        body: format!(
            "Hello {name},\n\n\
             Someone signed in as you asked to move your Customer Control Panel sign-in away \
             from {email}. Nothing changes until the link sent to the new address is used.\n\n\
             If this was not you, change your password now (or use \"Forgot your password?\"): \
             that cancels the change and signs everyone else out.\n",
            name = person.name,
            email = person.email,
        ),
        kind: "email_change_requested",
    }
}

/// Sent to the old address once the change is made, so a change nobody asked for is noticed.
pub fn email_changed_notice(person: &person::Model, new_email: &str) -> NewEmail {
    NewEmail {
        to: person.email.clone(),
        subject: "Your Customer Control Panel sign-in email was changed".into(),
        body: format!(
            "Hello {name},\n\n\
             The sign-in email of your Customer Control Panel account is now {new_email} \
             (it was {old}). If you did not do this, tell your administrator at once.\n",
            name = person.name,
            old = person.email,
        ),
        kind: "email_changed",
    }
}

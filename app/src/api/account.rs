//! One's own account: activation, password-reset and email-change links (no session needed),
//! and changing one's password or sign-in email.

use crate::dto::account::Invitation;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "get_invitation")]
pub async fn get_invitation(token: String) -> Result<Invitation, AppError> {
    use super::context;
    use crate::server::services::people;

    let visit = context::anonymous()?;
    let client = crate::server::limits::client_key(visit.ip.as_deref());
    visit.state.limits.link_client.check(client)?;
    people::invitation(&visit.state, &token).await
}

/// Uses an activation link: sets the first password and signs the person in.
#[server(endpoint = "activate_account")]
pub async fn activate_account(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::account;
    use crate::server::services::tokens::Purpose;

    let visit = context::anonymous()?;
    let password = checked_password(&password, &password_confirm, "password")?;
    let person_id = account::set_password_from_link(
        &visit.state,
        &token,
        Purpose::Activation,
        password,
        visit.ip.clone(),
    )
    .await?;
    sign_in_from_link(&visit, person_id).await
}

/// Sends a reset link when the address belongs to a person who may reset their password. The
/// answer is the same, and as fast, either way.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use super::context;
    use crate::domain::Email;
    use crate::server::services::account;

    let visit = context::anonymous()?;
    let email = Email::parse(&email).map_err(|m| AppError::validation("email", m))?;
    account::request_password_reset(&visit.state, &email, visit.ip.as_deref())
}

/// Uses a reset link: sets the new password and signs the person in.
#[server(endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::account;
    use crate::server::services::tokens::Purpose;

    let visit = context::anonymous()?;
    let password = checked_password(&password, &password_confirm, "password")?;
    let person_id = account::set_password_from_link(
        &visit.state,
        &token,
        Purpose::PasswordReset,
        password,
        visit.ip.clone(),
    )
    .await?;
    sign_in_from_link(&visit, person_id).await
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    use super::context;
    use crate::server::access::SignedIn;
    use crate::server::services::account;

    let call = context::authorize::<SignedIn>().await?;
    if call.actor.impersonator.is_some() {
        return Err(AppError::NotAllowed(
            "A reseller viewing this panel cannot change the customer's password.".into(),
        ));
    }
    let password = checked_password(&new_password, &new_password_confirm, "new_password")?;
    account::change_password(
        &call.state,
        &call.actor,
        current_password,
        password,
        call.ip,
    )
    .await
}

/// Asks to change one's own sign-in email: a confirmation link goes to the new address, and
/// nothing changes until it is used.
#[server(endpoint = "request_email_change")]
pub async fn request_email_change(
    new_email: String,
    current_password: String,
) -> Result<(), AppError> {
    use super::context;
    use crate::domain::Email;
    use crate::server::access::SignedIn;
    use crate::server::services::account;

    let call = context::authorize::<SignedIn>().await?;
    if call.actor.impersonator.is_some() {
        return Err(AppError::NotAllowed(
            "A reseller viewing this panel cannot change the customer's sign-in email.".into(),
        ));
    }
    let email = Email::parse(&new_email).map_err(|m| AppError::validation("new_email", m))?;
    account::request_email_change(&call.state, &call.actor, &email, current_password, call.ip).await
}

/// Uses an email-change link: the address it was sent to becomes the sign-in email.
#[server(endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<String, AppError> {
    use super::context;
    use crate::server::services::account;

    let visit = context::anonymous()?;
    account::confirm_email_change(&visit.state, &token, visit.ip.clone()).await
}

#[cfg(feature = "ssr")]
fn checked_password(
    password: &str,
    confirm: &str,
    field: &str,
) -> Result<crate::domain::Password, AppError> {
    let parsed =
        crate::domain::Password::parse(password).map_err(|m| AppError::validation(field, m))?;
    if password != confirm {
        return Err(AppError::validation(
            &format!("{field}_confirm"),
            "The two passwords are not the same.",
        ));
    }
    Ok(parsed)
}

/// After a link proved who someone is and they chose a password: a fresh session, then home.
#[cfg(feature = "ssr")]
async fn sign_in_from_link(visit: &super::context::Visit, person_id: i32) -> Result<(), AppError> {
    use crate::server::auth::{SessionFor, start_session};
    let session = start_session(
        &visit.state,
        SessionFor::Person(person_id),
        visit.ip.clone(),
        visit.user_agent.clone(),
    )
    .await?;
    super::context::set_session_cookie(&visit.state, &session);
    leptos_axum::redirect("/");
    Ok(())
}

//! One's own account: activation and password-reset links (no session needed), and changing
//! one's password.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Who an activation link is for, to greet them on the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub name: String,
    pub email: String,
    pub customer_name: String,
}

#[server(endpoint = "get_invitation")]
pub async fn get_invitation(token: String) -> Result<Invitation, AppError> {
    use super::context;
    use crate::server::services::people;

    context::finish(
        async {
            let state = context::state()?;
            people::invitation(&state, &token).await
        }
        .await,
    )
}

/// Sets the first password from an activation link and signs the person in.
#[server(endpoint = "activate_account")]
pub async fn activate_account(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::account;
    use crate::server::services::tokens::Purpose;

    context::finish(
        async {
            let state = context::state()?;
            let parts = context::parts()?;
            let password = checked_password(&password, &password_confirm, "password")?;
            let ip = context::client_ip(&parts);
            let person_id =
                account::set_password_from_link(&state, &token, Purpose::Activation, password, ip)
                    .await?;
            sign_in_from_link(&state, &parts, person_id).await
        }
        .await,
    )
}

/// Always answers the same, whether or not the address has an account.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use super::context;
    use crate::domain::Email;
    use crate::server::services::account;

    context::finish(
        async {
            let state = context::state()?;
            let email = Email::parse(&email).map_err(|m| AppError::validation("email", m))?;
            account::request_password_reset(&state, &email).await
        }
        .await,
    )
}

/// Sets a new password from a reset link and signs the person in.
#[server(endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::account;
    use crate::server::services::tokens::Purpose;

    context::finish(
        async {
            let state = context::state()?;
            let parts = context::parts()?;
            let password = checked_password(&password, &password_confirm, "password")?;
            let ip = context::client_ip(&parts);
            let person_id = account::set_password_from_link(
                &state,
                &token,
                Purpose::PasswordReset,
                password,
                ip,
            )
            .await?;
            sign_in_from_link(&state, &parts, person_id).await
        }
        .await,
    )
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    use super::context;
    use crate::server::services::account;

    context::finish(
        async {
            let (state, actor) = context::actor().await?;
            if actor.impersonator.is_some() {
                return Err(AppError::NotAllowed(
                    "A reseller viewing this panel cannot change the customer's password.".into(),
                ));
            }
            let password = checked_password(&new_password, &new_password_confirm, "new_password")?;
            let ip = context::client_ip(&context::parts()?);
            account::change_password(&state, &actor, current_password, password, ip).await
        }
        .await,
    )
}

/// The password rule, and the two copies must agree.
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
async fn sign_in_from_link(
    state: &crate::server::AppState,
    parts: &http::request::Parts,
    person_id: i32,
) -> Result<(), AppError> {
    use super::context;
    let ip = context::client_ip(parts);
    let agent = context::user_agent(parts);
    let session = crate::server::auth::start_session(state, person_id, None, ip, agent).await?;
    super::auth::set_session_cookie(state, &session);
    leptos_axum::redirect("/");
    Ok(())
}

//! Account links that work without a session: activation of a new person.

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
    use crate::domain::Password;
    use crate::server::{auth, services::people};

    context::finish(
        async {
            let state = context::state()?;
            let parts = context::parts()?;
            let password =
                Password::parse(&password).map_err(|m| AppError::validation("password", m))?;
            if password.expose() != password_confirm {
                return Err(AppError::validation(
                    "password_confirm",
                    "The two passwords are not the same.",
                ));
            }
            let ip = context::client_ip(&parts);
            let person_id = people::activate(&state, &token, password, ip.clone()).await?;
            let session =
                auth::start_session(&state, person_id, None, ip, context::user_agent(&parts))
                    .await?;
            super::auth::set_session_cookie(&state, &session);
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

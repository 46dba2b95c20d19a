//! "Log in to Customer Control Panel" and the way back, for reseller staff.
//!
//! Both answer the page to open next, which the browser loads as a new document
//! ([`load_afresh_after`]): the person at the keyboard now acts as someone else, and the frame
//! of every page (menu, banner, whom it shows) must be that session's.

use crate::error::AppError;
use leptos::prelude::*;

/// Opens the customer's panel: the browser's session becomes one acting with the owner's rights
/// for this customer, and the staff member's own session waits for the return.
#[server(endpoint = "enter_customer_panel")]
pub async fn enter_customer_panel(customer_id: i32) -> Result<String, AppError> {
    use super::context;
    use crate::server::access::ResellerStaff;
    use crate::server::auth;
    use crate::server::services::acting;

    let call = context::authorize::<ResellerStaff>().await?;
    let parts = context::parts()?;
    let own_token = auth::session_token(&parts.headers).ok_or(AppError::Unauthenticated)?;
    let token = acting::enter(
        &call.state,
        &call.actor,
        call.scope,
        customer_id,
        call.ip,
        context::user_agent(&parts),
    )
    .await?;
    let settings = &call.state.settings;
    context::set_cookie(&auth::return_cookie(
        &own_token,
        settings.session_absolute,
        settings.secure_cookies,
    ));
    context::set_session_cookie(&call.state, &token);
    Ok("/".into())
}

/// Leaves the customer's panel: ends the acting session and restores the staff member's own
/// (or, when that one has ended meanwhile, sends them to sign in). When the acting session has
/// already ended by itself, the staff member's own session is restored if it is still valid.
#[server(endpoint = "return_to_reseller_panel")]
pub async fn return_to_reseller_panel() -> Result<String, AppError> {
    use super::context;
    use crate::server::access::ActingStaff;
    use crate::server::auth;
    use crate::server::services::acting;

    let call = match context::authorize::<ActingStaff>().await {
        Ok(call) => call,
        Err(AppError::Unauthenticated) => {
            let visit = context::anonymous()?;
            let secure = visit.state.settings.secure_cookies;
            let own = acting::restore_after_expiry(
                &visit.state,
                auth::return_token(&visit.parts.headers),
            )
            .await?;
            context::set_cookie(&auth::clear_return_cookie(secure));
            let token = own.ok_or(AppError::Unauthenticated)?;
            context::set_session_cookie(&visit.state, &token);
            return Ok("/reseller".into());
        }
        Err(err) => return Err(err),
    };
    let parts = context::parts()?;
    let secure = call.state.settings.secure_cookies;
    let back = acting::leave(
        &call.state,
        &call.actor,
        call.ip,
        auth::return_token(&parts.headers),
    )
    .await?;
    context::set_cookie(&auth::clear_return_cookie(secure));
    Ok(match back.token {
        Some(token) => {
            context::set_session_cookie(&call.state, &token);
            back.customer_id
                .map_or("/reseller".into(), acting::customer_page)
        }
        None => {
            context::set_cookie(&auth::clear_session_cookie(secure));
            "/login".into()
        }
    })
}

/// In the browser: once `action` has answered the page to open, loads it as a new document.
/// A refusal that means this page is stale (another tab switched the session, or it ended)
/// loads the page again, which then shows where the browser really is.
pub fn load_afresh_after<I>(action: ServerAction<I>)
where
    I: leptos::server_fn::ServerFn<Output = String, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    Effect::new(move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        match action.value().get() {
            Some(Ok(path)) => {
                let _ = window.location().assign(&path);
            }
            Some(Err(AppError::Unauthenticated | AppError::Forbidden)) => {
                let _ = window.location().reload();
            }
            _ => {}
        }
    });
}

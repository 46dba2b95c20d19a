//! Sign-in, sign-out and "who am I".

use crate::dto::auth::Me;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use super::context;
    use crate::server::limits::client_key;
    use crate::server::{auth, services};

    let visit = context::anonymous()?;
    let state = &visit.state;
    // Throttled per client and per address typed (known or not, so the answer reveals nothing).
    state
        .limits
        .sign_in_client
        .check(client_key(visit.ip.as_deref()))?;
    state
        .limits
        .sign_in_account
        .check(&email.trim().to_lowercase())?;
    let token = services::auth::login(
        state,
        &email,
        password,
        visit.ip.clone(),
        visit.user_agent.clone(),
    )
    .await?;
    // A new id at every sign-in: a session fixed before sign-in is worth nothing.
    if let Some(previous) = auth::session_token(&visit.parts.headers) {
        auth::end_session(state, &previous).await?;
    }
    context::set_session_cookie(state, &token);
    if auth::return_token(&visit.parts.headers).is_some() {
        context::set_cookie(&auth::clear_return_cookie(state.settings.secure_cookies));
    }
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::context;
    use crate::server::auth;

    let visit = context::anonymous()?;
    if let Some(token) = auth::session_token(&visit.parts.headers) {
        auth::end_session(&visit.state, &token).await?;
    }
    let secure = visit.state.settings.secure_cookies;
    context::set_cookie(&auth::clear_session_cookie(secure));
    context::set_cookie(&auth::clear_return_cookie(secure));
    leptos_axum::redirect("/login");
    Ok(())
}

/// The signed-in person, or `None` when there is no valid session.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    let visit = super::context::anonymous()?;
    signed_in_person(&visit.state, &visit.parts).await
}

/// The person behind the request's session, as the shell shows them; `None` without a valid
/// session. The server's router asks this before rendering a page (see [`PageCaller`]).
#[cfg(feature = "ssr")]
pub async fn signed_in_person(
    state: &crate::server::AppState,
    parts: &http::request::Parts,
) -> Result<Option<Me>, AppError> {
    use crate::server::auth;
    use crate::server::services::notifications;

    let actor = match auth::actor_from_parts(state, parts).await {
        Ok(actor) => actor,
        Err(AppError::Unauthenticated) => return Ok(None),
        Err(err) => return Err(err),
    };
    let unread_notifications = notifications::count_unread(&state.db, actor.person_id).await?;
    Ok(Some(Me {
        name: actor.name,
        email: actor.email,
        role: actor.role,
        customer_name: actor.customer_name,
        reseller_name: actor.reseller_name,
        impersonator_name: actor.impersonator.map(|i| i.name),
        demo_mode: state.settings.demo_mode,
        unread_notifications,
    }))
}

/// Who is asking for a page, found before the page renders, so the shell around every
/// signed-in page is drawn at once instead of waiting in a Suspense (whose repeated walks
/// would build the page inside it again, with its data).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct PageCaller(pub Result<Option<Me>, AppError>);

/// The caller the router found for the page being rendered; `None` outside a page render.
pub fn page_caller() -> Option<Result<Option<Me>, AppError>> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<PageCaller>().cloned())
            .map(|PageCaller(me)| me)
    }
    #[cfg(not(feature = "ssr"))]
    None
}

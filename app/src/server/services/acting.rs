//! "Log in to Customer Control Panel": reseller staff open a customer's panel from the
//! customer's page and act there with the owner's rights, in a session of its own.
//!
//! The acting session names the customer's owner as its person and the staff member as its
//! impersonator, so every rule that admits the owner admits it, every audit entry carries both
//! identities, and no reseller function admits it (`access::ResellerStaff` refuses a session with
//! an impersonator). It also names the staff member's own session, which the return restores
//! without a new sign-in; that session's token waits in its own cookie meanwhile. An acting
//! session ends after `Settings::acting_idle` unused, and with the staff member's session.

use crate::domain::{PersonStatus, Role};
use crate::error::AppError;
use crate::server::auth::{self, Actor, SessionFor};
use crate::server::entities::{person, session};
use crate::server::services::audit;
use crate::server::{AppState, ResellerScope};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Where the browser goes after the return: the customer's page in the reseller panel.
pub fn customer_page(customer_id: i32) -> String {
    format!("/reseller/customers/{customer_id}")
}

/// Opens an acting session for the customer's owner and returns its token. The customer must be
/// one of the staff member's reseller; another reseller's customer is not found.
pub async fn enter(
    state: &AppState,
    staff: &Actor,
    scope: ResellerScope,
    customer_id: i32,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<String, AppError> {
    let (_, customer) = scope.customer(&state.db, customer_id).await?;
    let owner = person::Entity::find()
        .filter(person::Column::CustomerId.eq(customer.id))
        .filter(person::Column::Role.eq(Role::Owner))
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::Conflict("This customer has no owner to act for.".into()))?;
    if owner.status == PersonStatus::Disabled {
        return Err(AppError::Conflict(
            "The owner's account is disabled: their panel cannot be opened.".into(),
        ));
    }
    let token = auth::start_session(
        state,
        SessionFor::Acting {
            owner_id: owner.id,
            staff,
        },
        ip.clone(),
        user_agent,
    )
    .await?;
    let who = audit::Who {
        reseller_id: Some(customer.reseller_id),
        customer_id: Some(customer.id),
        person_id: owner.id,
        name: owner.name.clone(),
        impersonator: Some((
            staff.person_id,
            audit::staff_label(&staff.name, &staff.reseller_name),
        )),
    };
    audit::record(
        &state.db,
        who,
        ip,
        state.clock.now(),
        audit::Entry {
            action: "panel.entered",
            target_type: "customer",
            target_id: Some(customer.id.to_string()),
            details: None,
        },
    )
    .await?;
    tracing::info!(
        person.id = staff.person_id,
        customer.id = customer.id,
        "reseller staff entered a customer's panel"
    );
    Ok(token)
}

/// What the return leads to.
pub struct Return {
    /// The staff member's own session token, when that session is still alive; otherwise they
    /// sign in again.
    pub token: Option<String>,
    pub customer_id: Option<i32>,
}

/// Ends the acting session of `actor` and finds the staff member's own session to restore.
/// `return_token` is what the browser kept; it is restored only if it is the very session the
/// acting one was opened from, still valid, and the same staff member's.
pub async fn leave(
    state: &AppState,
    actor: &Actor,
    ip: Option<String>,
    return_token: Option<String>,
) -> Result<Return, AppError> {
    let Some(staff) = actor.impersonator.as_ref() else {
        return Err(AppError::NotAllowed(
            "You are not acting for a customer: there is nothing to return from.".into(),
        ));
    };
    let acting = session::Entity::find_by_id(actor.session_id.clone())
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    auth::end_one_session(state, &actor.session_id).await?;
    audit::record(
        &state.db,
        actor,
        ip,
        state.clock.now(),
        audit::Entry {
            action: "panel.left",
            target_type: "customer",
            target_id: actor.customer_id.map(|id| id.to_string()),
            details: None,
        },
    )
    .await?;
    let token = match (return_token, &acting.parent_session_id) {
        (Some(token), Some(parent)) if auth::hash_token(&token) == *parent => {
            own_session(state, &token)
                .await?
                .filter(|own| own.person_id == staff.person_id)
                .map(|_| token)
        }
        _ => None,
    };
    // A browser that lost the staff member's own token cannot use that session again: it ends
    // here rather than waiting for its expiry.
    if token.is_none()
        && let Some(parent) = &acting.parent_session_id
    {
        auth::end_one_session(state, parent).await?;
    }
    Ok(Return {
        token,
        customer_id: actor.customer_id,
    })
}

/// After the acting session has ended by itself (an hour unused): the staff member's own
/// session from the return cookie, when it is still valid and a reseller staff session; the
/// browser holds it already, so restoring it gives nobody anything new.
pub async fn restore_after_expiry(
    state: &AppState,
    return_token: Option<String>,
) -> Result<Option<String>, AppError> {
    let Some(token) = return_token else {
        return Ok(None);
    };
    Ok(own_session(state, &token).await?.map(|_| token))
}

/// The reseller staff member's own session behind `token`, if it is one and still valid.
async fn own_session(state: &AppState, token: &str) -> Result<Option<Actor>, AppError> {
    match auth::actor_from_headers(state, &cookie_headers(token)).await {
        Ok(own) if own.role.is_reseller() && own.impersonator.is_none() => Ok(Some(own)),
        Ok(_) | Err(AppError::Unauthenticated) => Ok(None),
        Err(err) => Err(err),
    }
}

fn cookie_headers(token: &str) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    if let Ok(value) = http::HeaderValue::from_str(&format!("{}={token}", auth::SESSION_COOKIE)) {
        headers.insert(http::header::COOKIE, value);
    }
    headers
}

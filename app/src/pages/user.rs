//! One person of the account: details, role, status actions, services and sign-in history.

use super::params::{id_param, load_by_id};
use crate::api::licenses::{AssignLicense, UnassignLicense, list_license_slots};
use crate::api::users::{ChangeUser, UpdateUser, get_user};
use crate::components::badges::PersonBadge;
use crate::components::format;
use crate::components::loaded::Loaded;
use crate::components::time::Time;
use crate::domain::{PersonStatus, Role};
use crate::dto::users::{UserCommand, UserDetail};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn UserPage() -> impl IntoView {
    let id = id_param("id");
    let update = ServerAction::<UpdateUser>::new();
    let change = ServerAction::<ChangeUser>::new();
    // What was asked last, to say what happened once it is done (the action forgets its input).
    let last_command = RwSignal::new(None::<UserCommand>);
    Effect::new(move |_| {
        if let Some(asked) = change.input().get() {
            last_command.set(Some(asked.command));
        }
    });
    // Every successful change reloads the person.
    let detail = Resource::new(
        move || (id.get(), update.version().get(), change.version().get()),
        |(id, _, _)| load_by_id(id, get_user),
    );
    // The person's licenses load beside the person, from the top of the page: a resource made
    // inside the part that waits for the person could be made in another order while
    // hydrating than on the server, which breaks hydration.
    let assign = ServerAction::<AssignLicense>::new();
    let unassign = ServerAction::<UnassignLicense>::new();
    let slots = Resource::new(
        move || (id.get(), assign.version().get(), unassign.version().get()),
        |(id, _, _)| load_by_id(id, list_license_slots),
    );
    let licenses = Licenses {
        slots,
        assign,
        unassign,
    };
    // Deleting has its own action: when it succeeds there is no person left to show.
    let delete = ServerAction::<ChangeUser>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/users", Default::default());
        }
    });

    view! {
        <p class="breadcrumb"><a href="/users">"← Users"</a></p>
        <Loaded resource=detail error_title="User" let:data>
            <UserView data update change last_command delete licenses />
        </Loaded>
    }
}

/// The person's license slots and the actions that change them.
#[derive(Clone, Copy)]
struct Licenses {
    slots: Resource<Result<Vec<crate::dto::licenses::LicenseSlot>, AppError>>,
    assign: ServerAction<AssignLicense>,
    unassign: ServerAction<UnassignLicense>,
}

#[component]
fn UserView(
    data: UserDetail,
    update: ServerAction<UpdateUser>,
    change: ServerAction<ChangeUser>,
    last_command: RwSignal<Option<UserCommand>>,
    delete: ServerAction<ChangeUser>,
    licenses: Licenses,
) -> impl IntoView {
    let u = data.user.clone();
    let first_name = u
        .name
        .split_whitespace()
        .next()
        .unwrap_or("This person")
        .to_owned();
    let id = u.id;
    let update_error = move || match update.value().get() {
        Some(Err(e)) => Some(e),
        _ => None,
    };
    let change_error = move || match (change.value().get(), delete.value().get()) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e),
        _ => None,
    };
    let field_error = move |field: &'static str| update_error().and_then(|e| e.for_field(field));
    let button_for = move |action: ServerAction<ChangeUser>,
                           command: UserCommand,
                           label: &'static str,
                           class: &'static str| {
        let command_text = serde_json::to_value(command)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        view! {
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="command" value=command_text />
                <button type="submit" class=format!("button {class}") disabled=move || action.pending().get()>{label}</button>
            </ActionForm>
        }
    };
    let command_button = move |command: UserCommand, label: &'static str, class: &'static str| {
        button_for(change, command, label, class)
    };
    let confirm_delete = RwSignal::new(false);

    view! {
            <Title text=u.name.clone() />
            <div class="page-head">
                <span class="avatar large" aria-hidden="true">{u.name.chars().next().unwrap_or('?').to_string()}</span>
                <div>
                    <h1>{u.name.clone()}</h1>
                    <p class="muted break">{u.email.clone()}</p>
                </div>
                <span class="badge info">{u.role.label()}</span>
                <PersonBadge status=u.status />
            </div>
            {move || change_error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            {move || matches!(change.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice" role="status">{done_message(last_command.get(), &first_name)}</p>
            })}

            <section class="card" aria-labelledby="u-details">
                <h2 id="u-details">"Details"</h2>
    {if data.actions.edit {
                    view! {
                                    <ActionForm action=update attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="id" value=id />
                    <label for="u-name">"Name"</label>
                    <input id="u-name" name="name" value=u.name.clone() required
                        aria-invalid=move || field_error("name").is_some().to_string() />
                    {move || field_error("name").map(|m| view! { <p class="field-error">{m}</p> })}
                    <label for="u-notify">"Notification email (optional)"</label>
                    <input id="u-notify" name="notification_email" type="email"
                        value=data.notification_email.clone().unwrap_or_default()
                        aria-invalid=move || field_error("notification_email").is_some().to_string() />
                    {move || field_error("notification_email").map(|m| view! { <p class="field-error">{m}</p> })}
                    <button type="submit" class="button primary" disabled=move || update.pending().get()>"Save"</button>
                </ActionForm>
                    }.into_any()
                } else {
                    view! {
                        <dl class="facts">
                            <dt>"Notification email"</dt><dd>{data.notification_email.clone().unwrap_or_else(|| "—".into())}</dd>
                        </dl>
                        <p class="muted small">"Only the owner changes the owner's details, on their own profile."</p>
                    }.into_any()
                }}
                <dl class="facts">
                    <dt>"Added"</dt><dd><Time at=data.created_at /></dd>
                    <dt>"Last sign-in"</dt><dd>{data.last_login_at.map(|t| view! { <Time at=t /> }.into_any()).unwrap_or_else(|| "Never".into_any())}</dd>
                    {data.locked_until.filter(|_| u.status == PersonStatus::Locked).map(|t| view! {
                        <dt>"Locked until"</dt><dd><Time at=t /></dd>
                    })}
                </dl>
            </section>

            <section class="card" aria-labelledby="u-access">
                <h2 id="u-access">"Access"</h2>
                <div class="actions">
                    {(data.actions.change_role && u.role == Role::User).then(|| command_button(UserCommand::MakeAdmin, "Make admin", ""))}
                    {(data.actions.change_role && u.role == Role::Admin).then(|| command_button(UserCommand::MakeUser, "Make user", ""))}
                    {(u.status == PersonStatus::Locked).then(|| command_button(UserCommand::Unlock, "Unlock", ""))}
                    {(data.actions.send_links && u.status == PersonStatus::Invited).then(|| command_button(UserCommand::ResendActivation, "Resend activation email", ""))}
                    {(data.actions.send_links && u.status.may_reset_password()).then(|| command_button(UserCommand::SendPasswordReset, "Send password reset email", ""))}
                    {(data.actions.disable && u.status != PersonStatus::Disabled).then(|| command_button(UserCommand::Disable, "Disable", "danger"))}
                    {(data.actions.disable && u.status == PersonStatus::Disabled).then(|| command_button(UserCommand::Enable, "Enable", ""))}
                </div>
                {(!data.actions.change_role && u.role == Role::Owner).then(|| view! {
                    <p class="muted small">"The owner cannot be demoted, disabled or deleted."</p>
                })}
            </section>

            <LicenseSlots person_id=id licenses />

            <section class="card" aria-labelledby="u-logins">
                <h2 id="u-logins">"Sign-in history"</h2>
                {if data.logins.is_empty() {
                    view! { <p class="muted">"No sign-ins yet."</p> }.into_any()
                } else {
                    view! {
                        <table class="responsive">
                            <thead><tr><th>"When"</th><th>"Result"</th><th>"From"</th><th>"Browser"</th></tr></thead>
                            <tbody>
                                {data.logins.into_iter().map(|l| view! {
                                    <tr>
                                        <td data-label="When"><Time at=l.at /></td>
                                        <td data-label="Result">{if l.success { "Signed in".to_owned() } else { format!("Refused ({})", l.failure_reason.unwrap_or_default().replace('_', " ")) }}</td>
                                        <td data-label="From">{l.ip.unwrap_or_else(|| "—".into())}</td>
                                        <td data-label="Browser" title=l.user_agent.clone().unwrap_or_default()>
                                            {l.user_agent.as_deref().map(format::browser).unwrap_or_else(|| "—".into())}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>

            {data.actions.delete.then(|| view! {
                <section class="card danger-zone" aria-labelledby="u-delete">
                    <h2 id="u-delete">"Delete"</h2>
                    <p class="muted">"Deleting removes the person and releases their licenses. Their history stays in the activity log."</p>
                    <Show when=move || confirm_delete.get() fallback=move || view! {
                        <button type="button" class="button danger" on:click=move |_| confirm_delete.set(true)>"Delete this person…"</button>
                    }>
                        {button_for(delete, UserCommand::Delete, "Yes, delete permanently", "danger")}
                        <button type="button" class="button" on:click=move |_| confirm_delete.set(false)>"Cancel"</button>
                    </Show>
                </section>
            })}
        }
}

/// What a person management action did, in a sentence about the person.
fn done_message(command: Option<UserCommand>, name: &str) -> String {
    match command {
        Some(UserCommand::MakeAdmin) => {
            format!("{name} is now an admin and can manage the account.")
        }
        Some(UserCommand::MakeUser) => {
            format!("{name} is now a user and no longer manages the account.")
        }
        Some(UserCommand::Disable) => format!("{name} is disabled and can no longer sign in."),
        Some(UserCommand::Enable) => format!("{name} is enabled and can sign in again."),
        Some(UserCommand::Unlock) => format!("{name} is unlocked and can sign in again."),
        Some(UserCommand::ResendActivation) => {
            format!("A new activation email is on its way to {name}.")
        }
        Some(UserCommand::SendPasswordReset) => {
            format!("A password reset email is on its way to {name}.")
        }
        Some(UserCommand::Delete) | None => "Saved.".to_owned(),
    }
}

/// The account's licenses, with this person's assigned ones marked, to assign or unassign.
#[component]
fn LicenseSlots(person_id: i32, licenses: Licenses) -> impl IntoView {
    let Licenses {
        slots,
        assign,
        unassign,
    } = licenses;
    let error = move || {
        assign
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| unassign.value().get().and_then(Result::err))
    };
    view! {
        <section class="card" aria-labelledby="u-services">
            <h2 id="u-services">"Services"</h2>
            {move || error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <Loaded resource=slots let:list>
                {if list.is_empty() {
                    view! {
                        <p class="muted">"The account has no subscriptions with licenses to assign."</p>
                    }.into_any()
                } else {
                    view! {
                        <ul class="rows">
                            {list.into_iter().map(|slot| {
                                let label = format!("{} — {}", slot.product_name, slot.resource_name);
                                let full = slot.assigned >= slot.limit;
                                view! {
                                    <li>
                                        <span>
                                            <a href=format!("/subscriptions/{}", slot.subscription_id)>{slot.product_name.clone()}</a>
                                            <span class="muted small block">
                                                {format!("{} · {} · {} of {} assigned", slot.plan_name, slot.resource_name, slot.assigned, slot.limit)}
                                            </span>
                                        </span>
                                        {if slot.held {
                                            view! {
                                                <ActionForm action=unassign attr:class="inline-form">
                                                    <input type="hidden" name="resource_id" value=slot.resource_id />
                                                    <input type="hidden" name="person_id" value=person_id />
                                                    <button type="submit" class="button" aria-label=format!("Unassign {label}")>"Unassign"</button>
                                                </ActionForm>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <ActionForm action=assign attr:class="inline-form">
                                                    <input type="hidden" name="resource_id" value=slot.resource_id />
                                                    <input type="hidden" name="person_id" value=person_id />
                                                    <button type="submit" class="button" disabled=full
                                                        aria-label=format!("Assign {label}")>
                                                        {if full { "All assigned" } else { "Assign" }}
                                                    </button>
                                                </ActionForm>
                                            }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Loaded>
        </section>
    }
}

//! The signed-in person's notifications: newest first, read one or all.

use crate::api::notifications::{MarkNotificationsRead, list_notifications};
use crate::components::loaded::Loaded;
use crate::components::time::Time;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let mark = ServerAction::<MarkNotificationsRead>::new();
    // Reloads after each mark, so the list and its count agree with the server.
    let list = Resource::new(move || mark.version().get(), |_| list_notifications());
    view! {
        <Title text="Notifications" />
        <h1>"Notifications"</h1>
        <Loaded resource=list let:data>
            {if data.items.is_empty() {
                view! {
                    <p class="card muted">"No notifications yet. You are told here when an order completes or fails."</p>
                }.into_any()
            } else {
                view! {
                    {(data.unread > 0).then(|| view! {
                        <ActionForm action=mark attr:class="inline-form">
                            <input type="hidden" name="id" value="0" />
                            <button type="submit" class="button">{format!("Mark all {} as read", data.unread)}</button>
                        </ActionForm>
                    })}
                    <ul class="card notification-list">
                        {data.items.into_iter().map(|n| view! {
                            <li class:unread=!n.read>
                                <div>
                                    <p class="notification-title">
                                        {match n.link {
                                            Some(link) => view! { <a href=link>{n.title}</a> }.into_any(),
                                            None => n.title.into_any(),
                                        }}
                                    </p>
                                    <p>{n.body}</p>
                                    <p class="muted small"><Time at=n.created_at /></p>
                                </div>
                                {(!n.read).then(|| view! {
                                    <ActionForm action=mark attr:class="inline-form">
                                        <input type="hidden" name="id" value=n.id.to_string() />
                                        <button type="submit" class="link-button">"Mark read"</button>
                                    </ActionForm>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Loaded>
    }
}

//! The developer email outbox (demo mode only, for an account's owner and admins, and for
//! reseller staff): the emails the panel has written to the people they look after, with their
//! links clickable, so flows such as activation can be followed without a mail server.

use crate::api::dev::list_outbox;
use crate::components::format;
use crate::components::loaded::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;

/// Splits a plain-text body into text and links.
fn linkify(body: &str) -> impl IntoView + use<> {
    body.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                let rest = word[trimmed.len()..].to_owned();
                view! { <a href=trimmed.to_owned()>{trimmed.to_owned()}</a>{rest} }.into_any()
            } else {
                word.to_owned().into_any()
            }
        })
        .collect_view()
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let emails = Resource::new(|| (), |_| list_outbox());
    view! {
        <Title text="Email outbox" />
        <main class="content standalone">
            <h1>"Email outbox"</h1>
            <p class="muted">"Demo mode: emails the panel has written to the people of your account, newest first. With SMTP configured they are also delivered."</p>
            <Loaded resource=emails let:list>
                {if list.is_empty() {
                    view! { <p class="card muted">"No emails yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="service-list">
                            {list.into_iter().map(|e| {
                                let label = e.subject.clone();
                                view! {
                                <li class="card">
                                    <article aria-label=label>
                                        <h2>{e.subject}</h2>
                                        <p class="muted small">{format!("To {} · {} · {} · {}", e.to, e.kind, e.status.label(), format::date_time(e.created_at))}</p>
                                        <pre class="email-body">{linkify(&e.body)}</pre>
                                    </article>
                                </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Loaded>
        </main>
    }
}

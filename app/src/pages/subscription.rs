//! One subscription: plan, period, renewal and its resources.

use super::params::{id_param, load_by_id};
use crate::api::licenses::{AssignLicenseByEmail, UnassignLicense, list_license_holders};
use crate::api::subscriptions::{SetAutoRenew, get_subscription, get_usage_history};
use crate::api::users::list_users;
use crate::components::badges::{ProductIcon, SubscriptionBadge};
use crate::components::format;
use crate::components::loaded::Loaded;
use crate::components::usage_chart::UsageChart;
use crate::domain::billing::last_day;
use crate::domain::{ResourceKind, SubscriptionStatus};
use crate::dto::licenses::LicenseHolders;
use crate::dto::subscriptions::{SubscriptionDetail, UsageSeries};
use crate::dto::users::UserPage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SubscriptionPage() -> impl IntoView {
    let id = id_param("id");
    let assign = ServerAction::<AssignLicenseByEmail>::new();
    let unassign = ServerAction::<UnassignLicense>::new();
    let auto_renew = ServerAction::<SetAutoRenew>::new();
    // Both the resource table ("in use") and the holders list count the licenses, so both load
    // again after a license changes hands: the page never shows two different numbers.
    let detail = Resource::new(
        move || {
            (
                id.get(),
                assign.version().get(),
                unassign.version().get(),
                auto_renew.version().get(),
            )
        },
        |(id, _, _, _)| load_by_id(id, get_subscription),
    );
    // The license holders load beside the subscription, from the top of the page, keyed by the
    // id of the address: made inside the part that waits for the subscription, the resource
    // could be made in another order while hydrating than on the server, which panics.
    let holders = Resource::new(
        move || (id.get(), assign.version().get(), unassign.version().get()),
        |(id, _, _)| load_by_id(id, list_license_holders),
    );
    let usage = Resource::new(move || id.get(), |id| load_by_id(id, get_usage_history));
    // The people picker asks as the person types; an action, not a resource, because nothing
    // of it is rendered on the server.
    let people = Action::new(|typed: &String| {
        list_users(
            typed.clone(),
            String::new(),
            String::new(),
            String::new(),
            1,
        )
    });
    let licenses = Licenses {
        holders,
        assign,
        unassign,
        people,
    };
    view! {
        <p class="breadcrumb"><a href="/subscriptions">"← Subscriptions"</a></p>
        <Loaded resource=detail error_title="Subscription" let:data>
            <SubscriptionView data auto_renew />
            <UsageSection usage />
            <LicenseHoldersSection licenses />
        </Loaded>
    }
}

/// The subscription's license holders and the actions that change them.
#[derive(Clone, Copy)]
struct Licenses {
    holders: Resource<Result<Vec<LicenseHolders>, AppError>>,
    assign: ServerAction<AssignLicenseByEmail>,
    unassign: ServerAction<UnassignLicense>,
    people: Action<String, Result<UserPage, AppError>>,
}

#[component]
fn SubscriptionView(
    data: SubscriptionDetail,
    auto_renew: ServerAction<SetAutoRenew>,
) -> impl IntoView {
    let s = data.summary;
    let period = s.billing_period;
    let id = s.id;
    let changeable = s.status.can_change_limits();
    let status = s.status;
    view! {
        <Title text=s.product_name.clone() />
        <div class="page-head">
            <ProductIcon icon=s.icon color=s.color />
            <div>
                <h1>{s.product_name}</h1>
                <p class="muted">{s.vendor}" · "{s.plan_name.clone()}</p>
            </div>
            <SubscriptionBadge status=s.status />
        </div>
        <section class="card" aria-labelledby="sub-details">
            <h2 id="sub-details">"Details"</h2>
            <dl class="facts">
                <dt>"Plan"</dt><dd>{s.plan_name}</dd>
                <dt>"Billing"</dt><dd>{format!("{} · {} {}", period.label(), data.recurring_price, period.per())}</dd>
                <dt>"Started"</dt><dd>{format::date(data.start_date)}</dd>
                <dt>"Current period"</dt><dd>{format!("{} – {}", format::date(data.period_start), format::date(last_day(s.period_end)))}</dd>
                <dt>"Renewal"</dt>
                <dd>
                    {if !s.status.is_live() {
                        "Ended".to_owned()
                    } else if s.auto_renew {
                        format!("Renews automatically on {} at {} {}", format::date(s.period_end), data.renewal_price, period.per())
                    } else {
                        format!("Ends on {}", format::date(last_day(s.period_end)))
                    }}
                    {changeable.then(|| view! {
                        <label class="switch">
                            <input type="checkbox" role="switch" checked=s.auto_renew
                                disabled=move || auto_renew.pending().get()
                                on:change=move |ev| {
                                    auto_renew.dispatch(SetAutoRenew {
                                        subscription_id: id,
                                        auto_renew: event_target_checked(&ev),
                                    });
                                } />
                            "Renew automatically"
                        </label>
                    })}
                    {move || auto_renew.value().get().and_then(Result::err).map(|e| view! {
                        <p class="form-error" role="alert">{e.to_string()}</p>
                    })}
                </dd>
                {data.trial_ends_on.map(|d| view! { <dt>"Trial ends"</dt><dd>{format::date(d)}</dd> })}
            </dl>
            {matches!(status, SubscriptionStatus::Active | SubscriptionStatus::Trial).then(|| view! {
                <p><a class="button" href=format!("/subscriptions/{id}/cancel")>"Cancel subscription"</a></p>
            })}
            {(status == SubscriptionStatus::CancellationPending).then(|| view! {
                <p class="notice" role="status">
                    "Cancellation requested: it waits for your reseller's decision. "
                    <a href=format!("/subscriptions/{id}/cancel")>"See or withdraw the request"</a>
                </p>
            })}
        </section>
        <section class="card" aria-labelledby="sub-resources">
            <div class="card-head">
                <h2 id="sub-resources">"Resources"</h2>
                {changeable.then(|| view! {
                    <a class="button" href=format!("/subscriptions/{id}/resources")>"Add or remove resources"</a>
                })}
            </div>
            <table class="responsive">
                <thead>
                    <tr><th>"Resource"</th><th class="num">"Limit"</th><th class="num">"In use"</th><th class="num">"Included"</th><th class="num">"Additional unit"</th></tr>
                </thead>
                <tbody>
                    {data.resources.into_iter().map(|r| {
                        let in_use = match r.kind {
                            ResourceKind::License => format!("{} assigned", r.used),
                            ResourceKind::Quota => format::count(r.used, &r.unit),
                        };
                        let percent = if r.limit > 0 { (r.used * 100 / r.limit).clamp(0, 100) } else { 0 };
                        view! {
                            <tr>
                                <td data-label="Resource">{r.name.clone()}</td>
                                <td data-label="Limit" class="num">
                                    {format::count(r.limit, &r.unit)}
                                    {r.max.map(|m| view! { <span class="muted small block">{format!("max {m}")}</span> })}
                                    {r.scheduled.map(|n| view! { <span class="muted small block">{format!("{n} from the renewal")}</span> })}
                                </td>
                                <td data-label="In use" class="num">
                                    {in_use}
                                    <meter class="usage" min="0" max="100" value=percent.to_string()
                                        aria-label=format!("{} usage", r.name)></meter>
                                </td>
                                <td data-label="Included" class="num">{r.included}</td>
                                <td data-label="Additional unit" class="num">{format!("{} {}", r.unit_price, period.per())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The last 30 days of each quota resource (nothing for a subscription without one).
#[component]
fn UsageSection(usage: Resource<Result<Vec<UsageSeries>, AppError>>) -> impl IntoView {
    view! {
        <Loaded resource=usage quiet=true let:series>
            {(!series.is_empty()).then(|| view! {
                <section class="card" aria-labelledby="sub-usage">
                    <h2 id="sub-usage">"Usage"</h2>
                    <div class="usage-charts">
                        {series.into_iter().map(|series| view! { <UsageChart series /> }).collect_view()}
                    </div>
                </section>
            })}
        </Loaded>
    }
}

/// Who holds the subscription's licenses; assign by picking a person (type a name or an email),
/// unassign in one click.
#[component]
fn LicenseHoldersSection(licenses: Licenses) -> impl IntoView {
    let Licenses {
        holders,
        assign,
        unassign,
        people,
    } = licenses;
    let error = move || {
        assign
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| unassign.value().get().and_then(Result::err))
    };
    view! {
        // Quiet: the subscription above is already on screen; a second spinner would only flash.
        <Loaded resource=holders quiet=true let:list>
            {list.into_iter().map(|resource| {
                let full = resource.holders.len() as i64 >= resource.limit;
                let heading = format!("{} assigned", resource.resource_name);
                let label = heading.clone();
                view! {
                    <section class="card" aria-label=label>
                        <h2>{heading}</h2>
                        <p class="muted">{format!("{} of {} in use", resource.holders.len(), resource.limit)}</p>
                        {move || error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                        <ul class="rows">
                            {resource.holders.into_iter().map(|h| view! {
                                <li>
                                    <span><a href=format!("/users/{}", h.person_id)>{h.name.clone()}</a>
                                    <span class="muted small block">{h.email}</span></span>
                                    <ActionForm action=unassign attr:class="inline-form">
                                        <input type="hidden" name="resource_id" value=resource.resource_id />
                                        <input type="hidden" name="person_id" value=h.person_id />
                                        <button type="submit" class="button" aria-label=format!("Unassign {}", h.name)>"Unassign"</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                        {if full {
                            view! { <p class="muted small">"All licenses are assigned. Unassign one, or buy more licenses."</p> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=assign attr:class="filters">
                                    <input type="hidden" name="resource_id" value=resource.resource_id />
                                    <div class="filter grow">
                                        <label for=format!("assign-{}", resource.resource_id)>"Assign to"</label>
                                        <input id=format!("assign-{}", resource.resource_id) name="email" type="text"
                                            inputmode="email" autocomplete="off" required
                                            placeholder="Type a name or an email"
                                            list=format!("people-{}", resource.resource_id)
                                            on:input=move |ev| { people.dispatch(event_target_value(&ev)); } />
                                        <datalist id=format!("people-{}", resource.resource_id)>
                                            {move || people.value().get().and_then(Result::ok).map(|found| {
                                                found.people.rows.into_iter().take(8).map(|person| view! {
                                                    <option value=person.email.clone()>{person.name}</option>
                                                }).collect_view()
                                            })}
                                        </datalist>
                                    </div>
                                    <button type="submit" class="button">"Assign"</button>
                                </ActionForm>
                            }.into_any()
                        }}
                    </section>
                }
            }).collect_view()}
        </Loaded>
    }
}

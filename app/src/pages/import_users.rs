//! Adding many people at once from a CSV file (name,email,role): every row is checked and shown
//! before anything is written, and the import is all-or-nothing.

use crate::api::users::{import_users, preview_user_import};
use crate::components::format::thousands;
use crate::domain::user_import::ImportPreview;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// Reads the chosen file as text (in the browser; on the server this never runs). A file over
/// the import's limit is refused here, before anything is sent.
fn read_chosen_file(
    input: web_sys::HtmlInputElement,
    into: RwSignal<String>,
    too_big: RwSignal<Option<String>>,
    then: impl Fn() + 'static,
) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    if file.size() > crate::domain::user_import::MAX_BYTES as f64 {
        too_big.set(Some(format!(
            "This file is {:.1} MB; a CSV import can be at most {} MB. Split it into smaller files.",
            file.size() / (1024.0 * 1024.0),
            crate::domain::user_import::MAX_BYTES / (1024 * 1024)
        )));
        input.set_value("");
        return;
    }
    too_big.set(None);
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await
            && let Some(text) = text.as_string()
        {
            into.set(text);
            then();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (file, into, then);
}

#[component]
pub fn ImportUsersPage() -> impl IntoView {
    let csv = RwSignal::new(String::new());
    let too_big = RwSignal::new(None::<String>);
    let preview = Action::new(|text: &String| preview_user_import(text.clone()));
    let import = Action::new(|text: &String| import_users(text.clone()));
    let check = move || {
        import.value().set(None);
        preview.dispatch(csv.get_untracked());
    };
    // After an import the form starts over: the rows are in, and a second click must not send
    // them again.
    let file_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = import.value().get() {
            csv.set(String::new());
            if let Some(input) = file_input.get_untracked() {
                input.set_value("");
            }
        }
    });

    view! {
        <Title text="Import users" />
        <p class="breadcrumb"><a href="/users">"← Users"</a></p>
        <h1>"Import users"</h1>
        <section class="card form">
            <p class="muted">
                "A CSV file with the columns "<code>"name,email,role"</code>" (role: user or admin; empty means user). "
                "Nothing is added until every row is right; each new person gets an activation email."
            </p>
            <label for="import-file">"CSV file"</label>
            <input id="import-file" type="file" accept=".csv,text/csv" node_ref=file_input
                on:change=move |ev| read_chosen_file(event_target(&ev), csv, too_big, check) />
            {move || too_big.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <label for="import-text">"Or paste the rows"</label>
            <textarea id="import-text" rows="6" spellcheck="false"
                placeholder="name,email,role&#10;Anna Berg,anna@example.com,user"
                prop:value=move || csv.get()
                on:input=move |ev| csv.set(event_target_value(&ev))></textarea>
            <button type="button" class="button" on:click=move |_| check()
                disabled=move || csv.with(|c| c.trim().is_empty()) || preview.pending().get()>
                "Check the rows"
            </button>
        </section>
        {move || match (import.value().get(), preview.value().get()) {
            (Some(Ok(n)), _) => Some(view! {
                <p class="notice" role="status">
                    {format!("{} people were added. Activation emails are on their way. ", thousands(n))}
                    <a href="/users">"See the users"</a>
                </p>
            }.into_any()),
            (_, None) => None,
            (_, Some(Err(error))) => Some(view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any()),
            (_, Some(Ok(data))) => Some(view! { <PreviewTable data csv import /> }.into_any()),
        }}
    }
}

#[component]
fn PreviewTable(
    data: ImportPreview,
    csv: RwSignal<String>,
    import: Action<String, Result<u64, AppError>>,
) -> impl IntoView {
    let rows = data.rows.len();
    let bad = data.error_count();
    let valid = data.is_valid();
    let summary = if rows == 0 {
        "The file has no people in it.".to_owned()
    } else if bad == 0 {
        format!("All {} rows are ready to import.", thousands(rows as u64))
    } else {
        format!(
            "{} of {} rows have problems. Fix them in the file and check again.",
            thousands(bad as u64),
            thousands(rows as u64)
        )
    };
    view! {
        <section class="card" aria-labelledby="preview-title">
            <h2 id="preview-title">"Check"</h2>
            <p role="status" class=if bad == 0 { "notice" } else { "form-error" }>{summary}</p>
            {move || match import.value().get() {
                // Shown above, in place of this check.
                Some(Ok(_)) => ().into_any(),
                Some(Err(error)) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                None => valid.then(|| view! {
                    <button type="button" class="button primary" disabled=move || import.pending().get()
                        on:click=move |_| { import.dispatch(csv.get_untracked()); }>
                        {format!("Import {} people", thousands(rows as u64))}
                    </button>
                }).into_any(),
            }}
            <table class="responsive">
                <thead><tr><th>"Line"</th><th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Problems"</th></tr></thead>
                <tbody>
                    {data.rows.into_iter().take(1000).map(|row| {
                        let ok = row.errors.is_empty();
                        view! {
                            <tr class:row-error=!ok>
                                <td data-label="Line">{row.line}</td>
                                <td data-label="Name">{row.name}</td>
                                <td data-label="Email" class="break">{row.email_input}</td>
                                <td data-label="Role">{row.role.map(|r| r.label()).unwrap_or("—")}</td>
                                <td data-label="Problems">{if ok { "—".to_owned() } else { row.errors.join(" ") }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(rows > 1000).then(|| view! { <p class="muted small">"The first 1,000 rows are shown."</p> })}
        </section>
    }
}

//! Benchmark: importing a CSV file of 1,000 people (check, then write all-or-nothing).
//!
//! `cargo bench -p server --bench user_import` prints a table: SQLite (a file in a temporary
//! folder) and, when `BENCH_DATABASE_URL` points at a PostgreSQL server, PostgreSQL too.

mod common;

use app::server::access::{Access, AccountManager};
use app::server::services::{auth as sign_in, people};
use app::server::{AppState, Settings, auth, demo_data};
use common::ScratchPostgres;
use http::HeaderMap;
use std::time::{Duration, Instant};

const ROWS: usize = 1_000;
const RUNS: usize = 5;

fn csv(run: usize) -> String {
    let mut text = String::from("name,email,role\n");
    for i in 0..ROWS {
        let role = if i % 20 == 0 { "admin" } else { "user" };
        text.push_str(&format!(
            "Person {run}-{i},bench{run}.{i}@contoso-dental.example,{role}\n"
        ));
    }
    text
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

async fn run(label: &str, url: &str) {
    let db = server::db::connect(url).await.unwrap();
    server::db::migrate(&db).await.unwrap();
    let state = AppState::new(db, Settings::default());
    demo_data::load_if_empty(&state).await.unwrap();
    let token = sign_in::login(
        &state,
        "olivia.owner@contoso-dental.example",
        demo_data::DEMO_PASSWORD.into(),
        None,
        None,
    )
    .await
    .unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::COOKIE,
        format!("ccp_session={token}").parse().unwrap(),
    );
    let actor = auth::actor_from_headers(&state, &headers).await.unwrap();
    let tenant = AccountManager::admit(&actor).unwrap();

    let (mut checks, mut imports) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let text = csv(run);
        let start = Instant::now();
        let preview = people::preview_import(&state.db, &text).await.unwrap();
        checks.push(start.elapsed());
        assert!(preview.is_valid());
        let start = Instant::now();
        let created = people::import_people(&state, &actor, tenant, None, &text)
            .await
            .unwrap();
        imports.push(start.elapsed());
        assert_eq!(created as usize, ROWS);
    }
    let (check, import) = (median(checks), median(imports));
    println!(
        "| {label} | {ROWS} | {:.1} ms | {:.1} ms | {:.0} |",
        check.as_secs_f64() * 1e3,
        import.as_secs_f64() * 1e3,
        ROWS as f64 / import.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    println!("| database | rows | check (median) | import (median) | people per second |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let dir = std::env::temp_dir().join(format!("ccp-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    run(
        "SQLite",
        &format!("sqlite://{}/bench.db?mode=rwc", dir.display()),
    )
    .await;
    std::fs::remove_dir_all(&dir).ok();
    if let Some(scratch) = ScratchPostgres::create("ccp_bench_import").await {
        run("PostgreSQL", &scratch.url).await;
        scratch.drop_database().await;
    }
}

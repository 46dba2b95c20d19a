//! Benchmark: the users list's query (search + one page of 50) on a customer with many people.
//!
//! `cargo bench -p server --bench users_list` prints a table of median and 95th-percentile times
//! for 100,000 and 1,000,000 people on SQLite (a file in a temporary folder), and on PostgreSQL
//! too when `BENCH_DATABASE_URL` points at a server (a fresh database is created per size).
//! `BENCH_SIZES=100000` picks the sizes.

mod common;

use app::domain::{PersonStatus, Role};
use app::dto::users::UserSort;
use app::server::Tenant;
use app::server::entities::customer;
use app::server::services::people::{PeopleQuery, list_people};
use chrono::Utc;
use common::ScratchPostgres;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, NotSet, Set};
use std::time::{Duration, Instant};

async fn fill(db: &DatabaseConnection, people: usize) -> i32 {
    server::db::migrate(db).await.expect("migrate");
    let now = Utc::now();
    let reseller = app::server::entities::reseller::ActiveModel {
        id: NotSet,
        name: Set("Bench Reseller".into()),
        contact_email: Set("bench@reseller.example".into()),
        auto_approve_cancellations: Set(false),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    let customer = customer::ActiveModel {
        id: NotSet,
        reseller_id: Set(reseller.id),
        name: Set("Big Customer".into()),
        contact_email: Set("it@big.example".into()),
        country: Set("US".into()),
        currency: Set(app::domain::Currency::USD),
        status: Set(app::domain::CustomerStatus::Active),
        address: Set(None),
        contact_name: Set(None),
        contact_phone: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    common::add_people(db, customer.id, "big.example", people).await;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // As autovacuum leaves a table in steady use: statistics and visibility map up to date.
        db.execute_unprepared("VACUUM ANALYZE people")
            .await
            .unwrap();
    } else {
        db.execute_unprepared("ANALYZE").await.unwrap();
    }
    customer.id
}

fn query(
    search: &str,
    role: Option<Role>,
    status: Option<PersonStatus>,
    sort: UserSort,
) -> PeopleQuery {
    PeopleQuery {
        search: search.into(),
        role,
        status,
        sort,
        page: app::domain::PageRequest::new(1, app::dto::users::USERS_PER_PAGE),
    }
}

async fn measure(
    db: &DatabaseConnection,
    customer_id: i32,
    q: &PeopleQuery,
) -> (Duration, Duration, u64) {
    let mut times = Vec::new();
    let mut total = 0;
    for _ in 0..5 {
        list_people(db, Tenant::for_system_task(customer_id), q)
            .await
            .unwrap();
    }
    for _ in 0..40 {
        let start = Instant::now();
        let page = list_people(db, Tenant::for_system_task(customer_id), q)
            .await
            .unwrap();
        times.push(start.elapsed());
        total = page.total;
    }
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100], total)
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let cases: Vec<(&str, PeopleQuery)> = vec![
        (
            "first page, by name",
            query("", None, None, UserSort::NameAsc),
        ),
        (
            "search \"emma sm\"",
            query("emma sm", None, None, UserSort::NameAsc),
        ),
        (
            "search email \"zoe.\"",
            query("zoe.", None, None, UserSort::NameAsc),
        ),
        (
            "search email \"zoe.\", by email",
            query("zoe.", None, None, UserSort::EmailAsc),
        ),
        (
            "search \"s\" (names and emails)",
            query("s", None, None, UserSort::NameAsc),
        ),
        (
            "search \"emma\", admins",
            query("emma", Some(Role::Admin), None, UserSort::NameAsc),
        ),
        (
            "admins only",
            query("", Some(Role::Admin), None, UserSort::NameAsc),
        ),
        (
            "disabled, by email",
            query("", None, Some(PersonStatus::Disabled), UserSort::EmailAsc),
        ),
    ];
    println!("| database | people | query | median | p95 | matches |");
    println!("| --- | ---: | --- | ---: | ---: | ---: |");
    for &size in &sizes {
        let dir = std::env::temp_dir().join(format!("ccp-bench-{}-{size}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut targets = vec![(
            "SQLite",
            format!("sqlite://{}/bench.db?mode=rwc", dir.display()),
        )];
        let scratch = ScratchPostgres::create(&format!("ccp_bench_{size}")).await;
        if let Some(scratch) = &scratch {
            targets.push(("PostgreSQL", scratch.url.clone()));
        }
        for (label, url) in targets {
            let db = server::db::connect(&url).await.unwrap();
            let customer_id = fill(&db, size).await;
            for (name, q) in &cases {
                let (median, p95, total) = measure(&db, customer_id, q).await;
                println!(
                    "| {label} | {size} | {name} | {:.2} ms | {:.2} ms | {} |",
                    median.as_secs_f64() * 1e3,
                    p95.as_secs_f64() * 1e3,
                    if total > app::dto::users::COUNT_CAP {
                        format!("{}+", app::dto::users::COUNT_CAP)
                    } else {
                        total.to_string()
                    },
                );
            }
        }
        std::fs::remove_dir_all(&dir).ok();
        if let Some(scratch) = scratch {
            scratch.drop_database().await;
        }
    }
}

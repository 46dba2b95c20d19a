//! Benchmark: the marketplace (page and search) and the fulfilment worker's throughput.
//!
//! `cargo bench -p server --bench ordering` prints two tables:
//! - the marketplace page (server-rendered HTML) and its search server function, through the
//!   real router without a socket: median and 95th percentile of single requests, and requests
//!   per second with 8 concurrent callers on this machine's cores;
//! - the fulfilment worker with the simulated vendor at zero latency: orders completed per
//!   second by 2 worker tasks, each order in its own transactions as in production, for new
//!   subscriptions (`sales`) and for one more license on each of them (`change`: limits moved,
//!   a prorated invoice written).
//!
//! SQLite (a file in a temporary folder) always; PostgreSQL too when `BENCH_DATABASE_URL`
//! points at a server (a fresh database is created and dropped).

mod common;

use app::server::services::fulfilment;
use app::server::vendor::SimulatedVendor;
use app::server::{AppState, Settings, demo_data};
use axum::Router;
use axum::body::Body;
use common::ScratchPostgres;
use http::{Request, StatusCode, header};
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const ADMIN: &str = "adam.admin@contoso-dental.example";
const ORDERS: usize = 400;
const WORKERS: usize = 2;

struct Bench {
    state: AppState,
    router: Router,
    cookie: String,
}

async fn call(router: &Router, request: Request<Body>) -> (StatusCode, Vec<u8>) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 22)
        .await
        .unwrap();
    (status, body.to_vec())
}

fn post(path: &str, content_type: &str, body: String, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body)).unwrap()
}

async fn setup(db: DatabaseConnection) -> Bench {
    server::db::migrate(&db).await.unwrap();
    let state = AppState::new(db, Settings::default());
    demo_data::load_if_empty(&state).await.unwrap();
    let options = LeptosOptions::builder().output_name("ccp").build();
    let router = server::router(state.clone(), options);
    let login = format!(
        "email={}&password={}",
        ADMIN.replace('@', "%40"),
        demo_data::DEMO_PASSWORD
    );
    let response = router
        .clone()
        .oneshot(post(
            "/api/login",
            "application/x-www-form-urlencoded",
            login,
            None,
        ))
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("ccp_session="))
        .and_then(|v| v.split(';').next())
        .expect("signed in")
        .to_owned();
    Bench {
        state,
        router,
        cookie,
    }
}

fn page_request(cookie: &str) -> Request<Body> {
    Request::get("/marketplace")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

fn search_request(cookie: &str) -> Request<Body> {
    post(
        "/api/list_products",
        "application/x-www-form-urlencoded",
        "search=microsoft+business&category=".into(),
        Some(cookie),
    )
}

/// Median and p95 of single requests, then requests per second with 8 concurrent callers.
async fn measure(bench: &Bench, make: fn(&str) -> Request<Body>) -> (Duration, Duration, f64) {
    for _ in 0..20 {
        let (status, _) = call(&bench.router, make(&bench.cookie)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let mut times = Vec::new();
    for _ in 0..200 {
        let start = Instant::now();
        call(&bench.router, make(&bench.cookie)).await;
        times.push(start.elapsed());
    }
    times.sort();
    let per_caller = 250;
    let start = Instant::now();
    let callers: Vec<_> = (0..8)
        .map(|_| {
            let router = bench.router.clone();
            let cookie = bench.cookie.clone();
            tokio::spawn(async move {
                for _ in 0..per_caller {
                    let (status, _) = call(&router, make(&cookie)).await;
                    assert_eq!(status, StatusCode::OK);
                }
            })
        })
        .collect();
    for caller in callers {
        caller.await.unwrap();
    }
    let rps = (8 * per_caller) as f64 / start.elapsed().as_secs_f64();
    (times[times.len() / 2], times[times.len() * 95 / 100], rps)
}

/// Times `WORKERS` workers emptying the queue.
async fn drain(bench: &Bench) -> (usize, Duration) {
    let start = Instant::now();
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let state = bench.state.clone();
            tokio::spawn(async move {
                let vendor = SimulatedVendor::default();
                let mut done = 0;
                while fulfilment::fulfil_next(&state, &vendor)
                    .await
                    .unwrap()
                    .is_some()
                {
                    done += 1;
                }
                done
            })
        })
        .collect();
    let mut done = 0;
    for worker in workers {
        done += worker.await.unwrap();
    }
    (done, start.elapsed())
}

/// Places one more license on every subscription the sales orders made (each its own change:
/// one open change per subscription), then times the workers fulfilling them.
async fn change_throughput(bench: &Bench, plan_id: i32) -> (usize, Duration) {
    use app::server::entities::{subscription, subscription_resource};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    // The ones the sales orders made today: the demo's own subscription of the plan renews
    // today, and no change is taken on a renewal day.
    let today = bench.state.clock.now().date_naive();
    let subscriptions = subscription::Entity::find()
        .filter(subscription::Column::PlanId.eq(plan_id))
        .filter(subscription::Column::StartDate.eq(today))
        .all(&bench.state.db)
        .await
        .unwrap();
    let mut placed = 0;
    for (n, s) in subscriptions.iter().enumerate().take(ORDERS) {
        let resource = subscription_resource::Entity::find()
            .filter(subscription_resource::Column::SubscriptionId.eq(s.id))
            .one(&bench.state.db)
            .await
            .unwrap()
            .unwrap();
        let body = json!({
            "request": {
                "subscription_id": s.id,
                "limits": [[resource.resource_rate_id, resource.limit_units + 1]],
            },
            "idempotency_key": format!("bench-change-{n:010}"),
        });
        let (status, text) = call(
            &bench.router,
            post(
                "/api/submit_resource_change",
                "application/json",
                body.to_string(),
                Some(&bench.cookie),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&text));
        placed += 1;
    }
    let (done, took) = drain(bench).await;
    assert_eq!(done, placed, "every change fulfilled once");
    (done, took)
}

async fn defender_plan(bench: &Bench) -> i32 {
    use app::server::entities::plan;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    plan::Entity::find()
        .filter(plan::Column::Sku.eq("ms-defender-business-monthly"))
        .one(&bench.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Places `ORDERS` orders, then times `WORKERS` workers emptying the queue.
async fn worker_throughput(bench: &Bench) -> (usize, Duration) {
    let plan_id = defender_plan(bench).await;
    for n in 0..ORDERS {
        let body = json!({
            "request": { "plan_id": plan_id, "resources": [] },
            "idempotency_key": format!("bench-order-{n:010}"),
        });
        let (status, text) = call(
            &bench.router,
            post(
                "/api/submit_order",
                "application/json",
                body.to_string(),
                Some(&bench.cookie),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&text));
    }
    drain(bench).await
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("ccp-bench-ordering-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut targets = vec![(
        "SQLite",
        format!("sqlite://{}/bench.db?mode=rwc", dir.display()),
    )];
    let scratch = ScratchPostgres::create("ccp_bench_ordering").await;
    if let Some(scratch) = &scratch {
        targets.push(("PostgreSQL", scratch.url.clone()));
    }

    let mut market = Vec::new();
    let mut worker = Vec::new();
    for (label, url) in &targets {
        let bench = Arc::new(setup(server::db::connect(url).await.unwrap()).await);
        for (what, make) in [
            (
                "marketplace page (HTML)",
                page_request as fn(&str) -> Request<Body>,
            ),
            ("search \"microsoft business\"", search_request),
        ] {
            let (median, p95, rps) = measure(&bench, make).await;
            market.push(format!(
                "| {label} | {what} | {:.2} ms | {:.2} ms | {rps:.0} |",
                median.as_secs_f64() * 1e3,
                p95.as_secs_f64() * 1e3
            ));
        }
        let (done, took) = worker_throughput(&bench).await;
        assert_eq!(done, ORDERS, "every order fulfilled once");
        worker.push(format!(
            "| {label} | sales (new subscription) | {done} | {WORKERS} | {:.2} s | {:.0} |",
            took.as_secs_f64(),
            done as f64 / took.as_secs_f64()
        ));
        let plan_id = defender_plan(&bench).await;
        let (done, took) = change_throughput(&bench, plan_id).await;
        worker.push(format!(
            "| {label} | change (+1 license, prorated invoice) | {done} | {WORKERS} | {:.2} s | {:.0} |",
            took.as_secs_f64(),
            done as f64 / took.as_secs_f64()
        ));
        bench.state.db.clone().close().await.unwrap();
    }
    println!("| database | request | median | p95 | requests/s (8 callers) |");
    println!("| --- | --- | ---: | ---: | ---: |");
    for row in market {
        println!("{row}");
    }
    println!();
    println!("| database | order | orders | workers | time | orders/s |");
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    for row in worker {
        println!("{row}");
    }
    if let Some(scratch) = scratch {
        scratch.drop_database().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

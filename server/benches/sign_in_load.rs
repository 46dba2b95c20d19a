//! Benchmark: the server's memory while 200 clients at once send wrong passwords, over TCP
//! through the real router and server, next to the same 200 clients asking `/healthz` (a
//! handler that hashes nothing) as the baseline.
//!
//! `cargo bench -p server --bench sign_in_load` prints a table: resident memory (RSS) of this
//! process idle, at its peak during each load, and a few seconds after, with how the 200
//! answers ended (401 refused, 503 busy, 429 limited). The target: under 250 MB at the peak, and
//! back near the idle size after. Password hashing has a budget of one hash per core
//! (`app::server::password`), so the crowd waits for its turn instead of holding 19 MiB each.

use app::server::limits::LimitSettings;
use app::server::{AppState, Settings, demo_data};
use leptos::config::LeptosOptions;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CLIENTS: usize = 200;

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// One HTTP/1.1 request on its own connection; returns the status code.
async fn send(addr: SocketAddr, request: String) -> u16 {
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return 0;
    };
    if stream.write_all(request.as_bytes()).await.is_err() {
        return 0;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer)
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

fn bad_sign_in(addr: SocketAddr, n: usize) -> String {
    let body = format!("email=crowd{n}%40example.com&password=wrong-password-{n}");
    format!(
        "POST /api/login HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
         Connection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn health(addr: SocketAddr, _: usize) -> String {
    format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
}

struct Run {
    peak: f64,
    after: f64,
    took: Duration,
    answers: BTreeMap<u16, usize>,
}

async fn crowd(addr: SocketAddr, make: fn(SocketAddr, usize) -> String) -> Run {
    let peak = Arc::new(AtomicU64::new(rss_mb().to_bits()));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                let now = rss_mb();
                if now > f64::from_bits(peak.load(Ordering::Relaxed)) {
                    peak.store(now.to_bits(), Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let start = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|n| tokio::spawn(send(addr, make(addr, n))))
        .collect();
    let mut answers = BTreeMap::new();
    for task in tasks {
        *answers.entry(task.await.unwrap_or(0)).or_insert(0) += 1;
    }
    let took = start.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.await.unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    Run {
        peak: f64::from_bits(peak.load(Ordering::Relaxed)),
        after: rss_mb(),
        took,
        answers,
    }
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("ccp-bench-signin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    let db = server::db::connect(&url).await.unwrap();
    server::db::migrate(&db).await.unwrap();
    let settings = Settings {
        // The crowd comes from one address: measure the hashing budget, not the rate limit.
        limits: LimitSettings {
            sign_in_per_client_per_minute: 100_000,
            ..LimitSettings::default()
        },
        ..Settings::default()
    };
    let state = AppState::new(db, settings);
    demo_data::load_if_empty(&state).await.unwrap();
    let router = server::router(state, LeptosOptions::builder().output_name("ccp").build());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    // Warm up: the first hash makes the dummy hash, the first requests fill the pools.
    send(addr, bad_sign_in(addr, 999_999)).await;
    send(addr, health(addr, 0)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = rss_mb();

    let baseline = crowd(addr, health).await;
    let sign_ins = crowd(addr, bad_sign_in).await;

    println!(
        "\n{CLIENTS} concurrent clients over TCP, one connection each; hashing budget {} at once\n",
        app::server::password::concurrency()
    );
    println!("| load | idle RSS | peak RSS | RSS 3 s after | time | answers |");
    println!("| --- | ---: | ---: | ---: | ---: | --- |");
    for (name, run) in [
        ("GET /healthz (baseline)", &baseline),
        ("wrong-password sign-ins", &sign_ins),
    ] {
        let answers: Vec<String> = run
            .answers
            .iter()
            .map(|(code, n)| format!("{n}× {code}"))
            .collect();
        println!(
            "| {name} | {idle:.1} MB | {:.1} MB | {:.1} MB | {:.2} s | {} |",
            run.peak,
            run.after,
            run.took.as_secs_f64(),
            answers.join(", ")
        );
    }
    println!(
        "\npeak over baseline: {:.1} MB (target: peak under 250 MB)",
        sign_ins.peak - baseline.peak
    );
    let _ = std::fs::remove_dir_all(&dir);
}

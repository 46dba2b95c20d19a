//! Benchmark: signed-in pages through the real server over TCP, next to a hand-written handler
//! that does the same work, in one run.
//!
//! `cargo bench -p server --bench pages` (or `make bench`) prints one table per database:
//! requests per second, p50 and p99 latency at 1, 16 and 64 connections for `GET /users` (the
//! first 50 of 2,000 people), `/`, `/marketplace`, `/subscriptions` and the `list_users` server
//! function, for our server and for the baseline, with the ratio of their requests per second,
//! the CPU each spent per request and our server's peak memory.
//!
//! - **Ours** is the release `server` binary, started as a separate process on a SQLite file
//!   (and on PostgreSQL when `BENCH_DATABASE_URL` points at a server), with the demo data plus
//!   1,991 more people at Contoso, signed in as Contoso's owner.
//! - **The baseline** is this same benchmark binary started again as a second process: a plain
//!   axum router whose handlers run the statements our server runs for that page (the session
//!   with its person, customer and reseller; the unread count; the page's own queries) on the
//!   same database through a connection pool of the same size, and write the page's HTML with
//!   `write!` into one string: no Leptos, no entities, no hydration walk.
//! - The load comes from `wrk` (`apt-get install wrk`): keep-alive connections that each send the
//!   next request when the last answer is read. Each cell runs `BENCH_SECONDS` (default 5) after
//!   a second of warm-up; both servers share the machine with the load, the same way.
//!
//! The targets (issue "Fast"): ratio ≥ 0.4, p99 < 25 ms at 64 connections, peak RSS ≤ 150 MB.
//! Nothing here asserts a time: the figures move with the machine, the ratio much less.

mod common;

use app::server::entities::customer;
use app::server::{AppState, Settings, demo_data};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const OWNER: &str = "olivia.owner@contoso-dental.example";
const PEOPLE: usize = 2_000;
const CONNECTIONS: [usize; 3] = [1, 16, 64];

/// What one cell of the table asks: a page, or the users list's server function.
#[derive(Clone, Copy)]
enum Ask {
    Page(&'static str),
    ListUsers,
}

impl Ask {
    fn label(self) -> &'static str {
        match self {
            Ask::Page(path) => path,
            Ask::ListUsers => "POST /api/list_users",
        }
    }

    fn request(self, addr: SocketAddr, cookie: &str) -> Vec<u8> {
        match self {
            Ask::Page(path) => format!(
                "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\nCookie: {cookie}\r\n\r\n"
            )
            .into_bytes(),
            Ask::ListUsers => {
                let body = LIST_USERS_FORM;
                format!(
                    "POST /api/list_users HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
                     Cookie: {cookie}\r\nAccept: application/json\r\n\
                     Content-Type: application/x-www-form-urlencoded\r\n\
                     Content-Length: {}\r\n\r\n{body}",
                    body.len()
                )
                .into_bytes()
            }
        }
    }
}

/// The users list's first page, as the page's own form asks for it.
const LIST_USERS_FORM: &str = "search=&role=&status=&sort=name&page=1";

const ASKS: [Ask; 5] = [
    Ask::Page("/users"),
    Ask::Page("/"),
    Ask::Page("/marketplace"),
    Ask::Page("/subscriptions"),
    Ask::ListUsers,
];

fn main() {
    if let Ok(addr) = std::env::var("PAGES_BENCH_BASELINE") {
        return baseline::serve(addr.parse().expect("baseline address"));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let dir = std::env::temp_dir().join(format!("ccp-bench-pages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut targets = vec![(
        "SQLite",
        format!("sqlite://{}/bench.db?mode=rwc", dir.display()),
        None,
    )];
    if let Some(scratch) = common::ScratchPostgres::create("ccp_bench_pages").await {
        targets.push(("PostgreSQL", scratch.url.clone(), Some(scratch)));
    }
    for (label, url, scratch) in targets {
        prepare(&url).await;
        let ours = Server::start_ours(&url, &dir, 3401);
        let theirs = Server::start_baseline(&url, &dir, 3402);
        ours.wait_ready().await;
        theirs.wait_ready().await;
        let cookie = sign_in(ours.addr).await;
        println!("\n### {label}: {PEOPLE} people at Contoso, {seconds} s per cell\n");
        println!(
            "| request | conns | ours req/s | baseline req/s | ratio | ours p50 / p99 | baseline p50 / p99 | CPU per request, ours / baseline | errors |"
        );
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for ask in ASKS {
            let (ours_bytes, theirs_bytes) = (
                probe(ours.addr, ask, &cookie).await,
                probe(theirs.addr, ask, &cookie).await,
            );
            for conns in CONNECTIONS {
                let a = load(&ours, ask, &cookie, conns, seconds).await;
                let b = load(&theirs, ask, &cookie, conns, seconds).await;
                println!(
                    "| {} ({} / {} B) | {conns} | {:.0} | {:.0} | **{:.2}** | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.2} / {:.2} ms | {} |",
                    ask.label(),
                    ours_bytes,
                    theirs_bytes,
                    a.rps,
                    b.rps,
                    a.rps / b.rps.max(f64::MIN_POSITIVE),
                    a.p50_ms,
                    a.p99_ms,
                    b.p50_ms,
                    b.p99_ms,
                    a.cpu_ms,
                    b.cpu_ms,
                    a.errors + b.errors,
                );
            }
        }
        println!(
            "\nOur server's memory: peak {:.0} MB, now {:.0} MB (baseline peak {:.0} MB).",
            ours.memory_mb("VmHWM"),
            ours.memory_mb("VmRSS"),
            theirs.memory_mb("VmHWM"),
        );
        drop(ours);
        drop(theirs);
        for name in ["server", "baseline"] {
            let text = std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default();
            if !text.trim().is_empty() {
                println!("\n{name} logged:\n```\n{}\n```", text.trim());
            }
        }
        if let Some(scratch) = scratch {
            scratch.drop_database().await;
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Migrates, loads the demo through the real services, and adds people at Contoso up to
/// `PEOPLE`.
async fn prepare(url: &str) {
    let db = server::db::connect(url).await.unwrap();
    server::db::migrate(&db).await.unwrap();
    let state = AppState::new(db, Settings::default());
    demo_data::load_if_empty(&state).await.unwrap();
    let contoso = customer::Entity::find()
        .filter(customer::Column::Name.eq("Contoso Dental Group"))
        .one(&state.db)
        .await
        .unwrap()
        .expect("the demo's Contoso");
    let have = app::server::entities::person::Entity::find()
        .filter(app::server::entities::person::Column::CustomerId.eq(contoso.id))
        .all(&state.db)
        .await
        .unwrap()
        .len();
    common::add_people(
        &state.db,
        contoso.id,
        "staff.contoso-dental.example",
        PEOPLE - have,
    )
    .await;
}

/// A server process, stopped when dropped.
struct Server {
    addr: SocketAddr,
    child: Child,
}

impl Server {
    fn start_ours(url: &str, dir: &std::path::Path, port: u16) -> Self {
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let site = dir.join("site");
        std::fs::create_dir_all(&site).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", url)
            .env("CCP_LISTEN", addr.to_string())
            .env("CCP_SITE_ROOT", &site)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log(dir, "server"))
            .spawn()
            .expect("start the server");
        Self { addr, child }
    }

    fn start_baseline(url: &str, dir: &std::path::Path, port: u16) -> Self {
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let child = Command::new(std::env::current_exe().unwrap())
            .env("PAGES_BENCH_BASELINE", addr.to_string())
            .env("DATABASE_URL", url)
            .stderr(log(dir, "baseline"))
            .spawn()
            .expect("start the baseline");
        Self { addr, child }
    }

    async fn wait_ready(&self) {
        for _ in 0..600 {
            if let Ok(mut stream) = TcpStream::connect(self.addr).await {
                let ask = format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
                if stream.write_all(ask.as_bytes()).await.is_ok()
                    && read_answer(&mut BufReader::new(&mut stream))
                        .await
                        .is_some_and(|(status, _)| status == 200)
                {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{} did not start", self.addr);
    }

    /// Seconds of CPU the process has used so far.
    fn cpu_seconds(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // After the command name, which is in parentheses: utime and stime are fields 12 and 13.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let ticks: f64 = [11, 12]
            .iter()
            .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<f64>().ok()))
            .sum();
        ticks / clock_ticks_per_second()
    }

    fn memory_mb(&self, field: &str) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with(field))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    }
}

/// Where a server process writes its log; the benchmark prints what is in it at the end.
fn log(dir: &std::path::Path, name: &str) -> Stdio {
    std::fs::File::create(dir.join(format!("{name}.log")))
        .map(Stdio::from)
        .unwrap_or_else(|_| Stdio::null())
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

async fn sign_in(addr: SocketAddr) -> String {
    let body = format!(
        "email={}&password={}",
        OWNER.replace('@', "%40"),
        demo_data::DEMO_PASSWORD
    );
    let ask = format!(
        "POST /api/login HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(ask.as_bytes()).await.unwrap();
    let mut reader = BufReader::new(&mut stream);
    let mut cookie = None;
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await.unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("set-cookie: ccp_session=") {
            cookie = value.split(';').next().map(|v| format!("ccp_session={v}"));
        }
    }
    cookie.expect("signed in")
}

/// One answer's size, so the table shows both sides wrote a page of the same size.
async fn probe(addr: SocketAddr, ask: Ask, cookie: &str) -> usize {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(&ask.request(addr, cookie)).await.unwrap();
    match read_answer(&mut BufReader::new(&mut stream)).await {
        Some((200, bytes)) => bytes,
        other => panic!("{} from {addr}: {other:?}", ask.label()),
    }
}

/// Reads one HTTP/1.1 answer (a length or chunks): its status and body size.
async fn read_answer<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> Option<(u16, usize)> {
    let mut line = String::new();
    reader.read_line(&mut line).await.ok()?;
    let status: u16 = line.split_whitespace().nth(1)?.parse().ok()?;
    let mut length = None;
    let mut chunked = false;
    loop {
        line.clear();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let header = line.trim_end().to_ascii_lowercase();
        if header.is_empty() {
            break;
        }
        if let Some(value) = header.strip_prefix("content-length:") {
            length = value.trim().parse::<usize>().ok();
        } else if header.starts_with("transfer-encoding:") && header.contains("chunked") {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line).await.ok()?;
            let size = usize::from_str_radix(line.trim(), 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).await.ok()?;
            body.extend_from_slice(&chunk[..size]);
            if size == 0 {
                break;
            }
        }
    } else {
        body.resize(length.unwrap_or(0), 0);
        reader.read_exact(&mut body).await.ok()?;
    }
    Some((status, body.len()))
}

struct Figures {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Server CPU (all its threads) per answered request.
    cpu_ms: f64,
    errors: usize,
}

/// `wrk` with `conns` keep-alive connections asking `ask` as fast as answers come: a second of
/// warm-up, then `seconds` measured, with the server's CPU time read around the measured run.
async fn load(server: &Server, ask: Ask, cookie: &str, conns: usize, seconds: u64) -> Figures {
    let addr = server.addr;
    let url = match ask {
        Ask::Page(path) => format!("http://{addr}{path}"),
        Ask::ListUsers => format!("http://{addr}/api/list_users"),
    };
    let script = std::env::temp_dir().join(format!("ccp-bench-{}.lua", std::process::id()));
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"POST\"\nwrk.body = \"{LIST_USERS_FORM}\"\n\
             wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n\
             wrk.headers[\"Origin\"] = \"http://{addr}\"\n\
             wrk.headers[\"Accept\"] = \"application/json\"\n"
        ),
    )
    .unwrap();
    let wrk = |seconds: u64| {
        let mut command = Command::new("wrk");
        command
            .arg(format!("-t{}", conns.min(2)))
            .arg(format!("-c{conns}"))
            .arg(format!("-d{seconds}s"))
            .arg("--latency")
            .args(["-H", &format!("Cookie: {cookie}")]);
        match ask {
            Ask::Page(_) => {
                command.args(["-H", "Accept: text/html"]);
            }
            Ask::ListUsers => {
                command.arg("-s").arg(&script);
            }
        }
        command.arg(&url);
        command
    };
    let _ = wrk(1).output();
    let cpu_start = server.cpu_seconds();
    let out = wrk(seconds)
        .output()
        .expect("wrk runs (apt-get install wrk)");
    let cpu = server.cpu_seconds() - cpu_start;
    let report = String::from_utf8_lossy(&out.stdout);
    let figure = |prefix: &str| {
        report
            .lines()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let rps: f64 = figure("Requests/sec:").parse().unwrap_or(0.0);
    let errors = figure("Non-2xx or 3xx responses:").parse().unwrap_or(0)
        + usize::from(report.contains("Socket errors"));
    Figures {
        rps,
        p50_ms: millis(&figure("50%")),
        p99_ms: millis(&figure("99%")),
        cpu_ms: cpu * 1e3 / (rps * seconds as f64).max(1.0),
        errors,
    }
}

/// wrk's `1.23ms` / `456.78us` / `1.02s` in milliseconds.
fn millis(text: &str) -> f64 {
    let number = |suffix: &str| {
        text.strip_suffix(suffix)
            .and_then(|v| v.parse::<f64>().ok())
    };
    number("us")
        .map(|v| v / 1e3)
        .or_else(|| number("ms"))
        .or_else(|| number("s").map(|v| v * 1e3))
        .unwrap_or(f64::NAN)
}

/// The hand-written server: the same statements as our server, HTML written with `write!`.
mod baseline {
    use axum::extract::{Form, State};
    use axum::http::{HeaderMap, StatusCode, header};
    use axum::response::{Html, IntoResponse, Response};
    use axum::routing::{get, post};
    use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, QueryResult, Statement, Value};
    use std::fmt::Write;
    use std::net::SocketAddr;

    pub fn serve(addr: SocketAddr) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let url = std::env::var("DATABASE_URL").unwrap();
            let db = server::db::connect(&url).await.unwrap();
            let app = axum::Router::new()
                .route("/healthz", get(|| async { "ok" }))
                .route("/users", get(users_page))
                .route("/", get(home_page))
                .route("/marketplace", get(marketplace_page))
                .route("/subscriptions", get(subscriptions_page))
                .route("/api/list_users", post(list_users))
                .with_state(db);
            let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    }

    type Db = State<DatabaseConnection>;

    fn fail(error: impl std::fmt::Display) -> Response {
        (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response()
    }

    /// Runs `sql` (written with `?`) with `values`.
    async fn rows(
        db: &DatabaseConnection,
        sql: &str,
        values: Vec<Value>,
    ) -> Result<Vec<QueryResult>, Response> {
        let backend = db.get_database_backend();
        let sql = if backend == DbBackend::Postgres {
            let mut numbered = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    let _ = write!(numbered, "${n}");
                } else {
                    numbered.push(c);
                }
            }
            numbered
        } else {
            sql.to_owned()
        };
        db.query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .map_err(fail)
    }

    fn text(row: &QueryResult, column: &str) -> String {
        row.try_get::<String>("", column).unwrap_or_default()
    }

    /// An integer column: ids and most figures are 32-bit, counts 64-bit on PostgreSQL.
    fn number(row: &QueryResult, column: &str) -> i64 {
        row.try_get::<i32>("", column)
            .map(i64::from)
            .or_else(|_| row.try_get::<i64>("", column))
            .unwrap_or_default()
    }

    fn escape(out: &mut String, text: &str) {
        for c in text.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '"' => out.push_str("&quot;"),
                c => out.push(c),
            }
        }
    }

    /// The caller, as our server reads it: the session joined with its person, customer and
    /// reseller, and the unread count.
    struct Caller {
        name: String,
        email: String,
        customer_id: i64,
        customer_name: String,
        unread: i64,
    }

    async fn caller(db: &DatabaseConnection, headers: &HeaderMap) -> Result<Caller, Response> {
        let token = headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(';')
                    .find_map(|c| c.trim().strip_prefix("ccp_session="))
            })
            .ok_or_else(|| StatusCode::UNAUTHORIZED.into_response())?;
        let id = app::server::auth::hash_token(token);
        let session = rows(
            db,
            "SELECT s.person_id, s.impersonator_id, s.last_seen_at, s.expires_at, p.name, p.email, \
             p.role, p.status, p.customer_id, c.name AS customer_name, r.id AS reseller_id, \
             r.name AS reseller_name, i.name AS impersonator_name, \
             i.reseller_id AS impersonator_reseller_id FROM sessions s \
             JOIN people p ON p.id = s.person_id LEFT JOIN customers c ON c.id = p.customer_id \
             LEFT JOIN resellers r ON r.id = COALESCE(c.reseller_id, p.reseller_id) \
             LEFT JOIN people i ON i.id = s.impersonator_id WHERE s.id = ?",
            vec![id.into()],
        )
        .await?;
        let row = session
            .first()
            .ok_or_else(|| StatusCode::UNAUTHORIZED.into_response())?;
        let person_id = number(row, "person_id");
        let unread = rows(
            db,
            "SELECT COUNT(*) AS n FROM notifications WHERE person_id = ? AND read_at IS NULL",
            vec![person_id.into()],
        )
        .await?;
        Ok(Caller {
            name: text(row, "name"),
            email: text(row, "email"),
            customer_id: number(row, "customer_id"),
            customer_name: text(row, "customer_name"),
            unread: unread.first().map(|r| number(r, "n")).unwrap_or_default(),
        })
    }

    /// The page around the content: head, top bar, navigation.
    fn shell(caller: &Caller, title: &str, current: &str, content: &str) -> Html<String> {
        let mut out = String::with_capacity(content.len() + 4096);
        out.push_str(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
             content=\"width=device-width, initial-scale=1\"><meta name=\"color-scheme\" content=\"light\">\
             <link rel=\"icon\" href=\"/favicon.ico\" sizes=\"32x32\"><link rel=\"stylesheet\" \
             href=\"/pkg/ccp.css\"><link rel=\"modulepreload\" href=\"/pkg/ccp.js\"><link rel=\"preload\" \
             href=\"/pkg/ccp_bg.wasm\" as=\"fetch\" type=\"application/wasm\"><script type=\"module\">\
             import init, { hydrate } from '/pkg/ccp.js'; init({ module_or_path: '/pkg/ccp_bg.wasm' })\
             .then(hydrate);</script><title>",
        );
        escape(&mut out, title);
        out.push_str(
            " · Customer Control Panel</title></head><body><a href=\"#main\" class=\"skip-link\">Skip \
             to content</a><header class=\"topbar\"><button type=\"button\" aria-label=\"Menu\" \
             aria-controls=\"main-nav\" aria-expanded=\"false\" class=\"menu-button\"><span \
             aria-hidden=\"true\">☰</span></button><a href=\"/\" class=\"brand\"><span \
             class=\"brand-mark\" aria-hidden=\"true\">◆</span><span class=\"brand-name\">",
        );
        escape(&mut out, &caller.customer_name);
        let _ = write!(
            out,
            "</span></a><a href=\"/notifications\" class=\"bell\"><svg aria-hidden=\"true\" width=\"22\" \
             height=\"22\" viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" \
             stroke-linecap=\"round\" stroke-linejoin=\"round\"><path d=\"M18 8a6 6 0 0 0-12 0c0 7-3 9-3 \
             9h18s-3-2-3-9\"></path><path d=\"M13.7 21a2 2 0 0 1-3.4 0\"></path></svg><span \
             class=\"visually-hidden\">Notifications</span>{}</a><details class=\"user-menu\"><summary>\
             <span class=\"visually-hidden\">Account menu: </span><span class=\"user-name\">",
            if caller.unread > 0 {
                format!("<span class=\"count\">{}</span>", caller.unread)
            } else {
                String::new()
            }
        );
        escape(&mut out, &caller.name);
        out.push_str("</span></summary><div class=\"user-menu-panel\"><p class=\"user-email\">");
        escape(&mut out, &caller.email);
        out.push_str(
            "</p><p class=\"user-role\">Owner</p><a href=\"/profile\">Profile</a><form \
             action=\"/api/logout\" method=\"post\"><button type=\"submit\" class=\"link-button\">Sign \
             out</button></form></div></details></header><div class=\"layout\"><nav id=\"main-nav\" \
             aria-label=\"Main\" class=\"sidenav\"><ul>",
        );
        for (path, label) in [
            ("/", "Home"),
            ("/marketplace", "Marketplace"),
            ("/subscriptions", "Subscriptions"),
            ("/orders", "Orders"),
            ("/billing", "Billing"),
            ("/users", "Users"),
            ("/activity", "Activity"),
        ] {
            let mark = if path == current {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = write!(out, "<li><a href=\"{path}\"{mark}>{label}</a></li>");
        }
        out.push_str("</ul></nav><main id=\"main\" tabindex=\"-1\" class=\"content\">");
        out.push_str(content);
        out.push_str("</main></div></body></html>");
        Html(out)
    }

    const PEOPLE_COLUMNS: &str = "id, customer_id, reseller_id, role, name, name_key, email, \
        notification_email, password_hash, status, failed_logins, locked_until, last_login_at, \
        created_at, updated_at";

    /// The first page of people with their license counts: the statements `list_users` runs.
    async fn people_page(
        db: &DatabaseConnection,
        customer_id: i64,
    ) -> Result<(i64, Vec<(QueryResult, i64)>), Response> {
        let total = rows(
            db,
            "SELECT COUNT(*) AS n FROM (SELECT id FROM people WHERE customer_id = ? LIMIT ?) AS t",
            vec![customer_id.into(), 1001i64.into()],
        )
        .await?;
        let people = rows(
            db,
            &format!(
                "SELECT {PEOPLE_COLUMNS} FROM people WHERE customer_id = ? \
                 ORDER BY name_key ASC, id ASC LIMIT ? OFFSET ?"
            ),
            vec![customer_id.into(), 51i64.into(), 0i64.into()],
        )
        .await?;
        let ids: Vec<i64> = people.iter().map(|p| number(p, "id")).collect();
        let marks = vec!["?"; ids.len().max(1)].join(", ");
        let counts = rows(
            db,
            &format!(
                "SELECT person_id, COUNT(id) AS n FROM license_assignments \
                 WHERE person_id IN ({marks}) GROUP BY person_id"
            ),
            ids.iter().map(|&id| id.into()).collect(),
        )
        .await?;
        let services = |id: i64| {
            counts
                .iter()
                .find(|c| number(c, "person_id") == id)
                .map(|c| number(c, "n"))
                .unwrap_or_default()
        };
        let total = total.first().map(|r| number(r, "n")).unwrap_or_default();
        Ok((
            total,
            people
                .into_iter()
                .take(50)
                .map(|p| {
                    let n = services(number(&p, "id"));
                    (p, n)
                })
                .collect(),
        ))
    }

    /// One row of the users list as the page's data and the server function carry it.
    fn person_json(person: &QueryResult, services: i64) -> serde_json::Value {
        serde_json::json!({"id": number(person, "id"), "name": text(person, "name"),
            "email": text(person, "email"), "role": text(person, "role"),
            "status": text(person, "status"), "services": services})
    }

    async fn users_page(State(db): Db, headers: HeaderMap) -> Response {
        let caller = match caller(&db, &headers).await {
            Ok(caller) => caller,
            Err(response) => return response,
        };
        let (total, people) = match people_page(&db, caller.customer_id).await {
            Ok(page) => page,
            Err(response) => return response,
        };
        let mut content = String::with_capacity(24 * 1024);
        content.push_str(
            "<div class=\"page-title-row\"><h1>Users</h1><span class=\"actions\"><a class=\"button\" \
             href=\"/users/import\">Import</a><a class=\"button primary\" href=\"/users/new\">Add \
             user</a></span></div><form method=\"GET\" action=\"/users\" role=\"search\" \
             class=\"filters card\"><div class=\"filter\"><label for=\"users-q\">Search</label><input \
             id=\"users-q\" type=\"search\" name=\"q\" value=\"\"></div><div class=\"filter\"><label \
             for=\"users-role\">Role</label><select id=\"users-role\" name=\"role\"><option value=\"\" \
             selected>Any role</option><option value=\"owner\">Owner</option><option \
             value=\"admin\">Admin</option><option value=\"user\">User</option></select></div><div \
             class=\"filter\"><label for=\"users-status\">Status</label><select id=\"users-status\" \
             name=\"status\"><option value=\"\" selected>Any status</option><option \
             value=\"invited\">Invited</option><option value=\"active\">Active</option><option \
             value=\"locked\">Locked</option><option value=\"disabled\">Disabled</option></select></div>\
             <button type=\"submit\" class=\"button\">Apply</button></form>",
        );
        let _ = write!(
            content,
            "<p role=\"status\" class=\"muted\">{total} people</p><table class=\"list card people\">\
             <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Status</th><th \
             class=\"num\">Services</th></tr></thead><tbody>"
        );
        let mut data = String::from("[");
        for (person, services) in &people {
            let (id, name, email) = (
                number(person, "id"),
                text(person, "name"),
                text(person, "email"),
            );
            let (role, status) = (text(person, "role"), text(person, "status"));
            let _ = write!(
                content,
                "<tr><td class=\"primary\"><a href=\"/users/{id}\">"
            );
            escape(&mut content, &name);
            content.push_str("</a><span class=\"phone-only muted small\">");
            escape(&mut content, &email);
            let _ = write!(
                content,
                " · {role}</span></td><td class=\"break\">{email}</td><td \
                 data-label=\"Role\">{role}</td><td class=\"status\"><span class=\"badge \
                 good\">{status}</span></td><td data-label=\"Services\" \
                 class=\"num\">{services}</td></tr>"
            );
            let _ = write!(
                data,
                "{}{}",
                if data.len() > 1 { "," } else { "" },
                person_json(person, *services)
            );
        }
        data.push(']');
        content.push_str("</tbody></table><script type=\"application/json\" id=\"data\">");
        content.push_str(&data);
        content.push_str("</script>");
        shell(&caller, "Users", "/users", &content).into_response()
    }

    #[derive(serde::Deserialize)]
    struct ListUsersForm {
        #[serde(default)]
        search: String,
    }

    async fn list_users(
        State(db): Db,
        headers: HeaderMap,
        Form(form): Form<ListUsersForm>,
    ) -> Response {
        let caller = match caller(&db, &headers).await {
            Ok(caller) => caller,
            Err(response) => return response,
        };
        let _ = form.search;
        let (total, people) = match people_page(&db, caller.customer_id).await {
            Ok(page) => page,
            Err(response) => return response,
        };
        let rows: Vec<_> = people
            .iter()
            .map(|(p, services)| person_json(p, *services))
            .collect();
        axum::Json(
            serde_json::json!({"people": {"rows": rows, "page": 1, "per_page": 50,
            "has_next": total > 50}, "total": total}),
        )
        .into_response()
    }

    const ORDER_COLUMNS: &str = "id, number, customer_id, subscription_id, plan_id, order_type, \
        status, idempotency_key, currency, total_cents, created_by, impersonator_id, failure_reason, \
        cancel_reason, cancel_comment, decision_reason, attempts, next_attempt_at, created_at, \
        updated_at, completed_at";
    const SUBSCRIPTION_COLUMNS: &str = "id, customer_id, plan_id, status, start_date, period_start, \
        period_end, trial_ends_on, auto_renew, created_at, updated_at, terminated_at";
    const PLAN_COLUMNS: &str = "id, product_id, sku, name, billing_period, currency, price_cents, \
        setup_fee_cents, trial_days, full_refund_days, prorated_refund_days, cancellable_online, active";
    const PRODUCT_COLUMNS: &str = "id, sku, vendor, name, category, short_description, \
        long_description, icon, color, demo_always_fails, active, created_at";

    fn marks(n: usize) -> String {
        vec!["?"; n.max(1)].join(", ")
    }

    /// Plans and their products for some subscriptions, as our pages load them.
    async fn plans_and_products(
        db: &DatabaseConnection,
        plan_ids: Vec<i64>,
    ) -> Result<(Vec<QueryResult>, Vec<QueryResult>), Response> {
        let plans = rows(
            db,
            &format!(
                "SELECT {PLAN_COLUMNS} FROM plans WHERE id IN ({})",
                marks(plan_ids.len())
            ),
            plan_ids.into_iter().map(Value::from).collect(),
        )
        .await?;
        let product_ids: Vec<Value> = plans
            .iter()
            .map(|p| number(p, "product_id").into())
            .collect();
        let products = rows(
            db,
            &format!(
                "SELECT {PRODUCT_COLUMNS} FROM products WHERE id IN ({})",
                marks(product_ids.len())
            ),
            product_ids,
        )
        .await?;
        Ok((plans, products))
    }

    fn product_of<'a>(
        plan_id: i64,
        plans: &[QueryResult],
        products: &'a [QueryResult],
    ) -> Option<&'a QueryResult> {
        let plan = plans.iter().find(|p| number(p, "id") == plan_id)?;
        let product_id = number(plan, "product_id");
        products.iter().find(|p| number(p, "id") == product_id)
    }

    fn open_orders_sql() -> String {
        format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE customer_id = ? AND status IN (?, ?, ?) \
             ORDER BY id DESC LIMIT ?"
        )
    }

    fn open_order_values(customer_id: i64) -> Vec<Value> {
        vec![
            customer_id.into(),
            "submitted".into(),
            "provisioning".into(),
            "pending_approval".into(),
            20i64.into(),
        ]
    }

    async fn home_page(State(db): Db, headers: HeaderMap) -> Response {
        let caller = match caller(&db, &headers).await {
            Ok(caller) => caller,
            Err(response) => return response,
        };
        let id = caller.customer_id;
        let today = chrono::Utc::now().date_naive();
        let work = async {
            let customer = rows(
                &db,
                "SELECT id, reseller_id, name, contact_email, country, currency, status, created_at \
                 FROM customers WHERE id = ? LIMIT ?",
                vec![id.into(), 1i64.into()],
            )
            .await?;
            let open = rows(&db, &open_orders_sql(), open_order_values(id)).await?;
            let counts = rows(
                &db,
                "SELECT status, COUNT(id) AS n FROM subscriptions WHERE customer_id = ? GROUP BY status",
                vec![id.into()],
            )
            .await?;
            let people = rows(
                &db,
                &format!(
                    "SELECT COUNT(*) AS n FROM (SELECT {PEOPLE_COLUMNS} FROM people \
                     WHERE customer_id = ?) AS t"
                ),
                vec![id.into()],
            )
            .await?;
            let recent = rows(
                &db,
                &format!(
                    "SELECT {ORDER_COLUMNS} FROM orders WHERE customer_id = ? \
                     ORDER BY created_at DESC, id DESC LIMIT ?"
                ),
                vec![id.into(), 5i64.into()],
            )
            .await?;
            let renewals = rows(
                &db,
                &format!(
                    "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE customer_id = ? AND \
                     status IN (?, ?, ?) AND period_end >= ? AND period_end <= ? \
                     ORDER BY period_end ASC"
                ),
                vec![
                    id.into(),
                    "active".into(),
                    "trial".into(),
                    "cancellation_pending".into(),
                    today.into(),
                    (today + chrono::Duration::days(30)).into(),
                ],
            )
            .await?;
            let plan_ids = renewals.iter().map(|s| number(s, "plan_id")).collect();
            let (plans, products) = plans_and_products(&db, plan_ids).await?;
            Ok::<_, Response>((
                customer, open, counts, people, recent, renewals, plans, products,
            ))
        };
        let (customer, open, counts, people, recent, renewals, plans, products) = match work.await {
            Ok(all) => all,
            Err(response) => return response,
        };
        let mut content = String::with_capacity(8 * 1024);
        content.push_str("<h1>Welcome, ");
        escape(&mut content, &caller.name);
        content.push_str("</h1><p class=\"muted\">");
        escape(
            &mut content,
            &customer
                .first()
                .map(|c| text(c, "name"))
                .unwrap_or_default(),
        );
        content.push_str("</p><section class=\"cards\">");
        for row in &counts {
            let _ = write!(
                content,
                "<a class=\"card stat\" href=\"/subscriptions\"><span class=\"figure\">{}</span> \
                 <span>{}</span></a>",
                number(row, "n"),
                text(row, "status")
            );
        }
        let _ = write!(
            content,
            "<a class=\"card stat\" href=\"/users\"><span class=\"figure\">{}</span> \
             <span>people</span></a></section><section class=\"card\"><h2>Orders in \
             progress</h2><ul>",
            people.first().map(|r| number(r, "n")).unwrap_or_default()
        );
        for order in &open {
            let _ = write!(
                content,
                "<li><a href=\"/orders/{}\">{}</a> {}</li>",
                number(order, "id"),
                text(order, "number"),
                text(order, "status")
            );
        }
        content.push_str("</ul></section><section class=\"card\"><h2>Upcoming renewals</h2><ul>");
        for subscription in &renewals {
            let name = product_of(number(subscription, "plan_id"), &plans, &products)
                .map(|p| text(p, "name"))
                .unwrap_or_default();
            let _ = write!(
                content,
                "<li><a href=\"/subscriptions/{}\">",
                number(subscription, "id")
            );
            escape(&mut content, &name);
            let _ = write!(
                content,
                "</a> renews on {}</li>",
                subscription
                    .try_get::<chrono::NaiveDate>("", "period_end")
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            );
        }
        content.push_str(
            "</ul></section><section class=\"card\"><h2>Recent orders</h2><table><tbody>",
        );
        for order in &recent {
            let _ = write!(
                content,
                "<tr><td><a href=\"/orders/{}\">{}</a></td><td>{}</td><td>{}</td><td \
                 class=\"num\">{:.2}</td></tr>",
                number(order, "id"),
                text(order, "number"),
                text(order, "order_type"),
                text(order, "status"),
                number(order, "total_cents") as f64 / 100.0
            );
        }
        content.push_str("</tbody></table></section>");
        shell(&caller, "Home", "/", &content).into_response()
    }

    async fn marketplace_page(State(db): Db, headers: HeaderMap) -> Response {
        let caller = match caller(&db, &headers).await {
            Ok(caller) => caller,
            Err(response) => return response,
        };
        let work = async {
            let categories = rows(
                &db,
                "SELECT category, COUNT(id) AS n FROM products WHERE active = ? GROUP BY category \
                 ORDER BY category ASC",
                vec![true.into()],
            )
            .await?;
            let products = rows(
                &db,
                &format!(
                    "SELECT {PRODUCT_COLUMNS} FROM products WHERE active = ? ORDER BY name ASC"
                ),
                vec![true.into()],
            )
            .await?;
            let mut values: Vec<Value> = products.iter().map(|p| number(p, "id").into()).collect();
            let n = values.len();
            values.push(true.into());
            let plans = rows(
                &db,
                &format!(
                    "SELECT {PLAN_COLUMNS} FROM plans WHERE product_id IN ({}) AND active = ?",
                    marks(n)
                ),
                values,
            )
            .await?;
            let plan_ids: Vec<Value> = plans.iter().map(|p| number(p, "id").into()).collect();
            let rates = rows(
                &db,
                &format!(
                    "SELECT id, plan_id, code, name, unit, kind, included_units, min_units, \
                     max_units, unit_price_cents, downsize_window_days FROM resource_rates \
                     WHERE plan_id IN ({}) ORDER BY id ASC",
                    marks(plan_ids.len())
                ),
                plan_ids,
            )
            .await?;
            Ok::<_, Response>((categories, products, plans, rates))
        };
        let (categories, products, plans, rates) = match work.await {
            Ok(all) => all,
            Err(response) => return response,
        };
        let mut content = String::with_capacity(24 * 1024);
        content.push_str(
            "<h1>Marketplace</h1><form role=\"search\" class=\"filters card\"><label \
             for=\"q\">Search</label><input id=\"q\" type=\"search\" name=\"q\"></form><nav \
             class=\"chips\" aria-label=\"Categories\">",
        );
        for category in &categories {
            let _ = write!(
                content,
                "<a class=\"chip\" href=\"/marketplace?category={0}\">{0} ({1})</a>",
                text(category, "category"),
                number(category, "n")
            );
        }
        content.push_str("</nav><ul class=\"product-grid\">");
        // Per product: its cheapest plan and how many resources its plans offer.
        let mut product_of_plan = std::collections::HashMap::new();
        let mut cheapest = std::collections::HashMap::new();
        for plan in &plans {
            let product = number(plan, "product_id");
            product_of_plan.insert(number(plan, "id"), product);
            let price = number(plan, "price_cents");
            let entry = cheapest.entry(product).or_insert(price);
            *entry = (*entry).min(price);
        }
        let mut resources = std::collections::HashMap::new();
        for rate in &rates {
            if let Some(product) = product_of_plan.get(&number(rate, "plan_id")) {
                *resources.entry(*product).or_insert(0) += 1;
            }
        }
        for product in &products {
            let id = number(product, "id");
            let _ = write!(
                content,
                "<li class=\"card product\"><a href=\"/marketplace/{}\"><span class=\"icon\" \
                 aria-hidden=\"true\">{}</span><h2>",
                text(product, "sku"),
                text(product, "icon")
            );
            escape(&mut content, &text(product, "name"));
            content.push_str("</h2></a><p class=\"vendor\">");
            escape(&mut content, &text(product, "vendor"));
            content.push_str("</p><p>");
            escape(&mut content, &text(product, "short_description"));
            let _ = write!(
                content,
                "</p><p class=\"price\">from {:.2} per period · {} resources</p></li>",
                cheapest.get(&id).copied().unwrap_or_default() as f64 / 100.0,
                resources.get(&id).copied().unwrap_or(0)
            );
        }
        content.push_str("</ul>");
        shell(&caller, "Marketplace", "/marketplace", &content).into_response()
    }

    async fn subscriptions_page(State(db): Db, headers: HeaderMap) -> Response {
        let caller = match caller(&db, &headers).await {
            Ok(caller) => caller,
            Err(response) => return response,
        };
        let id = caller.customer_id;
        let work = async {
            let subscriptions = rows(
                &db,
                &format!(
                    "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE customer_id = ? \
                     ORDER BY created_at DESC"
                ),
                vec![id.into()],
            )
            .await?;
            let open = rows(&db, &open_orders_sql(), open_order_values(id)).await?;
            let plan_ids = subscriptions.iter().map(|s| number(s, "plan_id")).collect();
            let (plans, products) = plans_and_products(&db, plan_ids).await?;
            Ok::<_, Response>((subscriptions, open, plans, products))
        };
        let (subscriptions, open, plans, products) = match work.await {
            Ok(all) => all,
            Err(response) => return response,
        };
        let mut content = String::with_capacity(8 * 1024);
        content.push_str(
            "<h1>Subscriptions</h1><table class=\"list card\"><thead><tr><th>Service</th><th>Plan</th>\
             <th>Status</th><th>Renews</th></tr></thead><tbody>",
        );
        for subscription in &subscriptions {
            let plan_id = number(subscription, "plan_id");
            let plan = plans
                .iter()
                .find(|p| number(p, "id") == plan_id)
                .map(|p| text(p, "name"))
                .unwrap_or_default();
            let product = product_of(plan_id, &plans, &products)
                .map(|p| text(p, "name"))
                .unwrap_or_default();
            let sid = number(subscription, "id");
            let pending = open.iter().any(|o| number(o, "subscription_id") == sid);
            let _ = write!(
                content,
                "<tr><td class=\"primary\"><a href=\"/subscriptions/{sid}\">"
            );
            escape(&mut content, &product);
            content.push_str("</a></td><td>");
            escape(&mut content, &plan);
            let _ = write!(
                content,
                "</td><td><span class=\"badge\">{}</span>{}</td><td>{}</td></tr>",
                text(subscription, "status"),
                if pending {
                    " <span class=\"badge\">order in progress</span>"
                } else {
                    ""
                },
                subscription
                    .try_get::<chrono::NaiveDate>("", "period_end")
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            );
        }
        content.push_str("</tbody></table>");
        shell(&caller, "Subscriptions", "/subscriptions", &content).into_response()
    }
}

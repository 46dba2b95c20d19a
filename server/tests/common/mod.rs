//! `TestApp`: the real router on a fresh, migrated, seeded database, called without a socket.
//!
//! SQLite in memory by default; a fresh PostgreSQL database per test when `TEST_DATABASE_URL`
//! points at a PostgreSQL server (e.g. `postgres://postgres@127.0.0.1:5432/postgres`).
#![allow(dead_code)]

use app::server::{AppState, Settings, demo_data};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use http::{Request, StatusCode, header};
use leptos::config::LeptosOptions;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

/// The client address of requests made by tests, unless a test says otherwise.
pub const LOOPBACK_CLIENT: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 40000);

pub const PASSWORD: &str = demo_data::DEMO_PASSWORD;
pub const OWNER: &str = "olivia.owner@contoso-dental.example";
pub const ADMIN: &str = "adam.admin@contoso-dental.example";
pub const USER: &str = "uma.user@contoso-dental.example";
pub const OTHER_OWNER: &str = "fiona.owner@fabrikam-logistics.example";
pub const RESELLER: &str = "rita.reseller@northwind-cloud.example";

pub struct TestApp {
    pub state: AppState,
    router: Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The session cookie this reply sets, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("ccp_session=") && !v.starts_with("ccp_session=;"))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
    }
}

async fn database() -> DatabaseConnection {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!(
                "ccp_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed),
                chrono::Utc::now().timestamp_micros() % 1_000_000
            );
            let admin = server::db::connect(&admin_url)
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("URL with a database name");
            server::db::connect(&format!("{base}/{name}"))
                .await
                .expect("connect to test database")
        }
        _ => server::db::connect("sqlite::memory:")
            .await
            .expect("sqlite in memory"),
    }
}

impl TestApp {
    /// Migrated and loaded with the demo catalog and accounts.
    pub async fn new() -> Self {
        Self::with_settings(Settings::default()).await
    }

    pub async fn with_settings(settings: Settings) -> Self {
        Self::on(database().await, settings).await
    }

    /// On a SQLite file (several connections, as the server runs) instead of SQLite in memory
    /// (one connection); on PostgreSQL when `TEST_DATABASE_URL` is set, as always.
    pub async fn on_sqlite_file() -> Self {
        let db = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => database().await,
            _ => {
                static FILES: AtomicU32 = AtomicU32::new(0);
                let path = std::env::temp_dir().join(format!(
                    "ccp-test-{}-{}.db",
                    std::process::id(),
                    FILES.fetch_add(1, Ordering::Relaxed)
                ));
                let _ = std::fs::remove_file(&path);
                server::db::connect(&format!("sqlite://{}?mode=rwc", path.display()))
                    .await
                    .expect("sqlite file")
            }
        };
        Self::on(db, Settings::default()).await
    }

    async fn on(db: DatabaseConnection, settings: Settings) -> Self {
        server::db::migrate(&db).await.expect("migrations run");
        let state = AppState::new(db, settings);
        demo_data::load_if_empty(&state)
            .await
            .expect("demo data loads");
        let options = LeptosOptions::builder().output_name("ccp").build();
        let router = server::router(state.clone(), options);
        Self { state, router }
    }

    /// Sends a request as a client on this machine would (loopback address), and waits for
    /// the work it left running in the background (so its effects can be checked).
    pub async fn request(&self, request: Request<Body>) -> Reply {
        self.request_from(request, LOOPBACK_CLIENT).await
    }

    /// Sends a request from the client address `from`.
    pub async fn request_from(&self, mut request: Request<Body>, from: SocketAddr) -> Reply {
        request.extensions_mut().insert(ConnectInfo(from));
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        self.state.background.wait_idle().await;
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Calls the server function `name` the way the browser does: a same-origin form POST.
    pub async fn call(&self, name: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        self.call_from(name, form, cookie, LOOPBACK_CLIENT).await
    }

    /// `call`, from the client address `from`.
    pub async fn call_from(
        &self,
        name: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        from: SocketAddr,
    ) -> Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = Request::post(format!("/api/{name}"))
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.request_from(request.body(Body::from(body)).unwrap(), from)
            .await
    }

    /// Calls a server function whose input is JSON (used for large inputs such as CSV files).
    pub async fn call_json(&self, name: &str, body: Value, cookie: Option<&str>) -> Reply {
        let mut request = Request::post(format!("/api/{name}"))
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.request(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    pub async fn try_login(&self, email: &str, password: &str) -> Reply {
        self.call("login", &[("email", email), ("password", password)], None)
            .await
    }

    /// Signs in and returns the session cookie (`ccp_session=...`).
    pub async fn login(&self, email: &str) -> String {
        let reply = self.try_login(email, PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login of {email}: {:?}",
            reply.body
        );
        reply
            .session_cookie()
            .expect("login sets the session cookie")
    }

    /// A page request as a browser makes it.
    pub async fn get(&self, path: &str) -> Reply {
        self.request(
            Request::get(path)
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

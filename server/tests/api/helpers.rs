//! `TestApp`: the real router on a fresh, migrated, seeded database, called without a socket;
//! `Client`: one caller of it (anonymous or signed in), sending the app's own server-function
//! structs and getting back the app's own result types.
//!
//! SQLite in memory by default; a fresh PostgreSQL database per test when `TEST_DATABASE_URL`
//! points at a PostgreSQL server (e.g. `postgres://postgres@127.0.0.1:5432/postgres`).
//!
//! Two ways to call a server function:
//! - typed, `client.send(GetOrder { id }).await`, for tests about behaviour: the struct is
//!   encoded by the function's own input codec (a form or JSON, whatever its `#[server]`
//!   attribute says), and the answer decoded into its `Output` or an [`AppError`];
//! - raw, `app.call("get_order", &[("id", "x")], cookie)`, for tests about what the server
//!   does with input no browser of ours sends (garbage, wrong encodings, foreign origins).

use app::AppError;
use app::server::entities::{audit_log, email_outbox, person};
use app::server::{AppState, Settings, demo_data};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use http::{HeaderMap, Method, Request, StatusCode, header};
use leptos::config::LeptosOptions;
use leptos::server_fn::codec::IntoReq;
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Http, ServerFn};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use sea_orm::{PaginatorTrait, QueryOrder};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

/// The client address of requests made by tests, unless a test says otherwise.
pub const LOOPBACK_CLIENT: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 40000);

// The demo accounts every test starts with (see `demo_data`), all with the demo password.
pub const PASSWORD: &str = demo_data::DEMO_PASSWORD;
pub const OWNER: &str = "olivia.owner@contoso-dental.example";
pub const ADMIN: &str = "adam.admin@contoso-dental.example";
pub const USER: &str = "uma.user@contoso-dental.example";
/// A Contoso user with no special role in any test, to be acted upon.
pub const GRACE: &str = "grace.kim@contoso-dental.example";
/// Contoso's person who was invited and has not activated their account.
pub const INVITED: &str = "noah.newhire@contoso-dental.example";
pub const OTHER_OWNER: &str = "fiona.owner@fabrikam-logistics.example";
pub const OTHER_ADMIN: &str = "felix.admin@fabrikam-logistics.example";
/// A Fabrikam user.
pub const OTHER_USER: &str = "jonas.weber@fabrikam-logistics.example";
pub const RESELLER: &str = "rita.reseller@northwind-cloud.example";
pub const CONTOSO: &str = "Contoso Dental Group";
pub const FABRIKAM: &str = "Fabrikam Logistics";

/// The app under test. Cheap to clone (the router and the state are shared handles), so a
/// [`Client`] holds its own and can be moved into a spawned task.
#[derive(Clone)]
pub struct TestApp {
    pub state: AppState,
    router: Router,
    /// Where the demo data ends: the last email and audit entry it wrote. The demo is made
    /// through the real services, so it leaves its own emails and entries; tests look at what
    /// they caused themselves.
    seeded: Seeded,
}

#[derive(Clone, Copy, Default)]
struct Seeded {
    email_id: i32,
    audit_id: i32,
}

/// Awaits one stage of a request, or fails the test naming the request and the stage. A whole
/// suite run once in a few dozen left one request waiting for ever, idle (no thread blocked,
/// only the pool's own timers pending): this turns it into a failure that says where.
async fn within<T>(asked: &str, stage: &str, work: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(std::time::Duration::from_secs(60), work).await {
        Ok(done) => done,
        Err(_) => panic!("{asked}: {stage} did not come within 60 s"),
    }
}

/// An HTTP answer, as raw as tests about the protocol need it.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as JSON, or as a JSON string holding the text when it is not JSON.
    pub body: Value,
    pub bytes: Bytes,
}

impl Reply {
    /// The session cookie this reply sets, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.set_cookie("ccp_session")
    }

    /// The cookie `name` this reply sets to a value (not clears), as `name=value`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        let prefix = format!("{name}=");
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&prefix) && !v.starts_with(&format!("{prefix};")))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
    }

    /// Whether this reply clears the cookie `name`.
    pub fn clears_cookie(&self, name: &str) -> bool {
        let cleared = format!("{name}=;");
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.starts_with(&cleared))
    }

    /// The answer as a server function's result, the way the app's own client reads it.
    pub fn decode<T: DeserializeOwned>(self) -> Result<T, Refused> {
        if self.status.is_success() {
            return Ok(serde_json::from_slice(&self.bytes).unwrap_or_else(|err| {
                panic!(
                    "a {} answer that is not a {}: {err}: {:?}",
                    self.status,
                    std::any::type_name::<T>(),
                    self.body
                )
            }));
        }
        let error = serde_json::from_slice(&self.bytes).unwrap_or_else(|err| {
            panic!(
                "a {} answer that is not an AppError: {err}: {:?}",
                self.status, self.body
            )
        });
        Err(Refused {
            status: self.status,
            error,
            headers: Box::new(self.headers),
        })
    }
}

/// A server function's refusal: the error the app sent, and the status it sent it with (the
/// status is part of the contract: browsers, proxies and monitoring read it, not the body).
#[derive(Clone, Debug)]
pub struct Refused {
    pub status: StatusCode,
    pub error: AppError,
    /// Boxed to keep `Result<_, Refused>` small; rarely read (`Retry-After`).
    pub headers: Box<HeaderMap>,
}

/// The HTTP status of a typed call's outcome, for tests that only ask "admitted or not".
pub trait Status {
    fn status(&self) -> StatusCode;
}

impl<T> Status for Result<T, Refused> {
    fn status(&self) -> StatusCode {
        match self {
            Ok(_) => StatusCode::OK,
            Err(refused) => refused.status,
        }
    }
}

/// The field a validation refusal names, for tests that check which input was wrong.
pub trait RefusedField {
    fn field(&self) -> Option<&str>;
}

impl<T> RefusedField for Result<T, Refused> {
    fn field(&self) -> Option<&str> {
        match self {
            Err(Refused {
                error: AppError::Validation { field, .. },
                ..
            }) => Some(field),
            _ => None,
        }
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

    /// Like [`TestApp::new`], with every SQL statement the app runs written to the returned log.
    pub async fn logging_statements() -> (Self, StatementLog) {
        let log = StatementLog::default();
        let mut db = database().await;
        let sink = log.clone();
        db.set_metric_callback(move |info| {
            sink.0.lock().unwrap().push(info.statement.sql.clone());
        });
        (Self::on(db, Settings::default()).await, log)
    }

    async fn on(db: DatabaseConnection, settings: Settings) -> Self {
        server::db::migrate(&db).await.expect("migrations run");
        let state = AppState::new(db, settings);
        demo_data::load_if_empty(&state)
            .await
            .expect("demo data loads");
        let seeded = Seeded {
            email_id: last_id(
                &state,
                email_outbox::Entity::find().order_by_desc(email_outbox::Column::Id),
            )
            .await,
            audit_id: last_id(
                &state,
                audit_log::Entity::find().order_by_desc(audit_log::Column::Id),
            )
            .await,
        };
        let options = LeptosOptions::builder().output_name("ccp").build();
        let router = server::router(state.clone(), options);
        Self {
            state,
            router,
            seeded,
        }
    }

    // ---- callers -------------------------------------------------------------------------

    /// A caller without a session.
    pub fn anonymous(&self) -> Client {
        Client {
            app: self.clone(),
            cookie: None,
            from: LOOPBACK_CLIENT,
        }
    }

    /// A caller holding `cookie` (`ccp_session=...`, or anything a test wants to replay).
    pub fn with_cookie(&self, cookie: impl Into<String>) -> Client {
        Client {
            cookie: Some(cookie.into()),
            ..self.anonymous()
        }
    }

    /// Signs `email` in with the demo password.
    pub async fn signed_in(&self, email: &str) -> Client {
        self.with_cookie(self.login(email).await)
    }

    pub async fn owner(&self) -> Client {
        self.signed_in(OWNER).await
    }

    pub async fn admin(&self) -> Client {
        self.signed_in(ADMIN).await
    }

    pub async fn user(&self) -> Client {
        self.signed_in(USER).await
    }

    /// The owner of another customer (Fabrikam).
    pub async fn other_owner(&self) -> Client {
        self.signed_in(OTHER_OWNER).await
    }

    /// An admin of another customer (Fabrikam).
    pub async fn other_admin(&self) -> Client {
        self.signed_in(OTHER_ADMIN).await
    }

    /// Staff of the reseller both demo customers buy from.
    pub async fn reseller(&self) -> Client {
        self.signed_in(RESELLER).await
    }

    /// Reseller staff, signed in with `staff_cookie`, log in to the customer's panel: the
    /// browser's cookies afterwards (the acting session, and their own session kept for the
    /// return), as one `Cookie` header.
    pub async fn enter_panel(&self, staff_cookie: &str, customer_id: i32) -> String {
        let reply = self
            .call(
                "enter_customer_panel",
                &[("customer_id", &customer_id.to_string())],
                Some(staff_cookie),
            )
            .await;
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "enter_customer_panel: {} {:?}",
            reply.status,
            reply.body
        );
        let acting = reply.session_cookie().expect("an acting session");
        let kept = reply.set_cookie("ccp_return").expect("the return cookie");
        format!("{acting}; {kept}")
    }

    /// Rita logs in to Contoso's panel from a session of her own.
    pub async fn acting_for_contoso(&self) -> Client {
        let staff = self.login(RESELLER).await;
        let contoso = customer_by_name(self, CONTOSO).await;
        self.with_cookie(self.enter_panel(&staff, contoso.id).await)
    }

    // ---- raw requests --------------------------------------------------------------------

    /// Sends a request as a client on this machine would (loopback address), and waits for
    /// the work it left running in the background (so its effects can be checked).
    pub async fn request(&self, request: Request<Body>) -> Reply {
        self.request_from(request, LOOPBACK_CLIENT).await
    }

    /// Sends a request from the client address `from`.
    pub async fn request_from(&self, mut request: Request<Body>, from: SocketAddr) -> Reply {
        request.extensions_mut().insert(ConnectInfo(from));
        let asked = format!("{} {}", request.method(), request.uri());
        let response = within(
            &asked,
            "the answer's head",
            self.router.clone().oneshot(request),
        )
        .await
        .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = within(
            &asked,
            "the answer's body",
            axum::body::to_bytes(response.into_body(), 1 << 20),
        )
        .await
        .unwrap();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        within(&asked, "background work", self.state.background.wait_idle()).await;
        Reply {
            status,
            headers,
            body,
            bytes,
        }
    }

    /// Calls the server function `name` with a hand-made form, as a same-origin POST: for
    /// tests about input the app's own client never sends.
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
        let request = same_origin_post(
            &format!("/api/{name}"),
            "application/x-www-form-urlencoded",
            cookie,
        );
        self.request_from(request.body(Body::from(body)).unwrap(), from)
            .await
    }

    /// Calls a server function with a hand-made JSON body.
    pub async fn call_json(&self, name: &str, body: Value, cookie: Option<&str>) -> Reply {
        let request = same_origin_post(&format!("/api/{name}"), "application/json", cookie);
        self.request(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// A sign-in attempt, whatever its outcome (the reply carries the cookie, if any).
    pub async fn try_login(&self, email: &str, password: &str) -> Reply {
        self.anonymous()
            .send_raw(app::api::auth::Login {
                email: email.to_owned(),
                password: password.to_owned(),
            })
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

/// The SQL statements the app ran, in order (see [`TestApp::logging_statements`]).
#[derive(Clone, Default)]
pub struct StatementLog(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl StatementLog {
    /// Forgets what was run so far.
    pub fn clear(&self) {
        self.0.lock().unwrap().clear();
    }

    /// The statements run since the last `clear`.
    pub fn taken(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// One caller of the app: its session cookie (if any) and its network address.
#[derive(Clone)]
pub struct Client {
    app: TestApp,
    cookie: Option<String>,
    from: SocketAddr,
}

impl Client {
    /// A page as this caller's browser asks for it.
    pub async fn page(&self, path: &str) -> Reply {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.app.request(request.body(Body::empty()).unwrap()).await
    }

    /// The session cookie, for raw calls and for replaying it after it should be dead.
    pub fn cookie(&self) -> Option<&str> {
        self.cookie.as_deref()
    }

    /// The same caller, from another client address (rate limits, the loopback-only outbox).
    pub fn at_address(mut self, from: SocketAddr) -> Self {
        self.from = from;
        self
    }

    /// Calls a server function as the app's own client does, and reads its answer.
    pub async fn send<F>(&self, call: F) -> Result<F::Output, Refused>
    where
        F: ServerFn<Error = AppError>,
        F::Protocol: InputCodec,
        F: IntoReq<<F::Protocol as InputCodec>::Codec, Encoded, AppError>,
        F::Output: DeserializeOwned,
    {
        self.send_raw(call).await.decode()
    }

    /// `send`, keeping the whole reply: for tests about the cookies and headers it sets.
    pub async fn send_raw<F>(&self, call: F) -> Reply
    where
        F: ServerFn<Error = AppError>,
        F::Protocol: InputCodec,
        F: IntoReq<<F::Protocol as InputCodec>::Codec, Encoded, AppError>,
    {
        let encoded: Encoded = call
            .into_req(F::PATH, "application/json")
            .unwrap_or_else(|err| panic!("{} does not encode: {err:?}", F::PATH));
        assert_eq!(
            encoded.method,
            Method::POST,
            "{}: every server function of the app is a POST",
            F::PATH
        );
        let request = same_origin_post(F::PATH, &encoded.content_type, self.cookie());
        self.app
            .request_from(request.body(Body::from(encoded.body)).unwrap(), self.from)
            .await
    }
}

/// Names the input codec of a server function's protocol (`PostUrl` unless its `#[server]`
/// attribute says `input = Json`), so that `send` encodes with exactly that codec.
pub trait InputCodec {
    type Codec;
}

impl<I, O> InputCodec for Http<I, O> {
    type Codec = I;
}

/// A request body as a server function's codec writes it; the transport is the router.
pub struct Encoded {
    method: Method,
    content_type: String,
    body: Bytes,
}

impl Encoded {
    fn new(method: Method, content_type: &str, body: impl Into<Bytes>) -> Self {
        Self {
            method,
            content_type: content_type.to_owned(),
            body: body.into(),
        }
    }
}

// Only the bodies the app's codecs produce (text and bytes) are supported; forms, multipart
// and streams would need a codec the app does not use.
impl ClientReq<AppError> for Encoded {
    type FormData = ();

    fn try_new_req_query(
        _path: &str,
        content_type: &str,
        _accepts: &str,
        query: &str,
        method: Method,
    ) -> Result<Self, AppError> {
        Ok(Self::new(method, content_type, query.to_owned()))
    }

    fn try_new_req_text(
        _path: &str,
        content_type: &str,
        _accepts: &str,
        body: String,
        method: Method,
    ) -> Result<Self, AppError> {
        Ok(Self::new(method, content_type, body))
    }

    fn try_new_req_bytes(
        _path: &str,
        content_type: &str,
        _accepts: &str,
        body: Bytes,
        method: Method,
    ) -> Result<Self, AppError> {
        Ok(Self::new(method, content_type, body))
    }

    fn try_new_req_form_data(
        _path: &str,
        _accepts: &str,
        _content_type: &str,
        _body: (),
        _method: Method,
    ) -> Result<Self, AppError> {
        Err(AppError::BadRequest("form data is not supported".into()))
    }

    fn try_new_req_multipart(
        _path: &str,
        _accepts: &str,
        _body: (),
        _method: Method,
    ) -> Result<Self, AppError> {
        Err(AppError::BadRequest("multipart is not supported".into()))
    }

    fn try_new_req_streaming(
        _path: &str,
        _accepts: &str,
        _content_type: &str,
        _body: impl futures::Stream<Item = Bytes> + Send + 'static,
        _method: Method,
    ) -> Result<Self, AppError> {
        Err(AppError::BadRequest("streams are not supported".into()))
    }
}

/// A POST as the browser sends it from the app's own pages: same origin, asking for JSON.
pub fn same_origin_post(
    path: &str,
    content_type: &str,
    cookie: Option<&str>,
) -> http::request::Builder {
    let mut request = Request::post(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request
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

// ---- fixtures read straight from the database ---------------------------------------------

/// The person with this sign-in email.
pub async fn person_by_email(app: &TestApp, email: &str) -> person::Model {
    person::Entity::find()
        .filter(person::Column::Email.eq(email))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{email} exists"))
}

/// The id of the person with this sign-in email.
pub async fn id_of(app: &TestApp, email: &str) -> i32 {
    person_by_email(app, email).await.id
}

/// How many people there are on the platform.
pub async fn people_count(app: &TestApp) -> u64 {
    person::Entity::find().count(&app.state.db).await.unwrap()
}

/// The id of the newest row `select` (ordered newest first) finds, 0 for none.
async fn last_id<E>(state: &AppState, select: sea_orm::Select<E>) -> i32
where
    E: EntityTrait,
    E::Model: HasId,
{
    select
        .one(&state.db)
        .await
        .unwrap()
        .map_or(0, |row| row.id())
}

trait HasId {
    fn id(&self) -> i32;
}

impl HasId for email_outbox::Model {
    fn id(&self) -> i32 {
        self.id
    }
}

impl HasId for audit_log::Model {
    fn id(&self) -> i32 {
        self.id
    }
}

/// The emails the test caused (everything after the demo data), oldest first.
pub async fn new_emails(app: &TestApp) -> Vec<email_outbox::Model> {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::Id.gt(app.seeded.email_id))
        .order_by_asc(email_outbox::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

/// The audit entries the test caused, oldest first.
pub async fn new_audit_entries(app: &TestApp) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Id.gt(app.seeded.audit_id))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

/// Emails of `kind` the test caused, oldest first.
pub async fn outbox(app: &TestApp, kind: &str) -> Vec<email_outbox::Model> {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::Id.gt(app.seeded.email_id))
        .filter(email_outbox::Column::Kind.eq(kind))
        .order_by_asc(email_outbox::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

/// How many emails the test caused, of any kind.
pub async fn outbox_count(app: &TestApp) -> u64 {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::Id.gt(app.seeded.email_id))
        .count(&app.state.db)
        .await
        .unwrap()
}

/// The newest email in the outbox, if any.
pub async fn newest_email(app: &TestApp) -> Option<email_outbox::Model> {
    email_outbox::Entity::find()
        .order_by_desc(email_outbox::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
}

/// The newest email in the outbox to `to`.
pub async fn newest_email_to(app: &TestApp, to: &str) -> email_outbox::Model {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::ToAddress.eq(to))
        .order_by_desc(email_outbox::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("an email to {to}"))
}

/// The token of the link to `path` (e.g. `/activate`) in an email body.
pub fn link_token(body: &str, path: &str) -> String {
    let start = body.find(&format!("{path}?token=")).expect("a link") + path.len() + 7;
    body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

/// The token of the link at `path` in the newest email of `kind` the test caused.
pub async fn newest_link(app: &TestApp, kind: &str, path: &str) -> String {
    let emails = outbox(app, kind).await;
    let newest = emails
        .last()
        .unwrap_or_else(|| panic!("an email of kind {kind}"));
    link_token(&newest.body_text, path)
}

/// The demo customer called `name` (`CONTOSO`, `FABRIKAM`).
pub async fn customer_by_name(app: &TestApp, name: &str) -> app::server::entities::customer::Model {
    use app::server::entities::customer;
    customer::Entity::find()
        .filter(customer::Column::Name.eq(name))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("customer {name}"))
}

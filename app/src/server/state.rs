//! The state every request shares: the database pool, settings, the clock and rate limits.

use super::limits::{LimitSettings, Limits};
use crate::domain::pricing::TaxRate;
use chrono::{DateTime, Duration, Utc};
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use tokio::sync::Notify;

/// Settings that change how sessions and the app behave; built by the server's configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// A session unused for this long ends.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub session_absolute: Duration,
    /// A session in which reseller staff act for a customer ends after this long unused.
    pub acting_idle: Duration,
    /// Mark the session cookie `Secure` (serve over HTTPS).
    pub secure_cookies: bool,
    /// Demo mode shows developer pages such as the email outbox; never in production.
    pub demo_mode: bool,
    /// The address people use to reach the panel, for links in emails (no trailing slash).
    pub public_url: String,
    /// Added to every charge when set.
    pub tax: Option<TaxRate>,
    /// The built-in simulated vendor: how long each call takes, and the share of calls that
    /// fail with a transient error (in percent).
    pub vendor_latency: std::time::Duration,
    pub vendor_failure_percent: u8,
    /// How generous the rate limits are.
    pub limits: LimitSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_idle: Duration::minutes(30),
            session_absolute: Duration::hours(12),
            acting_idle: Duration::minutes(60),
            secure_cookies: false,
            demo_mode: true,
            public_url: "http://127.0.0.1:3000".into(),
            tax: None,
            vendor_latency: std::time::Duration::ZERO,
            vendor_failure_percent: 0,
            limits: LimitSettings::default(),
        }
    }
}

/// The time as the application sees it. Tests move it forward instead of sleeping.
#[derive(Clone, Default, Debug)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    pub fn advance(&self, by: Duration) {
        self.offset_seconds
            .fetch_add(by.num_seconds(), Ordering::Relaxed);
    }

    /// How far this clock is from the real time.
    pub fn offset(&self) -> Duration {
        Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    pub fn set_offset(&self, offset: Duration) {
        self.offset_seconds
            .store(offset.num_seconds(), Ordering::Relaxed);
    }

    /// Sets the clock so that it reads `at` now.
    pub fn travel_to(&self, at: DateTime<Utc>) {
        self.set_offset(at - Utc::now());
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    /// Wakes this process's fulfilment worker when an order is placed, so it does not wait for
    /// its next look at the queue.
    pub order_placed: Arc<Notify>,
    /// Rate limits of this process.
    pub limits: Arc<Limits>,
    /// Work a request leaves behind after answering (the email of "forgot password").
    pub background: Background,
}

/// Tasks started after a request has answered; shutdown and tests can wait for them.
#[derive(Clone, Default)]
pub struct Background {
    running: Arc<AtomicI64>,
    idle: Arc<Notify>,
}

impl Background {
    pub fn spawn(&self, work: impl std::future::Future<Output = ()> + Send + 'static) {
        self.running.fetch_add(1, Ordering::SeqCst);
        let this = self.clone();
        tokio::spawn(async move {
            work.await;
            if this.running.fetch_sub(1, Ordering::SeqCst) == 1 {
                this.idle.notify_waiters();
            }
        });
    }

    /// Returns once no background task is running.
    pub async fn wait_idle(&self) {
        loop {
            let idle = self.idle.notified();
            if self.running.load(Ordering::SeqCst) == 0 {
                return;
            }
            idle.await;
        }
    }
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> Self {
        Self {
            db,
            limits: Arc::new(Limits::new(&settings.limits)),
            settings: Arc::new(settings),
            clock: Clock::default(),
            order_placed: Arc::new(Notify::new()),
            background: Background::default(),
        }
    }
}

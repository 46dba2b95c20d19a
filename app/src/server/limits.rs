//! Rate limits on what an attacker would repeat: sign-in attempts, reset emails, link use, CSV
//! checks. Each limit is a keyed token bucket (the `governor` crate): `burst` attempts at once,
//! then one more every `every`. Over the limit the caller gets `TooManyRequests` (HTTP 429 with
//! `Retry-After`).
//!
//! The buckets live in this process's memory: with several server processes each has its own,
//! so the effective limit is at most N times as high. The account lockout after repeated failed
//! sign-ins lives in the database and holds across processes.

use crate::error::AppError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::time::Duration;

/// Keys longer than this are cut: nobody's email or address is longer, and a key is memory.
const MAX_KEY_LEN: usize = 260;

/// One limit: a bucket per key (a client address, an email address, a person).
pub struct Limiter {
    name: &'static str,
    buckets: DefaultKeyedRateLimiter<String>,
}

impl Limiter {
    pub fn new(name: &'static str, burst: u32, every: Duration) -> Self {
        let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(every.max(Duration::from_millis(1)))
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        Self {
            name,
            buckets: RateLimiter::keyed(quota),
        }
    }

    /// Takes one attempt from `key`'s bucket, or says how long to wait.
    pub fn check(&self, key: &str) -> Result<(), AppError> {
        self.check_n(key, 1)
    }

    /// Takes `n` attempts at once (a file of `n` addresses). More than the bucket ever holds is
    /// refused with the wait for a full bucket.
    pub fn check_n(&self, key: &str, n: u32) -> Result<(), AppError> {
        let key: String = key.chars().take(MAX_KEY_LEN).collect();
        let Some(cells) = NonZeroU32::new(n) else {
            return Ok(());
        };
        let outcome = match self.buckets.check_key_n(&key, cells) {
            Ok(outcome) => outcome,
            Err(_) => {
                return Err(AppError::TooManyRequests {
                    retry_after_seconds: 60,
                });
            }
        };
        match outcome {
            Ok(()) => Ok(()),
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                let retry_after_seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                tracing::warn!(limit = self.name, retry_after_seconds, "rate limited");
                Err(AppError::TooManyRequests {
                    retry_after_seconds: retry_after_seconds.max(1),
                })
            }
        }
    }

    /// Forgets keys whose bucket is full again, so the memory stays bounded.
    pub fn forget_idle(&self) {
        self.buckets.retain_recent();
        self.buckets.shrink_to_fit();
    }
}

/// How generous the limits are; the defaults suit a real deployment.
#[derive(Clone, Debug)]
pub struct LimitSettings {
    /// Sign-in attempts from one client address per minute (also the burst).
    pub sign_in_per_client_per_minute: u32,
    /// Sign-in attempts for one email address at once; then one every 30 seconds.
    pub sign_in_per_account_burst: u32,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            sign_in_per_client_per_minute: 30,
            sign_in_per_account_burst: 10,
        }
    }
}

/// Every limit of the panel.
pub struct Limits {
    /// Sign-in attempts from one client address.
    pub sign_in_client: Limiter,
    /// Sign-in attempts for one email address (known or not: the answer must not differ).
    pub sign_in_account: Limiter,
    /// "Forgot password" requests from one client address.
    pub reset_request_client: Limiter,
    /// "Forgot password" requests for one email address: each may send an email.
    pub reset_request_account: Limiter,
    /// Uses of activation, reset and email-change links from one client address (each use
    /// hashes a password or looks a token up).
    pub link_client: Limiter,
    /// Email-change requests of one person: each sends an email.
    pub email_change: Limiter,
    /// CSV import checks of one person.
    pub import_preview: Limiter,
    /// Addresses one person may check against existing sign-ins (adding people one by one or
    /// by CSV): sign-in emails are unique across the platform, so "already exists" tells an
    /// account manager that an address has an account somewhere. This keeps that to what
    /// adding people needs.
    pub address_checks: Limiter,
}

impl Limits {
    pub fn new(settings: &LimitSettings) -> Self {
        let per_client = settings.sign_in_per_client_per_minute.max(1);
        let minute = Duration::from_secs(60);
        Self {
            sign_in_client: Limiter::new("sign_in_client", per_client, minute / per_client),
            sign_in_account: Limiter::new(
                "sign_in_account",
                settings.sign_in_per_account_burst,
                Duration::from_secs(30),
            ),
            reset_request_client: Limiter::new("reset_request_client", 10, minute),
            reset_request_account: Limiter::new("reset_request_account", 3, 10 * minute),
            link_client: Limiter::new("link_client", 20, Duration::from_secs(10)),
            email_change: Limiter::new("email_change", 3, 10 * minute),
            import_preview: Limiter::new("import_preview", 20, Duration::from_secs(3)),
            // A full file checked and then imported, then about 7,000 more an hour.
            address_checks: Limiter::new(
                "address_checks",
                2 * crate::domain::user_import::MAX_ROWS as u32,
                Duration::from_millis(500),
            ),
        }
    }

    pub fn forget_idle(&self) {
        for limiter in [
            &self.sign_in_client,
            &self.sign_in_account,
            &self.reset_request_client,
            &self.reset_request_account,
            &self.link_client,
            &self.email_change,
            &self.import_preview,
            &self.address_checks,
        ] {
            limiter.forget_idle();
        }
    }
}

/// The key of a client without a known address (a call without a socket, in tests).
pub fn client_key(ip: Option<&str>) -> &str {
    ip.unwrap_or("unknown-client")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_says_how_long_to_wait() {
        let limit = Limiter::new("test", 3, Duration::from_secs(20));
        for _ in 0..3 {
            assert!(limit.check("a").is_ok());
        }
        match limit.check("a") {
            Err(AppError::TooManyRequests {
                retry_after_seconds,
            }) => assert!((1..=20).contains(&retry_after_seconds)),
            other => panic!("expected TooManyRequests, got {other:?}"),
        }
        // Another key has its own bucket.
        assert!(limit.check("b").is_ok());
    }

    #[test]
    fn a_file_of_addresses_takes_one_attempt_per_address() {
        let limit = Limiter::new("test", 100, Duration::from_secs(20));
        assert!(limit.check_n("admin", 60).is_ok());
        assert!(limit.check_n("admin", 60).is_err());
        assert!(limit.check_n("admin", 40).is_ok());
        // More than the bucket ever holds is refused outright.
        assert!(limit.check_n("other", 101).is_err());
        assert!(limit.check_n("other", 0).is_ok());
    }
}

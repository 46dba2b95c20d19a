//! Password hashing with argon2id, off the async runtime, within a budget.
//!
//! Each hash takes 19 MiB and tens of milliseconds of CPU on purpose. Without a cap, a crowd of
//! bad sign-ins queues hundreds of them on the blocking pool and the memory grows with the
//! crowd. So at most [`concurrency`] hashes run at once (one per core); a request waits at most
//! [`WAIT_FOR_A_SLOT`] for its turn and then gets `Busy` (HTTP 503 with `Retry-After`).

use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::OsRng;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a request waits for a hashing slot before it is answered `Busy`.
pub const WAIT_FOR_A_SLOT: Duration = Duration::from_secs(3);

/// Hashes that may run at once: one per core, at most 8.
pub fn concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| Semaphore::new(concurrency()))
}

/// Runs `work` on a blocking thread once a hashing slot is free.
async fn within_budget<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let permit = match tokio::time::timeout(WAIT_FOR_A_SLOT, slots().acquire()).await {
        Ok(Ok(permit)) => permit,
        Ok(Err(_)) => return Err(AppError::Internal),
        Err(_) => {
            tracing::warn!("password hashing is at its limit; answering busy");
            return Err(AppError::Busy);
        }
    };
    let result = tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| AppError::Internal);
    drop(permit);
    result
}

fn hasher() -> Argon2<'static> {
    // OWASP's first recommended argon2id setting: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| {
            tracing::error!(error = %err, "hashing a password failed");
            AppError::Internal
        })
}

/// Hashes on a blocking thread, within the hashing budget.
pub async fn hash(password: String) -> Result<String, AppError> {
    within_budget(move || hash_blocking(&password)).await?
}

/// A hash to verify against when there is no real one, so that an unknown email costs the same
/// time as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("no such person here 1").expect("hashing works"))
}

/// True when `candidate` matches `stored`. With no stored hash it still does the work and says no.
/// `Busy` when the hashing budget stays full.
pub async fn verify(stored: Option<String>, candidate: String) -> Result<bool, AppError> {
    within_budget(move || {
        let real = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            tracing::error!("a stored password hash could not be parsed");
            return false;
        };
        let matches = hasher()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok();
        real && matches
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn at_most_one_hash_per_core_runs_at_once() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                tokio::spawn(within_budget(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert!(most.load(Ordering::SeqCst) <= concurrency());
    }

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let a = hash("correct horse 9".into()).await.unwrap();
        let b = hash("correct horse 9".into()).await.unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(
            verify(Some(a.clone()), "correct horse 9".into())
                .await
                .unwrap()
        );
        assert!(!verify(Some(a), "correct horse 8".into()).await.unwrap());
        assert!(!verify(None, "no such person here 1".into()).await.unwrap());
    }
}

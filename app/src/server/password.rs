//! Password hashing with argon2id, off the async runtime, within a budget.
//!
//! Each hash takes 19 MiB and tens of milliseconds of CPU on purpose. Without a cap, a crowd of
//! bad sign-ins queues hundreds of them and the memory grows with the crowd. So hashes run on a
//! few dedicated threads ([`concurrency`], one per core), never on the shared blocking pool:
//! the allocator keeps freed memory per thread, so 200 blocking threads that each hashed once
//! would each keep their 19 MiB. A request waits at most [`WAIT_FOR_A_SLOT`] for its turn and
//! then gets `Busy` (HTTP 503 with `Retry-After`).

use crate::error::AppError;
use argon2::password_hash::{self, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand_core::OsRng;
use std::cell::RefCell;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::{Semaphore, oneshot};

/// How long a request waits for a hashing slot before it is answered `Busy`.
pub const WAIT_FOR_A_SLOT: Duration = Duration::from_secs(3);

/// Hashes that may run at once: one per core, at most 8.
pub fn concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads, and the slots that keep their queue empty.
struct Pool {
    slots: Semaphore,
    jobs: Mutex<Sender<Job>>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let (jobs, queue) = channel::<Job>();
        let queue = std::sync::Arc::new(Mutex::new(queue));
        for n in 0..concurrency() {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || {
                    loop {
                        let job = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(error = %err, "could not start a password hashing thread");
            }
        }
        Pool {
            slots: Semaphore::new(concurrency()),
            jobs: Mutex::new(jobs),
        }
    })
}

/// Runs `work` on a hashing thread once a slot is free.
async fn within_budget<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let pool = pool();
    let permit = match tokio::time::timeout(WAIT_FOR_A_SLOT, pool.slots.acquire()).await {
        Ok(Ok(permit)) => permit,
        Ok(Err(_)) => return Err(AppError::Internal),
        Err(_) => {
            tracing::warn!("password hashing is at its limit; answering busy");
            return Err(AppError::Busy);
        }
    };
    let (done, result) = oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    let sent = pool
        .jobs
        .lock()
        .map_err(|_| AppError::Internal)?
        .send(job)
        .map_err(|_| AppError::Internal);
    sent?;
    let result = result.await.map_err(|_| AppError::Internal);
    drop(permit);
    result
}

fn params() -> Params {
    // OWASP's first recommended argon2id setting: 19 MiB, 2 passes, 1 lane.
    Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters")
}

thread_local! {
    /// The hashing thread's own argon2 memory, allocated once and reused by every hash: freeing
    /// 19 MiB after each hash leaves the allocator holding it in fragments, and the process
    /// grows by hundreds of megabytes under a crowd.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() != blocks {
            *memory = vec![Block::default(); blocks];
        }
        work(&mut memory)
    })
}

fn failed(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "hashing a password failed");
    AppError::Internal
}

pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    let params = params();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes).map_err(failed)?;
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        with_memory(params.block_count(), |memory| {
            argon2.hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, memory)
        })
        .map_err(Into::into)
    })
    .map_err(failed)?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(failed)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// True when `candidate` hashes to `stored` (with the stored hash's own parameters).
fn verify_blocking(stored: &str, candidate: &str) -> bool {
    let check = || -> Result<bool, password_hash::Error> {
        let parsed = PasswordHash::new(stored)?;
        let params = Params::try_from(&parsed)?;
        let algorithm = Algorithm::try_from(parsed.algorithm)?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Err(password_hash::Error::PhcStringField);
        };
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
        let argon2 = Argon2::new(algorithm, version, params.clone());
        let mut out = vec![0u8; expected.len()];
        with_memory(params.block_count(), |memory| {
            argon2.hash_password_into_with_memory(
                candidate.as_bytes(),
                salt_bytes,
                &mut out,
                memory,
            )
        })?;
        // `Output` compares in constant time.
        Ok(Output::new(&out)? == expected)
    };
    check().unwrap_or_else(|err| {
        tracing::error!(error = %err, "a stored password hash could not be checked");
        false
    })
}

/// Hashes on a hashing thread, within the budget.
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
        let matches = verify_blocking(&stored, &candidate);
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

    #[test]
    fn hashes_made_by_the_argon2_crate_itself_still_verify() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        let standard = Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
            .hash_password(b"correct horse 9", &salt)
            .unwrap()
            .to_string();
        assert!(verify_blocking(&standard, "correct horse 9"));
        assert!(!verify_blocking(&standard, "correct horse 8"));
        let ours = hash_blocking("correct horse 9").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        use argon2::password_hash::PasswordVerifier;
        assert!(
            Argon2::default()
                .verify_password(b"correct horse 9", &parsed)
                .is_ok()
        );
        assert!(!verify_blocking("not a hash", "x"));
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

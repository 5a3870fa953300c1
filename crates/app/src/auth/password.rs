//! Password hashing with argon2id, computed off the async runtime, a bounded number at a time.
//!
//! Each computation takes 19 MiB and a core for tens of milliseconds, so a burst of sign-ins must
//! not start them all at once. A server's requests hash through [`Hashing`]: at most one
//! computation per core runs; a bounded number of requests wait their turn (first come, first
//! served) for a bounded time; the rest are refused at once with [`AppError::Busy`] (429 and
//! `Retry-After`). The command line and start-up, which hash once, use [`hash_outside_requests`].

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// Requests that may wait for a computation, per computation that may run.
pub const WAITING_PER_PERMIT: usize = 32;
/// The longest a request waits for a computation before it is refused.
pub const MAX_WAIT: Duration = Duration::from_secs(3);
/// What a refused request is told to wait (`Retry-After`).
pub const BUSY_RETRY_AFTER_SECS: u64 = 2;

/// argon2id with OWASP's recommended parameters (19 MiB, 2 iterations, 1 lane).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = hasher()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    Ok(hash.to_string())
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Checks against a stored hash, or — for an unknown login — against a dummy hash, so both take
/// the same time; only a known login's right password is accepted.
fn verify_or_dummy(password: &str, stored: Option<&str>) -> bool {
    let known = stored.is_some();
    let stored: &str = match stored {
        Some(s) => s,
        None => dummy_hash(),
    };
    verify_blocking(password, stored) && known
}

/// Hashes a password on a blocking thread, outside any request's bound: for the command line and
/// start-up, which hash one password at a time. Requests use [`Hashing::hash`].
pub async fn hash_outside_requests(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("not a password of anyone").unwrap_or_default())
}

/// A server's password computations: at most `permits` at once, at most `max_waiting` requests
/// waiting for one, each for at most `max_wait`. Cheap to clone (one shared state).
#[derive(Clone)]
pub struct Hashing {
    inner: Arc<Inner>,
}

struct Inner {
    permits: Arc<Semaphore>,
    size: usize,
    max_waiting: usize,
    max_wait: Duration,
    waiting: AtomicUsize,
    running: AtomicUsize,
    peak_running: AtomicUsize,
    refused: AtomicU64,
}

/// What a [`Hashing`] has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingStats {
    /// Computations that may run at once.
    pub permits: usize,
    /// Requests that may wait for one.
    pub max_waiting: usize,
    /// The most computations that ever ran at once.
    pub peak_running: usize,
    /// Requests refused because all were taken and the queue was full or the wait too long.
    pub refused: u64,
}

/// Leaves the queue when the waiting request is answered or dropped.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Default for Hashing {
    fn default() -> Self {
        Hashing::for_this_machine()
    }
}

impl Hashing {
    /// One computation per core; [`WAITING_PER_PERMIT`] waiting per core, for at most [`MAX_WAIT`].
    pub fn for_this_machine() -> Hashing {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Hashing::new(cores, cores * WAITING_PER_PERMIT, MAX_WAIT)
    }

    pub fn new(permits: usize, max_waiting: usize, max_wait: Duration) -> Hashing {
        let permits = permits.max(1);
        Hashing {
            inner: Arc::new(Inner {
                permits: Arc::new(Semaphore::new(permits)),
                size: permits,
                max_waiting,
                max_wait,
                waiting: AtomicUsize::new(0),
                running: AtomicUsize::new(0),
                peak_running: AtomicUsize::new(0),
                refused: AtomicU64::new(0),
            }),
        }
    }

    pub fn stats(&self) -> HashingStats {
        HashingStats {
            permits: self.inner.size,
            max_waiting: self.inner.max_waiting,
            peak_running: self.inner.peak_running.load(Ordering::Acquire),
            refused: self.inner.refused.load(Ordering::Acquire),
        }
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || hash_blocking(&password))
            .await?
            .map_err(AppError::Internal)
    }

    /// Checks a password against a stored hash (`None` for an unknown login: a dummy hash is
    /// checked instead, so both take the same time, and the answer is false).
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, AppError> {
        self.run(move || verify_or_dummy(&password, stored.as_deref()))
            .await
    }

    /// Runs one computation when a permit is free, waiting in the queue if there is room.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let inner = &self.inner;
        let permit = match inner.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if inner.waiting.fetch_add(1, Ordering::AcqRel) >= inner.max_waiting {
                    inner.waiting.fetch_sub(1, Ordering::AcqRel);
                    return Err(self.refuse("the queue is full"));
                }
                let _queued = Waiting(&inner.waiting);
                match tokio::time::timeout(inner.max_wait, inner.permits.clone().acquire_owned())
                    .await
                {
                    Ok(Ok(permit)) => permit,
                    Ok(Err(_)) => return Err(self.refuse("closed")),
                    Err(_) => return Err(self.refuse("waited too long")),
                }
            }
        };
        let shared = self.inner.clone();
        // The permit moves into the blocking task, so it is held until the computation ends even
        // when the request that started it is gone.
        let done = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let now = shared.running.fetch_add(1, Ordering::AcqRel) + 1;
            shared.peak_running.fetch_max(now, Ordering::AcqRel);
            let out = work();
            shared.running.fetch_sub(1, Ordering::AcqRel);
            out
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("password computation failed: {e}")))?;
        Ok(done)
    }

    fn refuse(&self, why: &'static str) -> AppError {
        self.inner.refused.fetch_add(1, Ordering::AcqRel);
        tracing::warn!(
            reason = why,
            permits = self.inner.size,
            max_waiting = self.inner.max_waiting,
            "password hashing busy: request refused"
        );
        AppError::Busy {
            retry_after_secs: BUSY_RETRY_AFTER_SECS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_the_right_password() {
        let hashing = Hashing::for_this_machine();
        let h = hashing
            .hash("correct horse battery".into())
            .await
            .expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(
            hashing
                .verify("correct horse battery".into(), Some(h.clone()))
                .await
                .expect("verify")
        );
        assert!(
            !hashing
                .verify("wrong horse battery".into(), Some(h))
                .await
                .expect("verify")
        );
        assert!(
            !hashing
                .verify("anything".into(), None)
                .await
                .expect("verify")
        );
        let outside = hash_outside_requests("another one".into())
            .await
            .expect("hash");
        assert!(verify_blocking("another one", &outside));
    }

    /// 150 at once on two permits with four places in the queue: never more than two run, six
    /// are answered (two at once, four after waiting), the rest are refused as busy.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn at_most_the_permits_run_and_a_full_queue_refuses() {
        let hashing = Hashing::new(2, 4, Duration::from_secs(30));
        let tasks: Vec<_> = (0..150)
            .map(|_| {
                let hashing = hashing.clone();
                tokio::spawn(async move {
                    hashing
                        .run(|| std::thread::sleep(Duration::from_millis(250)))
                        .await
                })
            })
            .collect();
        let (mut ran, mut busy) = (0, 0);
        for t in tasks {
            match t.await.expect("task") {
                Ok(()) => ran += 1,
                Err(AppError::Busy { retry_after_secs }) => {
                    assert!(retry_after_secs > 0);
                    busy += 1;
                }
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        let stats = hashing.stats();
        assert_eq!(stats.peak_running, 2, "{stats:?}");
        assert_eq!(ran + busy, 150);
        assert!((6..=10).contains(&ran), "{ran} ran");
        assert_eq!(stats.refused, busy as u64);
        assert_eq!(hashing.inner.waiting.load(Ordering::Acquire), 0);
    }

    /// A request that waits longer than allowed is refused, and leaves the queue.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_long_wait_is_refused() {
        let hashing = Hashing::new(1, 10, Duration::from_millis(1));
        let slow = hashing.clone();
        let running = tokio::spawn(async move {
            slow.run(|| std::thread::sleep(Duration::from_millis(300)))
                .await
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let waited = hashing.verify("x".into(), None).await;
        assert!(matches!(waited, Err(AppError::Busy { .. })), "{waited:?}");
        running.await.expect("task").expect("ran");
        assert_eq!(hashing.inner.waiting.load(Ordering::Acquire), 0);
        assert!(!hashing.verify("x".into(), None).await.expect("free again"));
    }
}

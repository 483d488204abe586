//! Password hashing off the request threads, a bounded number at a time.
//!
//! An argon2id hash at the OWASP parameters takes tens of milliseconds of CPU and 19 MiB of
//! memory. Run on the async runtime's threads, a burst of logins stalls every other request
//! (599 logins in 10 s made `/healthz` ten times slower, issue 15 §2); run without a bound, it
//! takes memory in proportion to the attackers' patience. So every hash and verification
//! runs on tokio's blocking pool ([`tokio::task::spawn_blocking`]), at most
//! [`crate::AppConfig::max_concurrent_hashes`] at once; the rest wait their turn without
//! holding a thread.

use crate::AppError;
use crate::auth::{hash_password, verify_password};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// The default bound: half the machine's cores, at least one, so hashing never takes every
/// core from the requests around it.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
}

/// The bounded pool.
#[derive(Debug)]
pub struct Hashing {
    permits: Arc<Semaphore>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
}

impl Hashing {
    /// A pool running at most `concurrency` hashes at once (at least one).
    pub fn new(concurrency: usize) -> Hashing {
        Hashing {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            in_flight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::Internal("the password hashing pool is closed".into()))?;
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        let result = tokio::task::spawn_blocking(work).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        result.map_err(|_| AppError::Internal("a password hashing task failed".into()))
    }

    /// Hashes a password (PHC string).
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        self.run(move || hash_password(&password)).await?
    }

    /// Checks a password against a stored hash.
    pub async fn verify(&self, password: &str, hash: &str) -> Result<bool, AppError> {
        let (password, hash) = (password.to_owned(), hash.to_owned());
        self.run(move || verify_password(&password, &hash)).await
    }

    /// The most hashes that ever ran at once (for tests of the bound).
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    #[tokio::test(flavor = "current_thread")]
    async fn hashing_leaves_the_runtime_thread_free() {
        // On a one-thread runtime, a hash run in place would finish within its first poll and
        // the ticker would never run; on the blocking pool the ticker runs while it hashes.
        let pool = Hashing::new(1);
        let hash = hash_password("correct horse battery").unwrap();
        let ticks = AtomicU64::new(0);
        let ticker = async {
            loop {
                ticks.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
            }
        };
        let ok = tokio::select! {
            biased;
            ok = pool.verify("correct horse battery", &hash) => ok.unwrap(),
            () = ticker => unreachable!(),
        };
        assert!(ok);
        assert!(ticks.load(Ordering::SeqCst) > 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn at_most_the_bound_run_at_once() {
        let pool = Arc::new(Hashing::new(2));
        let hash = hash_password("correct horse battery").unwrap();
        let tasks: Vec<_> = (0..12)
            .map(|i| {
                let (pool, hash) = (pool.clone(), hash.clone());
                tokio::spawn(async move {
                    let guess = if i % 2 == 0 {
                        "correct horse battery"
                    } else {
                        "wrong"
                    };
                    pool.verify(guess, &hash).await.unwrap() == (i % 2 == 0)
                })
            })
            .collect();
        for t in tasks {
            assert!(t.await.unwrap());
        }
        assert!((1..=2).contains(&pool.peak()), "{}", pool.peak());
    }
}

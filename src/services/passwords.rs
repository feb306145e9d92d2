//! Password hashing: argon2id with m = 19 456 KiB, t = 2, p = 1 (OWASP's and RustCrypto's
//! baseline), run on tokio's blocking pool behind a semaphore sized to the cores, so a burst of
//! sign-ins waits its turn instead of starving the other chats.
//!
//! [`PasswordHasher::verify`] with no stored hash checks against a dummy hash made once with
//! the same parameters: an unknown IIN costs the same work and gives the same answer as a
//! wrong password.

use std::sync::Arc;

use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use tokio::sync::{OnceCell, Semaphore};

/// argon2id memory cost in KiB.
pub const MEMORY_KIB: u32 = 19_456;
/// argon2id passes.
pub const ITERATIONS: u32 = 2;
/// argon2id lanes.
pub const PARALLELISM: u32 = 1;

/// The dummy password hashed once for unknown IINs; never a real password.
const DUMMY_PASSWORD: &str = "zeinet: no such depositor or no password set";

/// Why hashing or verifying could not run. Never carries the password or the hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    #[error("the password hashing pool is unavailable")]
    Pool,
    #[error("password hashing failed")]
    Hashing,
}

/// Hashes and verifies passwords off the async threads. Cheap to clone; clones share the
/// semaphore and the dummy hash.
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    permits: Semaphore,
    dummy: OnceCell<String>,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        PasswordHasher::new()
    }
}

impl PasswordHasher {
    /// As many hashes at once as the machine has cores.
    pub fn new() -> PasswordHasher {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        PasswordHasher::with_permits(cores)
    }

    /// At most `permits` (at least 1) hashes at once.
    pub fn with_permits(permits: usize) -> PasswordHasher {
        PasswordHasher {
            inner: Arc::new(Inner {
                permits: Semaphore::new(permits.max(1)),
                dummy: OnceCell::new(),
            }),
        }
    }

    /// The argon2id PHC string of `password` with a fresh random salt.
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let password = password.as_bytes().to_vec();
        self.run_blocking(move || {
            argon2()?
                .hash_password(&password)
                .map(|hash| hash.to_string())
                .map_err(|_| HashError::Hashing)
        })
        .await
    }

    /// Whether `password` matches the stored PHC string. With `None` (unknown IIN, or no
    /// password set yet) the same work is done against the dummy hash and the answer is false.
    /// A stored string that does not parse is a mismatch.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, HashError> {
        let (against, real) = match stored {
            Some(hash) => (hash.to_owned(), true),
            None => (self.dummy_hash().await?, false),
        };
        let password = password.as_bytes().to_vec();
        let matches = self
            .run_blocking(move || {
                Ok(argon2()?
                    .verify_password(&password, against.as_str())
                    .is_ok())
            })
            .await?;
        Ok(matches && real)
    }

    async fn dummy_hash(&self) -> Result<String, HashError> {
        let hash = self
            .inner
            .dummy
            .get_or_try_init(|| self.hash(DUMMY_PASSWORD))
            .await?;
        Ok(hash.clone())
    }

    /// Runs `work` on the blocking pool once a permit is free.
    async fn run_blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(|_| HashError::Pool)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| HashError::Pool)?
    }
}

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params =
        Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).map_err(|_| HashError::Hashing)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hasher = PasswordHasher::with_permits(2);
        let hash = hasher.hash("taubatyrqaraqum").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(!hash.contains("taubatyrqaraqum"));
        assert!(hasher.verify("taubatyrqaraqum", Some(&hash)).await.unwrap());
        assert!(!hasher.verify("taubatyrqaraquM", Some(&hash)).await.unwrap());
        // Salted: the same password hashes differently.
        assert_ne!(hash, hasher.hash("taubatyrqaraqum").await.unwrap());
    }

    #[tokio::test]
    async fn no_stored_hash_is_never_a_match_not_even_for_the_dummy_password() {
        let hasher = PasswordHasher::with_permits(1);
        assert!(!hasher.verify(DUMMY_PASSWORD, None).await.unwrap());
        assert!(!hasher.verify("anything", None).await.unwrap());
    }

    #[tokio::test]
    async fn a_corrupt_stored_hash_is_a_mismatch() {
        let hasher = PasswordHasher::with_permits(1);
        assert!(!hasher.verify("x", Some("not a phc string")).await.unwrap());
    }

    #[tokio::test]
    async fn any_unicode_is_hashed_without_truncation() {
        let hasher = PasswordHasher::with_permits(2);
        let long = "ө".repeat(64);
        let hash = hasher.hash(&long).await.unwrap();
        assert!(hasher.verify(&long, Some(&hash)).await.unwrap());
        let shorter = "ө".repeat(63);
        assert!(!hasher.verify(&shorter, Some(&hash)).await.unwrap());
    }
}

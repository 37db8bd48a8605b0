//! argon2id password hashing, always on the blocking thread pool.

use std::sync::OnceLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::Error;

/// OWASP Password Storage Cheat Sheet: argon2id, 19 MiB memory, 2 iterations, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string.
pub async fn hash(password: &str) -> Result<String, Error> {
    let pw = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(pw.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(format!("hashing: {e}")))
    })
    .await
    .map_err(|e| Error::Internal(format!("hashing task: {e}")))?
}

/// Checks a password against a stored hash. With no stored hash (unknown account), checks
/// against a dummy so the answer takes as long as for a real account.
pub async fn verify(password: &str, stored: Option<String>) -> Result<bool, Error> {
    let pw = password.to_owned();
    let known = stored.is_some();
    let stored = match stored {
        Some(s) => s,
        None => dummy_hash().await?,
    };
    tokio::task::spawn_blocking(move || {
        let ok = PasswordHash::new(&stored)
            .map(|h| hasher().verify_password(pw.as_bytes(), &h).is_ok())
            .unwrap_or(false);
        ok && known
    })
    .await
    .map_err(|e| Error::Internal(format!("hashing task: {e}")))
}

async fn dummy_hash() -> Result<String, Error> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let h = hash("not a real password, only for equal timing").await?;
    Ok(DUMMY.get_or_init(|| h).clone())
}

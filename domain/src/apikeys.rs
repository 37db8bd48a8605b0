//! API keys for other software posting through the Open311 API. Admins issue them, each
//! with a name; the key is shown once and only its hash is kept; every use stamps the
//! key's last-used time; a revoked key stops working at once.

use chrono::{Duration, Utc};

use crate::accounts::require_admin;
use crate::accounts::tokens::{hash_token, new_token};
use crate::db::Db;
use crate::error::{Error, Problem};
use crate::model::job::ApiKey;
use crate::model::Me;
use crate::time::now;
use crate::{with_db, Services};

/// The longest key name.
pub const NAME_MAX: usize = 100;

/// Issues a key; returns its id and the key itself (shown once).
pub async fn issue(db: &Db, actor: Option<&Me>, name: &str) -> Result<(i64, String), Error> {
    let admin = require_admin(actor)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::field("name", Problem::Required));
    }
    if name.chars().count() > NAME_MAX {
        return Err(Error::field("name", Problem::TooLong { max: NAME_MAX }));
    }
    let key = format!("gz_{}", new_token());
    let prefix: String = key.chars().take(10).collect();
    let id: i64 = with_db!(db, p => {
        sqlx::query_scalar(
            "INSERT INTO api_keys (name, key_hash, key_prefix, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(name)
        .bind(hash_token(&key))
        .bind(&prefix)
        .bind(admin.id)
        .bind(now())
        .fetch_one(p)
        .await
    })?;
    tracing::info!(key = id, name, by = admin.id, "API key issued");
    Ok((id, key))
}

/// Revokes a key. Revoking twice is harmless.
pub async fn revoke(db: &Db, actor: Option<&Me>, id: i64) -> Result<(), Error> {
    let admin = require_admin(actor)?;
    let n = with_db!(db, p => {
        sqlx::query("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
            .bind(now())
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    tracing::info!(key = id, by = admin.id, "API key revoked");
    Ok(())
}

/// All keys, newest first, for the admin.
pub async fn list(db: &Db, actor: Option<&Me>) -> Result<Vec<ApiKey>, Error> {
    require_admin(actor)?;
    Ok(with_db!(db, p => {
        sqlx::query_as(
            "SELECT id, name, key_prefix, created_at, last_used_at, revoked_at FROM api_keys ORDER BY id DESC",
        )
        .fetch_all(p)
        .await
    })?)
}

/// The id of the live key `key`, stamping its last use (at most once a minute, so a busy
/// client does not turn every read into a write). `None` for an unknown or revoked key.
pub async fn check(svc: &Services, key: &str) -> Result<Option<i64>, Error> {
    let db = &svc.db;
    let key = key.trim();
    if key.is_empty() || key.len() > 200 {
        return Ok(None);
    }
    let hash = hash_token(key);
    const SQL: &str =
        "SELECT id, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL";
    type Row = Option<(i64, Option<chrono::DateTime<Utc>>)>;
    let row: Row = match db {
        // Every report an Open311 client posts asks first: on a kept connection.
        Db::Sqlite(pool) => {
            svc.kept
                .read(pool, move |c| {
                    Box::pin(async move {
                        sqlx::query_as(SQL)
                            .bind(&hash)
                            .fetch_optional(&mut *c)
                            .await
                    })
                })
                .await?
        }
        Db::Postgres(p) => sqlx::query_as(SQL).bind(&hash).fetch_optional(p).await?,
    };
    let Some((id, last)) = row else {
        return Ok(None);
    };
    let t = now();
    if last.is_none_or(|l| t - l > Duration::minutes(1)) {
        // Many requests may find the mark old at once: the first one moves it, and each
        // waits its turn to write rather than polling SQLite's lock.
        let _turn = crate::db::turn(db).await?;
        with_db!(db, p => {
            sqlx::query(
                "UPDATE api_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
            )
            .bind(t)
            .bind(id)
            .bind(t - Duration::minutes(1))
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
    }
    Ok(Some(id))
}

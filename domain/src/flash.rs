//! Forms posted without JavaScript that had problems come back filled in: the server keeps
//! what was typed and what was wrong (as JSON) under the hash of the form's one-time token,
//! and the form page reads it back. Kept for a day.

use crate::accounts::tokens::hash_token;
use crate::db::Db;
use crate::error::Error;
use crate::time::now;
use crate::with_db;

pub async fn save(db: &Db, form_token: &str, data: &str) -> Result<(), Error> {
    let t = now();
    let hash = hash_token(form_token);
    with_db!(db, p => {
        sqlx::query(
            "INSERT INTO form_flash (token_hash, data, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, created_at = excluded.created_at",
        )
        .bind(&hash)
        .bind(data)
        .bind(t)
        .execute(p)
        .await?;
        sqlx::query("DELETE FROM form_flash WHERE created_at < $1")
            .bind(t - chrono::Duration::days(1))
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn load(db: &Db, form_token: &str) -> Result<Option<String>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_scalar("SELECT data FROM form_flash WHERE token_hash = $1")
            .bind(hash_token(form_token))
            .fetch_optional(p)
            .await
    })?)
}

pub async fn clear(db: &Db, form_token: &str) -> Result<(), Error> {
    with_db!(db, p => {
        sqlx::query("DELETE FROM form_flash WHERE token_hash = $1")
            .bind(hash_token(form_token))
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

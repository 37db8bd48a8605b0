//! Server-side sessions: the cookie holds a random token, the database its hash.

use crate::db::Db;
use crate::error::Error;
use crate::model::Me;
use crate::time::now;
use crate::with_db;
use crate::Services;

use super::tokens::{hash_token, new_token};
use super::UserRow;

/// Starts a session for `user_id` and returns the token for the cookie.
pub async fn create(
    svc: &Services,
    user_id: i64,
    user_agent: Option<&str>,
) -> Result<String, Error> {
    let token = new_token();
    let t = now();
    let ua: Option<String> = user_agent.map(|u| u.chars().take(200).collect());
    with_db!(&svc.db, p => {
        sqlx::query("INSERT INTO sessions (id_hash, user_id, created_at, expires_at, user_agent) VALUES ($1, $2, $3, $4, $5)")
            .bind(hash_token(&token))
            .bind(user_id)
            .bind(t)
            .bind(t + svc.session_ttl)
            .bind(ua)
            .execute(p)
            .await.map(|r| r.rows_affected())
    })?;
    Ok(token)
}

/// The signed-in user of a session token, if the session exists and has not expired.
pub async fn user(db: &Db, token: &str) -> Result<Option<Me>, Error> {
    let row: Option<UserRow> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT u.id, u.email, u.display_name, u.password_hash, u.role, u.department_id, u.activated_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2",
        )
        .bind(hash_token(token))
        .bind(now())
        .fetch_optional(p)
        .await
    })?;
    Ok(row.map(UserRow::into_me))
}

/// Ends one session.
pub async fn delete(db: &Db, token: &str) -> Result<(), Error> {
    with_db!(db, p => sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(hash_token(token)).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends every session of a user (after a password change or reset).
pub async fn delete_all_for(db: &Db, user_id: i64) -> Result<(), Error> {
    with_db!(db, p => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

//! What admins set for moderation in the UI: the word list, pre-moderation per process
//! and for Q&A (a site setting).

use crate::error::{Error, FieldError};
use crate::model::moderation::Mode;
use crate::model::Me;
use crate::time::now;
use crate::{with_db, Problem, Services};

/// The longest entry of the word list.
pub const WORD_MAX: usize = 100;
/// The site setting that holds the Q&A moderation mode.
pub const QA_MODERATION: &str = "qa_moderation";

/// Whether `text` contains a word of the list (anywhere, ignoring case: Chinese has no
/// spaces between words).
pub async fn matches_word_list(svc: &Services, text: &str) -> Result<bool, Error> {
    let words = words(svc).await?;
    if words.is_empty() {
        return Ok(false);
    }
    let text = text.to_lowercase();
    Ok(words.iter().any(|(_, w)| text.contains(&w.to_lowercase())))
}

/// The word list, alphabetically.
pub async fn words(svc: &Services) -> Result<Vec<(i64, String)>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_as("SELECT id, word FROM moderation_words ORDER BY word").fetch_all(p).await
    })?)
}

/// An admin adds a word or phrase.
pub async fn add_word(svc: &Services, me: Option<&Me>, word: &str) -> Result<i64, Error> {
    let me = crate::accounts::require_admin(me)?;
    let word = word.trim();
    let problem = if word.is_empty() {
        Some(Problem::Required)
    } else if word.chars().count() > WORD_MAX {
        Some(Problem::TooLong { max: WORD_MAX })
    } else {
        None
    };
    if let Some(p) = problem {
        return Err(Error::Invalid(vec![FieldError::new("word", p)]));
    }
    let id: Option<i64> = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "INSERT INTO moderation_words (word, created_by, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (word) DO NOTHING RETURNING id",
        )
        .bind(word)
        .bind(me.id)
        .bind(now())
        .fetch_optional(p)
        .await
    })?;
    id.ok_or_else(|| Error::field("word", Problem::AlreadyTaken))
}

/// An admin removes a word.
pub async fn remove_word(svc: &Services, me: Option<&Me>, id: i64) -> Result<(), Error> {
    crate::accounts::require_admin(me)?;
    let n = with_db!(&svc.db, p => {
        sqlx::query("DELETE FROM moderation_words WHERE id = $1").bind(id).execute(p).await.map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// A process's moderation mode.
pub async fn process_mode(svc: &Services, process_id: i64) -> Result<Mode, Error> {
    let m: Option<String> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT moderation FROM processes WHERE id = $1").bind(process_id).fetch_optional(p).await
    })?;
    Ok(Mode::parse(&m.ok_or(Error::NotFound)?))
}

/// An admin sets a process's moderation mode.
pub async fn set_process_mode(
    svc: &Services,
    me: Option<&Me>,
    process_id: i64,
    mode: Mode,
) -> Result<(), Error> {
    crate::accounts::require_admin(me)?;
    let n = with_db!(&svc.db, p => {
        sqlx::query("UPDATE processes SET moderation = $1, updated_at = $2 WHERE id = $3")
            .bind(mode.as_str()).bind(now()).bind(process_id)
            .execute(p).await.map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// Every process with its mode, newest first (for the admins' settings page).
pub async fn process_modes(svc: &Services) -> Result<Vec<(i64, String, Mode)>, Error> {
    let rows: Vec<(i64, String, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT id, title, moderation FROM processes ORDER BY id DESC LIMIT 200").fetch_all(p).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, title, m)| (id, title, Mode::parse(&m)))
        .collect())
}

/// A site setting, if set.
pub async fn get(svc: &Services, key: &str) -> Result<Option<String>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT value FROM site_settings WHERE key = $1").bind(key).fetch_optional(p).await
    })?)
}

/// Q&A's moderation mode: pre-moderation unless an admin chose otherwise.
pub async fn qa_mode(svc: &Services) -> Result<Mode, Error> {
    Ok(get(svc, QA_MODERATION)
        .await?
        .map(|v| Mode::parse(&v))
        .unwrap_or(Mode::Pre))
}

/// An admin sets Q&A's moderation mode.
pub async fn set_qa_mode(svc: &Services, me: Option<&Me>, mode: Mode) -> Result<(), Error> {
    crate::accounts::require_admin(me)?;
    with_db!(&svc.db, p => {
        sqlx::query(
            "INSERT INTO site_settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(QA_MODERATION).bind(mode.as_str()).bind(now())
        .execute(p).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

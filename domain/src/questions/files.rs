//! Files the department attaches to a public answer: a PDF (a notice, a plan, a reply
//! letter) or a picture. PDFs are checked by content (header and end marker); pictures go
//! through the photo pipeline and are kept as a fresh JPEG, so their metadata (GPS
//! included) is gone. A removed file stays listed as removed, with when; its bytes leave
//! the blob store.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::blobs::{new_key, Blob};
use crate::error::Error;
use crate::model::question::{AnswerFile, FILES_MAX, FILE_NAME_MAX};
use crate::model::{Me, Role};
use crate::photos::{process_async, PhotoError};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// The form field problems are reported on.
pub const FIELD: &str = "file";

/// Whether `bytes` look like a whole PDF document: the `%PDF-` header at the start and the
/// `%%EOF` marker near the end (a truncated upload has none).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    bytes.starts_with(b"%PDF-") && tail.windows(5).any(|w| w == b"%%EOF")
}

/// A file name fit to show and to offer as the download's name: the last path segment,
/// without control characters or quotes, at most [`FILE_NAME_MAX`] characters, ending in
/// `ext`.
pub fn clean_name(name: &str, ext: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '*' | '?' | '|' | ':'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => cleaned,
    };
    let stem = if stem.trim().is_empty() {
        "file"
    } else {
        stem.trim()
    };
    let keep = FILE_NAME_MAX - ext.chars().count() - 1;
    let stem: String = stem.chars().take(keep).collect();
    format!("{stem}.{ext}")
}

/// The answer's department, when `me` may attach to it or remove from it: an official of
/// that department.
async fn answer_department(svc: &Services, me: &Me, answer_id: i64) -> Result<i64, Error> {
    let department: Option<i64> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT department_id FROM answers WHERE id = $1")
            .bind(answer_id)
            .fetch_optional(p)
            .await
    })?;
    let department = department.ok_or(Error::NotFound)?;
    if me.role == Role::Official && me.department_id == Some(department) {
        Ok(department)
    } else {
        Err(Error::Forbidden)
    }
}

/// The question an answer belongs to.
pub async fn question_of(svc: &Services, answer_id: i64) -> Result<Option<i64>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT question_id FROM answers WHERE id = $1")
            .bind(answer_id)
            .fetch_optional(p)
            .await
    })?)
}

/// An official of the answering department attaches a file to an answer.
pub async fn attach(
    svc: &Services,
    me: Option<&Me>,
    answer_id: i64,
    name: &str,
    bytes: Vec<u8>,
) -> Result<AnswerFile, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    answer_department(svc, me, answer_id).await?;
    let kept: i64 = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT count(*) FROM answer_files WHERE answer_id = $1 AND removed_at IS NULL")
            .bind(answer_id)
            .fetch_one(p)
            .await
    })?;
    if kept >= FILES_MAX as i64 {
        return Err(Error::field(
            FIELD,
            Problem::TooManyFiles { max: FILES_MAX },
        ));
    }
    let max = svc.reports.max_photo_bytes;
    let too_big = || {
        Error::field(
            FIELD,
            Problem::FileTooBig {
                max_mb: max.div_ceil(1024 * 1024),
            },
        )
    };
    if bytes.is_empty() {
        return Err(Error::field(FIELD, Problem::Required));
    }
    if bytes.len() > max {
        return Err(too_big());
    }
    let size = bytes.len() as i64;
    let (content, content_type, name) = if is_pdf(&bytes) {
        (bytes, "application/pdf", clean_name(name, "pdf"))
    } else if crate::photos::sniff(&bytes).is_some() {
        let processed = process_async(bytes, max).await.map_err(|e| match e {
            PhotoError::TooBig { .. } => too_big(),
            PhotoError::Empty => Error::field(FIELD, Problem::Required),
            PhotoError::NotAnImage => Error::field(FIELD, Problem::NotADocument),
            PhotoError::TooManyPixels { .. } | PhotoError::Corrupt => {
                Error::field(FIELD, Problem::PhotoUnreadable)
            }
        })?;
        (processed.display, "image/jpeg", clean_name(name, "jpg"))
    } else {
        return Err(Error::field(FIELD, Problem::NotADocument));
    };
    let key = new_key(
        "answer-files",
        if content_type == "application/pdf" {
            ".pdf"
        } else {
            ".jpg"
        },
    );
    svc.blobs
        .put(&key, content, content_type)
        .await
        .map_err(|e| Error::Internal(format!("blob store: {e}")))?;
    let uid = crate::accounts::tokens::new_token()[..22].to_string();
    let t = now();
    let id: i64 = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "INSERT INTO answer_files (answer_id, uid, blob_key, name, content_type, bytes, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(answer_id).bind(&uid).bind(&key).bind(&name).bind(content_type).bind(size).bind(me.id).bind(t)
        .fetch_one(p)
        .await
    })?;
    tracing::info!(
        answer = answer_id,
        file = id,
        by = me.id,
        "file attached to an answer"
    );
    Ok(AnswerFile {
        id,
        uid,
        name,
        content_type: content_type.to_string(),
        bytes: size,
        created_at: t,
        removed_at: None,
    })
}

/// An official of the answering department removes a file from an answer: it stays listed
/// as removed, and its bytes are deleted. Removing a removed file changes nothing.
pub async fn remove(svc: &Services, me: Option<&Me>, file_id: i64) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let row: Option<(i64, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT answer_id, blob_key FROM answer_files WHERE id = $1 AND removed_at IS NULL")
            .bind(file_id)
            .fetch_optional(p)
            .await
    })?;
    let Some((answer_id, key)) = row else {
        let exists: Option<i64> = with_db!(&svc.db, p => {
            sqlx::query_scalar("SELECT answer_id FROM answer_files WHERE id = $1")
                .bind(file_id)
                .fetch_optional(p)
                .await
        })?;
        return match exists {
            Some(answer_id) => answer_department(svc, me, answer_id).await.map(|_| ()),
            None => Err(Error::NotFound),
        };
    };
    answer_department(svc, me, answer_id).await?;
    let done = with_db!(&svc.db, p => {
        sqlx::query("UPDATE answer_files SET removed_at = $1, removed_by = $2 WHERE id = $3 AND removed_at IS NULL")
            .bind(now())
            .bind(me.id)
            .bind(file_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    if done == 1 {
        if let Err(e) = svc.blobs.delete(&key).await {
            tracing::warn!(key, error = %e, "removed answer file could not be deleted");
        }
        tracing::info!(
            answer = answer_id,
            file = file_id,
            by = me.id,
            "file removed from an answer"
        );
    }
    Ok(())
}

/// A file's bytes and name by its uid, while it is attached and its question is public.
pub async fn file(svc: &Services, uid: &str) -> Result<Option<(Blob, String)>, Error> {
    let row: Option<(String, String, String)> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT f.blob_key, f.name, f.content_type FROM answer_files f JOIN answers a ON a.id = f.answer_id \
             JOIN questions q ON q.id = a.question_id \
             WHERE f.uid = $1 AND f.removed_at IS NULL AND q.visibility = 'visible'",
        )
        .bind(uid)
        .fetch_optional(p)
        .await
    })?;
    let Some((key, name, content_type)) = row else {
        return Ok(None);
    };
    let blob = svc
        .blobs
        .get(&key)
        .await
        .map_err(|e| Error::Internal(format!("blob store: {e}")))?;
    // The type checked at upload, whatever the store remembers.
    Ok(blob.map(|b| {
        (
            Blob {
                bytes: b.bytes,
                content_type,
            },
            name,
        )
    }))
}

#[derive(sqlx::FromRow)]
struct FileRow {
    id: i64,
    answer_id: i64,
    uid: String,
    name: String,
    content_type: String,
    bytes: i64,
    created_at: DateTime<Utc>,
    removed_at: Option<DateTime<Utc>>,
}

/// The files of a question's answers, by answer, oldest first.
pub(crate) async fn of_question(
    svc: &Services,
    question_id: i64,
) -> Result<HashMap<i64, Vec<AnswerFile>>, Error> {
    let rows: Vec<FileRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT f.id, f.answer_id, f.uid, f.name, f.content_type, f.bytes, f.created_at, f.removed_at \
             FROM answer_files f JOIN answers a ON a.id = f.answer_id WHERE a.question_id = $1 ORDER BY f.id",
        )
        .bind(question_id)
        .fetch_all(p)
        .await
    })?;
    let mut by: HashMap<i64, Vec<AnswerFile>> = HashMap::new();
    for r in rows {
        by.entry(r.answer_id).or_default().push(AnswerFile {
            id: r.id,
            uid: r.uid,
            name: r.name,
            content_type: r.content_type,
            bytes: r.bytes,
            created_at: r.created_at,
            removed_at: r.removed_at,
        });
    }
    Ok(by)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_needs_header_and_end_marker() {
        assert!(is_pdf(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"));
        assert!(!is_pdf(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), "truncated");
        assert!(!is_pdf(b"<html>%PDF-%%EOF"), "header not at the start");
        assert!(!is_pdf(b""));
    }

    #[test]
    fn names_lose_paths_and_get_the_right_extension() {
        assert_eq!(clean_name("C:\\Users\\me\\答复函.PDF", "pdf"), "答复函.pdf");
        assert_eq!(clean_name("../../etc/passwd", "pdf"), "passwd.pdf");
        assert_eq!(clean_name("photo.png", "jpg"), "photo.jpg");
        assert_eq!(clean_name("", "pdf"), "file.pdf");
        assert_eq!(clean_name(".hidden", "pdf"), "hidden.pdf");
        assert_eq!(clean_name("a\"b<c>\n.pdf", "pdf"), "abc.pdf");
        let long = "长".repeat(300);
        let name = clean_name(&long, "pdf");
        assert_eq!(name.chars().count(), FILE_NAME_MAX);
        assert!(name.ends_with(".pdf"));
    }
}

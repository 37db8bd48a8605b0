//! Photos uploaded while the report form is filled in. Each is checked by content and
//! re-encoded (see [`crate::photos`]), stored in the blob store, and kept under the form's
//! token until the report is filed; a rejected form keeps its photos.

use crate::blobs::{new_key, Blob};
use crate::error::Error;
use crate::model::report::{PhotoRef, PHOTOS_MAX};
use crate::photos::{process_async, PhotoError};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// Which size of a photo to serve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoSize {
    Display,
    Thumb,
}

/// The problem a refused file gets.
fn problem(e: PhotoError, max_bytes: usize) -> Problem {
    match e {
        PhotoError::TooBig { .. } => Problem::PhotoTooBig {
            max_mb: max_bytes.div_ceil(1024 * 1024),
        },
        PhotoError::Empty => Problem::Required,
        PhotoError::NotAnImage => Problem::NotAnImage,
        PhotoError::TooManyPixels { .. } | PhotoError::Corrupt => Problem::PhotoUnreadable,
    }
}

/// Uids of the photos uploaded with a form (by the hash of its token) and not yet filed.
pub(super) async fn pending_uids(
    db: &crate::db::Db,
    token_hash: &str,
) -> Result<Vec<String>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_scalar("SELECT uid FROM photos WHERE form_token = $1 AND report_id IS NULL ORDER BY id")
            .bind(token_hash)
            .fetch_all(p)
            .await
    })?)
}

/// A photo checked, re-encoded and put in the blob store, not yet recorded in `photos`.
pub(crate) struct Stored {
    pub photo: PhotoRef,
    pub display_key: String,
    pub thumb_key: String,
    /// Size of the upload.
    pub bytes: i64,
    pub sha256: String,
}

/// Checks and re-encodes an upload and puts both sizes in the blob store; a refusal names
/// `field`.
pub(crate) async fn store(svc: &Services, bytes: Vec<u8>, field: &str) -> Result<Stored, Error> {
    let max = svc.reports.max_photo_bytes;
    let size = bytes.len();
    let processed = process_async(bytes, max)
        .await
        .map_err(|e| Error::field(field, problem(e, max)))?;
    let display_key = new_key("photos", "-display.jpg");
    let thumb_key = display_key.replace("-display.jpg", "-thumb.jpg");
    let blob_err = |e: crate::blobs::BlobError| Error::Internal(format!("blob store: {e}"));
    svc.blobs
        .put(&display_key, processed.display, "image/jpeg")
        .await
        .map_err(blob_err)?;
    svc.blobs
        .put(&thumb_key, processed.thumb, "image/jpeg")
        .await
        .map_err(blob_err)?;
    Ok(Stored {
        photo: PhotoRef {
            uid: crate::accounts::tokens::new_token()[..22].to_string(),
            display_width: i64::from(processed.display_width),
            display_height: i64::from(processed.display_height),
            thumb_width: i64::from(processed.thumb_width),
            thumb_height: i64::from(processed.thumb_height),
        },
        display_key,
        thumb_key,
        bytes: size as i64,
        sha256: processed.sha256,
    })
}

/// Removes both sizes of a photo from the blob store; a failure is logged, not returned
/// (the database no longer names the photo, so nobody can reach it).
pub(crate) async fn delete_blobs(svc: &Services, keys: &[String]) {
    for key in keys {
        if let Err(e) = svc.blobs.delete(key).await {
            tracing::warn!(key, error = %e, "photo file could not be deleted");
        }
    }
}

/// Checks, re-encodes and stores one photo for the form with `submit_token`.
pub async fn upload_photo(
    svc: &Services,
    submit_token: &str,
    bytes: Vec<u8>,
) -> Result<PhotoRef, Error> {
    let token_hash = crate::accounts::tokens::hash_token(submit_token);
    if pending_uids(&svc.db, &token_hash).await?.len() >= PHOTOS_MAX {
        return Err(Error::field(
            "photos",
            Problem::TooManyPhotos { max: PHOTOS_MAX },
        ));
    }
    let s = store(svc, bytes, "photos").await?;
    let photo = s.photo;
    with_db!(&svc.db, p => {
        sqlx::query(
            "INSERT INTO photos (uid, form_token, display_key, thumb_key, display_width, display_height, thumb_width, \
             thumb_height, bytes, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&photo.uid)
        .bind(&token_hash)
        .bind(&s.display_key)
        .bind(&s.thumb_key)
        .bind(photo.display_width)
        .bind(photo.display_height)
        .bind(photo.thumb_width)
        .bind(photo.thumb_height)
        .bind(s.bytes)
        .bind(&s.sha256)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(photo)
}

/// The stored image of a photo, by its uid.
pub async fn photo_blob(svc: &Services, uid: &str, size: PhotoSize) -> Result<Option<Blob>, Error> {
    let key: Option<(String, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT display_key, thumb_key FROM photos WHERE uid = $1")
            .bind(uid)
            .fetch_optional(p)
            .await
    })?;
    let Some((display, thumb)) = key else {
        return Ok(None);
    };
    let key = match size {
        PhotoSize::Display => display,
        PhotoSize::Thumb => thumb,
    };
    svc.blobs
        .get(&key)
        .await
        .map_err(|e| Error::Internal(format!("blob store: {e}")))
}

/// Blurs a report photo (`on`) for everyone, keeping the sharp version for staff, or
/// brings the sharp version back. Doing what is already done changes nothing.
pub(crate) async fn set_blur(svc: &Services, photo_id: i64, on: bool) -> Result<(), Error> {
    #[derive(sqlx::FromRow)]
    struct Keys {
        display_key: String,
        thumb_key: String,
        sharp_display_key: Option<String>,
        sharp_thumb_key: Option<String>,
    }
    let keys: Option<Keys> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT display_key, thumb_key, sharp_display_key, sharp_thumb_key FROM photos WHERE id = $1")
            .bind(photo_id)
            .fetch_optional(p)
            .await
    })?;
    let k = keys.ok_or(Error::NotFound)?;
    let blob_err = |e: crate::blobs::BlobError| Error::Internal(format!("blob store: {e}"));
    match (on, k.sharp_display_key, k.sharp_thumb_key) {
        (true, None, None) => {
            let mut blurred = Vec::new();
            for key in [&k.display_key, &k.thumb_key] {
                let blob = svc
                    .blobs
                    .get(key)
                    .await
                    .map_err(blob_err)?
                    .ok_or(Error::NotFound)?;
                let out =
                    tokio::task::spawn_blocking(move || crate::photos::blur_jpeg(&blob.bytes))
                        .await
                        .map_err(|e| Error::Internal(format!("blur: {e}")))?
                        .map_err(|_| Error::field("photo", Problem::PhotoUnreadable))?;
                let new = new_key("photos", "-blurred.jpg");
                svc.blobs
                    .put(&new, out, "image/jpeg")
                    .await
                    .map_err(blob_err)?;
                blurred.push(new);
            }
            with_db!(&svc.db, p => {
                sqlx::query(
                    "UPDATE photos SET sharp_display_key = display_key, sharp_thumb_key = thumb_key, \
                     display_key = $1, thumb_key = $2, blurred_at = $3 WHERE id = $4",
                )
                .bind(&blurred[0]).bind(&blurred[1]).bind(now()).bind(photo_id)
                .execute(p).await.map(|r| r.rows_affected())
            })?;
        }
        (false, Some(display), Some(thumb)) => {
            with_db!(&svc.db, p => {
                sqlx::query(
                    "UPDATE photos SET display_key = $1, thumb_key = $2, sharp_display_key = NULL, \
                     sharp_thumb_key = NULL, blurred_at = NULL WHERE id = $3",
                )
                .bind(&display).bind(&thumb).bind(photo_id)
                .execute(p).await.map(|r| r.rows_affected())
            })?;
            for key in [&k.display_key, &k.thumb_key] {
                if let Err(e) = svc.blobs.delete(key).await {
                    tracing::warn!(key, error = %e, "blurred copy not removed");
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The photos uploaded with a form and not yet filed, in upload order.
pub async fn pending_photos(svc: &Services, submit_token: &str) -> Result<Vec<PhotoRef>, Error> {
    let token_hash = crate::accounts::tokens::hash_token(submit_token);
    let rows: Vec<(String, i64, i64, i64, i64)> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT uid, display_width, display_height, thumb_width, thumb_height FROM photos \
             WHERE form_token = $1 AND report_id IS NULL ORDER BY id",
        )
        .bind(&token_hash)
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(uid, display_width, display_height, thumb_width, thumb_height)| PhotoRef {
                uid,
                display_width,
                display_height,
                thumb_width,
                thumb_height,
            },
        )
        .collect())
}

/// Photos uploaded with a form that was never sent (none of report, case step, process or
/// proposal owns them) and older than `age`: their records and files are deleted, a batch
/// at a time. A refused form is kept for a day, so a photo older than that can no longer be
/// sent with it. Returns how many were deleted.
pub async fn sweep_pending(svc: &Services, age: chrono::Duration) -> Result<u64, Error> {
    let before = now() - age;
    let rows: Vec<(i64, String, String)> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT id, display_key, thumb_key FROM photos WHERE report_id IS NULL AND event_id IS NULL \
             AND process_id IS NULL AND proposal_id IS NULL AND created_at < $1 ORDER BY id LIMIT 500",
        )
        .bind(before)
        .fetch_all(p)
        .await
    })?;
    let mut deleted = 0;
    for (id, display, thumb) in rows {
        // Only while still unowned: a form sent meanwhile keeps its photo.
        let n = with_db!(&svc.db, p => {
            sqlx::query("DELETE FROM photos WHERE id = $1 AND report_id IS NULL AND event_id IS NULL")
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            delete_blobs(svc, &[display, thumb]).await;
            deleted += 1;
        }
    }
    Ok(deleted)
}

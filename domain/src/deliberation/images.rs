//! A process's cover image and a proposal's image. The upload is checked by content and
//! re-encoded without metadata like every report photo ([`crate::photos`]); its uploader
//! writes the text alternative screen readers announce. One image each: a new one replaces
//! the old, whose files are then deleted.
//!
//! A process's managers (officials of its department, admins) set its cover at any time. A
//! proposal's image is part of what residents support, so only its author sets it, and only
//! while the proposal can still be edited (no support, no comment, not merged).

use crate::db::BeginWrite;
use crate::error::Error;
use crate::model::deliberation::{Image, IMAGE_ALT_MAX};
use crate::model::report::PhotoRef;
use crate::model::Me;
use crate::reports::photos::{delete_blobs, store, Stored};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// What an image belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Process(i64),
    Proposal(i64),
}

impl Owner {
    fn column(self) -> &'static str {
        match self {
            Owner::Process(_) => "process_id",
            Owner::Proposal(_) => "proposal_id",
        }
    }

    fn id(self) -> i64 {
        match self {
            Owner::Process(id) | Owner::Proposal(id) => id,
        }
    }

    /// Claims the owner for a change inside `tx`: touches its row only while the change is
    /// still allowed (a proposal with no support or comment), so a support arriving
    /// meanwhile wins. The statement, bound to the owner's id and the time.
    fn claim_sql(self) -> &'static str {
        match self {
            Owner::Process(_) => "UPDATE processes SET updated_at = $2 WHERE id = $1",
            Owner::Proposal(_) => {
                "UPDATE proposals SET updated_at = $2 WHERE id = $1 AND support_count = 0 \
                 AND comment_count = 0 AND merged_into IS NULL"
            }
        }
    }
}

/// Checks that `me` may change the image of `owner`.
async fn authorize(svc: &Services, me: Option<&Me>, owner: Owner) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    match owner {
        Owner::Process(id) => {
            let process = super::processes::get(svc, id)
                .await?
                .ok_or(Error::NotFound)?;
            if !super::processes::may_manage(me, process.department_id) {
                return Err(Error::Forbidden);
            }
        }
        Owner::Proposal(id) => {
            type Row = (Option<i64>, i64, i64, Option<i64>, String);
            let row: Option<Row> = with_db!(&svc.db, p => {
                sqlx::query_as(
                    "SELECT author_id, support_count, comment_count, merged_into, visibility FROM proposals WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(p)
                .await
            })?;
            let (author, supports, comments, merged, visibility) = row.ok_or(Error::NotFound)?;
            if author != Some(me.id) {
                return Err(Error::Forbidden);
            }
            crate::moderation::ensure_can_post(svc, me).await?;
            if visibility == "hidden" {
                return Err(Error::field("image", Problem::EditLocked));
            }
            if merged.is_some() {
                return Err(Error::field("image", Problem::MergedAway));
            }
            if supports > 0 || comments > 0 {
                return Err(Error::field("image", Problem::EditLocked));
            }
        }
    }
    Ok(())
}

/// Puts `bytes` as the image of `owner`, described by `alt`, in place of any earlier one.
pub async fn set(
    svc: &Services,
    me: Option<&Me>,
    owner: Owner,
    bytes: Vec<u8>,
    alt: &str,
) -> Result<Image, Error> {
    let alt = alt.trim().to_string();
    if alt.chars().count() > IMAGE_ALT_MAX {
        return Err(Error::field("alt", Problem::TooLong { max: IMAGE_ALT_MAX }));
    }
    authorize(svc, me, owner).await?;
    if bytes.is_empty() {
        return Err(Error::field("image", Problem::Required));
    }
    let s = store(svc, bytes, "image").await?;
    if let Err(e) = replace(svc, owner, Some((&s, &alt))).await {
        delete_blobs(svc, &[s.display_key, s.thumb_key]).await;
        return Err(e);
    }
    tracing::info!(?owner, uid = %s.photo.uid, "image set");
    Ok(Image {
        photo: s.photo,
        alt,
    })
}

/// Takes the image of `owner` away (nothing to take is not an error).
pub async fn remove(svc: &Services, me: Option<&Me>, owner: Owner) -> Result<(), Error> {
    authorize(svc, me, owner).await?;
    replace(svc, owner, None).await
}

/// In one transaction: claims `owner` (refused with `EditLocked` when it can no longer
/// change), drops its image record and records `new` (a stored photo and its description)
/// if given; then deletes the old image's files.
async fn replace(svc: &Services, owner: Owner, new: Option<(&Stored, &str)>) -> Result<(), Error> {
    let column = owner.column();
    let claim = owner.claim_sql();
    let old_sql = format!("SELECT display_key, thumb_key FROM photos WHERE {column} = $1");
    let delete_sql = format!("DELETE FROM photos WHERE {column} = $1");
    let insert = format!(
        "INSERT INTO photos (uid, form_token, {column}, alt, display_key, thumb_key, display_width, \
         display_height, thumb_width, thumb_height, bytes, sha256, created_at) \
         VALUES ($1, '', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    );
    let t = now();
    let old: Option<Vec<(String, String)>> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let claimed = sqlx::query(claim)
            .bind(owner.id()).bind(t)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if claimed != 1 {
            return Ok(None);
        }
        let old: Vec<(String, String)> = sqlx::query_as(&old_sql)
            .bind(owner.id())
            .fetch_all(&mut *tx)
            .await?;
        sqlx::query(&delete_sql).bind(owner.id()).execute(&mut *tx).await?;
        if let Some((s, alt)) = new {
            let photo = &s.photo;
            sqlx::query(&insert)
                .bind(&photo.uid).bind(owner.id()).bind(alt)
                .bind(&s.display_key).bind(&s.thumb_key)
                .bind(photo.display_width).bind(photo.display_height)
                .bind(photo.thumb_width).bind(photo.thumb_height)
                .bind(s.bytes).bind(&s.sha256).bind(t)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(Some(old))
    }.await)?;
    let Some(old) = old else {
        return Err(Error::field("image", Problem::EditLocked));
    };
    let old_keys: Vec<String> = old.into_iter().flat_map(|(d, t)| [d, t]).collect();
    delete_blobs(svc, &old_keys).await;
    Ok(())
}

/// The image columns of a `LEFT JOIN photos ph`, read by [`ImageColumns`].
pub(crate) const COLUMNS: &str = "ph.uid AS image_uid, ph.alt AS image_alt, \
    ph.display_width AS image_width, ph.display_height AS image_height, \
    ph.thumb_width AS image_thumb_width, ph.thumb_height AS image_thumb_height";

/// A row's [`COLUMNS`] (all NULL when there is no image); `#[sqlx(flatten)]` it.
#[derive(sqlx::FromRow)]
pub(crate) struct ImageColumns {
    image_uid: Option<String>,
    image_alt: Option<String>,
    image_width: Option<i64>,
    image_height: Option<i64>,
    image_thumb_width: Option<i64>,
    image_thumb_height: Option<i64>,
}

impl ImageColumns {
    pub(crate) fn image(self) -> Option<Image> {
        Some(Image {
            photo: PhotoRef {
                uid: self.image_uid?,
                display_width: self.image_width?,
                display_height: self.image_height?,
                thumb_width: self.image_thumb_width?,
                thumb_height: self.image_thumb_height?,
            },
            alt: self.image_alt.unwrap_or_default(),
        })
    }
}

//! Suspensions from posting: moderators suspend for a set number of days with a reason;
//! admins may also ban (no end). A suspended user reads everything but posts nothing, by
//! any path; they are told why and until when.

use chrono::Duration;

use crate::db::BeginWrite;
use crate::error::{Error, FieldError};
use crate::model::moderation::{Action, ItemKind, Reason, SuspendedUser, Suspension};
use crate::model::{Me, Role};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// The longest suspension a moderator may set, in days.
pub const SUSPEND_DAYS_MAX: i64 = 365;
/// The longest note.
pub const NOTE_MAX: usize = 500;

/// The user's suspension now in force, if any (the one ending last).
pub async fn current(svc: &Services, user_id: i64) -> Result<Option<Suspension>, Error> {
    let row: Option<(String, String, Option<chrono::DateTime<chrono::Utc>>)> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT reason, note, ends_at FROM suspensions WHERE user_id = $1 AND lifted_at IS NULL \
             AND (ends_at IS NULL OR ends_at > $2) ORDER BY ends_at IS NULL DESC, ends_at DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(now())
        .fetch_optional(p)
        .await
    })?;
    Ok(row.map(|(reason, note, ends_at)| Suspension {
        reason: Reason::parse(&reason).unwrap_or_default(),
        note,
        ends_at,
    }))
}

/// Everyone suspended or banned now, newest first (for moderators).
pub async fn list(svc: &Services, me: Option<&Me>) -> Result<Vec<SuspendedUser>, Error> {
    super::require_moderator(me)?;
    #[derive(sqlx::FromRow)]
    struct Row {
        user_id: i64,
        name: String,
        reason: String,
        note: String,
        ends_at: Option<chrono::DateTime<chrono::Utc>>,
        by_name: Option<String>,
        created_at: chrono::DateTime<chrono::Utc>,
    }
    let rows: Vec<Row> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT s.user_id, u.display_name AS name, s.reason, s.note, s.ends_at, b.display_name AS by_name, s.created_at \
             FROM suspensions s JOIN users u ON u.id = s.user_id LEFT JOIN users b ON b.id = s.created_by \
             WHERE s.lifted_at IS NULL AND (s.ends_at IS NULL OR s.ends_at > $1) ORDER BY s.id DESC LIMIT 200",
        )
        .bind(now())
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| SuspendedUser {
            user_id: r.user_id,
            name: r.name,
            suspension: Suspension {
                reason: Reason::parse(&r.reason).unwrap_or_default(),
                note: r.note,
                ends_at: r.ends_at,
            },
            by: r.by_name,
            since: r.created_at,
        })
        .collect())
}

/// A suspension as typed: `days` empty means a ban (admins only).
#[derive(Clone, Debug, Default)]
pub struct SuspendInput {
    pub user_id: i64,
    pub reason: String,
    pub note: String,
    pub days: String,
}

/// Suspends (or, for admins with no days, bans) a user. Staff cannot be suspended; lower
/// their role first.
pub async fn suspend(svc: &Services, me: Option<&Me>, input: SuspendInput) -> Result<(), Error> {
    let me = super::require_moderator(me)?;
    let mut problems = Vec::new();
    let reason = Reason::parse(input.reason.trim());
    if reason.is_none() {
        problems.push(FieldError::new("reason", Problem::InvalidChoice));
    }
    let note = input.note.trim().to_string();
    if note.chars().count() > NOTE_MAX {
        problems.push(FieldError::new("note", Problem::TooLong { max: NOTE_MAX }));
    } else if reason == Some(Reason::Other) && note.is_empty() {
        problems.push(FieldError::new("note", Problem::Required));
    }
    let days = match input.days.trim() {
        "" if me.role == Role::Admin => None,
        "" => {
            problems.push(FieldError::new("days", Problem::Required));
            None
        }
        d => match d.parse::<i64>() {
            Ok(n) if (1..=SUSPEND_DAYS_MAX).contains(&n) => Some(n),
            Ok(_) => {
                problems.push(FieldError::new(
                    "days",
                    Problem::OutOfRange {
                        min: 1,
                        max: SUSPEND_DAYS_MAX,
                    },
                ));
                None
            }
            Err(_) => {
                problems.push(FieldError::new("days", Problem::NotANumber));
                None
            }
        },
    };
    let target: Option<String> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT role FROM users WHERE id = $1").bind(input.user_id).fetch_optional(p).await
    })?;
    let target = target.ok_or(Error::NotFound)?;
    if target != Role::Resident.as_str() {
        problems.push(FieldError::new("user", Problem::StaffAccount));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let reason = reason.unwrap_or_default();
    let t = now();
    let ends_at = days.map(|d| t + Duration::days(d));
    let action = if ends_at.is_some() {
        Action::Suspend
    } else {
        Action::Ban
    };
    with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        sqlx::query(
            "INSERT INTO suspensions (user_id, reason, note, ends_at, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(input.user_id).bind(reason.as_str()).bind(&note).bind(ends_at).bind(me.id).bind(t)
        .execute(&mut *tx).await?;
        // The public log names no account: only that one was suspended, why, for how many
        // days (the note), and by whom.
        sqlx::query(
            "INSERT INTO moderation_log (item_kind, item_id, action, reason, note, moderator_id, moderator_handle, author_id, at) \
             VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(ItemKind::Account.as_str()).bind(action.as_str()).bind(reason.as_str())
        .bind(days.map(|d| d.to_string()).unwrap_or_default())
        .bind(me.id).bind(&me.display_name).bind(input.user_id).bind(t)
        .execute(&mut *tx).await?;
        tx.commit().await
    }.await)?;
    tracing::info!(user = input.user_id, by = me.id, days = ?days, "user suspended");
    Ok(())
}

/// Ends a user's suspensions now.
pub async fn lift(svc: &Services, me: Option<&Me>, user_id: i64) -> Result<(), Error> {
    let me = super::require_moderator(me)?;
    let t = now();
    let banned = current(svc, user_id)
        .await?
        .is_some_and(|s| s.ends_at.is_none());
    if banned && me.role != Role::Admin {
        return Err(Error::Forbidden);
    }
    let n = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(
            "UPDATE suspensions SET lifted_at = $1, lifted_by = $2 WHERE user_id = $3 AND lifted_at IS NULL \
             AND (ends_at IS NULL OR ends_at > $1)",
        )
        .bind(t).bind(me.id).bind(user_id)
        .execute(&mut *tx).await?.rows_affected();
        if n > 0 {
            sqlx::query(
                "INSERT INTO moderation_log (item_kind, item_id, action, moderator_id, moderator_handle, author_id, at) \
                 VALUES ($1, 0, 'lift', $2, $3, $4, $5)",
            )
            .bind(ItemKind::Account.as_str()).bind(me.id).bind(&me.display_name).bind(user_id).bind(t)
            .execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(n)
    }.await)?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

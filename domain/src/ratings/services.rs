//! Government services residents rate (办事服务好差评): a catalogue admins keep per
//! department; a signed-in resident rates a service, optionally naming the case or
//! reference number the rating is about (one rating per service and reference, changeable
//! for [`CHANGE_DAYS`] days). A poor rating is a rectification (整改) for the department,
//! due in the city's rectification time; the department records what it did, and the rater
//! is told. What departments did is public; raters' words go to the department only.

use chrono::{DateTime, Utc};

use super::{check, rectify_due, save as save_rating, RatingInput, Target};
use crate::db::BeginWrite;
use crate::error::{Error, Problems};
use crate::model::rating::{
    Level, OwnServiceRating, Rating, Service, ServiceFigures, ServiceRectification, Subject,
    CHANGE_DAYS, RECTIFY_NOTE_MAX, REFERENCE_MAX, SERVICE_CODE_MAX, SERVICE_DESCRIPTION_MAX,
    SERVICE_NAME_MAX,
};
use crate::model::{Me, Role};
use crate::time::now;
use crate::{with_db, Problem, Services};

/// A service as an admin enters it; a known code updates that service.
#[derive(Clone, Debug, Default)]
pub struct ServiceInput {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// The department's id.
    pub department: String,
    pub active: bool,
}

/// Adds a service, or updates the one with the same code. Admins only. Returns its id.
pub async fn save(svc: &Services, me: Option<&Me>, input: ServiceInput) -> Result<i64, Error> {
    let admin = crate::accounts::require_admin(me)?;
    let code = input.code.trim().to_string();
    let mut problems = Problems::default();
    if code.is_empty() {
        problems.add("code", Problem::Required);
    } else if code.len() > SERVICE_CODE_MAX || !crate::categories::valid_code(&code) {
        problems.add("code", Problem::InvalidChoice);
    }
    for (field, value, max, required) in [
        ("name_zh", &input.name_zh, SERVICE_NAME_MAX, true),
        ("name_en", &input.name_en, SERVICE_NAME_MAX, true),
        (
            "description_zh",
            &input.description_zh,
            SERVICE_DESCRIPTION_MAX,
            false,
        ),
        (
            "description_en",
            &input.description_en,
            SERVICE_DESCRIPTION_MAX,
            false,
        ),
    ] {
        let n = value.trim().chars().count();
        if n == 0 && required {
            problems.add(field, Problem::Required);
        } else if n > max {
            problems.add(field, Problem::TooLong { max });
        }
    }
    let department = match input.department.trim().parse::<i64>() {
        Ok(d) => match crate::departments::unchoosable(&svc.db, d).await? {
            None => Some(d),
            Some(problem) => {
                problems.add("department", problem);
                None
            }
        },
        _ if input.department.trim().is_empty() => {
            problems.add("department", Problem::Required);
            None
        }
        _ => {
            problems.add("department", Problem::UnknownDepartment);
            None
        }
    };
    problems.into_result()?;
    let t = now();
    let id: i64 = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "INSERT INTO services (department_id, code, name_zh, name_en, description_zh, description_en, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (code) DO UPDATE SET department_id = excluded.department_id, \
             name_zh = excluded.name_zh, name_en = excluded.name_en, description_zh = excluded.description_zh, \
             description_en = excluded.description_en, active = excluded.active, updated_at = excluded.updated_at RETURNING id",
        )
        .bind(department).bind(&code).bind(input.name_zh.trim()).bind(input.name_en.trim())
        .bind(input.description_zh.trim()).bind(input.description_en.trim()).bind(input.active).bind(t)
        .fetch_one(p)
        .await
    })?;
    tracing::info!(actor = admin.id, service = id, %code, "service saved");
    Ok(id)
}

const SERVICE_COLUMNS: &str = "s.id, s.department_id, s.code, s.name_zh, s.name_en, s.description_zh, s.description_en, s.active";

/// A service's figures, counted for all services at once: its ratings grouped by service,
/// and its rectifications (through the ratings that caused them) grouped likewise.
const FIGURES_COLUMNS: &str =
    "COALESCE(g.ratings, 0) AS ratings, COALESCE(g.satisfied, 0) AS satisfied, \
     COALESCE(g.score_sum, 0) AS score_sum, COALESCE(x.rectifications, 0) AS rectifications, \
     COALESCE(x.rectified, 0) AS rectified, COALESCE(x.rectified_on_time, 0) AS rectified_on_time";
const FIGURES_JOINS: &str = "\
     LEFT JOIN (SELECT subject_id, count(*) AS ratings, \
        sum(CASE WHEN level IN ('very_satisfied', 'satisfied', 'basic') THEN 1 ELSE 0 END) AS satisfied, \
        sum(CASE level WHEN 'very_satisfied' THEN 5 WHEN 'satisfied' THEN 4 WHEN 'basic' THEN 3 \
            WHEN 'dissatisfied' THEN 2 ELSE 1 END) AS score_sum \
        FROM ratings WHERE subject_kind = 'service' GROUP BY subject_id) g ON g.subject_id = s.id \
     LEFT JOIN (SELECT r.subject_id, count(*) AS rectifications, \
        sum(CASE WHEN f.done_at IS NOT NULL THEN 1 ELSE 0 END) AS rectified, \
        sum(CASE WHEN f.done_at IS NOT NULL AND f.done_at <= f.due_at THEN 1 ELSE 0 END) AS rectified_on_time \
        FROM rectifications f JOIN ratings r ON r.id = f.rating_id WHERE f.subject_kind = 'service' \
        GROUP BY r.subject_id) x ON x.subject_id = s.id";

#[derive(sqlx::FromRow)]
struct ServiceRow {
    #[sqlx(flatten)]
    service: Service,
    #[sqlx(flatten)]
    figures: ServiceFigures,
}

/// The catalogue with each service's figures, by department and code; inactive services
/// only when `all` (for admins).
pub async fn list(svc: &Services, all: bool) -> Result<Vec<(Service, ServiceFigures)>, Error> {
    let rows: Vec<ServiceRow> = with_db!(&svc.db, p => {
        sqlx::query_as(&format!(
            "SELECT {SERVICE_COLUMNS}, {FIGURES_COLUMNS} FROM services s {FIGURES_JOINS} \
             WHERE s.active OR $1 ORDER BY s.department_id, s.code"
        ))
        .bind(all)
        .fetch_all(p)
        .await
    })?;
    Ok(rows.into_iter().map(|r| (r.service, r.figures)).collect())
}

/// One service with its figures, by code (inactive ones too: their ratings stay readable).
pub async fn by_code(
    svc: &Services,
    code: &str,
) -> Result<Option<(Service, ServiceFigures)>, Error> {
    let row: Option<ServiceRow> = with_db!(&svc.db, p => {
        sqlx::query_as(&format!(
            "SELECT {SERVICE_COLUMNS}, {FIGURES_COLUMNS} FROM services s {FIGURES_JOINS} WHERE s.code = $1"
        ))
            .bind(code.trim())
            .fetch_optional(p)
            .await
    })?;
    Ok(row.map(|r| (r.service, r.figures)))
}

/// A signed-in resident rates a service (or changes that rating within [`CHANGE_DAYS`]
/// days), optionally naming the case or reference number; a poor rating becomes a
/// rectification for the department. Returns the rating's id.
pub async fn rate(
    svc: &Services,
    me: Option<&Me>,
    service_id: i64,
    reference: &str,
    input: RatingInput,
) -> Result<i64, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let service: Option<(i64, bool)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT department_id, active FROM services WHERE id = $1")
            .bind(service_id)
            .fetch_optional(p)
            .await
    })?;
    let (department_id, active) = service.ok_or(Error::NotFound)?;
    if !active {
        return Err(Error::field("level", Problem::InvalidChoice));
    }
    crate::moderation::ensure_can_post(svc, me).await?;
    let reference = reference.trim();
    let checked = match (check(&input), reference.chars().count() > REFERENCE_MAX) {
        (Ok(c), false) => c,
        (Ok(_), true) => {
            return Err(Error::field(
                "reference",
                Problem::TooLong { max: REFERENCE_MAX },
            ))
        }
        (Err(Error::Invalid(mut list)), too_long) => {
            if too_long {
                list.push(crate::error::FieldError::new(
                    "reference",
                    Problem::TooLong { max: REFERENCE_MAX },
                ));
            }
            return Err(Error::Invalid(list));
        }
        (Err(e), _) => return Err(e),
    };
    let target = Target {
        subject: Subject::Service,
        subject_id: service_id,
        rater_key: format!("u:{}", me.id),
        rater_id: Some(me.id),
        department_id: Some(department_id),
        round: 1,
        reference: reference.to_string(),
    };
    let rating_id = save_rating(svc, &target, &checked).await?;
    if checked.level.poor() {
        let t = now();
        let due = rectify_due(svc, t).await?;
        // One rectification per poor rating (changing it to another poor level adds none).
        let n = with_db!(&svc.db, p => async {
            let mut tx = p.begin_write().await?;
            let n = sqlx::query(
                "INSERT INTO rectifications (subject_kind, subject_id, round, rating_id, department_id, due_at, created_at) \
                 VALUES ('service', $1, 1, $1, $2, $3, $4) ON CONFLICT (subject_kind, subject_id, round) DO NOTHING",
            )
            .bind(rating_id).bind(department_id).bind(due).bind(t)
            .execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                // The department's officials hear of it.
                sqlx::query(
                    "INSERT INTO notifications (user_id, kind, service_id, detail, created_at) \
                     SELECT id, 'service_rectify', $1, 'new', $2 FROM users WHERE role = 'official' AND department_id = $3",
                )
                .bind(service_id).bind(t).bind(department_id)
                .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n)
        }.await)?;
        if n == 1 {
            tracing::info!(service = service_id, rating = rating_id, due = %due, "poor service rating: rectification for the department");
        }
    }
    Ok(rating_id)
}

#[derive(sqlx::FromRow)]
struct RatingRow {
    reference: String,
    level: String,
    speed: Option<String>,
    result: Option<String>,
    attitude: Option<String>,
    comment: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// The viewer's own ratings of a service, newest first.
pub async fn own(svc: &Services, me: &Me, service_id: i64) -> Result<Vec<OwnServiceRating>, Error> {
    let rows: Vec<RatingRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT reference, level, speed, result, attitude, comment, created_at, updated_at FROM ratings \
             WHERE subject_kind = 'service' AND subject_id = $1 AND rater_key = $2 ORDER BY created_at DESC",
        )
        .bind(service_id)
        .bind(format!("u:{}", me.id))
        .fetch_all(p)
        .await
    })?;
    let t = now();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(OwnServiceRating {
                reference: r.reference,
                rating: Rating {
                    level: Level::parse(&r.level)?,
                    speed: r.speed.as_deref().and_then(Level::parse),
                    result: r.result.as_deref().and_then(Level::parse),
                    attitude: r.attitude.as_deref().and_then(Level::parse),
                    comment: r.comment,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                    changeable: t < r.created_at + chrono::Duration::days(CHANGE_DAYS),
                },
            })
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct RectRow {
    id: i64,
    service_id: i64,
    service_code: String,
    service_name_zh: String,
    service_name_en: String,
    level: String,
    comment: String,
    reference: String,
    created_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    done_at: Option<DateTime<Utc>>,
    done_note: String,
}

const RECT_SQL: &str = "SELECT x.id, s.id AS service_id, s.code AS service_code, s.name_zh AS service_name_zh, \
     s.name_en AS service_name_en, g.level, g.comment, g.reference, x.created_at, x.due_at, x.done_at, x.done_note \
     FROM rectifications x JOIN ratings g ON g.id = x.rating_id JOIN services s ON s.id = g.subject_id \
     WHERE x.subject_kind = 'service'";

fn rectification(r: RectRow, with_comment: bool) -> Option<ServiceRectification> {
    Some(ServiceRectification {
        id: r.id,
        service_id: r.service_id,
        service_code: r.service_code,
        service_name_zh: r.service_name_zh,
        service_name_en: r.service_name_en,
        level: Level::parse(&r.level)?,
        comment: if with_comment {
            r.comment
        } else {
            String::new()
        },
        reference: if with_comment {
            r.reference
        } else {
            String::new()
        },
        created_at: r.created_at,
        due_at: r.due_at,
        done_at: r.done_at,
        done_note: r.done_note,
    })
}

/// The rectifications a department works (an official's own department; admins: all),
/// open ones first, each oldest first.
pub async fn for_department(
    svc: &Services,
    me: Option<&Me>,
) -> Result<Vec<ServiceRectification>, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let department = match (me.role, me.department_id) {
        (Role::Admin, _) => 0,
        (Role::Official, Some(d)) => d,
        _ => return Err(Error::Forbidden),
    };
    let rows: Vec<RectRow> = with_db!(&svc.db, p => {
        sqlx::query_as(&format!(
            "{RECT_SQL} AND ($1 = 0 OR x.department_id = $1) ORDER BY x.done_at IS NOT NULL, x.due_at, x.id LIMIT 200"
        ))
        .bind(department)
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|r| rectification(r, true))
        .collect())
}

/// What the department did about a service's poor ratings: the rectifications it recorded,
/// newest first, without the raters' words.
pub async fn done_for_service(
    svc: &Services,
    service_id: i64,
) -> Result<Vec<ServiceRectification>, Error> {
    let rows: Vec<RectRow> = with_db!(&svc.db, p => {
        sqlx::query_as(&format!(
            "{RECT_SQL} AND s.id = $1 AND x.done_at IS NOT NULL ORDER BY x.done_at DESC LIMIT 50"
        ))
        .bind(service_id)
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|r| rectification(r, false))
        .collect())
}

/// A rectification as recording it needs: department, done, service, rater.
type Recordable = (i64, Option<DateTime<Utc>>, i64, Option<i64>);

/// An official of the service's department records what it did about a poor rating; the
/// rater is told. Recording twice is refused.
pub async fn record(svc: &Services, me: Option<&Me>, id: i64, note: &str) -> Result<(), Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let row: Option<Recordable> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT x.department_id, x.done_at, g.subject_id, g.rater_id FROM rectifications x \
             JOIN ratings g ON g.id = x.rating_id WHERE x.id = $1 AND x.subject_kind = 'service'",
        )
        .bind(id)
        .fetch_optional(p)
        .await
    })?;
    let (department_id, done_at, service_id, rater) = row.ok_or(Error::NotFound)?;
    if !(me.role == Role::Official && me.department_id == Some(department_id)) {
        return Err(Error::Forbidden);
    }
    if done_at.is_some() {
        return Err(Error::field("done_note", Problem::AlreadyAnswered));
    }
    let note = note.trim();
    if note.is_empty() {
        return Err(Error::field("done_note", Problem::Required));
    }
    if note.chars().count() > RECTIFY_NOTE_MAX {
        return Err(Error::field(
            "done_note",
            Problem::TooLong {
                max: RECTIFY_NOTE_MAX,
            },
        ));
    }
    let t = now();
    let n = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(
            "UPDATE rectifications SET done_at = $1, done_note = $2, done_by = $3 WHERE id = $4 AND done_at IS NULL",
        )
        .bind(t).bind(note).bind(me.id).bind(id)
        .execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            if let Some(rater) = rater {
                sqlx::query(
                    "INSERT INTO notifications (user_id, kind, service_id, detail, created_at) VALUES ($1, 'service_rectify', $2, 'done', $3)",
                )
                .bind(rater).bind(service_id).bind(t)
                .execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(n)
    }.await)?;
    if n != 1 {
        return Err(Error::field("done_note", Problem::AlreadyAnswered));
    }
    tracing::info!(
        rectification = id,
        by = me.id,
        "service rectification recorded"
    );
    Ok(())
}

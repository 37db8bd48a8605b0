//! Departments of the city government, which admins manage; one or more may be the dispatch
//! centre (指挥中心) of the built-in case workflow.
//!
//! A department is never deleted: its closed cases, answers, ratings and results stay its
//! own. A reorganisation retires it into a successor (a merger, or a new code: add the new
//! department, then retire the old one into it), which takes over its open work.

use crate::db::BeginWrite;
use crate::db::Db;
use crate::error::Error;
use crate::error::Problems;
use crate::model::{Department, Me, Moved};
use crate::time::now;
use crate::{with_db, Problem};

/// Longest department name, in characters.
pub const NAME_MAX: usize = 100;

/// A department as an admin enters it; a known code updates that department.
#[derive(Clone, Debug, Default)]
pub struct DepartmentInput {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub dispatch: bool,
}

/// Adds a department, or updates the one with the same code (names and whether it is the
/// dispatch centre). Admins only. Returns its id.
pub async fn save(db: &Db, actor: Option<&Me>, input: DepartmentInput) -> Result<i64, Error> {
    let admin = crate::accounts::require_admin(actor)?;
    let code = input.code.trim().to_string();
    let mut problems = Problems::default();
    if code.is_empty() {
        problems.add("code", Problem::Required);
    } else if !crate::categories::valid_code(&code) {
        problems.add("code", Problem::InvalidChoice);
    }
    for (field, value) in [("name_zh", &input.name_zh), ("name_en", &input.name_en)] {
        let n = value.trim().chars().count();
        if n == 0 {
            problems.add(field, Problem::Required);
        } else if n > NAME_MAX {
            problems.add(field, Problem::TooLong { max: NAME_MAX });
        }
    }
    if problems.0.is_empty() && by_code(db, &code).await?.is_some_and(|d| d.retired) {
        problems.add("code", Problem::DepartmentRetired);
    }
    problems.into_result()?;
    let id: i64 = with_db!(db, p => {
        sqlx::query_scalar(
            "INSERT INTO departments (code, name_zh, name_en, dispatch, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, \
             dispatch = excluded.dispatch RETURNING id",
        )
        .bind(&code)
        .bind(input.name_zh.trim())
        .bind(input.name_en.trim())
        .bind(input.dispatch)
        .bind(now())
        .fetch_one(p)
        .await
    })?;
    tracing::info!(actor = admin.id, department = id, %code, dispatch = input.dispatch, "department saved");
    Ok(id)
}

const COLUMNS: &str =
    "id, code, name_zh, name_en, dispatch, retired_at IS NOT NULL AS retired, successor_id";

/// Every department, retired ones included (they name the history); choices leave those out.
pub async fn list(db: &Db) -> Result<Vec<Department>, Error> {
    let sql = format!("SELECT {COLUMNS} FROM departments ORDER BY retired_at IS NOT NULL, code");
    Ok(with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await)?)
}

/// A department, retired or not.
pub async fn get(db: &Db, id: i64) -> Result<Option<Department>, Error> {
    let sql = format!("SELECT {COLUMNS} FROM departments WHERE id = $1");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?)
}

async fn by_code(db: &Db, code: &str) -> Result<Option<Department>, Error> {
    let sql = format!("SELECT {COLUMNS} FROM departments WHERE code = $1");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(code).fetch_optional(p).await)?)
}

/// Why department `id` cannot be chosen for new work, if it cannot: it is unknown, or it
/// was retired.
pub async fn unchoosable(db: &Db, id: i64) -> Result<Option<Problem>, Error> {
    Ok(match get(db, id).await? {
        None => Some(Problem::UnknownDepartment),
        Some(d) if d.retired => Some(Problem::DepartmentRetired),
        Some(_) => None,
    })
}

/// `id` if it may be chosen; else its problem is added under `field`.
async fn chosen(
    db: &Db,
    problems: &mut Vec<crate::error::FieldError>,
    field: &str,
    id: Option<i64>,
) -> Result<Option<i64>, Error> {
    let Some(id) = id else { return Ok(None) };
    Ok(match unchoosable(db, id).await? {
        None => Some(id),
        Some(problem) => {
            problems.push(crate::error::FieldError::new(field, problem));
            None
        }
    })
}

/// How a department is retired: who takes over, and the public note on each moved item's
/// timeline (for instance "机构改革：并入市城市管理局").
#[derive(Clone, Debug, Default)]
pub struct RetireInput {
    pub department: String,
    pub successor: String,
    pub note: String,
    /// The admin ticked "I understand that its open work moves".
    pub confirm: bool,
}

/// Longest note on a retirement.
pub const RETIRE_NOTE_MAX: usize = 500;

/// Retires a department into its successor, in one transaction: its open reports and cases,
/// unanswered questions, officials, categories, grids, services, processes and live
/// sessions not yet over, and rectifications not yet done move to the successor; each moved
/// report and question gets a public timeline entry (with `note`) and their followers are
/// told. Closed cases, answers and ratings stay with the retired department. A retired
/// dispatch centre's role passes to the successor. Admins only.
pub async fn retire(db: &Db, actor: Option<&Me>, input: RetireInput) -> Result<Moved, Error> {
    let admin = crate::accounts::require_admin(actor)?;
    let mut problems = Vec::new();
    let mut pick = |field: &'static str, value: &str| match value.trim() {
        "" => {
            problems.push(crate::error::FieldError::new(field, Problem::Required));
            None
        }
        v => match v.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                problems.push(crate::error::FieldError::new(
                    field,
                    Problem::UnknownDepartment,
                ));
                None
            }
        },
    };
    let old = pick("department", &input.department);
    let new = pick("successor", &input.successor);
    let old = chosen(db, &mut problems, "department", old).await?;
    let new = match new {
        Some(id) if Some(id) == old => {
            problems.push(crate::error::FieldError::new(
                "successor",
                Problem::InvalidChoice,
            ));
            None
        }
        id => chosen(db, &mut problems, "successor", id).await?,
    };
    let note = input.note.trim().to_string();
    if note.is_empty() {
        problems.push(crate::error::FieldError::new("note", Problem::Required));
    } else if note.chars().count() > RETIRE_NOTE_MAX {
        problems.push(crate::error::FieldError::new(
            "note",
            Problem::TooLong {
                max: RETIRE_NOTE_MAX,
            },
        ));
    }
    if !input.confirm {
        problems.push(crate::error::FieldError::new("confirm", Problem::Required));
    }
    let (Some(old), Some(new), true) = (old, new, problems.is_empty()) else {
        return Err(Error::Invalid(problems));
    };
    let t = now();
    let moved = with_db!(db, p => async {
        let mut tx = p.begin_write().await?;
        let dispatch: Option<bool> =
            sqlx::query_scalar("SELECT dispatch FROM departments WHERE id = $1")
                .bind(old).fetch_optional(&mut *tx).await?;
        // Retire first: a retirement that raced another leaves nothing to move.
        let retired = sqlx::query(
            "UPDATE departments SET retired_at = $1, successor_id = $2, dispatch = FALSE \
             WHERE id = $3 AND retired_at IS NULL \
             AND EXISTS (SELECT 1 FROM departments s WHERE s.id = $2 AND s.retired_at IS NULL)",
        )
        .bind(t).bind(new).bind(old)
        .execute(&mut *tx).await?.rows_affected();
        if retired != 1 {
            return Ok::<_, sqlx::Error>(None);
        }
        if dispatch == Some(true) {
            sqlx::query("UPDATE departments SET dispatch = TRUE WHERE id = $1")
                .bind(new).execute(&mut *tx).await?;
        }
        let mut moved = Moved::default();

        // Open reports: a timeline entry each (the successor acting), their followers told,
        // then the move; a statement each, however many there are.
        sqlx::query(
            "INSERT INTO report_events (report_id, kind, public, actor_role, actor_department_id, actor_id, note, at) \
             SELECT id, 'transferred', TRUE, 'admin', $1, $2, $3, $4 FROM reports \
             WHERE department_id = $5 AND status NOT IN ('closed', 'rejected') ORDER BY id",
        )
        .bind(new).bind(admin.id).bind(&note).bind(t).bind(old)
        .execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO notifications (user_id, kind, report_id, event_id, created_at) \
             SELECT f.user_id, 'report_update', e.report_id, e.id, e.at FROM report_events e \
             JOIN report_follows f ON f.report_id = e.report_id \
             WHERE e.kind = 'transferred' AND e.at = $1 AND e.actor_department_id = $2 AND f.user_id <> $3 \
             AND e.report_id IN (SELECT id FROM reports WHERE department_id = $4)",
        )
        .bind(t).bind(new).bind(admin.id).bind(old)
        .execute(&mut *tx).await?;
        moved.reports = sqlx::query(
            "UPDATE reports SET department_id = $1, updated_at = $2 \
             WHERE department_id = $3 AND status NOT IN ('closed', 'rejected')",
        )
        .bind(new).bind(t).bind(old)
        .execute(&mut *tx).await?.rows_affected();
        let cases = format!(
            "UPDATE cases SET department_id = $1, updated_at = $2 WHERE department_id = $3 AND stage IN {}",
            crate::cases::builtin::OPEN_STAGES
        );
        sqlx::query(&cases).bind(new).bind(t).bind(old).execute(&mut *tx).await?;

        // Unanswered questions keep their status and deadline: the work goes on under the
        // successor's name.
        let kind = crate::model::question::EventKind::HandedOver.as_str();
        sqlx::query(
            "INSERT INTO question_events \
             (question_id, kind, department_id, from_department_id, note, expected_on, actor_id, created_at) \
             SELECT id, $1, $2, $3, $4, NULL, $5, $6 FROM questions \
             WHERE department_id = $3 AND status <> 'answered' ORDER BY id",
        )
        .bind(kind).bind(new).bind(old).bind(&note).bind(admin.id).bind(t)
        .execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO notifications (user_id, kind, question_id, detail, created_at) \
             SELECT f.user_id, 'question', q.id, $1, $2 FROM questions q \
             JOIN question_follows f ON f.question_id = q.id \
             WHERE q.department_id = $3 AND q.status <> 'answered' AND f.user_id <> $4",
        )
        .bind(kind).bind(t).bind(old).bind(admin.id)
        .execute(&mut *tx).await?;
        moved.questions = sqlx::query(
            "UPDATE questions SET department_id = $1, updated_at = $2 WHERE department_id = $3 AND status <> 'answered'",
        )
        .bind(new).bind(t).bind(old)
        .execute(&mut *tx).await?.rows_affected();

        let all = |sql: &'static str| sqlx::query(sql).bind(new).bind(old);
        moved.officials = all("UPDATE users SET department_id = $1 WHERE department_id = $2")
            .execute(&mut *tx).await?.rows_affected();
        moved.categories = all("UPDATE categories SET department_id = $1 WHERE department_id = $2")
            .execute(&mut *tx).await?.rows_affected();
        moved.grids = all("UPDATE grids SET department_id = $1 WHERE department_id = $2")
            .execute(&mut *tx).await?.rows_affected();
        moved.services = all("UPDATE services SET department_id = $1 WHERE department_id = $2")
            .execute(&mut *tx).await?.rows_affected();
        moved.rectifications = all("UPDATE rectifications SET department_id = $1 WHERE department_id = $2 AND done_at IS NULL")
            .execute(&mut *tx).await?.rows_affected();
        moved.processes = sqlx::query("UPDATE processes SET department_id = $1, updated_at = $3 WHERE department_id = $2 AND closes_at > $3")
            .bind(new).bind(old).bind(t)
            .execute(&mut *tx).await?.rows_affected();
        moved.live_sessions = sqlx::query("UPDATE live_sessions SET department_id = $1 WHERE department_id = $2 AND ends_at > $3")
            .bind(new).bind(old).bind(t)
            .execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        Ok(Some(moved))
    }.await)?;
    let Some(moved) = moved else {
        return Err(Error::field("department", Problem::DepartmentRetired));
    };
    tracing::info!(
        actor = admin.id,
        department = old,
        successor = new,
        ?moved,
        "department retired"
    );
    Ok(moved)
}

/// Adds a department, or updates its names when the code exists. Returns its id.
pub async fn upsert(db: &Db, code: &str, name_zh: &str, name_en: &str) -> Result<i64, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_scalar(
            "INSERT INTO departments (code, name_zh, name_en, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en \
             RETURNING id",
        )
        .bind(code)
        .bind(name_zh)
        .bind(name_en)
        .bind(now())
        .fetch_one(p)
        .await
    })?)
}

/// Makes a department the dispatch centre (指挥中心) of the built-in case workflow, or not.
pub async fn set_dispatch(db: &Db, id: i64, dispatch: bool) -> Result<(), Error> {
    with_db!(db, p => {
        sqlx::query("UPDATE departments SET dispatch = $1 WHERE id = $2")
            .bind(dispatch)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

//! Departments of the city government, which admins manage; one or more may be the dispatch
//! centre (指挥中心) of the built-in case workflow.

use crate::db::Db;
use crate::error::Error;
use crate::error::Problems;
use crate::model::{Department, Me};
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

pub async fn list(db: &Db) -> Result<Vec<Department>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_as("SELECT id, code, name_zh, name_en, dispatch FROM departments ORDER BY code")
            .fetch_all(p)
            .await
    })?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Department>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_as("SELECT id, code, name_zh, name_en, dispatch FROM departments WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?)
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

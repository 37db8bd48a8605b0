//! Departments of the city government.

use crate::db::Db;
use crate::error::Error;
use crate::model::Department;
use crate::time::now;
use crate::with_db;

pub async fn list(db: &Db) -> Result<Vec<Department>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_as("SELECT id, code, name_zh, name_en FROM departments ORDER BY code")
            .fetch_all(p)
            .await
    })?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Department>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_as("SELECT id, code, name_zh, name_en FROM departments WHERE id = $1")
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

//! Administration of users: the list, roles and departments, and the first admin.

use crate::db::BeginWrite;
use crate::error::{Error, Problems};
use crate::model::{Me, Role, UserSummary};
use crate::time::now;
use crate::with_db;
use crate::{departments, validate, Problem, Services};

use super::{find_by_email, find_by_id, password, require_admin};

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    department_id: Option<i64>,
    activated_at: Option<chrono::DateTime<chrono::Utc>>,
    created_at: chrono::DateTime<chrono::Utc>,
}

/// A page of users matching `query` (in email or name), newest first. Admins only.
pub async fn list_users(
    svc: &Services,
    actor: Option<&Me>,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<UserSummary>, i64), Error> {
    require_admin(actor)?;
    // Escape LIKE wildcards so a search for "50%" means those characters.
    let escaped = query
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    let filter =
        "WHERE lower(email) LIKE $1 ESCAPE '\\' OR lower(display_name) LIKE $1 ESCAPE '\\'";
    let sql = format!(
        "SELECT id, email, display_name, role, department_id, activated_at, created_at FROM users {filter} \
         ORDER BY id DESC LIMIT $2 OFFSET $3"
    );
    let count_sql = format!("SELECT count(*) FROM users {filter}");
    let (rows, total): (Vec<SummaryRow>, i64) = with_db!(&svc.db, p => {
        let rows = sqlx::query_as(&sql).bind(&pattern).bind(limit).bind(offset).fetch_all(p).await?;
        let total = sqlx::query_scalar(&count_sql).bind(&pattern).fetch_one(p).await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    let users = rows
        .into_iter()
        .map(|r| UserSummary {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            role: Role::parse(&r.role).unwrap_or(Role::Resident),
            department_id: r.department_id,
            activated: r.activated_at.is_some(),
            created_at: r.created_at,
        })
        .collect();
    Ok((users, total))
}

/// Gives a user a role. An official needs a department; other roles have none. The last
/// admin cannot give up the role, so the city never locks itself out. Admins only; every
/// change is written to the audit log.
pub async fn set_role(
    svc: &Services,
    actor: Option<&Me>,
    user_id: i64,
    role: &str,
    department_id: Option<i64>,
) -> Result<(), Error> {
    let admin = require_admin(actor)?;
    let Some(role) = Role::parse(role) else {
        return Err(Error::field("role", Problem::InvalidChoice));
    };
    let department_id = match (role, department_id) {
        (Role::Official, None) => {
            return Err(Error::field("department_id", Problem::DepartmentRequired))
        }
        (Role::Official, Some(d)) => {
            if let Some(problem) = departments::unchoosable(&svc.db, d).await? {
                return Err(Error::field("department_id", problem));
            }
            Some(d)
        }
        _ => None,
    };
    let target = find_by_id(&svc.db, user_id).await?.ok_or(Error::NotFound)?;
    if target.role() == Role::Admin && role != Role::Admin {
        let admins: i64 = with_db!(&svc.db, p => {
            sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin'").fetch_one(p).await
        })?;
        if admins <= 1 {
            return Err(Error::field("role", Problem::InvalidChoice));
        }
    }
    let t = now();
    let detail = format!(
        "role {} -> {}, department {:?} -> {:?}",
        target.role,
        role.as_str(),
        target.department_id,
        department_id
    );
    with_db!(&svc.db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query("UPDATE users SET role = $1, department_id = $2, updated_at = $3 WHERE id = $4")
            .bind(role.as_str())
            .bind(department_id)
            .bind(t)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO audit_log (actor_id, action, target_user_id, detail, at) VALUES ($1, 'set_role', $2, $3, $4)")
            .bind(admin.id)
            .bind(user_id)
            .bind(&detail)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    tracing::info!(actor = admin.id, user_id, %detail, "role changed");
    Ok(())
}

/// Creates an activated admin account, or makes an existing account an admin (the CLI's
/// `gongzhi admin create`). Returns the user id and whether it was created.
pub async fn create_admin(
    svc: &Services,
    email: &str,
    display_name: &str,
    pw: &str,
) -> Result<(i64, bool), Error> {
    let mut problems = Problems::default();
    problems.check("email", validate::email(email));
    problems.check("display_name", validate::display_name(display_name));
    problems.check("password", validate::password(pw));
    problems.into_result()?;
    let email = validate::normalize_email(email);
    let t = now();
    if let Some(existing) = find_by_email(&svc.db, &email).await? {
        with_db!(&svc.db, p => {
            sqlx::query("UPDATE users SET role = 'admin', department_id = NULL, activated_at = COALESCE(activated_at, $1), updated_at = $1 WHERE id = $2")
                .bind(t)
                .bind(existing.id)
                .execute(p)
                .await.map(|r| r.rows_affected())
        })?;
        return Ok((existing.id, false));
    }
    let hash = password::hash(pw).await?;
    let id = insert_user(svc, &email, display_name.trim(), &hash, Role::Admin, None).await?;
    Ok((id, true))
}

/// Inserts an activated user directly (CLI and demo data).
pub(crate) async fn insert_user(
    svc: &Services,
    email: &str,
    display_name: &str,
    hash: &str,
    role: Role,
    department_id: Option<i64>,
) -> Result<i64, Error> {
    let t = now();
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "INSERT INTO users (email, display_name, password_hash, role, department_id, activated_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $6) RETURNING id",
        )
        .bind(email)
        .bind(display_name)
        .bind(hash)
        .bind(role.as_str())
        .bind(department_id)
        .bind(t)
        .fetch_one(p)
        .await
    })?)
}

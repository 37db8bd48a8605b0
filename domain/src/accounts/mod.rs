//! Accounts: sign-up with an emailed activation link, sign-in, sessions, password change
//! and reset, roles. Permissions are checked here, not only in the UI.

pub mod admin;
pub mod login;
pub mod password;
pub mod reset;
pub mod sessions;
pub mod signup;
pub mod tokens;

use chrono::{DateTime, Utc};

use crate::db::Db;
use crate::error::Error;
use crate::model::{Me, Role};
use crate::with_db;

pub use admin::{create_admin, list_users, set_role};
pub use login::{log_in, log_out};
pub use reset::{change_password, request_reset, reset_password};
pub use signup::{activate, sign_up};

/// A `users` row as stored.
#[derive(sqlx::FromRow, Debug, Clone)]
pub(crate) struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub department_id: Option<i64>,
    pub activated_at: Option<DateTime<Utc>>,
}

pub(crate) const USER_COLUMNS: &str =
    "id, email, display_name, password_hash, role, department_id, activated_at";

impl UserRow {
    pub fn role(&self) -> Role {
        // The CHECK constraint keeps the column to known names.
        Role::parse(&self.role).unwrap_or(Role::Resident)
    }

    pub fn into_me(self) -> Me {
        Me {
            id: self.id,
            role: self.role(),
            email: self.email,
            display_name: self.display_name,
            department_id: self.department_id,
        }
    }
}

pub(crate) async fn find_by_email(db: &Db, email: &str) -> Result<Option<UserRow>, Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(email).fetch_optional(p).await)?)
}

pub(crate) async fn find_by_id(db: &Db, id: i64) -> Result<Option<UserRow>, Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?)
}

/// Requires a signed-in user with the admin role.
pub fn require_admin(actor: Option<&Me>) -> Result<&Me, Error> {
    match actor {
        None => Err(Error::Unauthenticated),
        Some(me) if me.role == Role::Admin => Ok(me),
        Some(_) => Err(Error::Forbidden),
    }
}

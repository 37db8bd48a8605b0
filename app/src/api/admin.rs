//! Administration: users and roles, departments, the mail outbox.

use gongzhi_domain::model::{Department, OutboxMessage, UserSummary};
use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::*;

/// Users per page in the admin list.
pub const USERS_PAGE: i64 = 50;

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UserPage {
    pub users: Vec<UserSummary>,
    pub total: i64,
    pub departments: Vec<Department>,
}

#[server(prefix = "/api", endpoint = "admin_users")]
pub async fn list_users(query: String, page: i64) -> Result<UserPage, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            let page = page.max(0);
            let (users, total) = gongzhi_domain::accounts::list_users(
                &st.svc,
                me.as_ref(),
                &query,
                USERS_PAGE,
                page * USERS_PAGE,
            )
            .await?;
            let departments = gongzhi_domain::departments::list(&st.svc.db).await?;
            Ok(UserPage {
                users,
                total,
                departments,
            })
        }
        .await,
    )
}

/// Sets a user's role and (for officials) department. An empty department means none.
#[server(prefix = "/api", endpoint = "admin_set_role")]
pub async fn set_role(user_id: i64, role: String, department_id: String) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            let dept = match department_id.trim() {
                "" => None,
                d => Some(d.parse::<i64>().map_err(|_| {
                    AppError::Invalid(vec![gongzhi_domain::FieldError::new(
                        "department_id",
                        gongzhi_domain::Problem::UnknownDepartment,
                    )])
                })?),
            };
            gongzhi_domain::accounts::set_role(&st.svc, me.as_ref(), user_id, &role, dept).await?;
            Ok(user_id)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin_outbox")]
pub async fn outbox() -> Result<Vec<OutboxMessage>, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            gongzhi_domain::accounts::require_admin(me.as_ref())?;
            Ok(gongzhi_domain::mail::recent(&st.svc.db, 100).await?)
        }
        .await,
    )
}

//! Administration: users and roles, departments, the mail outbox, categories and grids.

// A server function takes one argument per form field; the category form has thirteen.
// (The lint must be allowed for the whole module: the macro generates the browser's copy.)
#![allow(clippy::too_many_arguments)]

use gongzhi_domain::model::{Department, Moved, OutboxMessage, UserSummary};
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

/// The whole catalogue, inactive categories included. Admins only.
#[server(prefix = "/api", endpoint = "admin_catalog")]
pub async fn admin_catalog() -> Result<crate::api::reports::Catalog, AppError> {
    with_status(
        async move {
            let me = current_user().await?;
            gongzhi_domain::accounts::require_admin(me.as_ref())?;
            crate::api::reports::load_catalog(true).await
        }
        .await,
    )
}

/// Creates (empty `id`) or edits a category. Admins only.
#[server(prefix = "/api", endpoint = "admin_save_category")]
pub async fn save_category(
    id: String,
    code: String,
    group_id: String,
    name_zh: String,
    name_en: String,
    description_zh: String,
    description_en: String,
    keywords: String,
    department_id: String,
    time_limit_hours: String,
    attributes: Option<Vec<gongzhi_domain::model::catalog::AttributeRow>>,
    active: Option<String>,
    position: String,
) -> Result<i64, AppError> {
    with_status(
        async move {
            use gongzhi_domain::{FieldError, Problem};
            let st = state()?;
            // Without wasm a refused form comes back with what was typed (the text inputs
            // of the extra-field rows too, as far as a cookie holds them).
            let rows = attributes.as_deref().unwrap_or_default();
            let row_fields: Vec<(String, &str)> = rows
                .iter()
                .enumerate()
                .flat_map(|(i, r)| {
                    [
                        ("code", &r.code),
                        ("description_zh", &r.description_zh),
                        ("description_en", &r.description_en),
                        ("choices", &r.choices),
                        ("order", &r.order),
                    ]
                    .map(|(f, v)| (format!("attributes[{i}][{f}]"), v.as_str()))
                })
                .collect();
            let mut typed = vec![
                ("code", code.as_str()),
                ("name_zh", &name_zh),
                ("name_en", &name_en),
                ("description_zh", &description_zh),
                ("description_en", &description_en),
                ("keywords", &keywords),
                ("time_limit_hours", &time_limit_hours),
                ("position", &position),
            ];
            typed.extend(row_fields.iter().map(|(k, v)| (k.as_str(), *v)));
            keep_typed(&typed);
            let me = current_user().await?;
            let mut problems = Vec::new();
            let mut number = |field: &str, v: &str, default: Option<i64>| match (v.trim(), default)
            {
                ("", Some(d)) => d,
                (v, _) => v.parse::<i64>().unwrap_or_else(|_| {
                    problems.push(FieldError::new(
                        field,
                        if v.is_empty() {
                            Problem::Required
                        } else {
                            Problem::NotANumber
                        },
                    ));
                    0
                }),
            };
            let id = match id.trim() {
                "" => None,
                v => Some(number("id", v, None)),
            };
            let input = gongzhi_domain::categories::CategoryInput {
                id,
                code,
                group_id: number("group_id", &group_id, None),
                name_zh,
                name_en,
                description_zh,
                description_en,
                keywords,
                department_id: number("department_id", &department_id, None),
                time_limit_hours: number("time_limit_hours", &time_limit_hours, None),
                attributes: attributes.unwrap_or_default(),
                active: active.is_some(),
                position: number("position", &position, Some(0)),
            };
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            let saved = gongzhi_domain::categories::save(&st.svc.db, me.as_ref(), input).await?;
            leptos_axum::redirect("/admin/categories");
            Ok(saved)
        }
        .await,
    )
}

/// Loads grids from GeoJSON text. Admins only.
#[server(prefix = "/api", endpoint = "admin_import_grids")]
pub async fn import_grids(
    geojson: String,
) -> Result<gongzhi_domain::model::catalog::ImportSummary, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::grids::import(&st.svc.db, me.as_ref(), &geojson).await?)
        }
        .await,
    )
}

/// Loads place names (`name,lat,lon` lines) for locating reports by address. Admins only.
#[server(prefix = "/api", endpoint = "admin_import_places")]
pub async fn import_places(places: String) -> Result<usize, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::places::import(&st.svc.db, me.as_ref(), &places).await?)
        }
        .await,
    )
}

/// How many place names are known. Admins only.
#[server(prefix = "/api", endpoint = "admin_places_count")]
pub async fn places_count() -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            gongzhi_domain::accounts::require_admin(me.as_ref())?;
            Ok(gongzhi_domain::places::count(&st.svc.db).await?)
        }
        .await,
    )
}

/// The city's departments (admins).
#[server(prefix = "/api", endpoint = "admin_departments")]
pub async fn admin_departments() -> Result<Vec<Department>, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            gongzhi_domain::accounts::require_admin(me.as_ref())?;
            Ok(gongzhi_domain::departments::list(&st.svc.db).await?)
        }
        .await,
    )
}

/// Retires a department into a successor, which takes over its open work. Admins only.
#[server(prefix = "/api", endpoint = "admin_retire_department")]
pub async fn retire_department(
    department: String,
    successor: String,
    note: String,
    confirm: Option<String>,
) -> Result<Moved, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::departments::retire(
                &st.svc.db,
                me.as_ref(),
                gongzhi_domain::departments::RetireInput {
                    department,
                    successor,
                    note,
                    confirm: confirm.is_some(),
                },
            )
            .await?)
        }
        .await,
    )
}

/// Adds a department, or updates the one with the same code. Admins only.
#[server(prefix = "/api", endpoint = "admin_save_department")]
pub async fn save_department(
    code: String,
    name_zh: String,
    name_en: String,
    dispatch: Option<String>,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::departments::save(
                &st.svc.db,
                me.as_ref(),
                gongzhi_domain::departments::DepartmentInput {
                    code,
                    name_zh,
                    name_en,
                    dispatch: dispatch.is_some(),
                },
            )
            .await?)
        }
        .await,
    )
}

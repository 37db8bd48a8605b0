//! Government services residents rate: the catalogue with its figures, one service, the
//! admins' catalogue form, rating a service, and the department's rectifications. Plain
//! forms posted to server functions, like the other plain pages.

// A server function takes its form's fields as arguments; these forms have several.
#![allow(clippy::too_many_arguments)]

use gongzhi_domain::model::rating::{
    OwnServiceRating, Service, ServiceFigures, ServiceRectification,
};
use gongzhi_domain::model::Department;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::*;

/// The catalogue page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServicesData {
    pub services: Vec<(Service, ServiceFigures)>,
    pub departments: Vec<Department>,
    pub is_admin: bool,
    /// For officials (their department's) and admins (all).
    pub rectifications: Option<Vec<ServiceRectification>>,
}

#[server(prefix = "/api", endpoint = "services")]
pub async fn services_page() -> Result<ServicesData, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::Role;
            let st = state()?;
            let me = current_user().await?;
            let is_admin = me.as_ref().is_some_and(|m| m.role == Role::Admin);
            let staff = me
                .as_ref()
                .is_some_and(|m| matches!(m.role, Role::Admin | Role::Official));
            let rectifications = if staff {
                Some(gongzhi_domain::ratings::services::for_department(&st.svc, me.as_ref()).await?)
            } else {
                None
            };
            Ok(ServicesData {
                services: gongzhi_domain::ratings::services::list(&st.svc, is_admin).await?,
                departments: gongzhi_domain::departments::list(&st.svc.db).await?,
                is_admin,
                rectifications,
            })
        }
        .await,
    )
}

/// One service's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServicePageData {
    pub service: Service,
    pub figures: ServiceFigures,
    pub departments: Vec<Department>,
    pub signed_in: bool,
    pub is_admin: bool,
    /// The viewer's own ratings of it.
    pub own: Vec<OwnServiceRating>,
    /// What the department did about poor ratings.
    pub done: Vec<ServiceRectification>,
}

#[server(prefix = "/api", endpoint = "service")]
pub async fn service_page(code: String) -> Result<ServicePageData, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::Role;
            let st = state()?;
            let me = current_user().await?;
            let (service, figures) = gongzhi_domain::ratings::services::by_code(&st.svc, &code)
                .await?
                .ok_or(AppError::NotFound)?;
            let own = match &me {
                Some(m) => gongzhi_domain::ratings::services::own(&st.svc, m, service.id).await?,
                None => Vec::new(),
            };
            Ok(ServicePageData {
                done: gongzhi_domain::ratings::services::done_for_service(&st.svc, service.id)
                    .await?,
                service,
                figures,
                departments: gongzhi_domain::departments::list(&st.svc.db).await?,
                signed_in: me.is_some(),
                is_admin: me.as_ref().is_some_and(|m| m.role == Role::Admin),
                own,
            })
        }
        .await,
    )
}

/// An admin adds a service or changes one (by its code).
#[server(prefix = "/api", endpoint = "save_service")]
pub async fn save_service(
    #[server(default)] code: String,
    #[server(default)] name_zh: String,
    #[server(default)] name_en: String,
    #[server(default)] description_zh: String,
    #[server(default)] description_en: String,
    #[server(default)] department: String,
    #[server(default)] active: String,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[
                ("code", &code),
                ("name_zh", &name_zh),
                ("name_en", &name_en),
                ("description_zh", &description_zh),
                ("description_en", &description_en),
            ]);
            let me = current_user().await?;
            let input = gongzhi_domain::ratings::services::ServiceInput {
                code: code.clone(),
                name_zh,
                name_en,
                description_zh,
                description_en,
                department,
                active: !active.is_empty(),
            };
            let id = gongzhi_domain::ratings::services::save(&st.svc, me.as_ref(), input).await?;
            leptos_axum::redirect(&format!("/services/{}", code.trim()));
            Ok(id)
        }
        .await,
    )
}

/// A signed-in resident rates a service, optionally naming the case or reference number.
#[server(prefix = "/api", endpoint = "rate_service")]
pub async fn rate_service(
    id: i64,
    #[server(default)] reference: String,
    #[server(default)] level: String,
    #[server(default)] speed: String,
    #[server(default)] result: String,
    #[server(default)] attitude: String,
    #[server(default)] rating_comment: String,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[
                ("reference", &reference),
                ("rating_comment", &rating_comment),
            ]);
            let me = current_user().await?;
            let input = gongzhi_domain::ratings::RatingInput {
                level,
                speed,
                result,
                attitude,
                comment: rating_comment,
            };
            gongzhi_domain::ratings::services::rate(&st.svc, me.as_ref(), id, &reference, input)
                .await
                .map_err(|e| crate::api::rename_field(e, "comment", "rating_comment"))
        }
        .await,
    )
}

/// An official records what the department did about a poor service rating.
#[server(prefix = "/api", endpoint = "record_rectification")]
pub async fn record_rectification(
    id: i64,
    #[server(default)] done_note: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("done_note", &done_note)]);
            let me = current_user().await?;
            Ok(
                gongzhi_domain::ratings::services::record(&st.svc, me.as_ref(), id, &done_note)
                    .await?,
            )
        }
        .await,
    )
}

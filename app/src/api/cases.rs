//! The case bridge's back office: for admins, Open311 API keys and the job queue (reports
//! waiting to be sent, mail, and what failed); for officials, the built-in case workflow's
//! inbox and case pages (steps are taken by a plain form post, see the server's routes).

use gongzhi_domain::error::FieldError;
use gongzhi_domain::model::case::{CaseDetail, Inbox};
use gongzhi_domain::model::job::{ApiKey, JobCounts, JobRow};
use gongzhi_domain::model::report::PhotoRef;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::reports::load_catalog;
use crate::api::reports::Catalog;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::*;

#[server(prefix = "/api", endpoint = "admin_api_keys")]
pub async fn api_keys() -> Result<Vec<ApiKey>, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::apikeys::list(&st.svc.db, me.as_ref()).await?)
        }
        .await,
    )
}

/// A key just issued: shown once.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IssuedKey {
    pub id: i64,
    pub name: String,
    pub key: String,
}

#[server(prefix = "/api", endpoint = "admin_issue_api_key")]
pub async fn issue_api_key(name: String) -> Result<IssuedKey, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            let (id, key) = gongzhi_domain::apikeys::issue(&st.svc.db, me.as_ref(), &name).await?;
            Ok(IssuedKey {
                id,
                name: name.trim().to_string(),
                key,
            })
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin_revoke_api_key")]
pub async fn revoke_api_key(id: i64) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            gongzhi_domain::apikeys::revoke(&st.svc.db, me.as_ref(), id).await?;
            Ok(id)
        }
        .await,
    )
}

/// One view of the queue, with the counts of all views.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JobsPage {
    pub counts: JobCounts,
    pub jobs: Vec<JobRow>,
    /// The connector reports go to (`builtin` or `open311`).
    pub connector: String,
}

/// Jobs in `view` (queued, failing, running or dead; default: failing).
#[server(prefix = "/api", endpoint = "admin_jobs")]
pub async fn jobs(view: String) -> Result<JobsPage, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            gongzhi_domain::accounts::require_admin(me.as_ref())?;
            let view = gongzhi_domain::model::job::JobView::parse(&view)
                .unwrap_or(gongzhi_domain::model::job::JobView::Failing);
            Ok(JobsPage {
                counts: gongzhi_domain::jobs::counts(&st.svc.db).await?,
                jobs: gongzhi_domain::jobs::list(&st.svc.db, view, 200).await?,
                connector: st.svc.cases.name().to_string(),
            })
        }
        .await,
    )
}

/// Runs a dead or waiting job again now, with a fresh set of tries.
#[server(prefix = "/api", endpoint = "admin_retry_job")]
pub async fn retry_job(id: i64) -> Result<bool, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            gongzhi_domain::accounts::require_admin(me.as_ref())?;
            Ok(gongzhi_domain::jobs::retry(&st.svc.db, &st.svc.jobs, id).await?)
        }
        .await,
    )
}

// ---- the built-in case workflow -------------------------------------------------------

/// The inbox page.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CaseInboxPage {
    pub inbox: Inbox,
    pub catalog: Catalog,
}

#[server(prefix = "/api", endpoint = "case_inbox")]
pub async fn case_inbox(view: String, page: Option<i64>) -> Result<CaseInboxPage, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::case::InboxView;
            let st = state()?;
            let me = current_user().await?;
            let view = InboxView::parse(&view).unwrap_or_default();
            let inbox = gongzhi_domain::cases::builtin::inbox(
                &st.svc,
                me.as_ref(),
                view,
                page.unwrap_or(0),
            )
            .await?;
            Ok(CaseInboxPage {
                inbox,
                catalog: load_catalog(true).await?,
            })
        }
        .await,
    )
}

/// What an official typed in a step form that came back with problems.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CaseFormFlash {
    pub step: String,
    pub note: String,
    pub department: String,
    pub public: bool,
    pub errors: Vec<FieldError>,
    /// A problem with the form as a whole (not allowed, not found, …).
    pub general: Option<AppError>,
}

/// Everything the case page needs.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CasePage {
    pub case: CaseDetail,
    pub catalog: Catalog,
    /// The step forms' one-time token (after-photos are kept under it).
    pub form_token: String,
    pub flash: Option<CaseFormFlash>,
    /// After-photos already uploaded with this form.
    pub photos: Vec<PhotoRef>,
    pub max_photo_mb: usize,
}

#[server(prefix = "/api", endpoint = "case")]
pub async fn get_case(id: i64, draft: Option<String>) -> Result<CasePage, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            let case = gongzhi_domain::cases::builtin::detail(&st.svc, me.as_ref(), id).await?;
            let (form_token, flash, photos) =
                crate::api::reports::form_draft::<CaseFormFlash>(draft).await?;
            Ok(CasePage {
                case,
                catalog: load_catalog(true).await?,
                form_token,
                flash,
                photos,
                max_photo_mb: st.svc.reports.max_photo_bytes / (1024 * 1024),
            })
        }
        .await,
    )
}

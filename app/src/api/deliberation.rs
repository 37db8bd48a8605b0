//! E-deliberation: processes and proposals. The pages are plain HTML (no wasm) and their
//! forms are server functions posted as plain forms; what was typed comes back with the
//! problems when one is refused.

// A server function takes its form's fields as arguments; the process form has many.
#![allow(clippy::too_many_arguments)]

use gongzhi_domain::model::deliberation::{
    CommentPage, ProcessDetail, ProcessSummary, ProposalDetail, ProposalSummary, ProposalViewer,
};
use gongzhi_domain::model::Department;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::*;

/// The process list page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessList {
    pub processes: Vec<ProcessSummary>,
    pub departments: Vec<Department>,
    /// The viewer may open processes (officials and admins).
    pub can_open: bool,
}

#[server(prefix = "/api", endpoint = "processes")]
pub async fn list_processes(view: String, q: String) -> Result<ProcessList, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::deliberation::ProcessView;
            use gongzhi_domain::model::Role;
            let st = state()?;
            let me = current_user().await?;
            let view = ProcessView::parse(&view).unwrap_or_default();
            Ok(ProcessList {
                processes: gongzhi_domain::deliberation::processes::list(&st.svc, view, &q).await?,
                departments: gongzhi_domain::departments::list(&st.svc.db).await?,
                can_open: me
                    .as_ref()
                    .is_some_and(|m| matches!(m.role, Role::Admin | Role::Official)),
            })
        }
        .await,
    )
}

/// The map a deliberation page shows (tiles from config; an empty URL means none) and
/// where it starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    pub tile_url: String,
    pub attribution: String,
    pub center: (f64, f64),
}

#[cfg(feature = "ssr")]
async fn map_view(st: &crate::state::AppState) -> Result<MapView, AppError> {
    let center = gongzhi_domain::grids::extent(&st.svc.db)
        .await?
        .map(|b| ((b.min_lat + b.max_lat) / 2.0, (b.min_lon + b.max_lon) / 2.0))
        .unwrap_or((22.817, 108.366));
    Ok(MapView {
        tile_url: st.map.tile_url.clone(),
        attribution: st.map.attribution.clone(),
        center,
    })
}

/// The form that sets a process's cover or a proposal's image: a plain `multipart/form-data`
/// POST (see `server/src/routes/deliberation.rs`), so it works without wasm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageForm {
    /// The form's one-time token (a refused form's flash is kept under it).
    pub token: String,
    /// What a refused form sent back.
    pub flash: Option<ImageFormFlash>,
    pub max_photo_mb: usize,
}

/// What a refused image form sent back: the typed text alternative and the problems.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageFormFlash {
    pub alt: String,
    pub errors: Vec<gongzhi_domain::FieldError>,
    /// A problem with the form as a whole (not allowed, not found, …).
    pub general: Option<AppError>,
}

/// The image form for a page whose viewer may use it; `draft` names a refused form.
#[cfg(feature = "ssr")]
async fn image_form(st: &AppState, draft: &str) -> Result<ImageForm, AppError> {
    let (token, flash) = if gongzhi_domain::reports::valid_token(draft) {
        let flash = gongzhi_domain::flash::load(&st.svc.db, draft)
            .await?
            .and_then(|json| serde_json::from_str::<ImageFormFlash>(&json).ok());
        (draft.to_string(), flash)
    } else {
        (gongzhi_domain::accounts::tokens::new_token(), None)
    };
    Ok(ImageForm {
        token,
        flash,
        max_photo_mb: st.svc.reports.max_photo_bytes / (1024 * 1024),
    })
}

/// One process's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessPage {
    pub process: ProcessDetail,
    /// The process's own discussion (the page asked for in `corder` and `after`).
    pub discussion: CommentPage,
    pub proposals: Vec<ProposalSummary>,
    pub department: Option<Department>,
    pub signed_in: bool,
    /// The viewer follows the process.
    pub following: bool,
    /// The viewer may edit the process.
    pub can_manage: bool,
    /// The cover image form, for those who may edit the process.
    pub image_form: Option<ImageForm>,
    /// For the proposal form's place picker.
    pub map: MapView,
}

#[server(prefix = "/api", endpoint = "process")]
pub async fn get_process(
    id: i64,
    order: String,
    #[server(default)] corder: String,
    #[server(default)] after: String,
    #[server(default)] draft: String,
) -> Result<ProcessPage, AppError> {
    with_status(
        async move {
            use gongzhi_domain::deliberation::{comments, follows, processes, proposals};
            use gongzhi_domain::model::deliberation::ProposalOrder;
            let st = state()?;
            let me = current_user().await?;
            let process = processes::get(&st.svc, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let order = ProposalOrder::parse(&order);
            let discussion = discussion_page(
                &st,
                me.as_ref(),
                comments::Subject::Process(id),
                &corder,
                &after,
            )
            .await?;
            Ok(ProcessPage {
                discussion,
                proposals: proposals::list(&st.svc, me.as_ref(), id, order).await?,
                department: gongzhi_domain::departments::get(&st.svc.db, process.department_id)
                    .await?,
                signed_in: me.is_some(),
                following: follows::following(&st.svc, me.as_ref(), follows::Target::Process(id))
                    .await?,
                can_manage: processes::can_manage(me.as_ref(), &process),
                image_form: if processes::can_manage(me.as_ref(), &process) {
                    Some(image_form(&st, &draft).await?)
                } else {
                    None
                },
                map: map_view(&st).await?,
                process,
            })
        }
        .await,
    )
}

/// The process form's page: the departments to choose from and, when editing, the process.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessFormData {
    pub process: Option<ProcessDetail>,
    pub departments: Vec<Department>,
    /// Admins choose the department; an official's is their own.
    pub choose_department: bool,
    pub own_department: Option<i64>,
}

#[server(prefix = "/api", endpoint = "process_form")]
pub async fn process_form(id: Option<i64>) -> Result<ProcessFormData, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::Role;
            let st = state()?;
            let me = current_user().await?.ok_or(AppError::Unauthenticated)?;
            if !matches!(me.role, Role::Admin | Role::Official) {
                return Err(AppError::Forbidden);
            }
            let process = match id {
                Some(id) => {
                    let p = gongzhi_domain::deliberation::processes::get(&st.svc, id)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    if !gongzhi_domain::deliberation::processes::can_manage(Some(&me), &p) {
                        return Err(AppError::Forbidden);
                    }
                    Some(p)
                }
                None => None,
            };
            Ok(ProcessFormData {
                process,
                departments: gongzhi_domain::departments::list(&st.svc.db).await?,
                choose_department: me.role == Role::Admin,
                own_department: me.department_id,
            })
        }
        .await,
    )
}

/// Opens a process (no `id`) or saves one. Returns its id.
#[server(prefix = "/api", endpoint = "save_process")]
pub async fn save_process(
    id: Option<i64>,
    title: String,
    summary: String,
    body: String,
    #[server(default)] department: String,
    information: String,
    proposals: String,
    discussion: String,
    decision: String,
    closes: String,
    #[server(default)] support_threshold: String,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[
                ("title", &title),
                ("summary", &summary),
                ("body", &body),
                ("department", &department),
                ("information", &information),
                ("proposals", &proposals),
                ("discussion", &discussion),
                ("decision", &decision),
                ("closes", &closes),
                ("support_threshold", &support_threshold),
            ]);
            let me = current_user().await?;
            let input = gongzhi_domain::deliberation::processes::ProcessInput {
                title,
                summary,
                body,
                department,
                information,
                proposals,
                discussion,
                decision,
                closes,
                support_threshold,
            };
            let id = gongzhi_domain::deliberation::processes::save(&st.svc, me.as_ref(), id, input)
                .await?;
            leptos_axum::redirect(&format!("/deliberation/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// A resident's proposal in a process. Returns its id.
#[server(prefix = "/api", endpoint = "create_proposal")]
pub async fn create_proposal(
    process: i64,
    title: String,
    body: String,
    #[server(default)] address: String,
    #[server(default)] lat: String,
    #[server(default)] lon: String,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("title", &title), ("body", &body), ("address", &address)]);
            let me = current_user().await?;
            let input = gongzhi_domain::deliberation::proposals::ProposalInput {
                title,
                body,
                lat,
                lon,
                address,
                ip: client_ip(),
            };
            let id = gongzhi_domain::deliberation::proposals::create(
                &st.svc,
                me.as_ref(),
                process,
                input,
            )
            .await?;
            leptos_axum::redirect(&format!("/proposals/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// The author's edit of their proposal.
#[server(prefix = "/api", endpoint = "edit_proposal")]
pub async fn edit_proposal(
    id: i64,
    title: String,
    body: String,
    #[server(default)] address: String,
    #[server(default)] lat: String,
    #[server(default)] lon: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("title", &title), ("body", &body), ("address", &address)]);
            let me = current_user().await?;
            let input = gongzhi_domain::deliberation::proposals::ProposalInput {
                title,
                body,
                lat,
                lon,
                address,
                ip: client_ip(),
            };
            Ok(
                gongzhi_domain::deliberation::proposals::edit(&st.svc, me.as_ref(), id, input)
                    .await?,
            )
        }
        .await,
    )
}

/// Supports a proposal (`on`) or takes the support back; the new count.
#[server(prefix = "/api", endpoint = "support_proposal")]
pub async fn support_proposal(id: i64, on: bool) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(
                gongzhi_domain::deliberation::proposals::support(&st.svc, me.as_ref(), id, on)
                    .await?,
            )
        }
        .await,
    )
}

/// One proposal's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalPage {
    pub proposal: ProposalDetail,
    /// Its discussion (the page asked for in `corder` and `after`); none when hidden.
    pub discussion: Option<CommentPage>,
    pub viewer: ProposalViewer,
    pub process: ProcessSummaryRef,
    /// The process's department (it answers the proposal).
    pub department: Option<Department>,
    /// For the proposal's place, when it has one.
    pub map: MapView,
    /// The image form, for the author while the proposal can be edited.
    pub image_form: Option<ImageForm>,
}

/// What a proposal's page says about its process.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessSummaryRef {
    pub id: i64,
    pub title: String,
    pub support_threshold: Option<i64>,
}

#[server(prefix = "/api", endpoint = "proposal")]
pub async fn get_proposal(
    id: i64,
    #[server(default)] corder: String,
    #[server(default)] after: String,
    #[server(default)] draft: String,
) -> Result<ProposalPage, AppError> {
    with_status(
        async move {
            use gongzhi_domain::deliberation::{comments, proposals};
            use gongzhi_domain::model::deliberation::Visibility;
            let st = state()?;
            let me = current_user().await?;
            let (proposal, viewer) = proposals::get(&st.svc, me.as_ref(), id)
                .await?
                .ok_or(AppError::NotFound)?;
            let p = proposal.process.clone();
            let discussion = if proposal.visibility == Visibility::Visible {
                Some(
                    discussion_page(
                        &st,
                        me.as_ref(),
                        comments::Subject::Proposal(id),
                        &corder,
                        &after,
                    )
                    .await?,
                )
            } else {
                None
            };
            let department = gongzhi_domain::departments::get(&st.svc.db, p.department_id).await?;
            let image_form = if viewer.can_edit {
                Some(image_form(&st, &draft).await?)
            } else {
                None
            };
            Ok(ProposalPage {
                image_form,
                discussion,
                proposal,
                viewer,
                department,
                map: MapView {
                    tile_url: st.map.tile_url.clone(),
                    attribution: st.map.attribution.clone(),
                    center: (0.0, 0.0),
                },
                process: ProcessSummaryRef {
                    id: p.id,
                    title: p.title,
                    support_threshold: p.support_threshold,
                },
            })
        }
        .await,
    )
}

/// What a discussion is about, as forms name it: `process` or `proposal`, and its id.
#[cfg(feature = "ssr")]
fn subject(
    kind: &str,
    id: i64,
) -> Result<gongzhi_domain::deliberation::comments::Subject, AppError> {
    use gongzhi_domain::deliberation::comments::Subject;
    match kind {
        "process" => Ok(Subject::Process(id)),
        "proposal" => Ok(Subject::Proposal(id)),
        _ => Err(AppError::NotFound),
    }
}

/// One page of a discussion, in the order and after the cursor a page's query names.
#[cfg(feature = "ssr")]
async fn discussion_page(
    st: &crate::state::AppState,
    me: Option<&gongzhi_domain::model::Me>,
    subject: gongzhi_domain::deliberation::comments::Subject,
    order: &str,
    after: &str,
) -> Result<CommentPage, AppError> {
    use gongzhi_domain::model::deliberation::CommentOrder;
    let after = (!after.is_empty()).then_some(after);
    Ok(gongzhi_domain::deliberation::comments::page(
        &st.svc,
        me,
        subject,
        CommentOrder::parse(order),
        after,
    )
    .await?)
}

/// A comment or a reply (`parent`).
#[server(prefix = "/api", endpoint = "post_comment")]
pub async fn post_comment(
    kind: String,
    id: i64,
    #[server(default)] stance: String,
    body: String,
    #[server(default)] parent: Option<i64>,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("body", &body)]);
            let me = current_user().await?;
            let input = gongzhi_domain::deliberation::comments::NewComment {
                stance,
                body,
                parent,
                ip: client_ip(),
            };
            Ok(gongzhi_domain::deliberation::comments::post(
                &st.svc,
                me.as_ref(),
                subject(&kind, id)?,
                input,
            )
            .await?)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "edit_comment")]
pub async fn edit_comment(id: i64, body: String) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(
                gongzhi_domain::deliberation::comments::edit(&st.svc, me.as_ref(), id, &body)
                    .await?,
            )
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "delete_comment")]
pub async fn delete_comment(id: i64) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::deliberation::comments::delete(&st.svc, me.as_ref(), id).await?)
        }
        .await,
    )
}

/// "Helpful" (`on`) or taking it back; the new count.
#[server(prefix = "/api", endpoint = "vote_comment")]
pub async fn vote_comment(id: i64, on: bool) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::deliberation::comments::vote(&st.svc, me.as_ref(), id, on).await?)
        }
        .await,
    )
}

/// Follows (`on`) a process or a proposal (`kind`), or stops following it.
#[server(prefix = "/api", endpoint = "follow")]
pub async fn follow(kind: String, id: i64, on: bool) -> Result<(), AppError> {
    with_status(
        async move {
            use gongzhi_domain::deliberation::follows::{self, Target};
            let st = state()?;
            let me = current_user().await?;
            let target = match kind.as_str() {
                "process" => Target::Process(id),
                "proposal" => Target::Proposal(id),
                _ => return Err(AppError::NotFound),
            };
            Ok(follows::follow(&st.svc, me.as_ref(), target, on).await?)
        }
        .await,
    )
}

/// The department's answer on a proposal.
#[server(prefix = "/api", endpoint = "answer_proposal")]
pub async fn answer_proposal(
    id: i64,
    #[server(default)] outcome: String,
    answer: String,
    #[server(default)] progress: String,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[
                ("outcome", &outcome),
                ("answer", &answer),
                ("progress", &progress),
            ]);
            let me = current_user().await?;
            let input = gongzhi_domain::deliberation::outcomes::OutcomeInput {
                outcome,
                answer,
                progress,
            };
            Ok(
                gongzhi_domain::deliberation::outcomes::answer(&st.svc, me.as_ref(), id, input)
                    .await?,
            )
        }
        .await,
    )
}

/// Publishes or corrects a process's closing report.
#[server(prefix = "/api", endpoint = "closing_report")]
pub async fn publish_closing_report(id: i64, report: String) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("report", &report)]);
            let me = current_user().await?;
            Ok(gongzhi_domain::deliberation::outcomes::closing_report(
                &st.svc,
                me.as_ref(),
                id,
                &report,
            )
            .await?)
        }
        .await,
    )
}

/// Merges duplicate proposal `id` into proposal `into`.
#[server(prefix = "/api", endpoint = "merge_proposal")]
pub async fn merge_proposal(id: i64, #[server(default)] into: String) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(
                gongzhi_domain::deliberation::outcomes::merge(&st.svc, me.as_ref(), id, &into)
                    .await?,
            )
        }
        .await,
    )
}

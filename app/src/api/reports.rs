//! Reports: the catalogue, the public list and page, "me too" and follow, the report form's
//! data, tracking codes, notifications. Filing a report is a multipart form handled by the
//! server crate (`POST /reports/new`), so photos travel with it even without wasm.

use std::collections::BTreeMap;

use gongzhi_domain::model::catalog::{Category, CategoryGroup, Grid};
use gongzhi_domain::model::report::{PhotoRef, ReportDetail, ReportPage, Viewer};
use gongzhi_domain::model::Department;
use gongzhi_domain::FieldError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::*;

/// Reports per page of the public list.
pub const PAGE_SIZE: i64 = 50;

/// Everything needed to name categories, groups, departments and grids on a page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub groups: Vec<CategoryGroup>,
    pub categories: Vec<Category>,
    pub departments: Vec<Department>,
    pub grids: Vec<Grid>,
}

impl Catalog {
    pub fn category(&self, id: i64) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }
    pub fn department(&self, id: i64) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }
    pub fn grid(&self, id: i64) -> Option<&Grid> {
        self.grids.iter().find(|g| g.id == id)
    }
}

#[cfg(feature = "ssr")]
pub async fn load_catalog(include_inactive: bool) -> Result<Catalog, AppError> {
    let db = &state()?.svc.db;
    Ok(Catalog {
        groups: gongzhi_domain::categories::groups(db).await?,
        categories: gongzhi_domain::categories::list(db, include_inactive).await?,
        departments: gongzhi_domain::departments::list(db).await?,
        grids: gongzhi_domain::grids::list(db).await?,
    })
}

/// The catalogue, for pages that name categories and grids.
#[server(prefix = "/api", endpoint = "catalog")]
pub async fn report_catalog() -> Result<Catalog, AppError> {
    with_status(async move { load_catalog(true).await }.await)
}

/// The list's filters as they appear in the page's query string.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub grid: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub closed_from: String,
    #[serde(default)]
    pub closed_to: String,
    /// `on_time` or `late`.
    #[serde(default)]
    pub timely: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub before: String,
}

/// A page of the list with the names it needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListResult {
    pub page: ReportPage,
    pub catalog: Catalog,
    /// Filters left out because their values were bad, by field.
    pub problems: Vec<FieldError>,
}

/// The domain filter of a list query; a bad value is an error naming its field.
#[cfg(feature = "ssr")]
pub fn to_filter(
    q: &ListQuery,
) -> Result<(gongzhi_domain::model::report::ReportFilter, Option<i64>), AppError> {
    let (filter, before, problems) = read_filter(q);
    if problems.is_empty() {
        Ok((filter, before))
    } else {
        Err(AppError::Invalid(problems))
    }
}

/// The domain filter of a list query with the bad values left out, and what was wrong with
/// each (by field): the list page still lists, and says which filter it ignored.
#[cfg(feature = "ssr")]
pub fn read_filter(
    q: &ListQuery,
) -> (
    gongzhi_domain::model::report::ReportFilter,
    Option<i64>,
    Vec<FieldError>,
) {
    use gongzhi_domain::model::report::{ReportFilter, ReportStatus};
    use gongzhi_domain::Problem;
    let mut problems = Vec::new();
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    use crate::api::{day_filter, range_end};
    let from = day_filter("from", &q.from, &mut problems);
    let to = day_filter("to", &q.to, &mut problems);
    let to = range_end("to", from, to, &mut problems);
    let closed_from = day_filter("closed_from", &q.closed_from, &mut problems);
    let closed_to = day_filter("closed_to", &q.closed_to, &mut problems);
    let closed_to = range_end("closed_to", closed_from, closed_to, &mut problems);
    let on_time = match q.timely.trim() {
        "" => None,
        "on_time" => Some(true),
        "late" => Some(false),
        _ => {
            problems.push(FieldError::new("timely", Problem::InvalidChoice));
            None
        }
    };
    let (status, open) = match q.status.trim() {
        "" => (None, None),
        "open" => (None, Some(true)),
        "closed_all" => (None, Some(false)),
        s => match ReportStatus::parse(s) {
            Some(st) => (Some(st), None),
            None => {
                problems.push(FieldError::new("status", Problem::InvalidChoice));
                (None, None)
            }
        },
    };
    let before = match q.before.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(b) => Some(b),
            Err(_) => {
                problems.push(FieldError::new("before", Problem::NotANumber));
                None
            }
        },
    };
    (
        ReportFilter {
            category: text(&q.category),
            group: text(&q.group),
            status,
            open,
            grid: text(&q.grid),
            department: text(&q.department),
            from,
            to,
            closed_from,
            closed_to,
            on_time,
            q: text(&q.q),
            reporter_id: None,
        },
        before,
        problems,
    )
}

/// The public list (or, with `mine`, the signed-in resident's own reports).
#[server(prefix = "/api", endpoint = "reports")]
pub async fn list_reports(
    #[server(default)] query: ListQuery,
    #[server(default)] mine: bool,
) -> Result<ListResult, AppError> {
    with_status(
        async move {
            let st = state()?;
            let (mut filter, before, problems) = read_filter(&query);
            if mine {
                filter.reporter_id = Some(require_user().await?.id);
            }
            let page = gongzhi_domain::reports::list(&st.svc, &filter, before, PAGE_SIZE).await?;
            Ok(ListResult {
                page,
                catalog: load_catalog(true).await?,
                problems,
            })
        }
        .await,
    )
}

/// One report's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub report: ReportDetail,
    pub viewer: Viewer,
    /// The viewer may add updates (an official of its department, or an admin).
    pub can_update: bool,
    /// The viewer works cases in the built-in case system (officials and admins there).
    pub case_page: bool,
    /// The report is closed recently enough for its reporter to ask for it to be handled
    /// again.
    pub reopenable: bool,
    pub catalog: Catalog,
    /// Flags, blurs, appeals and moderation controls on this page.
    pub moderation: gongzhi_domain::model::moderation::ReportMarks,
    /// The reporter's ratings of the handling, the rectifications poor ones sent back, and
    /// the round the reporter may rate now.
    pub ratings: gongzhi_domain::model::rating::ReportRatings,
}

#[server(prefix = "/api", endpoint = "report")]
pub async fn get_report(id: i64) -> Result<ReportView, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::Role;
            let st = state()?;
            let me = current_user().await?;
            let mut report = gongzhi_domain::reports::get(&st.svc, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let viewer = gongzhi_domain::reports::viewer(&st.svc, me.as_ref(), id).await?;
            let can_update = me.as_ref().is_some_and(|m| {
                m.role == Role::Admin
                    || (m.role == Role::Official && m.department_id == Some(report.department_id))
            });
            // Text moderators hold or hid: its reporter, the department and moderators still
            // read it.
            let moderator = gongzhi_domain::moderation::require_moderator(me.as_ref()).is_ok();
            if report.description.is_empty() && (viewer.is_reporter || can_update || moderator) {
                report.description = gongzhi_domain::reports::own_text(&st.svc, id)
                    .await?
                    .unwrap_or_default();
            }
            let case_page = matches!(st.svc.cases, gongzhi_domain::cases::CaseSystem::Builtin)
                && me
                    .as_ref()
                    .is_some_and(|m| matches!(m.role, Role::Admin | Role::Official));
            let reopenable = gongzhi_domain::model::report::reopen_problem(
                report.status,
                report.closed_at,
                chrono::Utc::now(),
            )
            .is_none();
            let moderation = gongzhi_domain::moderation::flags::report_marks(
                &st.svc,
                me.as_ref(),
                id,
                viewer.is_reporter,
                report.hidden.is_some(),
            )
            .await?;
            let ratings = gongzhi_domain::ratings::reports::of_report(
                &st.svc,
                id,
                report.status,
                viewer.is_reporter,
            )
            .await?;
            Ok(ReportView {
                reopenable,
                moderation,
                ratings,
                report,
                viewer,
                can_update,
                case_page,
                catalog: load_catalog(true).await?,
            })
        }
        .await,
    )
}

/// The report an anonymous reporter's tracking code belongs to.
#[server(prefix = "/api", endpoint = "track")]
pub async fn track_report(code: String) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            gongzhi_domain::reports::track(&st.svc, &code)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// "Me too" (`on`) or taking it back.
#[server(prefix = "/api", endpoint = "support_report")]
pub async fn support_report(id: i64, on: bool) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(if on {
                gongzhi_domain::reports::support(&st.svc, me.as_ref(), id).await?
            } else {
                gongzhi_domain::reports::unsupport(&st.svc, me.as_ref(), id).await?
            })
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "follow_report")]
pub async fn follow_report(id: i64, on: bool) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            if on {
                gongzhi_domain::reports::follow(&st.svc, me.as_ref(), id).await?;
            } else {
                gongzhi_domain::reports::unfollow(&st.svc, me.as_ref(), id).await?;
            }
            Ok(())
        }
        .await,
    )
}

/// A note by the department, public or internal (the status moves through the case
/// workflow or comes from the case system).
#[server(prefix = "/api", endpoint = "report_update")]
pub async fn add_report_update(
    id: i64,
    note: String,
    public: Option<String>,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            let update = gongzhi_domain::reports::Update {
                status: None,
                note,
                public: public.is_some(),
            };
            Ok(gongzhi_domain::reports::add_update(&st.svc, me.as_ref(), id, update).await?)
        }
        .await,
    )
}

/// The reporter's follow-up, or (with `reopen`) "not fixed: handle it again" on a closed
/// report. An anonymous reporter proves it is theirs with the tracking `code`.
#[server(prefix = "/api", endpoint = "report_follow_up")]
pub async fn report_follow_up(
    id: i64,
    note: String,
    reopen: Option<String>,
    code: Option<String>,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("note", &note)]);
            let me = current_user().await?;
            let input = gongzhi_domain::reports::FollowUp {
                note,
                reopen: reopen.is_some(),
                rectify_by: None,
            };
            Ok(
                gongzhi_domain::reports::follow_up(
                    &st.svc,
                    me.as_ref(),
                    code.as_deref(),
                    id,
                    input,
                )
                .await?,
            )
        }
        .await,
    )
}

/// The reporter rates how a closed report was handled (a poor rating sends it back for
/// rectification). An anonymous reporter proves it is theirs with the tracking `code`.
#[server(prefix = "/api", endpoint = "rate_report")]
pub async fn rate_report(
    id: i64,
    #[server(default)] code: String,
    #[server(default)] level: String,
    #[server(default)] speed: String,
    #[server(default)] result: String,
    #[server(default)] attitude: String,
    #[server(default)] rating_comment: String,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("rating_comment", &rating_comment)]);
            let me = current_user().await?;
            let input = gongzhi_domain::ratings::RatingInput {
                level,
                speed,
                result,
                attitude,
                comment: rating_comment,
            };
            let code = Some(code.as_str()).filter(|c| !c.trim().is_empty());
            gongzhi_domain::ratings::reports::rate(&st.svc, me.as_ref(), code, id, input)
                .await
                .map_err(|e| crate::api::rename_field(e, "comment", "rating_comment"))
        }
        .await,
    )
}

/// What the resident typed in a report form sent without JavaScript that had problems.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportFormValues {
    pub category: String,
    pub lat: String,
    pub lon: String,
    pub address: String,
    pub description: String,
    pub answers: BTreeMap<String, Vec<String>>,
    pub hide_name: bool,
}

/// The values and the problems, kept between the rejected post and the form coming back.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportFormFlash {
    pub values: ReportFormValues,
    pub errors: Vec<FieldError>,
    /// A problem with the form as a whole (e.g. too many reports this hour).
    pub general: Option<AppError>,
}

/// Everything the report form page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportFormData {
    /// The form's one-time token: photos are kept under it, and a double submit is one report.
    pub token: String,
    pub flash: Option<ReportFormFlash>,
    /// Photos already uploaded with this form.
    pub photos: Vec<PhotoRef>,
    pub catalog: Catalog,
    pub signed_in: bool,
    pub allow_anonymous: bool,
    pub max_photo_mb: usize,
    pub tile_url: String,
    pub attribution: String,
    /// Where the map opens: (lat, lon).
    pub center: (f64, f64),
}

/// A form with photos, by its one-time token: a form coming back with problems (`draft`)
/// gets what was typed and the photos already accepted; otherwise a new token.
#[cfg(feature = "ssr")]
pub async fn form_draft<F: serde::de::DeserializeOwned>(
    draft: Option<String>,
) -> Result<(String, Option<F>, Vec<PhotoRef>), AppError> {
    let st = state()?;
    match draft.filter(|t| gongzhi_domain::reports::valid_token(t)) {
        Some(t) => {
            let flash = gongzhi_domain::flash::load(&st.svc.db, &t)
                .await?
                .and_then(|json| serde_json::from_str::<F>(&json).ok());
            let photos = gongzhi_domain::reports::pending_photos(&st.svc, &t).await?;
            Ok((t, flash, photos))
        }
        None => Ok((
            gongzhi_domain::accounts::tokens::new_token(),
            None,
            Vec::new(),
        )),
    }
}

/// The report form's data; `draft` is the token of a form coming back with problems.
#[server(prefix = "/api", endpoint = "report_form")]
pub async fn report_form(draft: Option<String>) -> Result<ReportFormData, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            let (token, flash, photos) = form_draft::<ReportFormFlash>(draft).await?;
            let center = gongzhi_domain::grids::extent(&st.svc.db)
                .await?
                .map(|b| ((b.min_lat + b.max_lat) / 2.0, (b.min_lon + b.max_lon) / 2.0))
                .unwrap_or((22.817, 108.366));
            Ok(ReportFormData {
                token,
                flash,
                photos,
                catalog: load_catalog(false).await?,
                signed_in: me.is_some(),
                allow_anonymous: st.svc.reports.allow_anonymous,
                max_photo_mb: st.svc.reports.max_photo_bytes / (1024 * 1024),
                tile_url: st.map.tile_url.clone(),
                attribution: st.map.attribution.clone(),
                center,
            })
        }
        .await,
    )
}

/// The signed-in user's notifications, newest first, and how many were unread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationList {
    pub items: Vec<gongzhi_domain::model::notification::Notification>,
    pub unread: i64,
    /// The user also wants them by email.
    pub email: bool,
    /// Mail really leaves this server (SMTP configured).
    pub smtp: bool,
}

#[server(prefix = "/api", endpoint = "notifications")]
pub async fn notifications() -> Result<NotificationList, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = require_user().await?;
            let unread = gongzhi_domain::notifications::unread_count(&st.svc, &me).await?;
            let items = gongzhi_domain::notifications::list(&st.svc, &me, 100).await?;
            let email = gongzhi_domain::notifications::email_opt_in(&st.svc, &me).await?;
            Ok(NotificationList {
                items,
                unread,
                email,
                smtp: st.smtp_configured,
            })
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "notifications_read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = require_user().await?;
            Ok(gongzhi_domain::notifications::mark_all_read(&st.svc, &me).await?)
        }
        .await,
    )
}

/// Turns notifications by email on or off for the signed-in user.
#[server(prefix = "/api", endpoint = "email_notifications")]
pub async fn set_email_notifications(on: Option<String>) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = require_user().await?;
            Ok(gongzhi_domain::notifications::set_email_opt_in(&st.svc, &me, on.is_some()).await?)
        }
        .await,
    )
}

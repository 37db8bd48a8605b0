//! Ask the government: the public questions, one question, the ask form, what departments
//! do with questions, and the accountability figures. Like deliberation, the pages are plain
//! HTML and their forms are server functions posted as plain forms.

// A server function takes its form's fields as arguments; the rating form has several.
#![allow(clippy::too_many_arguments)]

use gongzhi_domain::model::question::{
    CalendarDay, DepartmentFigures, QuestionComment, QuestionDetail, QuestionPage, Similar, Viewer,
};
use gongzhi_domain::model::Department;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::*;

/// The public question list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionList {
    pub page: QuestionPage,
    pub departments: Vec<Department>,
    pub signed_in: bool,
    /// Admins see the questions waiting for routing.
    pub is_admin: bool,
    /// The viewer is an official: their department's questions are one click away.
    pub own_department: Option<i64>,
    /// Date limits left out because they were not dates (or ended before they started).
    pub problems: Vec<gongzhi_domain::FieldError>,
}

/// Date limits of the public list (local days, `YYYY-MM-DD`; empty for none), as the
/// results page links to them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionDates {
    #[serde(default)]
    pub asked_from: String,
    #[serde(default)]
    pub asked_to: String,
    #[serde(default)]
    pub answered_from: String,
    #[serde(default)]
    pub answered_to: String,
}

impl QuestionDates {
    /// As query-string pairs (`&name=value` each), for links that keep them.
    pub fn query(&self) -> String {
        [
            ("asked_from", &self.asked_from),
            ("asked_to", &self.asked_to),
            ("answered_from", &self.answered_from),
            ("answered_to", &self.answered_to),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("&{k}={}", crate::util::query_escape(v)))
        .collect()
    }
}

#[server(prefix = "/api", endpoint = "questions")]
pub async fn list_questions(
    #[server(default)] department: String,
    #[server(default)] show: String,
    #[server(default)] sort: String,
    #[server(default)] q: String,
    #[server(default)] page: String,
    #[server(default)] dates: QuestionDates,
) -> Result<QuestionList, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::question::{Filter, Show, Sort};
            use gongzhi_domain::model::Role;
            let st = state()?;
            let me = current_user().await?;
            use crate::api::{day_filter, range_end};
            let mut problems = Vec::new();
            let asked_from = day_filter("asked_from", &dates.asked_from, &mut problems);
            let asked_to = day_filter("asked_to", &dates.asked_to, &mut problems);
            let asked_to = range_end("asked_to", asked_from, asked_to, &mut problems);
            let answered_from = day_filter("answered_from", &dates.answered_from, &mut problems);
            let answered_to = day_filter("answered_to", &dates.answered_to, &mut problems);
            let answered_to = range_end("answered_to", answered_from, answered_to, &mut problems);
            let filter = Filter {
                department: department.trim().parse().ok(),
                show: Show::parse(show.trim()),
                sort: Sort::parse(sort.trim()),
                q: q.chars().take(100).collect(),
                asked_from,
                asked_to,
                answered_from,
                answered_to,
                page: page.trim().parse().unwrap_or(0),
            };
            Ok(QuestionList {
                page: gongzhi_domain::questions::read::list(&st.svc, me.as_ref(), &filter).await?,
                departments: gongzhi_domain::departments::list(&st.svc.db).await?,
                signed_in: me.is_some(),
                is_admin: me.as_ref().is_some_and(|m| m.role == Role::Admin),
                own_department: me
                    .as_ref()
                    .filter(|m| m.role == Role::Official)
                    .and_then(|m| m.department_id),
                problems,
            })
        }
        .await,
    )
}

/// The ask form: departments to choose from, and similar questions to what was typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AskFormData {
    pub departments: Vec<Department>,
    pub signed_in: bool,
    /// The city reviews questions before publishing them.
    pub reviewed: bool,
    pub similar: Vec<Similar>,
}

#[server(prefix = "/api", endpoint = "ask_form")]
pub async fn ask_form(#[server(default)] title: String) -> Result<AskFormData, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::moderation::Mode;
            let st = state()?;
            let me = current_user().await?;
            let title: String = title.chars().take(200).collect();
            Ok(AskFormData {
                departments: gongzhi_domain::departments::list(&st.svc.db).await?,
                signed_in: me.is_some(),
                reviewed: gongzhi_domain::moderation::settings::qa_mode(&st.svc).await?
                    == Mode::Pre,
                similar: gongzhi_domain::questions::read::similar(&st.svc, &title).await?,
            })
        }
        .await,
    )
}

/// Similar public questions to a title being typed (for the ask form's live suggestions).
#[server(prefix = "/api", endpoint = "similar_questions", input = server_fn::codec::GetUrl)]
pub async fn similar_questions(title: String) -> Result<Vec<Similar>, AppError> {
    with_status(
        async move {
            let st = state()?;
            let title: String = title.chars().take(200).collect();
            Ok(gongzhi_domain::questions::read::similar(&st.svc, &title).await?)
        }
        .await,
    )
}

/// A resident asks a department a question. Returns its id.
#[server(prefix = "/api", endpoint = "ask")]
pub async fn ask_question(
    title: String,
    body: String,
    #[server(default)] department: String,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[
                ("title", &title),
                ("body", &body),
                ("department", &department),
            ]);
            let me = current_user().await?;
            let input = gongzhi_domain::questions::QuestionInput {
                title,
                body,
                department,
                ip: client_ip(),
            };
            let id = gongzhi_domain::questions::ask(&st.svc, me.as_ref(), input).await?;
            leptos_axum::redirect(&format!("/questions/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// One question's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionPageData {
    pub question: QuestionDetail,
    pub viewer: Viewer,
    pub departments: Vec<Department>,
    pub comments: Vec<QuestionComment>,
    /// For officials who may attach files to an answer on this page.
    pub files_form: Option<AnswerFilesForm>,
}

/// The form that attaches files to an answer (a plain multipart post).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerFilesForm {
    /// The form's one-time token (a refused form's flash is kept under it).
    pub token: String,
    /// What a refused form sent back.
    pub flash: Option<AnswerFilesFlash>,
    pub max_mb: usize,
}

/// What a refused file form sent back: which answer, and the problems.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerFilesFlash {
    pub answer_id: i64,
    pub errors: Vec<gongzhi_domain::FieldError>,
    /// A problem with the form as a whole.
    pub general: Option<AppError>,
}

#[server(prefix = "/api", endpoint = "question")]
pub async fn get_question(
    id: i64,
    #[server(default)] draft: String,
) -> Result<QuestionPageData, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            let (question, viewer) = gongzhi_domain::questions::read::get(&st.svc, me.as_ref(), id)
                .await?
                .ok_or(AppError::NotFound)?;
            // Officials see an answer's text to edit exactly when they may change it.
            let files_form = if question.answers.iter().any(|a| !a.body.is_empty()) {
                let (token, flash) = if gongzhi_domain::reports::valid_token(&draft) {
                    let flash = gongzhi_domain::flash::load(&st.svc.db, &draft)
                        .await?
                        .and_then(|json| serde_json::from_str::<AnswerFilesFlash>(&json).ok());
                    (draft.clone(), flash)
                } else {
                    (gongzhi_domain::accounts::tokens::new_token(), None)
                };
                Some(AnswerFilesForm {
                    token,
                    flash,
                    max_mb: st.svc.reports.max_photo_bytes / (1024 * 1024),
                })
            } else {
                None
            };
            Ok(QuestionPageData {
                comments: gongzhi_domain::questions::comments::list(&st.svc, me.as_ref(), id)
                    .await?,
                question,
                viewer,
                departments: gongzhi_domain::departments::list(&st.svc.db).await?,
                files_form,
            })
        }
        .await,
    )
}

/// A resident comments on a question.
#[server(prefix = "/api", endpoint = "comment_question")]
pub async fn comment_question(id: i64, comment: String) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("comment", &comment)]);
            let me = current_user().await?;
            Ok(gongzhi_domain::questions::comments::post(
                &st.svc,
                me.as_ref(),
                id,
                &comment,
                &client_ip(),
            )
            .await?)
        }
        .await,
    )
}

/// An admin routes a question to a department.
#[server(prefix = "/api", endpoint = "route_question")]
pub async fn route_question(
    id: i64,
    #[server(default)] department: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::questions::route(&st.svc, me.as_ref(), id, &department).await?)
        }
        .await,
    )
}

/// The department's answer.
#[server(prefix = "/api", endpoint = "answer_question")]
pub async fn answer_question(id: i64, answer: String) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("answer", &answer)]);
            let me = current_user().await?;
            Ok(
                gongzhi_domain::questions::answers::answer(&st.svc, me.as_ref(), id, &answer)
                    .await?,
            )
        }
        .await,
    )
}

/// An official rewrites an answer (the old wording stays in its history).
#[server(prefix = "/api", endpoint = "edit_answer")]
pub async fn edit_answer(id: i64, answer_text: String) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("answer_text", &answer_text)]);
            let me = current_user().await?;
            Ok(
                gongzhi_domain::questions::answers::edit(&st.svc, me.as_ref(), id, &answer_text)
                    .await?,
            )
        }
        .await,
    )
}

/// The department hands the question to another, with a public note.
#[server(prefix = "/api", endpoint = "hand_over_question")]
pub async fn hand_over_question(
    id: i64,
    #[server(default)] department: String,
    #[server(default)] handover_note: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("handover_note", &handover_note)]);
            let me = current_user().await?;
            gongzhi_domain::questions::answers::hand_over(
                &st.svc,
                me.as_ref(),
                id,
                &department,
                &handover_note,
            )
            .await
            .map_err(|e| crate::api::rename_field(e, "note", "handover_note"))?;
            Ok(())
        }
        .await,
    )
}

/// The department is looking into the question, expecting to answer by a date.
#[server(prefix = "/api", endpoint = "looking_into_question")]
pub async fn looking_into_question(
    id: i64,
    #[server(default)] expected_on: String,
    #[server(default)] looking_note: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[
                ("expected_on", &expected_on),
                ("looking_note", &looking_note),
            ]);
            let me = current_user().await?;
            gongzhi_domain::questions::answers::looking_into(
                &st.svc,
                me.as_ref(),
                id,
                &expected_on,
                &looking_note,
            )
            .await
            .map_err(|e| crate::api::rename_field(e, "note", "looking_note"))?;
            Ok(())
        }
        .await,
    )
}

/// The asker's one follow-up.
#[server(prefix = "/api", endpoint = "follow_up_question")]
pub async fn follow_up_question(id: i64, follow_up: String) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("follow_up", &follow_up)]);
            let me = current_user().await?;
            Ok(
                gongzhi_domain::questions::answers::follow_up(&st.svc, me.as_ref(), id, &follow_up)
                    .await?,
            )
        }
        .await,
    )
}

/// "I want to know too" (`on`), or taking it back; the new count.
#[server(prefix = "/api", endpoint = "want_question")]
pub async fn want_question(id: i64, on: bool) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::questions::engage::want(&st.svc, me.as_ref(), id, on).await?)
        }
        .await,
    )
}

/// Follows a question (`on`) or stops.
#[server(prefix = "/api", endpoint = "follow_question")]
pub async fn follow_question(id: i64, on: bool) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::questions::engage::follow(&st.svc, me.as_ref(), id, on).await?)
        }
        .await,
    )
}

/// The asker rates an answer.
#[server(prefix = "/api", endpoint = "rate_answer")]
pub async fn rate_answer(
    id: i64,
    #[server(default)] level: String,
    #[server(default)] speed: String,
    #[server(default)] result: String,
    #[server(default)] attitude: String,
    #[server(default)] rating_comment: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("rating_comment", &rating_comment)]);
            let me = current_user().await?;
            let input = gongzhi_domain::questions::engage::RatingInput {
                level,
                speed,
                result,
                attitude,
                comment: rating_comment,
            };
            gongzhi_domain::questions::engage::rate(&st.svc, me.as_ref(), id, input)
                .await
                .map_err(|e| crate::api::rename_field(e, "comment", "rating_comment"))?;
            Ok(())
        }
        .await,
    )
}

/// Every department with its question figures, for the comparison page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentsData {
    pub rows: Vec<(Department, DepartmentFigures, i64)>,
}

#[server(prefix = "/api", endpoint = "departments")]
pub async fn departments_figures() -> Result<DepartmentsData, AppError> {
    with_status(
        async move {
            let st = state()?;
            let departments = gongzhi_domain::departments::list(&st.svc.db).await?;
            let figures = gongzhi_domain::questions::figures::all(&st.svc).await?;
            let days = gongzhi_domain::questions::deadlines::all_answer_days(&st.svc).await?;
            let rows = departments
                .into_iter()
                .map(|d| {
                    let f = figures
                        .iter()
                        .find(|f| f.department_id == d.id)
                        .cloned()
                        .unwrap_or(DepartmentFigures {
                            department_id: d.id,
                            ..Default::default()
                        });
                    let n = days
                        .iter()
                        .find(|(id, _)| *id == d.id)
                        .map(|x| x.1)
                        .unwrap_or(5);
                    (d, f, n)
                })
                .collect();
            Ok(DepartmentsData { rows })
        }
        .await,
    )
}

/// One department's page: its figures and its newest questions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentData {
    pub department: Department,
    pub figures: DepartmentFigures,
    /// Its reports and ratings over all time, as the results page counts them.
    pub results: gongzhi_domain::model::stats::Figures,
    pub answer_days: i64,
    pub unanswered: QuestionPage,
    pub answered: QuestionPage,
    /// A retired department's successor (the newest, when it was retired in turn).
    #[serde(default)]
    pub successor: Option<Department>,
}

#[server(prefix = "/api", endpoint = "department")]
pub async fn department_page(code: String) -> Result<DepartmentData, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::question::{Filter, Show, Sort};
            let st = state()?;
            let me = current_user().await?;
            let departments = gongzhi_domain::departments::list(&st.svc.db).await?;
            let department = departments
                .iter()
                .find(|d| d.code == code)
                .cloned()
                .ok_or(AppError::NotFound)?;
            // Follow the chain of reorganisations to the department working today.
            let mut successor: Option<Department> = None;
            let mut next = department.successor_id;
            for _ in 0..departments.len() {
                let Some(d) = next.and_then(|id| departments.iter().find(|d| d.id == id)) else {
                    break;
                };
                successor = Some(d.clone());
                next = d.successor_id;
            }
            let list = |show, sort| Filter {
                department: Some(department.id),
                show,
                sort,
                ..Default::default()
            };
            let read = gongzhi_domain::questions::read::list;
            Ok(DepartmentData {
                figures: gongzhi_domain::questions::figures::department(&st.svc, department.id)
                    .await?,
                results: gongzhi_domain::stats::results(&st.svc, None, Some(department.id))
                    .await?
                    .figures,
                answer_days: gongzhi_domain::questions::deadlines::answer_days(
                    &st.svc,
                    department.id,
                )
                .await?,
                unanswered: read(
                    &st.svc,
                    me.as_ref(),
                    &list(Show::Unanswered, Sort::OldestUnanswered),
                )
                .await?,
                answered: read(&st.svc, me.as_ref(), &list(Show::Answered, Sort::Newest)).await?,
                department,
                successor,
            })
        }
        .await,
    )
}

/// The admin's page of answer deadlines: each department's working days, and the calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeadlinesData {
    pub departments: Vec<(Department, i64)>,
    pub days: Vec<CalendarDay>,
}

#[server(prefix = "/api", endpoint = "deadlines")]
pub async fn deadlines() -> Result<DeadlinesData, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::Role;
            let st = state()?;
            let me = current_user().await?.ok_or(AppError::Unauthenticated)?;
            if me.role != Role::Admin {
                return Err(AppError::Forbidden);
            }
            let days = gongzhi_domain::questions::deadlines::all_answer_days(&st.svc).await?;
            let departments = gongzhi_domain::departments::list(&st.svc.db)
                .await?
                .into_iter()
                .filter(|d| !d.retired)
                .map(|d| {
                    let n = days
                        .iter()
                        .find(|(id, _)| *id == d.id)
                        .map(|x| x.1)
                        .unwrap_or(5);
                    (d, n)
                })
                .collect();
            Ok(DeadlinesData {
                departments,
                days: gongzhi_domain::questions::deadlines::days(&st.svc).await?,
            })
        }
        .await,
    )
}

/// An admin sets a department's answer deadline in working days.
#[server(prefix = "/api", endpoint = "set_answer_days")]
pub async fn set_answer_days(id: i64, answer_days: String) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::questions::deadlines::set_answer_days(
                &st.svc,
                me.as_ref(),
                id,
                &answer_days,
            )
            .await?)
        }
        .await,
    )
}

/// An admin adds a holiday or a worked weekend day.
#[server(prefix = "/api", endpoint = "set_calendar_day")]
pub async fn set_calendar_day(
    #[server(default)] day: String,
    #[server(default)] kind: String,
    #[server(default)] name: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("day", &day), ("name", &name)]);
            let me = current_user().await?;
            Ok(gongzhi_domain::questions::deadlines::set_day(
                &st.svc,
                me.as_ref(),
                &day,
                &kind,
                &name,
            )
            .await?)
        }
        .await,
    )
}

/// An admin removes a calendar exception.
#[server(prefix = "/api", endpoint = "remove_calendar_day")]
pub async fn remove_calendar_day(day: String) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(
                gongzhi_domain::questions::deadlines::remove_day(&st.svc, me.as_ref(), &day)
                    .await?,
            )
        }
        .await,
    )
}

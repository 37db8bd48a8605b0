//! Live Q&A sessions: the list, one session, the admin's scheduling form, and what residents
//! and officials do during a session. Plain forms; the session page's small script posts
//! them in place and follows the session's event stream.

use gongzhi_domain::model::live::{Session, SessionPage};
use gongzhi_domain::model::Department;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::*;

/// The sessions page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveList {
    pub sessions: Vec<Session>,
    pub departments: Vec<Department>,
    pub is_admin: bool,
}

#[server(prefix = "/api", endpoint = "live_sessions")]
pub async fn live_sessions() -> Result<LiveList, AppError> {
    with_status(
        async move {
            use gongzhi_domain::model::Role;
            let st = state()?;
            let me = current_user().await?;
            Ok(LiveList {
                sessions: gongzhi_domain::live::list(&st.svc).await?,
                departments: gongzhi_domain::departments::list(&st.svc.db).await?,
                is_admin: me.is_some_and(|m| m.role == Role::Admin),
            })
        }
        .await,
    )
}

/// An admin schedules a session.
#[server(prefix = "/api", endpoint = "schedule_live")]
pub async fn schedule_live(
    #[server(default)] title: String,
    #[server(default)] description: String,
    #[server(default)] department: String,
    #[server(default)] starts: String,
    #[server(default)] ends: String,
) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[
                ("title", &title),
                ("description", &description),
                ("department", &department),
                ("starts", &starts),
                ("ends", &ends),
            ]);
            let me = current_user().await?;
            let input = gongzhi_domain::live::SessionInput {
                title,
                description,
                department,
                starts,
                ends,
            };
            let id = gongzhi_domain::live::schedule(&st.svc, me.as_ref(), input).await?;
            leptos_axum::redirect(&format!("/live/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// An admin changes a session before it starts.
#[server(prefix = "/api", endpoint = "update_live")]
pub async fn update_live(
    id: i64,
    #[server(default)] title: String,
    #[server(default)] description: String,
    #[server(default)] department: String,
    #[server(default)] starts: String,
    #[server(default)] ends: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[
                ("title", &title),
                ("description", &description),
                ("department", &department),
                ("starts", &starts),
                ("ends", &ends),
            ]);
            let me = current_user().await?;
            let input = gongzhi_domain::live::SessionInput {
                title,
                description,
                department,
                starts,
                ends,
            };
            gongzhi_domain::live::update(&st.svc, me.as_ref(), id, input).await?;
            leptos_axum::redirect(&format!("/live/{id}"));
            Ok(())
        }
        .await,
    )
}

/// An admin calls a session off before it starts.
#[server(prefix = "/api", endpoint = "cancel_live")]
pub async fn cancel_live(id: i64, #[server(default)] cancel_note: String) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("cancel_note", &cancel_note)]);
            let me = current_user().await?;
            gongzhi_domain::live::cancel(&st.svc, me.as_ref(), id, &cancel_note).await?;
            leptos_axum::redirect(&format!("/live/{id}"));
            Ok(())
        }
        .await,
    )
}

/// One session's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LivePageData {
    pub page: SessionPage,
    pub department: Option<Department>,
    /// For an admin, while the session has not started: its fields to change.
    pub edit: Option<SessionEdit>,
}

/// A session's fields as the change form shows them (times in the city's local time).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionEdit {
    pub departments: Vec<Department>,
    pub starts: String,
    pub ends: String,
}

#[server(prefix = "/api", endpoint = "live_session")]
pub async fn live_session(id: i64) -> Result<LivePageData, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            let page = gongzhi_domain::live::page(&st.svc, me.as_ref(), id)
                .await?
                .ok_or(AppError::NotFound)?;
            let department =
                gongzhi_domain::departments::get(&st.svc.db, page.session.department_id).await?;
            let admin = me
                .as_ref()
                .is_some_and(|m| m.role == gongzhi_domain::model::Role::Admin);
            let edit =
                if admin && page.session.state == gongzhi_domain::model::live::State::Upcoming {
                    let offset =
                        chrono::Duration::minutes(i64::from(st.svc.reports.utc_offset_minutes));
                    let local = |t: chrono::DateTime<chrono::Utc>| {
                        (t + offset).format("%Y-%m-%dT%H:%M").to_string()
                    };
                    Some(SessionEdit {
                        departments: gongzhi_domain::departments::list(&st.svc.db).await?,
                        starts: local(page.session.starts_at),
                        ends: local(page.session.ends_at),
                    })
                } else {
                    None
                };
            Ok(LivePageData {
                page,
                department,
                edit,
            })
        }
        .await,
    )
}

/// A resident's question in a live session.
#[server(prefix = "/api", endpoint = "live_submit")]
pub async fn live_submit(session: i64, body: String) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("body", &body)]);
            let me = current_user().await?;
            Ok(gongzhi_domain::live::submit(&st.svc, me.as_ref(), session, &body).await?)
        }
        .await,
    )
}

/// Upvotes a live question (`on`) or takes the vote back; the new count.
#[server(prefix = "/api", endpoint = "live_vote")]
pub async fn live_vote(id: i64, on: bool) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::live::vote(&st.svc, me.as_ref(), id, on).await?)
        }
        .await,
    )
}

/// An official marks the question being answered now.
#[server(prefix = "/api", endpoint = "live_answering")]
pub async fn live_answering(id: i64) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::live::answering(&st.svc, me.as_ref(), id).await?)
        }
        .await,
    )
}

/// An official publishes a live answer.
#[server(prefix = "/api", endpoint = "live_answer")]
pub async fn live_answer(id: i64, answer: String) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::live::answer(&st.svc, me.as_ref(), id, &answer).await?)
        }
        .await,
    )
}

//! The public moderation log: every action, newest first, with the kind of content, the
//! reason, the time and the moderator's public name; never the hidden text or the author.

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::model::moderation::{Action, Cause, ItemKind, LogEntry, LogPage, Reason};
use crate::{with_db, Services};

/// Entries on one page.
pub const LOG_PAGE: i64 = 50;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    item_kind: String,
    item_id: i64,
    action: String,
    reason: String,
    note: String,
    moderator_handle: String,
    moderator_id: Option<i64>,
    at: DateTime<Utc>,
    c_process: Option<i64>,
    c_proposal: Option<i64>,
    c_thread: Option<i64>,
    ph_report: Option<i64>,
    qc_question: Option<i64>,
    fu_question: Option<i64>,
    lq_session: Option<i64>,
}

/// A page of the log, older than entry `before` when given.
pub async fn page(svc: &Services, before: Option<i64>) -> Result<LogPage, Error> {
    let before = before.unwrap_or(i64::MAX);
    let mut rows: Vec<Row> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT l.id, l.item_kind, l.item_id, l.action, l.reason, l.note, l.moderator_handle, l.moderator_id, l.at, \
             c.process_id AS c_process, c.proposal_id AS c_proposal, COALESCE(c.root_id, c.id) AS c_thread, \
             ph.report_id AS ph_report, qc.question_id AS qc_question, fu.question_id AS fu_question, \
             lq.session_id AS lq_session \
             FROM moderation_log l \
             LEFT JOIN comments c ON l.item_kind = 'comment' AND c.id = l.item_id \
             LEFT JOIN photos ph ON l.item_kind = 'photo' AND ph.id = l.item_id \
             LEFT JOIN question_comments qc ON l.item_kind = 'question_comment' AND qc.id = l.item_id \
             LEFT JOIN question_follow_ups fu ON l.item_kind = 'question_follow_up' AND fu.id = l.item_id \
             LEFT JOIN live_questions lq ON l.item_kind = 'live_question' AND lq.id = l.item_id \
             WHERE l.id < $1 ORDER BY l.id DESC LIMIT $2",
        )
        .bind(before)
        .bind(LOG_PAGE + 1)
        .fetch_all(p)
        .await
    })?;
    let more = rows.len() as i64 > LOG_PAGE;
    rows.truncate(LOG_PAGE as usize);
    let next = more.then(|| rows.last().map(|r| r.id)).flatten();
    let entries = rows
        .into_iter()
        .filter_map(|r| {
            let kind = ItemKind::parse(&r.item_kind)?;
            let action = Action::parse(&r.action)?;
            let link = match kind {
                ItemKind::Comment => {
                    let base = match r.c_proposal {
                        Some(x) => format!("/proposals/{x}"),
                        None => format!("/deliberation/{}", r.c_process?),
                    };
                    Some(format!(
                        "{base}?corder=oldest&after={}#comment-{}",
                        r.c_thread? - 1,
                        r.item_id
                    ))
                }
                ItemKind::Proposal => Some(format!("/proposals/{}", r.item_id)),
                ItemKind::Report => Some(format!("/reports/{}", r.item_id)),
                ItemKind::Question => Some(format!("/questions/{}", r.item_id)),
                ItemKind::LiveQuestion => {
                    r.lq_session.map(|s| format!("/live/{s}#lq-{}", r.item_id))
                }
                ItemKind::QuestionComment => r
                    .qc_question
                    .map(|q| format!("/questions/{q}#qc-{}", r.item_id)),
                ItemKind::QuestionFollowUp => {
                    r.fu_question.map(|q| format!("/questions/{q}#follow-up"))
                }
                ItemKind::Photo => r.ph_report.map(|id| format!("/reports/{id}")),
                ItemKind::Account => None,
            };
            let (reason, cause) = if action == Action::Hold {
                (None, Some(Cause::parse(&r.reason)))
            } else {
                (Reason::parse(&r.reason), None)
            };
            Some(LogEntry {
                id: r.id,
                kind,
                item_id: if kind == ItemKind::Account {
                    0
                } else {
                    r.item_id
                },
                action,
                reason,
                cause,
                note: r.note,
                moderator: r
                    .moderator_id
                    .map(|_| r.moderator_handle.clone())
                    .or((!r.moderator_handle.is_empty()).then_some(r.moderator_handle)),
                at: r.at,
                link,
            })
        })
        .collect();
    Ok(LogPage { entries, next })
}

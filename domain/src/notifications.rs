//! In-app notifications (and email, for those who opted in): one per follower for each
//! public timeline entry of a report they follow, and notices from deliberation (replies,
//! the department's answers, merged duplicates, closing reports, phase changes). Never for
//! the person who acted. Each is written in the transaction of the change it tells of.

use crate::error::Error;
pub use crate::model::notification::{Notification, NotificationKind};
use crate::model::Me;
use crate::time::now;
use crate::{with_db, Services};

/// Run inside the transaction that adds timeline entry `$2` of report `$1` at `$4`: a
/// notification for every follower of the report except the actor `$3`.
pub(crate) const NOTIFY_FOLLOWERS_SQL: &str = "INSERT INTO notifications (user_id, kind, report_id, event_id, created_at) \
     SELECT user_id, 'report_update', $1, $2, $4 FROM report_follows WHERE report_id = $1 AND user_id <> $3";

/// Who hears of a deliberation notice.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Audience {
    /// The author of comment `id` (someone replied to it).
    CommentAuthor(i64),
    /// The author of proposal `id` (someone commented on it).
    ProposalAuthor(i64),
    /// Those who support or follow proposal `id` (its author follows it from the start).
    ProposalPeople(i64),
    /// Those who follow process `id`, or support or follow any of its proposals.
    ProcessPeople(i64),
    /// Those who follow process `id`.
    ProcessFollowers(i64),
}

impl Audience {
    /// The users, as a query of `user_id` with the audience's id as `$8`.
    fn users_sql(self) -> &'static str {
        match self {
            Audience::CommentAuthor(_) => "SELECT author_id AS user_id FROM comments WHERE id = $8",
            Audience::ProposalAuthor(_) => "SELECT author_id AS user_id FROM proposals WHERE id = $8",
            Audience::ProposalPeople(_) => {
                "SELECT user_id FROM proposal_supports WHERE proposal_id = $8 \
                 UNION SELECT user_id FROM proposal_follows WHERE proposal_id = $8"
            }
            Audience::ProcessPeople(_) => {
                "SELECT user_id FROM process_follows WHERE process_id = $8 \
                 UNION SELECT s.user_id FROM proposal_supports s JOIN proposals x ON x.id = s.proposal_id WHERE x.process_id = $8 \
                 UNION SELECT f.user_id FROM proposal_follows f JOIN proposals x ON x.id = f.proposal_id WHERE x.process_id = $8"
            }
            Audience::ProcessFollowers(_) => "SELECT user_id FROM process_follows WHERE process_id = $8",
        }
    }

    fn id(self) -> i64 {
        match self {
            Audience::CommentAuthor(id)
            | Audience::ProposalAuthor(id)
            | Audience::ProposalPeople(id)
            | Audience::ProcessPeople(id)
            | Audience::ProcessFollowers(id) => id,
        }
    }
}

/// A deliberation notice: what happened, to what, by whom, and who hears of it.
#[derive(Clone, Debug)]
pub(crate) struct Notice {
    pub kind: NotificationKind,
    pub process_id: i64,
    pub proposal_id: Option<i64>,
    pub comment_id: Option<i64>,
    /// The outcome or the phase.
    pub detail: String,
    /// Who acted (0: nobody, the clock).
    pub actor: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub audience: Audience,
}

impl Notice {
    /// The statement that writes the notice, one row per user of the audience except the
    /// actor; bound by [`notify!`].
    pub(crate) fn sql(&self) -> String {
        format!(
            "INSERT INTO notifications (user_id, kind, process_id, proposal_id, comment_id, detail, created_at) \
             SELECT DISTINCT a.user_id, $1, $2, $3, $4, $5, $6 FROM ({}) a \
             WHERE a.user_id IS NOT NULL AND a.user_id <> $7",
            self.audience.users_sql()
        )
    }

    pub(crate) fn audience_id(&self) -> i64 {
        self.audience.id()
    }
}

/// Writes notice `$n` inside transaction (or connection) `$tx`; yields the query's future.
macro_rules! notify {
    ($tx:expr, $n:expr) => {
        sqlx::query(&$n.sql())
            .bind($n.kind.as_str())
            .bind($n.process_id)
            .bind($n.proposal_id)
            .bind($n.comment_id)
            .bind(&$n.detail)
            .bind($n.at)
            .bind($n.actor)
            .bind($n.audience_id())
            .execute($tx)
    };
}
pub(crate) use notify;

/// Emails a moderation notice (`action`: hide, restore, uphold) about the page at `path`
/// to user `user_id`, if they opted in to email. Mail that cannot be queued is logged.
pub(crate) async fn email_moderation(svc: &Services, user_id: i64, path: &str, action: &str) {
    if matches!(svc.mailer, crate::mail::Mailer::OutboxOnly) {
        return;
    }
    let to: Result<Option<String>, sqlx::Error> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT email FROM users WHERE id = $1 AND email_notifications")
            .bind(user_id)
            .fetch_optional(p)
            .await
    });
    let Ok(Some(address)) = to else {
        return;
    };
    let (zh, en) = match action {
        "hide" => (
            "版主隐藏了您发布的内容，原因见页面，您可以申诉一次",
            "Moderators hid something you posted; the page says why, and you can appeal once",
        ),
        "uphold" => (
            "您的申诉未通过，内容仍保持隐藏",
            "Your appeal was refused: the content stays hidden",
        ),
        _ => ("您的内容已恢复显示", "Your content is shown again"),
    };
    let link = format!("{}{path}", svc.public_url.trim_end_matches('/'));
    let body = format!("{zh}：\n{link}\n\n{en}:\n{link}\n");
    if let Err(e) = svc
        .mailer
        .send(
            &svc.db,
            &svc.jobs,
            &address,
            &format!("共治 Gongzhi: {zh} / {en}"),
            &body,
        )
        .await
    {
        tracing::warn!(error = %e, "moderation email failed");
    }
}

/// After the notice's transaction committed: email it to those who got it and opted in.
/// Mail that cannot be queued is logged; the in-app notification stands.
pub(crate) async fn email_notice(svc: &Services, n: &Notice) {
    if matches!(svc.mailer, crate::mail::Mailer::OutboxOnly) {
        return;
    }
    let to: Result<Vec<String>, sqlx::Error> = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE n.kind = $1 AND n.process_id = $2 AND COALESCE(n.proposal_id, 0) = $3 \
             AND COALESCE(n.comment_id, 0) = $4 AND n.created_at = $5 AND u.email_notifications",
        )
        .bind(n.kind.as_str())
        .bind(n.process_id)
        .bind(n.proposal_id.unwrap_or(0))
        .bind(n.comment_id.unwrap_or(0))
        .bind(n.at)
        .fetch_all(p)
        .await
    });
    let base = svc.public_url.trim_end_matches('/');
    let link = match n.proposal_id {
        Some(id) => format!("{base}/proposals/{id}"),
        None => format!("{base}/deliberation/{}", n.process_id),
    };
    let (zh, en) = match n.kind {
        NotificationKind::Reply => ("有人回复了您", "Someone replied to you"),
        NotificationKind::Outcome => (
            "部门答复了您关注的建议",
            "The department answered a proposal you follow",
        ),
        NotificationKind::Merged => (
            "您支持的建议已与另一建议合并",
            "A proposal you support was merged into another",
        ),
        NotificationKind::ClosingReport => (
            "议事已发布结果报告",
            "A process published its closing report",
        ),
        NotificationKind::Phase => (
            "您关注的议事进入新阶段",
            "A process you follow entered a new phase",
        ),
        NotificationKind::ReportUpdate => (
            "您关注的问题有新进展",
            "There is news on a report you follow",
        ),
        NotificationKind::Question => (
            "您关注的提问有新进展",
            "There is news on a question you follow",
        ),
        NotificationKind::ServiceRectify => (
            "政务服务评价需要整改或已整改",
            "A service rating was sent for rectification, or rectified",
        ),
        NotificationKind::RateAgain => (
            "您评价不满意的问题已整改办结，请再次评价",
            "A report you rated poorly was rectified: rate it again",
        ),
        NotificationKind::Inbox => ("有提问需要您的部门处理", "A question needs your department"),
        NotificationKind::Moderation => (
            "版主处理了您发布的内容",
            "Moderators acted on something you posted",
        ),
    };
    mail_each(svc, to.unwrap_or_default(), zh, en, &link).await;
}

/// Mails a notice (its sentence in both languages and the link to the page) to each
/// address. Mail that cannot be queued is logged; the in-app notification stands.
pub(crate) async fn mail_each(svc: &Services, to: Vec<String>, zh: &str, en: &str, link: &str) {
    let subject = format!("共治 Gongzhi: {zh} / {en}");
    let body = format!("{zh}：\n{link}\n\n{en}:\n{link}\n");
    for address in to {
        if let Err(e) = svc
            .mailer
            .send(&svc.db, &svc.jobs, &address, &subject, &body)
            .await
        {
            tracing::warn!(error = %e, "notification email failed");
        }
    }
}

/// Notifications about content moderators hid or hold (`cm` the comment, `x` the
/// proposal) are not shown; they come back if it is restored.
/// (Except notices about moderation itself: they tell the author what became of it.)
const VISIBLE: &str = "(n.kind = 'moderation' OR ((cm.id IS NULL OR cm.visibility = 'visible') \
     AND (x.id IS NULL OR x.visibility = 'visible') AND (qu.id IS NULL OR qu.visibility = 'visible')))";

/// The user's newest notifications.
pub async fn list(svc: &Services, me: &Me, limit: i64) -> Result<Vec<Notification>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_as(&format!(
            "SELECT n.id, n.kind, n.report_id, e.status, e.note, n.process_id, n.proposal_id, n.comment_id, n.question_id, \
             COALESCE(cm.root_id, cm.id) AS thread_id, \
             COALESCE(x.title, pr.title, qu.title, sv.name_zh || ' / ' || sv.name_en) AS title, sv.code AS service_code, \
             n.detail, n.created_at, n.read_at FROM notifications n \
             LEFT JOIN report_events e ON e.id = n.event_id LEFT JOIN comments cm ON cm.id = n.comment_id \
             LEFT JOIN proposals x ON x.id = n.proposal_id LEFT JOIN processes pr ON pr.id = n.process_id \
             LEFT JOIN questions qu ON qu.id = n.question_id LEFT JOIN services sv ON sv.id = n.service_id \
             WHERE n.user_id = $1 AND {VISIBLE} ORDER BY n.id DESC LIMIT $2",
        ))
        .bind(me.id)
        .bind(limit)
        .fetch_all(p)
        .await
    })?)
}

pub async fn unread_count(svc: &Services, me: &Me) -> Result<i64, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar(&format!(
            "SELECT count(*) FROM notifications n LEFT JOIN comments cm ON cm.id = n.comment_id \
             LEFT JOIN proposals x ON x.id = n.proposal_id LEFT JOIN questions qu ON qu.id = n.question_id \
             WHERE n.user_id = $1 AND n.read_at IS NULL AND {VISIBLE}"
        ))
            .bind(me.id)
            .fetch_one(p)
            .await
    })?)
}

/// Marks all the user's notifications read.
pub async fn mark_all_read(svc: &Services, me: &Me) -> Result<(), Error> {
    with_db!(&svc.db, p => {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now())
            .bind(me.id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Whether the user also wants notifications by email.
pub async fn email_opt_in(svc: &Services, me: &Me) -> Result<bool, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT email_notifications FROM users WHERE id = $1")
            .bind(me.id)
            .fetch_one(p)
            .await
    })?)
}

pub async fn set_email_opt_in(svc: &Services, me: &Me, on: bool) -> Result<(), Error> {
    with_db!(&svc.db, p => {
        sqlx::query("UPDATE users SET email_notifications = $1, updated_at = $2 WHERE id = $3")
            .bind(on)
            .bind(now())
            .bind(me.id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

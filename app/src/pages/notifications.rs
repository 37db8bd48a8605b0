//! The signed-in user's notifications: news on the reports they follow, replies to them,
//! and news from the deliberations they take part in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::reports::{notifications, MarkNotificationsRead, SetEmailNotifications};
use gongzhi_domain::model::deliberation::{Outcome, Phase};
use gongzhi_domain::model::notification::{Notification, NotificationKind};
use gongzhi_domain::model::question::InboxDetail;
use gongzhi_domain::model::report::ReportStatus;

use crate::i18n::{msg, outcome_name, phase_name, status_name, t, use_lang};
use crate::pages::LoadError;
use crate::util::local_datetime;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let email = ServerAction::<SetEmailNotifications>::new();
    let data = Resource::new(
        move || (mark.version().get(), email.version().get()),
        |_| notifications(),
    );
    view! {
        <Title text=t(msg::NOTIFICATIONS)/>
        <h1>{t(msg::NOTIFICATIONS)}</h1>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) => view! {
                    <ActionForm action=email attr:class="card stack">
                        <label class="check"><input type="checkbox" name="on" value="on" checked=list.email/>" "{t(msg::EMAIL_NOTIFICATIONS)}</label>
                        {(!list.smtp).then(|| view! { <p class="hint">{t(msg::EMAIL_NOT_CONFIGURED)}</p> })}
                        <button type="submit" class="btn">{t(msg::SAVE)}</button>
                    </ActionForm>
                    {(list.unread > 0).then(|| view! {
                        <ActionForm action=mark attr:class="stack">
                            <button type="submit" class="btn">{t(msg::MARK_ALL_READ)}" ("{list.unread}")"</button>
                        </ActionForm>
                    })}
                    {list.items.is_empty().then(|| view! { <p class="notice">{t(msg::NOTIFICATIONS_EMPTY)}</p> })}
                    <ul class="notifications">
                        {list.items.into_iter().map(|n| view! { <NotificationItem n/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
    }
    .into_any()
}

/// One notification: what happened, linked to where it happened.
#[component]
fn NotificationItem(n: Notification) -> impl IntoView {
    let lang = use_lang();
    let unread = n.read_at.is_none();
    let what = match n.kind() {
        Some(NotificationKind::ReportUpdate) | None => {
            let status = n.status.as_deref().and_then(ReportStatus::parse);
            n.report_id.map(|id| view! {
                <A href=format!("/reports/{id}") attr:rel="external">{t(msg::NOTIF_UPDATE)}" #"{id}</A>
                {status.map(|s| view! { " · "<strong>{status_name(s).get(lang)}</strong> })}
                {n.note.clone().filter(|n| !n.is_empty()).map(|note| view! { <p class="timeline-note">{note}</p> })}
            }.into_any())
        }
        Some(kind) => {
            // Where it happened: the comment in its discussion (the page that starts with its
            // thread, however long the discussion), the proposal, or the process.
            let at_comment = |c: i64| match n.thread_id {
                Some(thread) => format!("?corder=oldest&after={}#comment-{c}", thread - 1),
                None => format!("#comment-{c}"),
            };
            let href = match (n.proposal_id, n.process_id, n.comment_id) {
                _ if n.service_code.is_some() => {
                    format!("/services/{}", n.service_code.clone().unwrap_or_default())
                }
                _ if n.question_id.is_some() => {
                    format!("/questions/{}", n.question_id.unwrap_or_default())
                }
                _ if n.report_id.is_some() => {
                    format!("/reports/{}", n.report_id.unwrap_or_default())
                }
                (Some(x), _, Some(c)) => format!("/proposals/{x}{}", at_comment(c)),
                (Some(x), _, None) => format!("/proposals/{x}"),
                (None, Some(p), Some(c)) => format!("/deliberation/{p}{}", at_comment(c)),
                (None, Some(p), None) => format!("/deliberation/{p}"),
                _ => "/deliberation".to_string(),
            };
            let label = match kind {
                NotificationKind::Moderation => match n.detail.as_str() {
                    "hide" => msg::NOTIF_MOD_HIDDEN,
                    "uphold" => msg::NOTIF_MOD_UPHELD,
                    _ => msg::NOTIF_MOD_RESTORED,
                },
                NotificationKind::Reply => msg::NOTIF_REPLY,
                NotificationKind::Outcome => msg::NOTIF_OUTCOME,
                NotificationKind::Merged => msg::NOTIF_MERGED,
                NotificationKind::ClosingReport => msg::NOTIF_CLOSING_REPORT,
                NotificationKind::Question => msg::NOTIF_QUESTION,
                NotificationKind::Inbox => msg::NOTIF_INBOX,
                NotificationKind::RateAgain => msg::NOTIF_RATE_AGAIN,
                NotificationKind::ServiceRectify if n.detail == "done" => msg::NOTIF_SERVICE_DONE,
                NotificationKind::ServiceRectify => msg::NOTIF_SERVICE_RECTIFY,
                _ => msg::NOTIF_PHASE,
            };
            let detail = match kind {
                NotificationKind::Outcome => {
                    Outcome::parse(&n.detail).map(|o| outcome_name(o).get(lang))
                }
                NotificationKind::Phase => Phase::parse(&n.detail).map(|p| phase_name(p).get(lang)),
                NotificationKind::Question => {
                    gongzhi_domain::model::question::EventKind::parse(&n.detail)
                        .map(|e| crate::i18n::question_event_name(e).get(lang))
                }
                NotificationKind::Inbox => InboxDetail::parse(&n.detail).map(|d| {
                    match d {
                        InboxDetail::Received => msg::QINBOX_RECEIVED,
                        InboxDetail::FollowUp => msg::QINBOX_FOLLOW_UP,
                        InboxDetail::DueSoon => msg::QINBOX_DUE_SOON,
                        InboxDetail::Overdue => msg::QINBOX_OVERDUE,
                        InboxDetail::Routing => msg::QINBOX_ROUTING,
                    }
                    .get(lang)
                }),
                _ => None,
            };
            let merged_to = (kind == NotificationKind::Merged)
                .then(|| n.detail.parse::<i64>().ok())
                .flatten();
            Some(view! {
                <a href=href rel="external">{label.get(lang)}</a>
                {detail.map(|d| view! { " · "<strong>{d}</strong> })}
                {n.title.clone().map(|title| view! { <p class="timeline-note">{title}</p> })}
                {merged_to.map(|id| view! { <p><a href=format!("/proposals/{id}") rel="external">{msg::NOTIF_MERGED_TO.get(lang)}" #"{id}</a></p> })}
            }.into_any())
        }
    };
    view! {
        <li class="notification" class:unread=unread>
            {unread.then(|| view! { <span class="badge badge-unread">{t(msg::UNREAD)}</span>" " })}
            {what}
            <p class="muted"><time datetime=n.created_at.to_rfc3339()>{local_datetime(n.created_at)}</time></p>
        </li>
    }
}

//! Pieces of report pages: status badges, photos, the timeline.

use gongzhi_domain::model::report::{PhotoRef, Relay, ReportStatus, TimelineEntry};
use leptos::prelude::*;

use crate::api::reports::Catalog;
use crate::i18n::{msg, role_name, status_name, step_done, t, use_lang};
use crate::util::local_datetime;

#[component]
pub fn StatusBadge(status: ReportStatus) -> impl IntoView {
    view! {
        <span class=format!("badge badge-{}", status.as_str())>{t(status_name(status))}</span>
    }
    .into_any()
}

/// A report's first photo in a list, or an empty frame of the same size.
#[component]
pub fn Thumb(photo: Option<PhotoRef>) -> impl IntoView {
    match photo {
        Some(p) => view! {
            <img class="thumb" src=p.thumb_url() alt="" loading="lazy" width=p.thumb_width.to_string() height=p.thumb_height.to_string()/>
        }
        .into_any(),
        None => view! { <span class="thumb thumb-empty" aria-hidden="true"></span> }.into_any(),
    }
}

/// The public timeline: what happened, when, and who acted (a role and a department, never
/// a person's name).
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>, catalog: Catalog) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ol class="timeline">
            {entries.into_iter().map(|e| {
                let who = match (e.actor.role, e.actor.department_id.and_then(|d| catalog.department(d))) {
                    _ if e.actor.reporter => msg::ACTOR_REPORTER.get(lang).to_string(),
                    (_, Some(d)) => d.name(lang).to_string(),
                    (Some(r), None) => role_name(r).get(lang).to_string(),
                    (None, None) => msg::ACTOR_SYSTEM.get(lang).to_string(),
                };
                let step = e.step.as_deref().and_then(gongzhi_domain::model::case::Step::parse);
                let what = match (e.kind.as_str(), e.status) {
                    _ if step.is_some() => step.map(|s| step_done(s).get(lang).to_string()).unwrap_or_default(),
                    ("submitted", _) => msg::EV_SUBMITTED.get(lang).to_string(),
                    ("forwarded", _) => msg::EV_FORWARDED.get(lang).to_string(),
                    ("transferred", _) => msg::EV_TRANSFERRED.get(lang).to_string(),
                    ("follow_up", _) => msg::EV_FOLLOW_UP.get(lang).to_string(),
                    ("reopen", _) => msg::EV_REOPEN.get(lang).to_string(),
                    (_, Some(s)) => status_name(s).get(lang).to_string(),
                    _ => msg::NOTE.get(lang).to_string(),
                };
                view! {
                    <li class="timeline-entry">
                        <p class="timeline-head">
                            <strong>{what}</strong>
                            " · "<span>{who}</span>
                        </p>
                        <p class="muted"><time datetime=e.at.to_rfc3339()>{local_datetime(e.at)}</time></p>
                        {(!e.note.is_empty()).then(|| view! { <p class="timeline-note">{e.note.clone()}</p> })}
                        <EntryPhotos photos=e.photos.clone()/>
                        {e.relay.clone().map(|r| view! { <p class="muted relay">{match r {
                            Relay::Waiting => msg::RELAY_WAITING.get(lang).to_string(),
                            Relay::Sent => msg::RELAY_SENT.get(lang).to_string(),
                            Relay::Refused(why) => format!("{}{why}", msg::RELAY_REFUSED.get(lang)),
                        }}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// Photos taken with a timeline entry (a department's after-photos).
#[component]
pub fn EntryPhotos(photos: Vec<PhotoRef>) -> impl IntoView {
    let lang = use_lang();
    (!photos.is_empty()).then(|| {
        view! {
            <ul class="photos photos-small">
                {photos.into_iter().map(|p| view! {
                    <li><a href=p.display_url()><img src=p.thumb_url() alt=msg::AFTER_PHOTOS.get(lang) loading="lazy"
                        width=p.thumb_width.to_string() height=p.thumb_height.to_string()/></a></li>
                }).collect_view()}
            </ul>
        }
    })
}

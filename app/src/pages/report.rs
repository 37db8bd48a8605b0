//! One report: photos, the category's fields, the place on a map, the public timeline,
//! "me too", follow, and (for its department) the update form.

use gongzhi_domain::model::catalog::answer_text;
use gongzhi_domain::model::report::Forwarding;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::reports::{
    get_report, AddReportUpdate, FollowReport, RateReport, ReportFollowUp, ReportView,
    SupportReport,
};
use crate::components::form::{action_error, FormAlert};
use crate::components::moderation::{
    fitting_actions, hidden_text, AppealForm, FlagForm, ModerateForm,
};
use crate::components::rating::RatingFields;
use crate::components::reports::{StatusBadge, Timeline};
use crate::error::problem_text;
use crate::i18n::{msg, t, use_lang};
use crate::pages::LoadError;
use crate::util::local_datetime;
use gongzhi_domain::model::deliberation::Visibility;
use gongzhi_domain::model::moderation::ItemKind;
use gongzhi_domain::model::rating::{Rating, ReportRatings};

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let is_new = move || query.read().get("new").is_some();
    let support = ServerAction::<SupportReport>::new();
    let follow = ServerAction::<FollowReport>::new();
    let update = ServerAction::<AddReportUpdate>::new();
    let follow_up = ServerAction::<ReportFollowUp>::new();
    let rate = ServerAction::<RateReport>::new();
    let data = Resource::new(
        move || {
            (
                id(),
                support.version().get(),
                follow.version().get(),
                update.version().get(),
                follow_up.version().get(),
                rate.version().get(),
            )
        },
        |(id, ..)| get_report(id),
    );
    view! {
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(view) => view! { <ReportBody view is_new=is_new() support follow update follow_up rate/> }.into_any(),
            })}
        </Transition>
    }
    .into_any()
}

/// A report's page body (also shown by the tracking page).
#[component]
pub(crate) fn ReportBody(
    view: ReportView,
    is_new: bool,
    support: ServerAction<SupportReport>,
    follow: ServerAction<FollowReport>,
    update: ServerAction<AddReportUpdate>,
    follow_up: ServerAction<ReportFollowUp>,
    rate: ServerAction<RateReport>,
    /// The tracking code, when an anonymous reporter opened the report with it.
    #[prop(optional)]
    code: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let r = view.report;
    let catalog = view.catalog;
    let category = catalog.category(r.category_id).cloned();
    let title = format!(
        "{} #{}",
        category
            .as_ref()
            .map(|c| c.name(lang).to_string())
            .unwrap_or_default(),
        r.id
    );
    let department = catalog
        .department(r.department_id)
        .map(|d| d.name(lang).to_string())
        .unwrap_or_default();
    let grid = r
        .grid_id
        .and_then(|g| catalog.grid(g))
        .map(|g| g.name(lang).to_string());
    let reporter = match (&r.reporter_name, view.viewer.is_reporter) {
        (Some(name), _) => name.clone(),
        (None, _) => msg::NAME_HIDDEN.get(lang).to_string(),
    };
    let answers: Vec<(String, String)> = category
        .as_ref()
        .map(|c| {
            c.attributes
                .iter()
                .filter_map(|a| {
                    r.answers
                        .get(&a.code)
                        .map(|ans| (a.description(lang).to_string(), answer_text(a, ans, lang)))
                })
                .collect()
        })
        .unwrap_or_default();
    let viewer = view.viewer;
    let marks = view.moderation;
    let id = r.id;
    let reporter_here = viewer.is_reporter || code.is_some();
    let reopenable = view.reopenable;
    let ratings = view.ratings;
    let open_round = ratings.open_round.filter(|_| reporter_here);
    let rating_now = open_round.and_then(|r| ratings.of_round(r).cloned());
    let rate_code = code.clone();
    let rectify_days = ratings.rectify_days;
    view! {
        <Title text=title.clone()/>
        {is_new.then(|| view! { <div class="alert alert-success" role="status">{t(msg::REPORT_THANKS)}</div> })}
        <article class="report">
            <h1>{title}</h1>
            <p class="report-meta"><StatusBadge status=r.status/>
                {(r.support_count > 0).then(|| view! { " "<span class="supports">{r.support_count}" "{t(msg::SUPPORTS)}</span> })}
            </p>
            {(!r.photos.is_empty()).then(|| view! {
                <ul class="photos">
                    {r.photos.iter().zip(marks.photo_ids.iter().copied().chain(std::iter::repeat(0))).map(|(p, pid)| view! {
                        <li><a href=p.display_url()><img src=p.thumb_url() alt=msg::PHOTOS.get(lang) loading="lazy"
                            width=p.thumb_width.to_string() height=p.thumb_height.to_string()/></a>
                            {(viewer.signed_in && !viewer.is_reporter && pid > 0).then(|| view! {
                                <FlagForm kind=ItemKind::Photo id=pid flagged=marks.flagged_photos.contains(&pid)/>
                            })}
                            {(marks.moderator && pid > 0).then(|| view! {
                                <ModerateForm kind=ItemKind::Photo id=pid
                                    actions=fitting_actions(ItemKind::Photo, Visibility::Visible, false, false, marks.blurred.contains(&pid))/>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {r.hidden.clone().map(|h| view! {
                <p class="tombstone">{t(msg::REPORT_TEXT_HIDDEN)}{hidden_text(&h, lang)}</p>
            })}
            {(r.visibility == Visibility::Held).then(|| view! { <p class="badge">{t(msg::REPORT_TEXT_HELD)}</p> })}
            {(!r.description.is_empty()).then(|| view! { <p class="description">{r.description.clone()}</p> })}
            <AppealForm kind=ItemKind::Report id=r.id can_appeal=marks.can_appeal appealed=marks.appealed/>
            {(viewer.signed_in && !viewer.is_reporter && r.visibility == Visibility::Visible).then(|| view! {
                <FlagForm kind=ItemKind::Report id=r.id flagged=marks.flagged/>
            })}
            {marks.moderator.then(|| view! {
                <ModerateForm kind=ItemKind::Report id=r.id actions=fitting_actions(ItemKind::Report, r.visibility, false, marks.appealed, false)/>
            })}
            <dl class="facts">
                <dt>{t(msg::LOCATION)}</dt>
                <dd>{r.address.clone()}{(!r.address.is_empty()).then_some(" ")}
                    <span class="muted">{format!("({:.5}, {:.5})", r.lat, r.lon)}</span></dd>
                {grid.map(|g| view! { <dt>{t(msg::GRID)}</dt><dd>{g}</dd> })}
                <dt>{t(msg::DEPARTMENT)}</dt><dd>{department}</dd>
                {answers.into_iter().map(|(q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}
                <dt>{t(msg::REPORTER)}</dt><dd>{reporter}</dd>
                <dt>{t(msg::REPORTED_AT)}</dt><dd>{local_datetime(r.created_at)}</dd>
                <dt>{t(msg::CASE_SYSTEM)}</dt>
                <dd class="forwarding">{match r.forwarding.clone() {
                    Forwarding::Sent { at } => view! {
                        {t(msg::FORWARD_SENT)}{at.map(|a| format!(" {}", local_datetime(a)))}
                    }.into_any(),
                    Forwarding::Waiting { error: None } => view! { {t(msg::FORWARD_WAITING)} }.into_any(),
                    Forwarding::Waiting { error: Some(e) } => view! {
                        <strong>{t(msg::FORWARD_WAITING)}</strong>" "
                        <span>{t(msg::FORWARD_FAILED)}{e}</span>
                    }.into_any(),
                }}</dd>
                {if r.status.is_open() {
                    view! { <dt>{t(msg::DUE_AT)}</dt><dd>{local_datetime(r.due_at)}
                        {r.overdue.then(|| view! { " "<span class="badge badge-overdue">{t(msg::OVERDUE)}</span> })}</dd> }.into_any()
                } else {
                    r.closed_at.map(|c| view! { <dt>{t(msg::CLOSED_AT)}</dt><dd>{local_datetime(c)}
                        {r.overdue.then(|| view! { " "<span class="badge badge-overdue">{t(msg::CLOSED_LATE)}</span> })}</dd> }).into_any()
                }}
            </dl>
            <div class="map map-small" data-map="point" data-lat=r.lat.to_string() data-lon=r.lon.to_string()
               ></div>
            <section class="engage" aria-label=msg::ME_TOO.get(lang)>
                {if viewer.signed_in {
                    view! {
                        <ActionForm action=support attr:class="inline-form">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <input type="hidden" name="on" value=(!viewer.supported).to_string()/>
                            <button type="submit" class="btn" class:btn-on=viewer.supported aria-pressed=viewer.supported.to_string()>
                                {if viewer.supported { t(msg::ME_TOO_DONE) } else { t(msg::ME_TOO) }}
                            </button>
                        </ActionForm>
                        <ActionForm action=follow attr:class="inline-form">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <input type="hidden" name="on" value=(!viewer.following).to_string()/>
                            <button type="submit" class="btn">
                                {if viewer.following { t(msg::UNFOLLOW) } else { t(msg::FOLLOW) }}
                            </button>
                        </ActionForm>
                        {viewer.following.then(|| view! { <p class="muted">{t(msg::FOLLOWING_NOTE)}</p> })}
                    }.into_any()
                } else {
                    view! { <p><a href=format!("/login?next=/reports/{id}")>{t(msg::LOG_IN)}</a>" · "{t(msg::SIGN_IN_TO_ACT)}</p> }.into_any()
                }}
            </section>
            <section aria-labelledby="timeline-title">
                <h2 id="timeline-title">{t(msg::TIMELINE)}</h2>
                <Timeline entries=r.timeline.clone() catalog=catalog.clone()/>
            </section>
            <RatingsView ratings/>
            {open_round.map(|round| view! {
                <RateForm id code=rate_code round rating=rating_now days=rectify_days action=rate/>
            })}
            {reporter_here.then(|| view! { <FollowUpForm id code reopenable action=follow_up/> })}
            {view.case_page.then(|| view! {
                <p class="card"><a class="btn btn-primary" href=format!("/cases/{id}")>{t(msg::WORK_CASE)}</a></p>
            })}
            {(view.can_update && !view.case_page).then(|| view! { <UpdateForm id action=update/> })}
        </article>
    }
    .into_any()
}

/// The reporter's ratings of the handling, round by round, and the rectifications poor
/// ones sent back (the public sees the levels, never the comments of others).
#[component]
fn RatingsView(ratings: ReportRatings) -> impl IntoView {
    let lang = use_lang();
    if ratings.rounds.is_empty() && ratings.rectifications.is_empty() {
        return ().into_any();
    }
    let several = ratings.rounds.len() > 1 || !ratings.rectifications.is_empty();
    view! {
        <section class="card report-ratings" aria-labelledby="ratings-title">
            <h2 id="ratings-title">{t(msg::R_RATINGS)}</h2>
            <ol class="plain-list">
                {ratings.rounds.iter().map(|r| {
                    let rating = r.rating.clone();
                    let fix = ratings.rectifications.iter().find(|x| x.round == r.round).cloned();
                    view! {
                        <li class="rating-line">
                            {several.then(|| format!("{} {} · ", msg::R_ROUND.get(lang), r.round))}
                            <strong>{crate::i18n::level_name(rating.level).get(lang)}</strong>
                            {(!rating.comment.is_empty()).then(|| view! { <span class="muted">" — "{rating.comment.clone()}</span> })}
                            {fix.map(|x| view! {
                                <p class="muted">{msg::R_RECTIFY.get(lang)}" · "{msg::R_DUE.get(lang)}" "{local_datetime(x.due_at)}
                                    {match (x.done_at, x.on_time()) {
                                        (Some(d), Some(on_time)) => view! {
                                            " · "{msg::R_DONE.get(lang)}" "{local_datetime(d)}" "
                                            <span class=if on_time { "badge badge-resolved" } else { "badge badge-overdue" }>
                                                {if on_time { msg::R_ON_TIME.get(lang) } else { msg::R_LATE.get(lang) }}
                                            </span>
                                        }.into_any(),
                                        _ => view! { " · "{msg::R_IN_PROGRESS.get(lang)} }.into_any(),
                                    }}
                                </p>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

/// The reporter rates the handling of a closed report (or changes the rating for a few
/// days); a poor rating sends the report back for rectification.
#[component]
fn RateForm(
    id: i64,
    code: Option<String>,
    round: i64,
    rating: Option<Rating>,
    days: i64,
    action: ServerAction<RateReport>,
) -> impl IntoView {
    let error = action_error(action);
    let changing = rating.is_some();
    view! {
        <section class="card rating-form" aria-labelledby="rate-title">
            <h2 id="rate-title">{if changing { t(msg::R_RATE_CHANGE) } else if round > 1 { t(msg::R_RATE_AGAIN) } else { t(msg::R_RATE) }}</h2>
            <p class="hint">{t(msg::R_RATE_HINT)}" "{days}</p>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                {code.map(|c| view! { <input type="hidden" name="code" value=c/> })}
                <RatingFields rating error/>
                <button type="submit" class="btn btn-primary">{t(msg::Q_RATE_SUBMIT)}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The department's note form, where an external case system owns the status.
#[component]
fn UpdateForm(id: i64, action: ServerAction<AddReportUpdate>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(action);
    let note_error = move || {
        error
            .get()
            .and_then(|e| e.field("note").cloned())
            .map(|p| problem_text(&p, lang))
    };
    view! {
        <section class="card update-form" aria-labelledby="update-title">
            <h2 id="update-title">{t(msg::ADD_UPDATE)}</h2>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="field">
                    <label for="upd-note">{t(msg::NOTE)}</label>
                    <textarea id="upd-note" name="note" rows="3" maxlength="2000"
                        aria-invalid=move || note_error().is_some().then_some("true")
                        aria-describedby="upd-note-error"></textarea>
                    <p class="field-error" id="upd-note-error" hidden=move || note_error().is_none()>{note_error}</p>
                </div>
                <label class="check"><input type="checkbox" name="public" value="on" checked=true/>" "{t(msg::PUBLIC_NOTE)}</label>
                <button type="submit" class="btn btn-primary">{t(msg::ADD_UPDATE)}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The reporter's follow-up form, with "not fixed: handle it again" once the report is
/// closed. Works as a plain form post without wasm.
#[component]
fn FollowUpForm(
    id: i64,
    code: Option<String>,
    reopenable: bool,
    action: ServerAction<ReportFollowUp>,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(action);
    let problem = move |name: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.field(name).cloned())
                .map(|p| problem_text(&p, lang))
        }
    };
    let note_error = problem("note");
    let reopen_error = problem("reopen");
    // A form posted without wasm that came back with a problem: what was typed.
    #[cfg(feature = "ssr")]
    let typed = crate::state::typed_value("note").unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let typed = String::new();
    let done = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <section class="card follow-up-form" aria-labelledby="fu-title">
            <h2 id="fu-title">{t(msg::FOLLOW_UP_TITLE)}</h2>
            <p class="hint">{t(msg::FOLLOW_UP_HINT)}</p>
            {move || done().then(|| view! { <p class="alert alert-success" role="status">{t(msg::FOLLOW_UP_DONE)}</p> })}
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                {code.map(|c| view! { <input type="hidden" name="code" value=c/> })}
                <div class="field">
                    <label for="fu-note">{t(msg::FOLLOW_UP_NOTE)}</label>
                    <textarea id="fu-note" name="note" rows="3" maxlength="2000"
                        aria-invalid=move || note_error().is_some().then_some("true")
                        aria-describedby="fu-note-error">{typed}</textarea>
                    <p class="field-error" id="fu-note-error" hidden=move || note_error().is_none()>{note_error}</p>
                </div>
                {reopenable.then(|| view! {
                    <div class="field">
                        <label class="check"><input type="checkbox" name="reopen" value="on"
                            aria-describedby="fu-reopen-hint fu-reopen-error"/>" "{t(msg::REOPEN_LABEL)}</label>
                        <p class="hint" id="fu-reopen-hint">{t(msg::REOPEN_HINT)}</p>
                        <p class="field-error" id="fu-reopen-error" hidden=move || reopen_error().is_none()>{reopen_error}</p>
                    </div>
                })}
                <button type="submit" class="btn btn-primary">{t(msg::FOLLOW_UP_SEND)}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

//! Live Q&A sessions, served as plain HTML (no wasm): the sessions (`/live`) with the
//! admin's scheduling form, and one session (`/live/:id`). During a session the page's small
//! script (`/js/live.js`) follows the session's event stream, re-ranks the questions and
//! shows answers as they come, and posts the forms in place; without it, every form still
//! works and a reload shows the news.

use gongzhi_domain::model::live::{
    LiveQuestion, QuestionStatus, Session, State, ANSWER_MAX, DESCRIPTION_MAX, QUESTION_MAX,
    TITLE_MAX,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::live::{
    live_session, live_sessions, CancelLive, LiveAnswer, LiveAnswering, LiveSubmit, LiveVote,
    ScheduleLive, SessionEdit, UpdateLive,
};
use crate::components::form::{action_error, DepartmentField, Field, FormAlert, TextArea};
use crate::i18n::{msg, t, use_lang, Msg};
use crate::pages::LoadError;
use crate::util::local_datetime;

fn state_name(s: State) -> Msg {
    match s {
        State::Upcoming => msg::LIVE_UPCOMING,
        State::Live => msg::LIVE_NOW,
        State::Archived => msg::LIVE_ARCHIVED,
        State::Cancelled => msg::LIVE_CANCELLED,
    }
}

#[component]
fn SessionItem(s: Session, department: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <li class="card">
            <h2><a href=format!("/live/{}", s.id)>{s.title.clone()}</a></h2>
            <p class="report-meta">
                <span class=format!("badge badge-live-{}", s.state.as_str())>{state_name(s.state).get(lang)}</span>
                " "<span class="muted">{department}" · "
                    <time datetime=s.starts_at.to_rfc3339()>{local_datetime(s.starts_at)}</time>" – "
                    <time datetime=s.ends_at.to_rfc3339()>{local_datetime(s.ends_at)}</time>
                    " · "{s.question_count}" "{msg::LIVE_QUESTIONS.get(lang)}</span>
            </p>
            {(!s.description.is_empty()).then(|| view! { <p>{s.description.clone()}</p> })}
        </li>
    }
}

/// `/live`: sessions live now and coming, the archive, and for admins the scheduling form.
#[component]
pub fn LiveListPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| live_sessions());
    let schedule = ServerAction::<ScheduleLive>::new();
    let error = action_error(schedule);
    view! {
        <Title text=t(msg::LIVE_TITLE)/>
        <h1>{t(msg::LIVE_TITLE)}</h1>
        <p>{t(msg::LIVE_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) => {
                    let name = |id: i64| list.departments.iter().find(|d| d.id == id).map(|d| d.name(lang).to_string()).unwrap_or_default();
                    let (archived, current): (Vec<Session>, Vec<Session>) =
                        list.sessions.clone().into_iter().partition(|s| s.state == State::Archived);
                    view! {
                        {current.is_empty().then(|| view! { <p>{t(msg::LIVE_NONE)}</p> })}
                        <ul class="cards">
                            {current.into_iter().map(|s| { let d = name(s.department_id); view! { <SessionItem s department=d/> } }).collect_view()}
                        </ul>
                        {(!archived.is_empty()).then(|| view! {
                            <h2>{t(msg::LIVE_ARCHIVE)}</h2>
                            <ul class="cards">
                                {archived.into_iter().map(|s| { let d = name(s.department_id); view! { <SessionItem s department=d/> } }).collect_view()}
                            </ul>
                        })}
                        {list.is_admin.then(|| view! {
                            <section class="card" aria-labelledby="schedule-title">
                                <h2 id="schedule-title">{t(msg::LIVE_SCHEDULE)}</h2>
                                <ActionForm action=schedule attr:class="stack">
                                    <FormAlert error/>
                                    <Field name="title" label=msg::LIVE_F_TITLE required=true maxlength=TITLE_MAX error/>
                                    <TextArea name="description" label=msg::LIVE_F_DESCRIPTION maxlength=DESCRIPTION_MAX rows=3 error/>
                                    <DepartmentField id="f-department" label=msg::Q_F_DEPARTMENT departments=list.departments.clone() error/>
                                    <Field name="starts" label=msg::LIVE_F_STARTS input_type="datetime-local" required=true error/>
                                    <Field name="ends" label=msg::LIVE_F_ENDS input_type="datetime-local" required=true error/>
                                    <button type="submit" class="btn btn-primary">{t(msg::LIVE_SCHEDULE_SUBMIT)}</button>
                                </ActionForm>
                            </section>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// The parts of one live question; also the template the script copies for new ones.
#[component]
fn LiveItem(q: LiveQuestion, voted: bool, can_vote: bool, can_answer: bool) -> impl IntoView {
    let lang = use_lang();
    let vote = ServerAction::<LiveVote>::new();
    let answering = ServerAction::<LiveAnswering>::new();
    let answer = ServerAction::<LiveAnswer>::new();
    let answered = q.status == QuestionStatus::Answered;
    let id = q.id.to_string();
    let vote_id = id.clone();
    let mark_id = id.clone();
    let answer_for = id.clone();
    let answer_id = format!("live-answer-{}", q.id);
    view! {
        <li class="live-q" class:live-answering=q.status == QuestionStatus::Answering class:live-answered=answered class:hidden-own=q.held
            id=format!("lq-{}", q.id) data-id=id data-votes=q.votes.to_string()>
            {q.held.then(|| view! { <p class="notice live-held">{msg::LIVE_HELD.get(lang)}</p> })}
            <p class="live-body">{q.body.clone()}</p>
            <p class="muted live-meta">
                <span class="live-author">{q.author_name.clone().unwrap_or_default()}</span>" · "
                <strong class="live-count">{q.votes}</strong>" "{msg::LIVE_VOTES.get(lang)}
                " "<span class="badge badge-live-answering live-badge-answering">{msg::LIVE_ANSWERING.get(lang)}</span>
                <span class="badge badge-resolved live-badge-answered">{msg::LIVE_ANSWERED.get(lang)}</span>
            </p>
            <div class="markdown live-answer" inner_html=q.answer_html.clone()></div>
            {can_vote.then(|| view! {
                <ActionForm action=vote attr:class="inline-form live-form live-vote">
                    <input type="hidden" name="id" value=vote_id/>
                    <input type="hidden" name="on" value=(!voted).to_string()/>
                    <button type="submit" class="btn btn-small" class:btn-on=voted aria-pressed=voted.to_string()
                        data-on=msg::LIVE_VOTED.get(lang) data-off=msg::LIVE_VOTE.get(lang)>
                        {if voted { msg::LIVE_VOTED.get(lang) } else { msg::LIVE_VOTE.get(lang) }}
                    </button>
                </ActionForm>
            })}
            {(can_answer && !answered).then(|| view! {
                <div class="live-official">
                    <ActionForm action=answering attr:class="inline-form live-form live-mark">
                        <input type="hidden" name="id" value=mark_id/>
                        <button type="submit" class="btn btn-small">{msg::LIVE_MARK_ANSWERING.get(lang)}</button>
                    </ActionForm>
                    <ActionForm action=answer attr:class="stack live-form live-answer-form">
                        <input type="hidden" name="id" value=answer_for/>
                        <label for=answer_id.clone()>{msg::LIVE_F_ANSWER.get(lang)}</label>
                        <textarea id=answer_id.clone() name="answer" rows="3" maxlength=ANSWER_MAX.to_string() required=true></textarea>
                        <button type="submit" class="btn btn-primary btn-small">{msg::LIVE_ANSWER_SUBMIT.get(lang)}</button>
                    </ActionForm>
                </div>
            })}
        </li>
    }
}

/// For an admin, before the session starts: change it, or call it off with a public note.
#[component]
fn ChangeSession(session: Session, edit: SessionEdit) -> impl IntoView {
    let update = ServerAction::<UpdateLive>::new();
    let error = action_error(update);
    let cancel = ServerAction::<CancelLive>::new();
    let cancel_error = action_error(cancel);
    let s = session;
    view! {
        <details class="card" open=error.get_untracked().is_some()>
            <summary>{t(msg::LIVE_CHANGE)}</summary>
            <ActionForm action=update attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=s.id.to_string()/>
                <Field name="title" label=msg::LIVE_F_TITLE required=true maxlength=TITLE_MAX value=s.title.clone() error/>
                <TextArea name="description" label=msg::LIVE_F_DESCRIPTION maxlength=DESCRIPTION_MAX rows=3 value=s.description.clone() error/>
                <DepartmentField id="f-department" label=msg::Q_F_DEPARTMENT departments=edit.departments.clone() selected=Some(s.department_id) error/>
                <Field name="starts" label=msg::LIVE_F_STARTS input_type="datetime-local" required=true value=edit.starts.clone() error/>
                <Field name="ends" label=msg::LIVE_F_ENDS input_type="datetime-local" required=true value=edit.ends.clone() error/>
                <button type="submit" class="btn btn-primary">{t(msg::LIVE_CHANGE_SUBMIT)}</button>
            </ActionForm>
        </details>
        <details class="card" open=cancel_error.get_untracked().is_some()>
            <summary>{t(msg::LIVE_CANCEL)}</summary>
            <ActionForm action=cancel attr:class="stack">
                <FormAlert error=cancel_error/>
                <input type="hidden" name="id" value=s.id.to_string()/>
                <TextArea name="cancel_note" label=msg::LIVE_F_CANCEL_NOTE hint=msg::LIVE_CANCEL_HINT required=true
                    maxlength=gongzhi_domain::live::CANCEL_NOTE_MAX rows=2 error=cancel_error/>
                <button type="submit" class="btn">{t(msg::LIVE_CANCEL_SUBMIT)}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// `/live/:id`: the session, its questions ranked by votes, and the forms.
#[component]
pub fn LivePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, live_session);
    let submit = ServerAction::<LiveSubmit>::new();
    let error = action_error(submit);
    view! {
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(d) => {
                    let p = d.page;
                    let s = p.session.clone();
                    let live = s.state == State::Live;
                    let can_vote = live && p.signed_in;
                    let department = d.department.map(|d| d.name(lang).to_string()).unwrap_or_default();
                    let template = LiveQuestion {
                        id: 0,
                        body: String::new(),
                        author_name: None,
                        votes: 0,
                        status: QuestionStatus::Waiting,
                        answer_html: String::new(),
                        answered_at: None,
                        created_at: chrono::Utc::now(),
                        held: false,
                    };
                    view! {
                        <Title text=s.title.clone()/>
                        <p><a href="/live">{t(msg::LIVE_TITLE)}</a></p>
                        <h1>{s.title.clone()}</h1>
                        <p class="report-meta">
                            <span class=format!("badge badge-live-{}", s.state.as_str())>{state_name(s.state).get(lang)}</span>
                            " "<span class="muted">{department}" · "
                                <time datetime=s.starts_at.to_rfc3339()>{local_datetime(s.starts_at)}</time>" – "
                                <time datetime=s.ends_at.to_rfc3339()>{local_datetime(s.ends_at)}</time></span>
                        </p>
                        {(!s.description.is_empty()).then(|| view! { <p>{s.description.clone()}</p> })}
                        {(s.state == State::Archived).then(|| view! { <p class="notice">{t(msg::LIVE_READ_ONLY)}</p> })}
                        {(s.state == State::Cancelled).then(|| view! {
                            <p class="notice">{t(msg::LIVE_CANCELLED_NOTE)}{(lang == crate::i18n::Lang::En).then_some(" ")}{s.cancel_note.clone()}</p>
                        })}
                        {d.edit.map(|edit| view! { <ChangeSession session=s.clone() edit/> })}
                        {(s.state == State::Upcoming).then(|| view! { <p class="notice">{t(msg::LIVE_NOT_YET)}</p> })}
                        <div id="live" data-live=s.id.to_string() data-after=p.last_event.to_string()
                            data-state=s.state.as_str() data-l-live=msg::LIVE_CONNECTED.get(lang)
                            data-l-lost=msg::LIVE_RECONNECTING.get(lang) data-l-error=msg::LIVE_ERROR.get(lang)>
                            {live.then(|| view! { <p id="live-status" class="muted live-status" role="status" aria-live="polite"></p> })}
                            {(live && !p.signed_in).then(|| view! {
                                <p class="notice">{t(msg::LIVE_SIGN_IN)}" "<a href=format!("/login?next=/live/{}", s.id)>{t(msg::LOG_IN)}</a></p>
                            })}
                            {can_vote.then(|| view! {
                                <ActionForm action=submit attr:class="stack live-form live-submit">
                                    <FormAlert error/>
                                    <input type="hidden" name="session" value=s.id.to_string()/>
                                    <TextArea name="body" label=msg::LIVE_F_QUESTION required=true maxlength=QUESTION_MAX rows=2 error/>
                                    <button type="submit" class="btn btn-primary">{t(msg::LIVE_SUBMIT)}</button>
                                </ActionForm>
                            })}
                            <h2>{t(msg::LIVE_RANKING)}</h2>
                            {p.questions.is_empty().then(|| view! { <p class="live-empty">{t(msg::LIVE_NO_QUESTIONS)}</p> })}
                            <ol id="live-questions" class="live-list" aria-live="off">
                                {p.questions.iter().map(|q| view! {
                                    <LiveItem q=q.clone() voted=p.voted.contains(&q.id) can_vote can_answer=p.can_answer/>
                                }).collect_view()}
                            </ol>
                            {live.then(|| view! {
                                <template id="live-template">
                                    <LiveItem q=template can_vote voted=false can_answer=p.can_answer/>
                                </template>
                            })}
                        </div>
                        {live.then(|| view! { <script type="module" src="/js/live.js"></script> })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

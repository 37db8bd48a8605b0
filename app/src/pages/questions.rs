//! Ask the government, served as plain HTML (no wasm): the public questions (`/ask`), the
//! ask form (`/ask/new`), one question with its answers and timeline (`/questions/:id`), the
//! departments' accountability figures (`/departments`, `/departments/:code`), and the
//! admin's deadlines and holiday calendar (`/admin/deadlines`).

use gongzhi_domain::model::deliberation::Visibility;
use gongzhi_domain::model::moderation::ItemKind;
use gongzhi_domain::model::question::{
    Answer, AnswerFile, DepartmentFigures, Event, EventKind, QuestionComment, QuestionDetail,
    QuestionSummary, Show, Sort, Status, Viewer, ANSWER_MAX, BODY_MAX, COMMENT_MAX, NOTE_MAX,
    TITLE_MAX,
};
use gongzhi_domain::model::Department;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::questions::{
    ask_form, department_page, departments_figures, get_question, list_questions, AnswerFilesForm,
    AnswerQuestion, AskQuestion, CommentQuestion, EditAnswer, FollowQuestion, FollowUpQuestion,
    HandOverQuestion, LookingIntoQuestion, QuestionDates, RateAnswer, RemoveCalendarDay,
    RouteQuestion, SetAnswerDays, SetCalendarDay, WantQuestion,
};
use crate::components::form::{action_error, DepartmentField, Field, FormAlert, TextArea};
use crate::components::moderation::{
    fitting_actions, hidden_text, AppealForm, FlagForm, ModerateForm,
};
use crate::components::rating::RatingFields;
use crate::error::{problem_text, AppError};
use crate::i18n::{
    level_name, msg, question_event_name, question_status_name, t, use_lang, Lang, Msg,
};
use crate::pages::LoadError;
use crate::util::{local_date, local_datetime, query_escape};

fn show_name(s: Show) -> Msg {
    match s {
        Show::All => msg::Q_SHOW_ALL,
        Show::Answered => msg::Q_SHOW_ANSWERED,
        Show::Unanswered => msg::Q_SHOW_UNANSWERED,
        Show::Overdue => msg::Q_SHOW_OVERDUE,
        Show::Routing => msg::Q_SHOW_ROUTING,
    }
}

fn sort_name(s: Sort) -> Msg {
    match s {
        Sort::Wanted => msg::Q_SORT_WANTED,
        Sort::Newest => msg::Q_SORT_NEWEST,
        Sort::OldestUnanswered => msg::Q_SORT_OLDEST,
    }
}

fn department_name(departments: &[Department], id: Option<i64>, lang: Lang) -> String {
    id.and_then(|id| departments.iter().find(|d| d.id == id))
        .map(|d| d.name(lang).to_string())
        .unwrap_or_default()
}

/// A duration as people say it: "2 天 3 小时", "40 min".
pub fn duration_text(secs: i64, lang: Lang) -> String {
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    let sep = if lang == Lang::Zh { "" } else { " " };
    let part = |n: i64, unit: Msg| format!("{n}{sep}{}", unit.get(lang));
    match (d, h) {
        (0, 0) => part(m, msg::MINUTES_SHORT),
        (0, h) => part(h, msg::HOURS_SHORT),
        (d, 0) => part(d, msg::DAYS_SHORT),
        (d, h) => format!("{} {}", part(d, msg::DAYS_SHORT), part(h, msg::HOURS_SHORT)),
    }
}

fn percent(x: Option<f64>) -> String {
    x.map(|x| format!("{:.0}%", x * 100.0))
        .unwrap_or_else(|| "—".into())
}

/// The status badge of a question, and "overdue" beside it.
#[component]
fn StatusBadges(status: Status, overdue: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class=format!("badge badge-q-{}", status.as_str())>{question_status_name(status).get(lang)}</span>
        {overdue.then(|| view! { " "<span class="badge badge-overdue">{msg::Q_OVERDUE.get(lang)}</span> })}
    }
}

/// Questions as a list.
#[component]
fn QuestionItems(items: Vec<QuestionSummary>, departments: Vec<Department>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="question-list">
            {items.into_iter().map(|q| {
                let dept = department_name(&departments, q.department_id, lang);
                view! {
                    <li class="card question-row" class:hidden-own=q.visibility == Visibility::Held>
                        <h3><a href=format!("/questions/{}", q.id)>{q.title.clone()}</a></h3>
                        <p class="report-meta">
                            <StatusBadges status=q.status overdue=q.overdue/>
                            " "<span class="muted">
                                {(!dept.is_empty()).then(|| format!("{dept} · "))}
                                <time datetime=q.created_at.to_rfc3339()>{local_date(q.created_at)}</time>
                                " · "{q.want_count}" "{msg::Q_WANTS.get(lang)}
                            </span>
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// `/ask`: the public questions with their filters and orders.
#[component]
pub fn QuestionListPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let data = Resource::new(
        move || {
            (
                get("department"),
                get("show"),
                get("sort"),
                get("q"),
                get("page"),
                QuestionDates {
                    asked_from: get("asked_from"),
                    asked_to: get("asked_to"),
                    answered_from: get("answered_from"),
                    answered_to: get("answered_to"),
                },
            )
        },
        |(d, s, o, q, p, dates)| list_questions(d, s, o, q, p, dates),
    );
    view! {
        <Title text=t(msg::Q_TITLE)/>
        <h1>{t(msg::Q_TITLE)}</h1>
        <p>{t(msg::Q_INTRO)}</p>
        <p class="filter-actions">
            <a class="btn btn-primary" href="/ask/new">{t(msg::Q_ASK)}</a>
            " "<a class="btn" href="/departments">{t(msg::Q_COMPARE)}</a>
            " "<a href="/feeds/answers.atom" rel="external" type="application/atom+xml">{t(msg::FEED_ANSWERS)}</a>
            " "<a class="btn" href="/live">{t(msg::LIVE_TITLE)}</a>
        </p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) => {
                    let show = Show::parse(&get("show"));
                    let sort = Sort::parse(&get("sort"));
                    let department = get("department");
                    let q = get("q");
                    let dates = QuestionDates {
                        asked_from: get("asked_from"),
                        asked_to: get("asked_to"),
                        answered_from: get("answered_from"),
                        answered_to: get("answered_to"),
                    };
                    let base = format!(
                        "department={}&sort={}&q={}{}",
                        query_escape(&department), sort.as_str(), query_escape(&q), dates.query()
                    );
                    let dated = dates != QuestionDates::default();
                    let hidden_dates = [
                        ("asked_from", dates.asked_from.clone()),
                        ("asked_to", dates.asked_to.clone()),
                        ("answered_from", dates.answered_from.clone()),
                        ("answered_to", dates.answered_to.clone()),
                    ];
                    let page = list.page.page;
                    let shows: Vec<Show> = Show::ALL
                        .into_iter()
                        .filter(|s| *s != Show::Routing || list.is_admin)
                        .collect();
                    let departments = list.departments.clone();
                    view! {
                        {list.own_department.map(|d| view! {
                            <p><a href=format!("/ask?department={d}&show=unanswered&sort=oldest_unanswered")>{t(msg::Q_MY_DEPARTMENT)}</a></p>
                        })}
                        <nav class="tabs" aria-label=msg::Q_TITLE.get(lang)>
                            {shows.into_iter().map(|s| view! {
                                <a href=format!("/ask?show={}&{base}", s.as_str())
                                    aria-current=(s == show).then_some("page")>{show_name(s).get(lang)}</a>
                            }).collect_view()}
                        </nav>
                        <form method="get" action="/ask" class="filters filter-form" role="search">
                            <input type="hidden" name="show" value=show.as_str()/>
                            {hidden_dates.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| view! {
                                <input type="hidden" name=k value=v/>
                            }).collect_view()}
                            <div class="field">
                                <label for="q-department">{t(msg::Q_F_DEPARTMENT)}</label>
                                <select id="q-department" name="department">
                                    <option value="">{t(msg::Q_ALL_DEPARTMENTS)}</option>
                                    {list.departments.iter().map(|d| view! {
                                        <option value=d.id.to_string() selected=department == d.id.to_string()>{crate::i18n::marked_department_name(d, lang)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="q-sort">{t(msg::Q_SORT)}</label>
                                <select id="q-sort" name="sort">
                                    {Sort::ALL.into_iter().map(|o| view! {
                                        <option value=o.as_str() selected=o == sort>{sort_name(o).get(lang)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="q-q">{t(msg::SEARCH_TEXT)}</label>
                                <input id="q-q" name="q" type="search" value=q.clone() maxlength="100"/>
                            </div>
                            <div class="filter-actions">
                                <button type="submit" class="btn">{t(msg::Q_FILTER)}</button>
                            </div>
                        </form>
                        {(!list.problems.is_empty()).then(|| {
                            let label = |field: &str| match field {
                                "asked_from" => msg::Q_F_ASKED_FROM,
                                "asked_to" => msg::Q_F_ASKED_TO,
                                "answered_from" => msg::Q_F_ANSWERED_FROM,
                                _ => msg::Q_F_ANSWERED_TO,
                            };
                            view! {
                                <div class="notice" role="alert">
                                    <p>{t(msg::FILTERS_IGNORED)}</p>
                                    <ul>
                                        {list.problems.iter().map(|p| view! {
                                            <li>{label(&p.field).get(lang)}" ("<code>{p.field.clone()}</code>"): "{problem_text(&p.problem, lang)}</li>
                                        }).collect_view()}
                                    </ul>
                                </div>
                            }
                        })}
                        {dated.then(|| view! {
                            <p class="muted">
                                {(!dates.asked_from.is_empty() || !dates.asked_to.is_empty()).then(|| view! {
                                    {t(msg::Q_ASKED_BETWEEN)}" "{dates.asked_from.clone()}" – "{dates.asked_to.clone()}" "
                                })}
                                {(!dates.answered_from.is_empty() || !dates.answered_to.is_empty()).then(|| view! {
                                    {t(msg::Q_ANSWERED_BETWEEN)}" "{dates.answered_from.clone()}" – "{dates.answered_to.clone()}" "
                                })}
                                <a href=format!("/ask?department={}", query_escape(&department))>{t(msg::CLEAR_FILTERS)}</a>
                            </p>
                        })}
                        <p class="muted" role="status">{list.page.total}" "{msg::Q_TOTAL.get(lang)}</p>
                        {if list.page.items.is_empty() {
                            view! { <p>{t(msg::Q_NONE)}</p> }.into_any()
                        } else {
                            view! { <QuestionItems items=list.page.items.clone() departments/> }.into_any()
                        }}
                        <nav class="pager" aria-label=msg::Q_TITLE.get(lang)>
                            {(page > 0).then(|| view! {
                                <a href=format!("/ask?show={}&{base}&page={}", show.as_str(), page - 1)>{t(msg::PREVIOUS_PAGE)}</a>
                            })}
                            {list.page.has_more.then(|| view! {
                                <a href=format!("/ask?show={}&{base}&page={}", show.as_str(), page + 1)>{t(msg::NEXT_PAGE)}</a>
                            })}
                        </nav>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// `/ask/new`: the ask form. "Look for similar questions" reloads the form (a GET) with what
/// was typed and the questions that share its words.
#[component]
pub fn AskPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let typed = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let title = typed("title");
    let data = Resource::new(move || title.clone(), ask_form);
    let action = ServerAction::<AskQuestion>::new();
    let error = action_error(action);
    view! {
        <Title text=t(msg::Q_FORM_TITLE)/>
        <div class="narrow-wide">
        <h1>{t(msg::Q_FORM_TITLE)}</h1>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(form) if !form.signed_in => view! {
                    <p class="notice">{t(msg::Q_SIGN_IN)}" "<a href="/login?next=/ask/new">{t(msg::LOG_IN)}</a></p>
                }.into_any(),
                Ok(form) => {
                    let department = {
                        #[cfg(feature = "ssr")]
                        { crate::state::typed_value("department").unwrap_or_else(|| typed("department")) }
                        #[cfg(not(feature = "ssr"))]
                        { typed("department") }
                    };
                    let looked = !typed("title").is_empty();
                    let problem = move || error.get().and_then(|e| e.field("department").cloned()).map(|p| problem_text(&p, lang));
                    view! {
                        {form.reviewed.then(|| view! { <p class="notice">{t(msg::Q_REVIEWED)}</p> })}
                        {looked.then(|| {
                            let similar = form.similar.clone();
                            view! {
                                <section class="card similar" aria-labelledby="similar-title">
                                    <h2 id="similar-title">{t(msg::Q_SIMILAR)}</h2>
                                    {if similar.is_empty() {
                                        view! { <p>{t(msg::Q_SIMILAR_NONE)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <p class="hint">{t(msg::Q_SIMILAR_HINT)}</p>
                                            <ul>
                                                {similar.into_iter().map(|s| view! {
                                                    <li>
                                                        <a href=format!("/questions/{}", s.id)>{s.title}</a>
                                                        " "<span class="muted">{question_status_name(s.status).get(lang)}" · "{s.want_count}" "{msg::Q_WANTS.get(lang)}</span>
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>
                            }
                        })}
                        <ActionForm action attr:class="stack" attr:id="ask-form">
                            <FormAlert error/>
                            <Field name="title" label=msg::Q_F_TITLE hint=msg::Q_F_TITLE_HINT required=true maxlength=TITLE_MAX value=typed("title") error/>
                            <TextArea name="body" label=msg::Q_F_BODY hint=msg::Q_F_BODY_HINT required=true maxlength=BODY_MAX rows=6 value=typed("body") error/>
                            <div class="field" class:field-invalid=move || problem().is_some()>
                                <label for="f-department">{t(msg::Q_F_DEPARTMENT)}<span class="req">{msg::REQUIRED_MARK.get(lang)}</span></label>
                                <select id="f-department" name="department" required=true aria-describedby="f-department-error">
                                    <option value="">{msg::CHOOSE.get(lang)}</option>
                                    <option value="unsure" selected=department == "unsure">{t(msg::Q_F_UNSURE)}</option>
                                    {form.departments.iter().filter(|d| !d.retired).map(|d| view! {
                                        <option value=d.id.to_string() selected=department == d.id.to_string()>{d.name(lang).to_string()}</option>
                                    }).collect_view()}
                                </select>
                                <p class="field-error" id="f-department-error" hidden=move || problem().is_none()>{problem}</p>
                            </div>
                            <div class="filter-actions">
                                <button type="submit" class="btn" formmethod="get" formaction="/ask/new" formnovalidate=true>{t(msg::Q_SIMILAR_CHECK)}</button>
                                <button type="submit" class="btn btn-primary">{t(msg::Q_SUBMIT)}</button>
                            </div>
                        </ActionForm>
                    }.into_any()
                }
            })}
        </Transition>
        </div>
    }
}

fn id_param() -> impl Fn() -> i64 + Copy {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

/// `/questions/:id`: the question, the department's answers, what the viewer may do, and the
/// timeline.
#[component]
pub fn QuestionPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let draft = move || query.read().get("draft").unwrap_or_default();
    let data = Resource::new(
        move || (id(), draft()),
        |(id, draft)| get_question(id, draft),
    );
    view! {
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(page) => {
                    let signed_in = page.viewer.signed_in;
                    let public = page.question.visibility == Visibility::Visible;
                    let qid = page.question.id;
                    view! {
                        <QuestionView question=page.question viewer=page.viewer departments=page.departments
                            files_form=page.files_form/>
                        <Comments comments=page.comments id=qid signed_in public/>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn QuestionView(
    question: QuestionDetail,
    viewer: Viewer,
    departments: Vec<Department>,
    files_form: Option<AnswerFilesForm>,
) -> impl IntoView {
    let lang = use_lang();
    let q = question;
    let v = viewer;
    let dept = department_name(&departments, q.department_id, lang);
    let hidden = q.hidden.clone();
    let qid = q.id;
    let answers = q.answers.clone();
    let events = q.events.clone();
    view! {
        <Title text=q.title.clone()/>
        <article class="question" aria-labelledby="question-title">
            <p><a href="/ask">{t(msg::Q_TITLE)}</a></p>
            <h1 id="question-title">{q.title.clone()}</h1>
            <p class="report-meta">
                <StatusBadges status=q.status overdue=q.overdue/>
                " "<span class="muted">
                    {(!dept.is_empty()).then(|| format!("{dept} · "))}
                    {msg::Q_ASKED_BY.get(lang)}" "{q.asker_name.clone().unwrap_or_default()}" · "
                    <time datetime=q.created_at.to_rfc3339()>{local_datetime(q.created_at)}</time>
                </span>
            </p>
            {(q.visibility == Visibility::Held).then(|| view! { <p class="notice">{t(msg::Q_HELD)}</p> })}
            {hidden.map(|why| view! {
                <p class="alert alert-error tombstone">{t(msg::Q_HIDDEN)}" "{hidden_text(&why, lang)}</p>
            })}
            {(!q.body.is_empty()).then(|| view! { <p class="question-body">{q.body.clone()}</p> })}
            <dl class="facts">
                {q.due_at.filter(|_| q.status != Status::Answered).map(|d| view! {
                    <dt>{t(msg::Q_DUE)}</dt>
                    <dd><time datetime=d.to_rfc3339()>{local_datetime(d)}</time></dd>
                })}
                {q.expected_on.filter(|_| q.status == Status::LookingInto).map(|d| view! {
                    <dt>{t(msg::Q_EXPECTED)}</dt>
                    <dd>{d.format("%Y-%m-%d").to_string()}</dd>
                })}
                <dt>{t(msg::Q_WANT)}</dt>
                <dd>{q.want_count}" "{msg::Q_WANTS.get(lang)}</dd>
            </dl>
            <div class="engage">
                {(v.signed_in && !v.is_asker && q.visibility == Visibility::Visible).then(|| view! { <WantButton id=qid wanted=v.wanted/> })}
                {(v.signed_in && q.visibility != Visibility::Hidden).then(|| view! { <FollowQuestionButton id=qid following=v.following/> })}
            </div>
            <AppealForm kind=ItemKind::Question id=qid can_appeal=v.can_appeal appealed=v.appealed/>
            {(v.signed_in && !v.is_asker && q.visibility == Visibility::Visible).then(|| view! {
                <FlagForm kind=ItemKind::Question id=qid flagged=v.flagged/>
            })}
            {v.moderator.then(|| view! {
                <ModerateForm kind=ItemKind::Question id=qid
                    actions=fitting_actions(ItemKind::Question, q.visibility, false, v.appealed, false)/>
            })}
        </article>
        <section class="card answers" aria-labelledby="answers-title">
            <h2 id="answers-title">{t(msg::Q_ANSWERS)}</h2>
            {answers.is_empty().then(|| view! { <p class="muted">{t(msg::Q_NO_ANSWER)}</p> })}
            {answers.into_iter().enumerate().map(|(i, a)| {
                let name = department_name(&departments, Some(a.department_id), lang);
                let follow_up = (i == 0).then(|| q.follow_up.clone().zip(q.follow_up_at)).flatten();
                let rate = (v.can_rate == Some(a.id)).then_some(a.id);
                let editable = !a.body.is_empty();
                let files = a.files.clone();
                let files_form = files_form.clone().filter(|_| editable);
                view! {
                    <AnswerView answer=a.clone() department=name/>
                    {editable.then(|| view! { <EditAnswerForm id=a.id body=a.body.clone()/> })}
                    {files_form.map(|form| view! { <AnswerFilesUpload answer_id=a.id files form/> })}
                    {rate.map(|id| view! { <RatingForm id rating=a.rating.clone()/> })}
                    {follow_up.map(|(text, at)| view! {
                        <div class="follow-up" id="follow-up">
                            <h3>{t(msg::Q_FOLLOW_UP)}</h3>
                            <p class="muted"><time datetime=at.to_rfc3339()>{local_datetime(at)}</time></p>
                            <p class="question-body">{text}</p>
                        </div>
                    })}
                }
            }).collect_view()}
            {q.pending_follow_up.clone().map(|p| view! {
                <div class="follow-up" id="follow-up">
                    <h3>{t(msg::Q_FOLLOW_UP)}</h3>
                    {match p.hidden {
                        None => view! { <p class="notice">{t(msg::Q_FOLLOW_UP_HELD)}</p> }.into_any(),
                        Some(why) => view! {
                            <p class="alert alert-error tombstone">{t(msg::Q_FOLLOW_UP_REFUSED)}" "{hidden_text(&why, lang)}</p>
                        }.into_any(),
                    }}
                    <p class="question-body">{p.body}</p>
                </div>
            })}
            {v.can_follow_up.then(|| view! { <FollowUpForm id=qid/> })}
        </section>
        {v.can_answer.then(|| view! {
            <AnswerQuestionForm id=qid/>
            <LookingIntoForm id=qid/>
            <HandOverForm id=qid departments=departments.clone() current=q.department_id/>
        })}
        {v.can_route.then(|| view! { <RouteForm id=qid departments=departments.clone() current=q.department_id/> })}
        <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t(msg::Q_TIMELINE)}</h2>
            <ol class="timeline">
                {events.into_iter().map(|e| view! { <EventView event=e departments=departments.clone()/> }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

/// The residents' comments on a question, and the form (for the signed-in, on public
/// questions).
#[component]
fn Comments(
    comments: Vec<QuestionComment>,
    id: i64,
    signed_in: bool,
    public: bool,
) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<CommentQuestion>::new();
    let error = action_error(action);
    view! {
        <section class="card question-comments" aria-labelledby="comments-title">
            <h2 id="comments-title">{t(msg::QC_TITLE)}" ("{comments.iter().filter(|c| c.visibility == Visibility::Visible).count()}")"</h2>
            {comments.is_empty().then(|| view! { <p class="muted">{t(msg::QC_NONE)}</p> })}
            <ol class="thread-comments">
                {comments.into_iter().map(|c| {
                    let cid = c.id;
                    view! {
                        <li class="comment" id=format!("qc-{cid}") class:hidden-own=c.visibility == Visibility::Held>
                            <p class="comment-head"><strong>{c.author_name.clone().unwrap_or_default()}</strong>" "
                                <time class="muted" datetime=c.created_at.to_rfc3339()>{local_datetime(c.created_at)}</time></p>
                            {(c.visibility == Visibility::Held).then(|| view! { <p class="notice">{t(msg::QC_HELD)}</p> })}
                            {c.hidden.clone().map(|why| view! { <p class="tombstone">{t(msg::QC_HIDDEN)}{hidden_text(&why, lang)}</p> })}
                            {(!c.body.is_empty()).then(|| view! { <p class="question-body">{c.body.clone()}</p> })}
                            <AppealForm kind=ItemKind::QuestionComment id=cid can_appeal=c.can_appeal appealed=c.appealed/>
                            {(signed_in && !c.mine && c.visibility == Visibility::Visible).then(|| view! {
                                <FlagForm kind=ItemKind::QuestionComment id=cid flagged=c.flagged/>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {match (signed_in, public) {
                (true, true) => view! {
                    <ActionForm action attr:class="stack">
                        <FormAlert error/>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <TextArea name="comment" label=msg::QC_F_BODY hint=msg::QC_HINT required=true maxlength=COMMENT_MAX rows=3 error/>
                        <button type="submit" class="btn">{t(msg::QC_SUBMIT)}</button>
                    </ActionForm>
                }.into_any(),
                (false, true) => view! { <p class="muted">{t(msg::QC_SIGN_IN)}" "<a href=format!("/login?next=/questions/{id}")>{t(msg::LOG_IN)}</a></p> }.into_any(),
                _ => ().into_any(),
            }}
        </section>
    }
}

#[component]
fn EventView(event: Event, departments: Vec<Department>) -> impl IntoView {
    let lang = use_lang();
    let to = department_name(&departments, event.department_id, lang);
    let from = department_name(&departments, event.from_department_id, lang);
    let what = match event.kind {
        EventKind::Routed | EventKind::HandedOver => format!(
            "{} {to}{}",
            question_event_name(event.kind).get(lang),
            if from.is_empty() {
                String::new()
            } else {
                format!("（{} {from}）", msg::Q_FROM.get(lang))
            }
        ),
        EventKind::LookingInto => format!(
            "{} {}",
            question_event_name(event.kind).get(lang),
            event
                .expected_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        ),
        EventKind::Answered | EventKind::AnswerEdited => {
            format!("{} · {to}", question_event_name(event.kind).get(lang))
        }
        k => question_event_name(k).get(lang).to_string(),
    };
    view! {
        <li class="timeline-entry">
            <p class="timeline-head"><strong>{what}</strong>" "
                <time class="muted" datetime=event.at.to_rfc3339()>{local_datetime(event.at)}</time></p>
            {(!event.note.is_empty()).then(|| view! { <p class="timeline-note">{event.note.clone()}</p> })}
        </li>
    }
}

#[component]
fn AnswerView(answer: Answer, department: String) -> impl IntoView {
    let lang = use_lang();
    let a = answer;
    let revisions = a.revisions.clone();
    view! {
        <div class="answer outcome" id=format!("answer-{}", a.id)>
            <p class="report-meta">
                <strong>{department}</strong>" "
                <span class=if a.on_time { "badge badge-resolved" } else { "badge badge-overdue" }>
                    {if a.on_time { msg::Q_ON_TIME.get(lang) } else { msg::Q_LATE.get(lang) }}
                </span>
                " "<span class="muted"><time datetime=a.created_at.to_rfc3339()>{local_datetime(a.created_at)}</time>
                {a.edited_at.map(|e| view! { " · "{msg::Q_EDITED.get(lang)}" "<time datetime=e.to_rfc3339()>{local_datetime(e)}</time> })}
                </span>
            </p>
            <div class="markdown" inner_html=a.body_html.clone()></div>
            <FileList files=a.files.clone()/>
            {a.rating.clone().map(|r| view! {
                <p class="rating-line">{msg::Q_RATED.get(lang)}{if lang == Lang::Zh { "：" } else { ": " }}<strong>{level_name(r.level).get(lang)}</strong>
                    {(!r.comment.is_empty()).then(|| view! { <span class="muted">" — "{r.comment.clone()}</span> })}
                </p>
            })}
            {(!revisions.is_empty()).then(|| view! {
                <details class="answer-history">
                    <summary>{msg::Q_HISTORY.get(lang)}" ("{revisions.len()}")"</summary>
                    <ol class="outcome-history">
                        {revisions.into_iter().map(|r| view! {
                            <li>
                                <p class="muted">{msg::Q_WRITTEN.get(lang)}" "<time datetime=r.written_at.to_rfc3339()>{local_datetime(r.written_at)}</time>
                                    " · "{msg::Q_REPLACED.get(lang)}" "<time datetime=r.replaced_at.to_rfc3339()>{local_datetime(r.replaced_at)}</time></p>
                                <div class="markdown" inner_html=r.body_html></div>
                            </li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
        </div>
    }
}

/// A size in bytes for people: KB below a megabyte, else MB with one decimal.
fn size_text(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// An answer's attachments: links to those kept, and the removed ones with when.
#[component]
fn FileList(files: Vec<AnswerFile>) -> impl IntoView {
    let lang = use_lang();
    (!files.is_empty()).then(|| view! {
        <div class="answer-files">
            <h3>{t(msg::Q_FILES)}</h3>
            <ul>
                {files.into_iter().map(|f| {
                    let kind = if f.is_pdf() { "PDF" } else { "JPEG" };
                    match f.removed_at {
                        None => view! {
                            <li><a href=f.url() rel="external">{f.name.clone()}</a>
                                <span class="muted">" ("{kind}", "{size_text(f.bytes)}")"</span></li>
                        }.into_any(),
                        Some(at) => view! {
                            <li class="muted"><del>{f.name.clone()}</del>" · "{msg::Q_FILE_REMOVED.get(lang)}" "
                                <time datetime=at.to_rfc3339()>{local_datetime(at)}</time></li>
                        }.into_any(),
                    }
                }).collect_view()}
            </ul>
        </div>
    })
}

/// Attaches files to an answer, or removes one: a plain multipart form, so it works with no
/// script; a refused form comes back open with the problem at the file field.
#[component]
fn AnswerFilesUpload(
    answer_id: i64,
    files: Vec<AnswerFile>,
    form: AnswerFilesForm,
) -> impl IntoView {
    let lang = use_lang();
    let flash = form.flash.clone().filter(|f| f.answer_id == answer_id);
    let error: Option<AppError> = flash.as_ref().and_then(|f| {
        if f.errors.is_empty() {
            f.general.clone()
        } else {
            Some(AppError::Invalid(f.errors.clone()))
        }
    });
    let file_problem = error
        .as_ref()
        .and_then(|e| e.field("file").cloned())
        .map(|p| problem_text(&p, lang));
    let general = error
        .as_ref()
        .filter(|e| !matches!(e, AppError::Invalid(_)))
        .map(|e| e.message(lang));
    let kept: Vec<AnswerFile> = files
        .into_iter()
        .filter(|f| f.removed_at.is_none())
        .collect();
    let input_id = format!("f-file-{answer_id}");
    let hint_id = format!("{input_id}-hint");
    let err_id = format!("{input_id}-error");
    view! {
        <details class="edit-answer" id=format!("files-{answer_id}") open=flash.is_some()>
            <summary>{t(msg::Q_FILES_FORM)}</summary>
            <form method="post" action=format!("/answers/{answer_id}/files") enctype="multipart/form-data"
                class="stack" novalidate=true>
                <div class="alert alert-error" role="alert" hidden=general.is_none()>{general.clone()}</div>
                <input type="hidden" name="form_token" value=form.token.clone()/>
                <div class="field" class:field-invalid=file_problem.is_some()>
                    <label for=input_id.clone()>{t(msg::Q_F_FILE)}</label>
                    <p class="hint" id=hint_id.clone()>{t(msg::Q_FILE_HINT)}" (≤ "{form.max_mb}" MB)"</p>
                    <input type="file" id=input_id.clone() name="file" multiple=true
                        accept="application/pdf,image/jpeg,image/png,image/webp"
                        aria-invalid=file_problem.is_some().then_some("true")
                        aria-describedby=format!("{hint_id} {err_id}")/>
                    <p class="field-error" id=err_id.clone() hidden=file_problem.is_none()>{file_problem.clone()}</p>
                </div>
                <p><button type="submit" class="btn btn-primary">{t(msg::Q_FILE_UPLOAD)}</button></p>
                {(!kept.is_empty()).then(|| view! {
                    <ul class="plain-list">
                        {kept.into_iter().map(|f| view! {
                            <li>{f.name.clone()}" "
                                <button type="submit" class="btn btn-small" name="remove" value=f.id.to_string()>
                                    {t(msg::Q_FILE_REMOVE)}<span class="visually-hidden">" "{f.name.clone()}</span>
                                </button>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </form>
        </details>
    }
    .into_any()
}

#[component]
fn WantButton(id: i64, wanted: bool) -> impl IntoView {
    let action = ServerAction::<WantQuestion>::new();
    let error = action_error(action);
    view! {
        <ActionForm action attr:class="inline-form">
            <FormAlert error/>
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="on" value=(!wanted).to_string()/>
            <button type="submit" class="btn" class:btn-on=wanted aria-pressed=wanted.to_string()>
                {if wanted { t(msg::Q_WANTED) } else { t(msg::Q_WANT) }}
            </button>
        </ActionForm>
    }
}

#[component]
fn FollowQuestionButton(id: i64, following: bool) -> impl IntoView {
    let action = ServerAction::<FollowQuestion>::new();
    let error = action_error(action);
    view! {
        <ActionForm action attr:class="inline-form follow-form">
            <FormAlert error/>
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="on" value=(!following).to_string()/>
            <button type="submit" class="btn" class:btn-on=following aria-pressed=following.to_string()>
                {if following { t(msg::UNFOLLOW) } else { t(msg::FOLLOW_DELIB) }}
            </button>
            {following.then(|| view! { <p class="hint">{t(msg::Q_FOLLOWING_NOTE)}</p> })}
        </ActionForm>
    }
}

#[component]
fn AnswerQuestionForm(id: i64) -> impl IntoView {
    let action = ServerAction::<AnswerQuestion>::new();
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="answer-form-title">
            <h2 id="answer-form-title">{t(msg::Q_ANSWER_FORM)}</h2>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <TextArea name="answer" label=msg::Q_F_ANSWER hint=msg::Q_ANSWER_HINT required=true maxlength=ANSWER_MAX rows=8 error/>
                <button type="submit" class="btn btn-primary">{t(msg::Q_ANSWER_SUBMIT)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn EditAnswerForm(id: i64, body: String) -> impl IntoView {
    let action = ServerAction::<EditAnswer>::new();
    let error = action_error(action);
    view! {
        <details class="edit-answer" open=error.get_untracked().is_some()>
            <summary>{t(msg::Q_EDIT_ANSWER)}</summary>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <TextArea name="answer_text" label=msg::Q_F_ANSWER hint=msg::Q_EDIT_HINT required=true maxlength=ANSWER_MAX rows=8 value=body error/>
                <button type="submit" class="btn">{t(msg::Q_EDIT_SUBMIT)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn LookingIntoForm(id: i64) -> impl IntoView {
    let action = ServerAction::<LookingIntoQuestion>::new();
    let error = action_error(action);
    view! {
        <details class="card" open=error.get_untracked().is_some()>
            <summary>{t(msg::Q_LOOKING)}</summary>
            <p class="hint">{t(msg::Q_LOOKING_HINT)}</p>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <Field name="expected_on" label=msg::Q_F_EXPECTED input_type="date" required=true error/>
                <TextArea name="looking_note" label=msg::Q_F_NOTE maxlength=NOTE_MAX rows=2 error/>
                <button type="submit" class="btn">{t(msg::Q_LOOKING_SUBMIT)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn HandOverForm(id: i64, departments: Vec<Department>, current: Option<i64>) -> impl IntoView {
    let action = ServerAction::<HandOverQuestion>::new();
    let error = action_error(action);
    view! {
        <details class="card" open=error.get_untracked().is_some()>
            <summary>{t(msg::Q_HANDOVER)}</summary>
            <p class="hint">{t(msg::Q_HANDOVER_HINT)}</p>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <DepartmentField id="handover-department" label=msg::Q_F_HANDOVER_TO departments exclude=current error/>
                <TextArea name="handover_note" label=msg::Q_F_NOTE required=true maxlength=NOTE_MAX rows=3 error/>
                <button type="submit" class="btn">{t(msg::Q_HANDOVER_SUBMIT)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn RouteForm(id: i64, departments: Vec<Department>, current: Option<i64>) -> impl IntoView {
    let action = ServerAction::<RouteQuestion>::new();
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="route-title">
            <h2 id="route-title">{t(msg::Q_ROUTE)}</h2>
            <p class="hint">{t(msg::Q_ROUTE_HINT)}</p>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <DepartmentField id="route-department" label=msg::Q_F_DEPARTMENT departments exclude=current error/>
                <button type="submit" class="btn btn-primary">{t(msg::Q_ROUTE_SUBMIT)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn FollowUpForm(id: i64) -> impl IntoView {
    let action = ServerAction::<FollowUpQuestion>::new();
    let error = action_error(action);
    view! {
        <details class="follow-up-form" open=error.get_untracked().is_some()>
            <summary>{t(msg::Q_FOLLOW_UP_FORM)}</summary>
            <p class="hint">{t(msg::Q_FOLLOW_UP_HINT)}</p>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <TextArea name="follow_up" label=msg::Q_FOLLOW_UP required=true maxlength=BODY_MAX rows=4 error/>
                <button type="submit" class="btn">{t(msg::Q_FOLLOW_UP_SUBMIT)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn RatingForm(id: i64, rating: Option<gongzhi_domain::model::rating::Rating>) -> impl IntoView {
    let action = ServerAction::<RateAnswer>::new();
    let error = action_error(action);
    let changing = rating.is_some();
    let r = rating;
    view! {
        <details class="rating-form" open=!changing || error.get_untracked().is_some()>
            <summary>{if changing { t(msg::Q_RATE_CHANGE) } else { t(msg::Q_RATE) }}</summary>
            <p class="hint">{t(msg::Q_RATE_HINT)}</p>
            <ActionForm action attr:class="stack">
                <FormAlert error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <RatingFields rating=r error/>
                <button type="submit" class="btn btn-primary">{t(msg::Q_RATE_SUBMIT)}</button>
            </ActionForm>
        </details>
    }
}

/// The figures of one department as table cells.
#[component]
fn FigureCells(f: DepartmentFigures) -> impl IntoView {
    let lang = use_lang();
    view! {
        <td>{f.received}</td>
        <td>{f.answered}</td>
        <td>{percent(f.answer_rate())}</td>
        <td>{f.answered_on_time}</td>
        <td>{f.median_answer_secs.map(|s| duration_text(s, lang)).unwrap_or_else(|| "—".into())}</td>
        <td>{f.overdue}</td>
        <td>{f.average_rating.map(|a| format!("{a:.1} ({} {})", f.ratings, msg::DEPT_RATINGS.get(lang))).unwrap_or_else(|| "—".into())}</td>
    }
}

#[component]
fn FigureHeads() -> impl IntoView {
    view! {
        <th scope="col">{t(msg::DEPT_COL_RECEIVED)}</th>
        <th scope="col">{t(msg::DEPT_COL_ANSWERED)}</th>
        <th scope="col">{t(msg::DEPT_COL_RATE)}</th>
        <th scope="col">{t(msg::DEPT_COL_ON_TIME)}</th>
        <th scope="col">{t(msg::DEPT_COL_MEDIAN)}</th>
        <th scope="col">{t(msg::DEPT_COL_OVERDUE)}</th>
        <th scope="col">{t(msg::DEPT_COL_RATING)}</th>
    }
}

/// `/departments`: every department's question figures side by side.
#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| departments_figures());
    view! {
        <Title text=t(msg::DEPTS_TITLE)/>
        <h1>{t(msg::DEPTS_TITLE)}</h1>
        <p>{t(msg::DEPTS_Q_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(d) => view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=t(msg::DEPTS_TITLE)>
                        <table class="figures">
                            <caption class="visually-hidden">{t(msg::DEPTS_TITLE)}</caption>
                            <thead><tr>
                                <th scope="col">{t(msg::DEPT_COL_NAME)}</th>
                                <th scope="col">{t(msg::DEPT_COL_DAYS)}</th>
                                <FigureHeads/>
                            </tr></thead>
                            <tbody>
                                {d.rows.into_iter().map(|(dept, f, days)| view! {
                                    <tr>
                                        <th scope="row"><a href=format!("/departments/{}", query_escape(&dept.code))>{crate::i18n::marked_department_name(&dept, lang)}</a></th>
                                        <td>{days}" "{msg::DEPT_WORKING_DAYS.get(lang)}</td>
                                        <FigureCells f/>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}

/// `/departments/:code`: one department's figures and questions.
#[component]
pub fn DepartmentPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, department_page);
    view! {
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(d) => {
                    let name = d.department.name(lang).to_string();
                    let departments = vec![d.department.clone()];
                    view! {
                        <Title text=name.clone()/>
                        <p><a href="/departments">{t(msg::DEPT_ALL)}</a></p>
                        <h1>{name.clone()}</h1>
                        {d.successor.clone().map(|s| view! {
                            <p class="alert alert-info" role="note">{msg::DEPT_RETIRED_TO.get(lang)}
                                <a href=format!("/departments/{}", query_escape(&s.code))>{s.name(lang).to_string()}</a></p>
                        })}
                        <p class="muted">{t(msg::DEPT_COL_DAYS)}": "{d.answer_days}" "{msg::DEPT_WORKING_DAYS.get(lang)}</p>
                        <p class="feeds">{t(msg::FEEDS)}": "
                            <a href=format!("/feeds/reports.atom?department={}", d.department.code) rel="external" type="application/atom+xml">{t(msg::FEED_REPORTS)}</a>" · "
                            <a href=format!("/feeds/answers.atom?department={}", d.department.code) rel="external" type="application/atom+xml">{t(msg::FEED_ANSWERS)}</a>
                        </p>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=name.clone()>
                            <table class="figures">
                                <caption class="visually-hidden">{name.clone()}</caption>
                                <thead><tr><FigureHeads/></tr></thead>
                                <tbody><tr><FigureCells f=d.figures/></tr></tbody>
                            </table>
                        </div>
                        <h2>{t(msg::DEPT_REPORTS)}</h2>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=t(msg::DEPT_REPORTS)>
                            <table class="figures" id="department-results">
                                <caption class="visually-hidden">{t(msg::DEPT_REPORTS)}</caption>
                                <thead><tr>
                                    <th scope="col">{t(msg::RS_RECEIVED)}</th>
                                    <th scope="col">{t(msg::RS_CLOSED)}</th>
                                    <th scope="col">{t(msg::RS_ON_TIME)}</th>
                                    <th scope="col">{t(msg::RS_MEDIAN_CLOSE)}</th>
                                    <th scope="col">{t(msg::RS_SATISFACTION)}</th>
                                </tr></thead>
                                <tbody><tr>
                                    <td>{d.results.received}</td>
                                    <td>{d.results.closed}</td>
                                    <td>{percent(d.results.on_time_rate())}</td>
                                    <td>{super::results::duration(d.results.close_median, lang)}</td>
                                    <td>{percent(d.results.satisfaction_rate())}</td>
                                </tr></tbody>
                            </table>
                        </div>
                        <p><a href=format!("/results?period=all&department={}", query_escape(&d.department.code))>{t(msg::DEPT_SEE_RESULTS)}</a></p>
                        <h2>{t(msg::DEPT_UNANSWERED)}</h2>
                        {if d.unanswered.items.is_empty() {
                            view! { <p>{t(msg::Q_NONE)}</p> }.into_any()
                        } else {
                            view! { <QuestionItems items=d.unanswered.items departments=departments.clone()/> }.into_any()
                        }}
                        <h2>{t(msg::DEPT_ANSWERED)}</h2>
                        {if d.answered.items.is_empty() {
                            view! { <p>{t(msg::Q_NONE)}</p> }.into_any()
                        } else {
                            view! { <QuestionItems items=d.answered.items departments/> }.into_any()
                        }}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// `/admin/deadlines`: each department's answer deadline and the holiday calendar.
#[component]
pub fn AdminDeadlinesPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| crate::api::questions::deadlines());
    let add = ServerAction::<SetCalendarDay>::new();
    let add_error = action_error(add);
    view! {
        <Title text=t(msg::ADMIN_DEADLINES)/>
        <crate::pages::admin_catalog::AdminTabs/>
        <h1>{t(msg::ADMIN_DEADLINES)}</h1>
        <p>{t(msg::ADMIN_DEADLINES_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(d) => view! {
                    <ul class="admin-list">
                        {d.departments.into_iter().map(|(dept, days)| view! { <DaysRow dept days/> }).collect_view()}
                    </ul>
                    <h2>{t(msg::CAL_DAYS)}</h2>
                    {d.days.is_empty().then(|| view! { <p>{t(msg::CAL_NONE)}</p> })}
                    <ul class="admin-list">
                        {d.days.into_iter().map(|day| {
                            let kind = match day.kind {
                                gongzhi_domain::model::question::DayKind::Holiday => msg::CAL_HOLIDAY,
                                gongzhi_domain::model::question::DayKind::Workday => msg::CAL_WORKDAY,
                            };
                            view! {
                                <li class="admin-row">
                                    <strong>{day.day.format("%Y-%m-%d").to_string()}</strong>" "{kind.get(lang)}" "{day.name.clone()}
                                    <RemoveDay day=day.day.format("%Y-%m-%d").to_string()/>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
        <h2>{t(msg::CAL_ADD)}</h2>
        <ActionForm action=add attr:class="stack narrow">
            <FormAlert error=add_error/>
            <Field name="day" label=msg::F_DAY input_type="date" required=true error=add_error/>
            <fieldset class="stance-choice">
                <legend>{t(msg::F_DAY_KIND)}</legend>
                <label class="check" for="kind-holiday"><input type="radio" id="kind-holiday" name="kind" value="holiday" checked=true/>" "{t(msg::CAL_HOLIDAY)}</label>
                <label class="check" for="kind-workday"><input type="radio" id="kind-workday" name="kind" value="workday"/>" "{t(msg::CAL_WORKDAY)}</label>
            </fieldset>
            <Field name="name" label=msg::F_DAY_NAME maxlength=50 error=add_error/>
            <button type="submit" class="btn btn-primary">{t(msg::CAL_ADD)}</button>
        </ActionForm>
    }
}

#[component]
fn DaysRow(dept: Department, days: i64) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SetAnswerDays>::new();
    let error = action_error(action);
    let input_id = format!("days-{}", dept.id);
    view! {
        <li class="admin-row">
            <ActionForm action attr:class="inline-form">
                <FormAlert error/>
                <input type="hidden" name="id" value=dept.id.to_string()/>
                <label for=input_id.clone()>{dept.name(lang).to_string()}" · "{t(msg::F_ANSWER_DAYS)}</label>" "
                <input id=input_id.clone() name="answer_days" type="number" min="1" max="60" required=true value=days.to_string()/>" "
                <button type="submit" class="btn btn-small">{t(msg::SAVE)}</button>
            </ActionForm>
        </li>
    }
}

#[component]
fn RemoveDay(day: String) -> impl IntoView {
    let action = ServerAction::<RemoveCalendarDay>::new();
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="day" value=day/>
            <button type="submit" class="btn btn-small">{t(msg::REMOVE)}</button>
        </ActionForm>
    }
}

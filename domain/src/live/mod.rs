//! Live Q&A sessions (网络问政直播): an admin schedules a department and a time window;
//! during it, signed-in residents submit questions and upvote them (once each), and the
//! department's officials mark a question "answering now" and publish answers. Every change
//! is written with an event row in the same transaction; browsers follow the events (Server-
//! Sent Events) and, after a dropped connection, catch up from the last event they saw. After
//! the window the session is a read-only archive.

pub mod hub;

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::db::BeginWrite;
use crate::error::{Error, FieldError};
use crate::model::live::{
    rank, LiveEvent, LiveQuestion, QuestionStatus, Session, SessionPage, State, ANSWER_MAX,
    DESCRIPTION_MAX, LONGEST_HOURS, QUESTIONS_MAX, QUESTION_MAX, TITLE_MAX,
};
use crate::model::moderation::Mode;
use crate::model::{Me, Role};
use crate::time::now;
use crate::{with_db, Problem, Services};

pub use hub::{Hub, Wire};

/// The NOTIFY channel instances tell each other of new events on (PostgreSQL).
pub const CHANNEL: &str = "gongzhi_live";

/// A session as the admin's form sends it; times are the city's local "YYYY-MM-DDTHH:MM".
#[derive(Clone, Debug, Default)]
pub struct SessionInput {
    pub title: String,
    pub description: String,
    pub department: String,
    pub starts: String,
    pub ends: String,
}

fn local_time(svc: &Services, s: &str) -> Option<DateTime<Utc>> {
    let t = NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Some(
        DateTime::<Utc>::from_naive_utc_and_offset(t, Utc)
            - chrono::Duration::minutes(i64::from(svc.reports.utc_offset_minutes)),
    )
}

/// Admins manage sessions.
fn require_admin(me: Option<&Me>) -> Result<&Me, Error> {
    match me {
        None => Err(Error::Unauthenticated),
        Some(m) if m.role == Role::Admin => Ok(m),
        Some(_) => Err(Error::Forbidden),
    }
}

/// A session's fields, checked.
struct Checked<'a> {
    title: &'a str,
    description: &'a str,
    department: i64,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
}

/// Checks a session's fields: every problem, each on its field.
async fn check<'a>(svc: &Services, input: &'a SessionInput) -> Result<Checked<'a>, Error> {
    let mut problems = Vec::new();
    let title = input.title.trim();
    if title.is_empty() {
        problems.push(FieldError::new("title", Problem::Required));
    } else if title.chars().count() > TITLE_MAX {
        problems.push(FieldError::new(
            "title",
            Problem::TooLong { max: TITLE_MAX },
        ));
    }
    let description = input.description.trim();
    if description.chars().count() > DESCRIPTION_MAX {
        problems.push(FieldError::new(
            "description",
            Problem::TooLong {
                max: DESCRIPTION_MAX,
            },
        ));
    }
    let department = match input.department.trim().parse::<i64>() {
        Ok(d) => match crate::departments::unchoosable(&svc.db, d).await? {
            None => Some(d),
            Some(problem) => {
                problems.push(FieldError::new("department", problem));
                None
            }
        },
        _ if input.department.trim().is_empty() => {
            problems.push(FieldError::new("department", Problem::Required));
            None
        }
        _ => {
            problems.push(FieldError::new("department", Problem::UnknownDepartment));
            None
        }
    };
    let mut time = |field: &str, s: &str| {
        if s.trim().is_empty() {
            problems.push(FieldError::new(field, Problem::Required));
            None
        } else {
            let t = local_time(svc, s);
            if t.is_none() {
                problems.push(FieldError::new(field, Problem::NotADateTime));
            }
            t
        }
    };
    let starts = time("starts", &input.starts);
    let ends = time("ends", &input.ends);
    if let (Some(s), Some(e)) = (starts, ends) {
        if e <= s {
            problems.push(FieldError::new("ends", Problem::DateOrder));
        } else if e - s > chrono::Duration::hours(LONGEST_HOURS) {
            problems.push(FieldError::new(
                "ends",
                Problem::OutOfRange {
                    min: 0,
                    max: LONGEST_HOURS,
                },
            ));
        }
        if e <= now() {
            problems.push(FieldError::new("ends", Problem::DateInPast));
        }
    }
    let (Some(department), Some(starts), Some(ends), true) =
        (department, starts, ends, problems.is_empty())
    else {
        return Err(Error::Invalid(problems));
    };
    Ok(Checked {
        title,
        description,
        department,
        starts,
        ends,
    })
}

/// An admin schedules a session. Returns its id.
pub async fn schedule(svc: &Services, me: Option<&Me>, input: SessionInput) -> Result<i64, Error> {
    let me = require_admin(me)?;
    let c = check(svc, &input).await?;
    let id: i64 = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "INSERT INTO live_sessions (title, description, department_id, starts_at, ends_at, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(c.title).bind(c.description).bind(c.department).bind(c.starts).bind(c.ends).bind(me.id).bind(now())
        .fetch_one(p)
        .await
    })?;
    tracing::info!(
        session = id,
        department = c.department,
        "live session scheduled"
    );
    Ok(id)
}

/// The session, which must not have started (nor been called off): only then may an admin
/// change it or call it off.
async fn upcoming_session(svc: &Services, id: i64, field: &str) -> Result<Session, Error> {
    let s = session(svc, id).await?.ok_or(Error::NotFound)?;
    match s.state {
        State::Upcoming => Ok(s),
        State::Cancelled => Err(Error::field(field, Problem::SessionCancelled)),
        State::Live | State::Archived => Err(Error::field(field, Problem::SessionStarted)),
    }
}

/// An admin changes a session before it starts (title, description, department, times).
pub async fn update(
    svc: &Services,
    me: Option<&Me>,
    id: i64,
    input: SessionInput,
) -> Result<(), Error> {
    let me = require_admin(me)?;
    upcoming_session(svc, id, "starts").await?;
    let c = check(svc, &input).await?;
    let t = now();
    let n = with_db!(&svc.db, p => {
        sqlx::query(
            "UPDATE live_sessions SET title = $1, description = $2, department_id = $3, starts_at = $4, ends_at = $5, \
             updated_at = $6 WHERE id = $7 AND starts_at > $6 AND cancelled_at IS NULL",
        )
        .bind(c.title).bind(c.description).bind(c.department).bind(c.starts).bind(c.ends).bind(t).bind(id)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    if n != 1 {
        // It started (or was called off) between the check and the change.
        return Err(Error::field("starts", Problem::SessionStarted));
    }
    tracing::info!(session = id, by = me.id, "live session changed");
    Ok(())
}

/// The longest note calling a session off.
pub const CANCEL_NOTE_MAX: usize = 500;

/// An admin calls a session off before it starts, with a public note saying why.
pub async fn cancel(svc: &Services, me: Option<&Me>, id: i64, note: &str) -> Result<(), Error> {
    let me = require_admin(me)?;
    upcoming_session(svc, id, "cancel_note").await?;
    let note = note.trim();
    if note.is_empty() {
        return Err(Error::field("cancel_note", Problem::Required));
    }
    if note.chars().count() > CANCEL_NOTE_MAX {
        return Err(Error::field(
            "cancel_note",
            Problem::TooLong {
                max: CANCEL_NOTE_MAX,
            },
        ));
    }
    let t = now();
    let n = with_db!(&svc.db, p => {
        sqlx::query(
            "UPDATE live_sessions SET cancelled_at = $1, cancel_note = $2, updated_at = $1 \
             WHERE id = $3 AND starts_at > $1 AND cancelled_at IS NULL",
        )
        .bind(t).bind(note).bind(id)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    if n != 1 {
        return Err(Error::field("cancel_note", Problem::SessionStarted));
    }
    tracing::info!(session = id, by = me.id, "live session called off");
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    title: String,
    description: String,
    department_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    question_count: i64,
    cancelled_at: Option<DateTime<Utc>>,
    cancel_note: String,
}

impl SessionRow {
    fn into_session(self, t: DateTime<Utc>) -> Session {
        Session {
            state: if self.cancelled_at.is_some() {
                State::Cancelled
            } else {
                State::at(self.starts_at, self.ends_at, t)
            },
            cancelled_at: self.cancelled_at,
            cancel_note: self.cancel_note,
            id: self.id,
            title: self.title,
            description: self.description,
            department_id: self.department_id,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            question_count: self.question_count,
        }
    }
}

const SESSION_COLUMNS: &str = "s.id, s.title, s.description, s.department_id, s.starts_at, s.ends_at, \
     s.cancelled_at, s.cancel_note, \
     (SELECT count(*) FROM live_questions q WHERE q.session_id = s.id AND q.visibility = 'visible') AS question_count";

/// Sessions live now and coming (soonest first), then the newest hundred archived.
pub async fn list(svc: &Services) -> Result<Vec<Session>, Error> {
    let t = now();
    let rows: Vec<SessionRow> = with_db!(&svc.db, p => async {
        let mut rows: Vec<SessionRow> = sqlx::query_as(&format!(
            "SELECT {SESSION_COLUMNS} FROM live_sessions s WHERE s.ends_at > $1 ORDER BY s.starts_at, s.id"
        ))
        .bind(t).fetch_all(p).await?;
        let archived: Vec<SessionRow> = sqlx::query_as(&format!(
            "SELECT {SESSION_COLUMNS} FROM live_sessions s WHERE s.ends_at <= $1 ORDER BY s.ends_at DESC, s.id DESC LIMIT 100"
        ))
        .bind(t).fetch_all(p).await?;
        rows.extend(archived);
        Ok::<_, sqlx::Error>(rows)
    }.await)?;
    Ok(rows.into_iter().map(|r| r.into_session(t)).collect())
}

/// A session, as lists show it.
pub async fn session(svc: &Services, id: i64) -> Result<Option<Session>, Error> {
    let row: Option<SessionRow> = with_db!(&svc.db, p => {
        sqlx::query_as(&format!("SELECT {SESSION_COLUMNS} FROM live_sessions s WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    Ok(row.map(|r| r.into_session(now())))
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: i64,
    body: String,
    author_name: Option<String>,
    votes: i64,
    status: String,
    answer_html: String,
    answered_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    visibility: String,
}

impl From<QuestionRow> for LiveQuestion {
    fn from(r: QuestionRow) -> Self {
        LiveQuestion {
            id: r.id,
            body: r.body,
            author_name: r.author_name,
            votes: r.votes,
            status: QuestionStatus::parse(&r.status),
            answer_html: r.answer_html,
            answered_at: r.answered_at,
            created_at: r.created_at,
            held: r.visibility == "held",
        }
    }
}

const QUESTION_SQL: &str =
    "SELECT q.id, q.body, u.display_name AS author_name, q.votes, q.status, q.answer_html, \
     q.answered_at, q.created_at, q.visibility FROM live_questions q LEFT JOIN users u ON u.id = q.author_id";

/// A session's page: its questions ranked, what the viewer voted for, and the event to
/// follow on from.
pub async fn page(svc: &Services, me: Option<&Me>, id: i64) -> Result<Option<SessionPage>, Error> {
    let Some(session) = session(svc, id).await? else {
        return Ok(None);
    };
    let me_id = me.map(|m| m.id).unwrap_or(0);
    let (rows, voted, last_event): (Vec<QuestionRow>, Vec<i64>, Option<i64>) = with_db!(&svc.db, p => async {
        // The newest event first: a question written after it reaches the browser as an event.
        let last: Option<i64> = sqlx::query_scalar("SELECT max(id) FROM live_events WHERE session_id = $1")
            .bind(id).fetch_one(p).await?;
        let rows = sqlx::query_as(&format!(
            "{QUESTION_SQL} WHERE q.session_id = $1 AND (q.visibility = 'visible' OR (q.visibility = 'held' AND q.author_id = $2)) \
             ORDER BY q.votes DESC, q.id LIMIT {QUESTIONS_MAX}"
        ))
        .bind(id).bind(me_id).fetch_all(p).await?;
        let voted = sqlx::query_scalar(
            "SELECT v.question_id FROM live_votes v JOIN live_questions q ON q.id = v.question_id \
             WHERE q.session_id = $1 AND v.user_id = $2",
        )
        .bind(id).bind(me_id).fetch_all(p).await?;
        Ok::<_, sqlx::Error>((rows, voted, last))
    }.await)?;
    let mut questions: Vec<LiveQuestion> = rows.into_iter().map(Into::into).collect();
    rank(&mut questions);
    let can_answer = session.state == State::Live
        && me.is_some_and(|m| {
            m.role == Role::Official && m.department_id == Some(session.department_id)
        });
    Ok(Some(SessionPage {
        session,
        questions,
        voted,
        last_event: last_event.unwrap_or(0),
        signed_in: me.is_some(),
        can_answer,
    }))
}

/// The session's events after `after`, oldest first (at most `limit`).
pub async fn events_since(
    svc: &Services,
    session_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<Wire>, Error> {
    let rows: Vec<(i64, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT id, data FROM live_events WHERE session_id = $1 AND id > $2 ORDER BY id LIMIT $3")
            .bind(session_id)
            .bind(after)
            .bind(limit)
            .fetch_all(p)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, json)| Wire {
            session_id,
            id,
            json,
        })
        .collect())
}

/// One event by id (for the PostgreSQL listener).
pub async fn event(svc: &Services, id: i64) -> Result<Option<Wire>, Error> {
    let row: Option<(i64, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT session_id, data FROM live_events WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    Ok(row.map(|(session_id, json)| Wire {
        session_id,
        id,
        json,
    }))
}

/// The session, which must be live now.
async fn live_session(svc: &Services, id: i64, field: &str) -> Result<Session, Error> {
    let s = session(svc, id).await?.ok_or(Error::NotFound)?;
    match s.state {
        State::Live => Ok(s),
        State::Upcoming => Err(Error::field(field, Problem::NotStarted)),
        State::Archived => Err(Error::field(field, Problem::SessionOver)),
        State::Cancelled => Err(Error::field(field, Problem::SessionCancelled)),
    }
}

/// Writes the event for question `$qid` of session `$sid` (kind `$kind`) in transaction
/// `$tx` and tells other instances (PostgreSQL). Yields the event's id and JSON.
macro_rules! write_event {
    ($svc:expr, $tx:ident, $sid:expr, $qid:expr, $kind:expr, $t:expr) => {
        async {
            let row: QuestionRow = sqlx::query_as(&format!("{QUESTION_SQL} WHERE q.id = $1"))
                .bind($qid)
                .fetch_one(&mut *$tx)
                .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO live_events (session_id, kind, data, created_at) VALUES ($1, $2, '', $3) RETURNING id",
            )
            .bind($sid)
            .bind($kind)
            .bind($t)
            .fetch_one(&mut *$tx)
            .await?;
            let event = LiveEvent {
                id,
                session_id: $sid,
                kind: $kind.to_string(),
                question: row.into(),
            };
            let json = serde_json::to_string(&event).unwrap_or_default();
            sqlx::query("UPDATE live_events SET data = $1 WHERE id = $2")
                .bind(&json)
                .bind(id)
                .execute(&mut *$tx)
                .await?;
            if $svc.db.backend() == "postgres" {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(id.to_string())
                    .execute(&mut *$tx)
                    .await?;
            }
            Ok::<_, sqlx::Error>(Wire {
                session_id: $sid,
                id,
                json,
            })
        }
    };
}

/// After the event's transaction committed: on SQLite, this instance is the only one and
/// sends it; on PostgreSQL every instance's listener does, this one included.
fn announce(svc: &Services, wire: Wire) {
    if svc.db.backend() != "postgres" {
        svc.live.send(wire);
    }
}

/// A resident's question in a live session. Returns its id.
pub async fn submit(
    svc: &Services,
    me: Option<&Me>,
    session_id: i64,
    body: &str,
) -> Result<i64, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let session = live_session(svc, session_id, "body").await?;
    let body = body.trim();
    if body.is_empty() {
        return Err(Error::field("body", Problem::Required));
    }
    if body.chars().count() > QUESTION_MAX {
        return Err(Error::field("body", Problem::TooLong { max: QUESTION_MAX }));
    }
    // Live questions cannot wait for review: the word list and the new-account rule hold
    // them out of the session, where moderators can still publish them.
    let hold = crate::moderation::screen(svc, me, Mode::Post, body).await?;
    // A live session moves fast: three times the limit of questions to departments.
    let limit = crate::ratelimit::Post {
        scope: crate::ratelimit::Scope::QuestionAccount,
        account: me.id,
        max: svc.limits.question_per_account * 3,
        window: svc.limits.question_window,
        ip: "",
    };
    limit.check(&svc.db, &svc.limits).await?;
    let t = now();
    let visibility = if hold.is_some() { "held" } else { "visible" };
    let (id, wire): (i64, Option<Wire>) = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO live_questions (session_id, author_id, body, visibility, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(session.id).bind(me.id).bind(body).bind(visibility).bind(t)
        .fetch_one(&mut *tx).await?;
        let wire = match hold {
            None => Some(write_event!(svc, tx, session.id, id, "question", t).await?),
            Some(cause) => {
                crate::moderation::hold_new!(tx, crate::model::moderation::ItemKind::LiveQuestion, id, Some(me.id), cause, t).await?;
                None
            }
        };
        tx.commit().await?;
        Ok::<_, sqlx::Error>((id, wire))
    }.await)?;
    limit.record(&svc.db).await?;
    if let Some(w) = wire {
        announce(svc, w);
    }
    Ok(id)
}

/// When moderators publish a held live question, or hide or restore a public one: the
/// browsers are told (a published question joins the ranking, a hidden one leaves it).
pub(crate) async fn moderated(
    svc: &Services,
    id: i64,
    was: crate::model::deliberation::Visibility,
    now_is: crate::model::deliberation::Visibility,
) -> Result<(), Error> {
    use crate::model::deliberation::Visibility;
    let kind = match (was == Visibility::Visible, now_is == Visibility::Visible) {
        (false, true) => "question",
        (true, false) => "hidden",
        _ => return Ok(()),
    };
    let t = now();
    let wire: Option<Wire> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let session: Option<i64> = sqlx::query_scalar("SELECT session_id FROM live_questions WHERE id = $1")
            .bind(id).fetch_optional(&mut *tx).await?;
        let Some(session) = session else { return Ok(None) };
        let wire = write_event!(svc, tx, session, id, kind, t).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(Some(wire))
    }.await)?;
    if let Some(w) = wire {
        announce(svc, w);
    }
    Ok(())
}

/// The question's session, which must be live, and the question's status.
async fn question_session(
    svc: &Services,
    question: i64,
    field: &str,
) -> Result<(Session, String), Error> {
    let row: Option<(i64, String, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT session_id, status, visibility FROM live_questions WHERE id = $1")
            .bind(question)
            .fetch_optional(p)
            .await
    })?;
    let (session_id, status, visibility) = row.ok_or(Error::NotFound)?;
    if visibility != "visible" {
        return Err(Error::NotFound);
    }
    Ok((live_session(svc, session_id, field).await?, status))
}

/// Upvotes a question (`on`) or takes the vote back. One per resident. Returns the count.
pub async fn vote(svc: &Services, me: Option<&Me>, question: i64, on: bool) -> Result<i64, Error> {
    let me = me.ok_or(Error::Unauthenticated)?;
    let (session, _) = question_session(svc, question, "vote").await?;
    let t = now();
    let changed: Option<(i64, Wire)> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = if on {
            sqlx::query(
                "INSERT INTO live_votes (question_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (question_id, user_id) DO NOTHING",
            )
            .bind(question).bind(me.id).bind(t)
            .execute(&mut *tx).await?.rows_affected()
        } else {
            sqlx::query("DELETE FROM live_votes WHERE question_id = $1 AND user_id = $2")
                .bind(question).bind(me.id)
                .execute(&mut *tx).await?.rows_affected()
        };
        if n == 0 {
            return Ok(None);
        }
        let votes: i64 = sqlx::query_scalar("UPDATE live_questions SET votes = votes + $1 WHERE id = $2 RETURNING votes")
            .bind(if on { 1_i64 } else { -1 }).bind(question)
            .fetch_one(&mut *tx).await?;
        let wire = write_event!(svc, tx, session.id, question, "votes", t).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(Some((votes, wire)))
    }.await)?;
    match changed {
        Some((votes, wire)) => {
            announce(svc, wire);
            Ok(votes)
        }
        None if on => Err(Error::field("vote", Problem::AlreadySupported)),
        None => Ok(with_db!(&svc.db, p => {
            sqlx::query_scalar("SELECT votes FROM live_questions WHERE id = $1").bind(question).fetch_one(p).await
        })?),
    }
}

/// Officials of the session's department only.
fn require_official(me: Option<&Me>, session: &Session) -> Result<(), Error> {
    match me {
        None => Err(Error::Unauthenticated),
        Some(m) if m.role == Role::Official && m.department_id == Some(session.department_id) => {
            Ok(())
        }
        Some(_) => Err(Error::Forbidden),
    }
}

/// An official marks the question the department is answering now (the one marked before,
/// if still unanswered, goes back to waiting).
pub async fn answering(svc: &Services, me: Option<&Me>, question: i64) -> Result<(), Error> {
    let (session, status) = question_session(svc, question, "status").await?;
    require_official(me, &session)?;
    if status == "answered" {
        return Err(Error::field("status", Problem::AlreadyAnswered));
    }
    let t = now();
    let wires: Vec<Wire> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let before: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM live_questions WHERE session_id = $1 AND status = 'answering' AND id <> $2",
        )
        .bind(session.id).bind(question)
        .fetch_all(&mut *tx).await?;
        let mut wires = Vec::new();
        for b in before {
            sqlx::query("UPDATE live_questions SET status = 'waiting' WHERE id = $1").bind(b).execute(&mut *tx).await?;
            wires.push(write_event!(svc, tx, session.id, b, "status", t).await?);
        }
        sqlx::query("UPDATE live_questions SET status = 'answering' WHERE id = $1 AND status <> 'answered'")
            .bind(question).execute(&mut *tx).await?;
        wires.push(write_event!(svc, tx, session.id, question, "status", t).await?);
        tx.commit().await?;
        Ok::<_, sqlx::Error>(wires)
    }.await)?;
    for w in wires {
        announce(svc, w);
    }
    Ok(())
}

/// An official publishes the department's answer (markdown) to a live question.
pub async fn answer(
    svc: &Services,
    me: Option<&Me>,
    question: i64,
    body: &str,
) -> Result<(), Error> {
    let (session, status) = question_session(svc, question, "answer").await?;
    require_official(me, &session)?;
    let Some(me) = me else {
        return Err(Error::Unauthenticated);
    };
    if status == "answered" {
        return Err(Error::field("answer", Problem::AlreadyAnswered));
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(Error::field("answer", Problem::Required));
    }
    if body.chars().count() > ANSWER_MAX {
        return Err(Error::field("answer", Problem::TooLong { max: ANSWER_MAX }));
    }
    let html = crate::deliberation::markdown::render(body);
    let t = now();
    let wire: Option<Wire> = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(
            "UPDATE live_questions SET status = 'answered', answer = $1, answer_html = $2, answered_by = $3, answered_at = $4 \
             WHERE id = $5 AND status <> 'answered'",
        )
        .bind(body).bind(&html).bind(me.id).bind(t).bind(question)
        .execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Ok(None);
        }
        let wire = write_event!(svc, tx, session.id, question, "answer", t).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(Some(wire))
    }.await)?;
    let wire = wire.ok_or_else(|| Error::field("answer", Problem::AlreadyAnswered))?;
    announce(svc, wire);
    tracing::info!(session = session.id, question, "live answer published");
    Ok(())
}

/// On PostgreSQL: listens for other instances' (and this one's) events and sends them to
/// this instance's browsers, reconnecting after a lost connection. Returns at once on SQLite.
pub fn listen(svc: Services) -> Option<tokio::task::JoinHandle<()>> {
    let crate::db::Db::Postgres(pool) = &svc.db else {
        return None;
    };
    let pool = pool.clone();
    Some(tokio::spawn(async move {
        let closed = svc.live.closed();
        tokio::pin!(closed);
        loop {
            let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "live listener cannot connect; retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => continue,
                        _ = &mut closed => return,
                    }
                }
            };
            if let Err(e) = listener.listen(CHANNEL).await {
                tracing::warn!(error = %e, "live listener cannot LISTEN; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                continue;
            }
            loop {
                let n = tokio::select! {
                    n = listener.recv() => n,
                    _ = &mut closed => return,
                };
                match n {
                    Ok(n) => {
                        let Ok(id) = n.payload().parse::<i64>() else {
                            continue;
                        };
                        match event(&svc, id).await {
                            Ok(Some(w)) => svc.live.send(w),
                            Ok(None) => {}
                            Err(e) => {
                                tracing::warn!(error = %e, event = id, "live event unreadable")
                            }
                        }
                    }
                    Err(e) => {
                        // Events missed meanwhile are caught up by the browsers themselves
                        // (they reconnect with the last event they saw).
                        tracing::warn!(error = %e, "live listener lost its connection");
                        break;
                    }
                }
            }
        }
    }))
}

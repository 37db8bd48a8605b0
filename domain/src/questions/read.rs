//! Reading questions: the public list with its filters and orders, one question with its
//! timeline, answers and their earlier wordings, and similar questions to look at before
//! asking.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::Error;
use crate::model::deliberation::Visibility;
use crate::model::moderation::HiddenWhy;
use crate::model::question::{
    Answer, Event, EventKind, Filter, PendingFollowUp, QuestionDetail, QuestionPage,
    QuestionSummary, Revision, Show, Similar, Sort, Status, Viewer, PAGE_SIZE,
};
use crate::model::rating::{Level, Rating, CHANGE_DAYS};
use crate::model::{Me, Role};
use crate::time::now;
use crate::{with_db, Services};

/// The most pages a list goes to (a search narrows further).
const PAGE_MAX: i64 = 1000;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    department_id: Option<i64>,
    status: String,
    want_count: i64,
    comment_count: i64,
    visibility: String,
    due_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    answered_at: Option<DateTime<Utc>>,
}

fn overdue(status: Status, due_at: Option<DateTime<Utc>>, t: DateTime<Utc>) -> bool {
    status != Status::Answered && due_at.is_some_and(|d| t > d)
}

/// The public questions (and `me`'s own held ones) for a filter, one page at a time.
pub async fn list(svc: &Services, me: Option<&Me>, f: &Filter) -> Result<QuestionPage, Error> {
    let t = now();
    let mut conditions = vec![
        "(q.visibility = 'visible' OR (q.visibility = 'held' AND q.asker_id = $1))".to_string(),
        "($2 = 0 OR q.department_id = $2)".to_string(),
        "($3 = '' OR lower(q.title) LIKE $3 ESCAPE '\\' OR lower(q.body) LIKE $3 ESCAPE '\\')"
            .to_string(),
    ];
    match f.show {
        Show::All => {}
        Show::Answered => conditions.push("q.status = 'answered'".into()),
        Show::Unanswered => conditions.push("q.status <> 'answered'".into()),
        Show::Overdue => conditions.push("q.status <> 'answered' AND q.due_at < $4".into()),
        Show::Routing => conditions.push("q.status = 'routing'".into()),
    }
    let order = match f.sort {
        Sort::Wanted => "q.want_count DESC, q.id DESC",
        Sort::Newest => "q.id DESC",
        Sort::OldestUnanswered => {
            conditions.push("q.status <> 'answered'".into());
            "COALESCE(q.received_at, q.created_at), q.id"
        }
    };
    // $4 is used by the overdue filter only; every statement binds it so the numbering holds.
    conditions.push("$4 = $4".into());
    // Dates are the city's local days: asked in [$5, $6), first answered in [$7, $8) when
    // $9 is 1 (a question never answered has no first answer to compare).
    let offset = svc.reports.utc_offset_minutes;
    let asked = crate::time::day_bounds(f.asked_from, f.asked_to, offset);
    let answered = crate::time::day_bounds(f.answered_from, f.answered_to, offset);
    let by_answer = i64::from(f.answered_from.is_some() || f.answered_to.is_some());
    conditions.push("q.created_at >= $5 AND q.created_at < $6".into());
    conditions.push("($9 = 0 OR (q.first_answered_at >= $7 AND q.first_answered_at < $8))".into());
    let where_ = conditions.join(" AND ");
    let page = f.page.clamp(0, PAGE_MAX);
    let me_id = me.map(|m| m.id).unwrap_or(0);
    let pattern = if f.q.trim().is_empty() {
        String::new()
    } else {
        crate::reports::query::like_pattern(&f.q)
    };
    let department = f.department.unwrap_or(0);
    let sql = format!(
        "SELECT q.id, q.title, q.department_id, q.status, q.want_count, q.comment_count, q.visibility, q.due_at, \
         q.created_at, q.answered_at FROM questions q WHERE {where_} ORDER BY {order} LIMIT {} OFFSET {}",
        PAGE_SIZE + 1,
        page * PAGE_SIZE
    );
    let count_sql = format!("SELECT count(*) FROM questions q WHERE {where_}");
    let (rows, total): (Vec<SummaryRow>, i64) = with_db!(&svc.db, p => async {
        let rows = sqlx::query_as(&sql).bind(me_id).bind(department).bind(&pattern).bind(t)
            .bind(asked.0).bind(asked.1).bind(answered.0).bind(answered.1).bind(by_answer).fetch_all(p).await?;
        let total = sqlx::query_scalar(&count_sql).bind(me_id).bind(department).bind(&pattern).bind(t)
            .bind(asked.0).bind(asked.1).bind(answered.0).bind(answered.1).bind(by_answer).fetch_one(p).await?;
        Ok::<_, sqlx::Error>((rows, total))
    }.await)?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    let items = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|r| {
            let status = Status::parse(&r.status).unwrap_or(Status::Open);
            QuestionSummary {
                id: r.id,
                title: r.title,
                department_id: r.department_id,
                status,
                want_count: r.want_count,
                comment_count: r.comment_count,
                visibility: Visibility::parse(&r.visibility),
                due_at: r.due_at,
                overdue: overdue(status, r.due_at, t),
                created_at: r.created_at,
                answered_at: r.answered_at,
            }
        })
        .collect();
    Ok(QuestionPage {
        items,
        total,
        page,
        has_more,
    })
}

/// Up to five public questions sharing words with `text` (a title being typed), most
/// wanted first. Chinese has no spaces, so besides whole words, every two-character run of
/// a long word is tried.
pub async fn similar(svc: &Services, text: &str) -> Result<Vec<Similar>, Error> {
    let terms = search_terms(text);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let conditions: Vec<String> = (1..=terms.len())
        .map(|i| format!("lower(title) LIKE ${i} ESCAPE '\\'"))
        .collect();
    let sql = format!(
        "SELECT id, title, status, want_count FROM questions WHERE visibility = 'visible' AND ({}) \
         ORDER BY want_count DESC, id DESC LIMIT 50",
        conditions.join(" OR ")
    );
    let rows: Vec<(i64, String, String, i64)> = with_db!(&svc.db, p => async {
        let mut q = sqlx::query_as(&sql);
        for term in &terms {
            q = q.bind(crate::reports::query::like_pattern(term));
        }
        q.fetch_all(p).await
    }.await)?;
    // The questions sharing the most terms come first.
    let mut scored: Vec<(usize, Similar)> = rows
        .into_iter()
        .map(|(id, title, status, want_count)| {
            let lower = title.to_lowercase();
            let score = terms.iter().filter(|t| lower.contains(t.as_str())).count();
            (
                score,
                Similar {
                    id,
                    title,
                    status: Status::parse(&status).unwrap_or(Status::Open),
                    want_count,
                },
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.want_count.cmp(&a.1.want_count)));
    Ok(scored.into_iter().take(5).map(|(_, s)| s).collect())
}

/// Words to look for: latin words of three letters or more, and two-character runs of
/// Chinese text, without common filler; at most eight.
pub fn search_terms(text: &str) -> Vec<String> {
    const FILLER: [&str; 12] = [
        "什么", "为什", "怎么", "是否", "可以", "能否", "请问", "我们", "你们", "哪里", "the",
        "and",
    ];
    let mut terms: Vec<String> = Vec::new();
    let lower = text.to_lowercase();
    for word in lower.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = word.chars().collect();
        if chars.iter().all(|c| c.is_ascii()) {
            if chars.len() >= 3 {
                terms.push(word.to_string());
            }
        } else {
            for pair in chars.windows(2) {
                terms.push(pair.iter().collect());
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    terms.retain(|t| !FILLER.contains(&t.as_str()) && seen.insert(t.clone()));
    terms.truncate(8);
    terms
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    asker_id: Option<i64>,
    asker_name: Option<String>,
    department_id: Option<i64>,
    title: String,
    body: String,
    status: String,
    want_count: i64,
    comment_count: i64,
    visibility: String,
    hidden_reason: String,
    hidden_note: String,
    received_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    expected_on: Option<NaiveDate>,
    follow_up: Option<String>,
    follow_up_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    id: i64,
    department_id: i64,
    body: String,
    body_html: String,
    created_at: DateTime<Utc>,
    edited_at: Option<DateTime<Utc>>,
    due_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    answer_id: i64,
    body_html: String,
    written_at: DateTime<Utc>,
    replaced_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct RatingRow {
    subject_id: i64,
    level: String,
    speed: Option<String>,
    result: Option<String>,
    attitude: Option<String>,
    comment: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    department_id: Option<i64>,
    from_department_id: Option<i64>,
    note: String,
    expected_on: Option<NaiveDate>,
    created_at: DateTime<Utc>,
}

/// One question as `me` may see it, with what `me` may do; `None` when there is no such
/// question or it waits for review and `me` neither asked it nor moderates.
pub async fn get(
    svc: &Services,
    me: Option<&Me>,
    id: i64,
) -> Result<Option<(QuestionDetail, Viewer)>, Error> {
    let row: Option<DetailRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT q.id, q.asker_id, u.display_name AS asker_name, q.department_id, q.title, q.body, q.status, \
             q.want_count, q.comment_count, q.visibility, q.hidden_reason, q.hidden_note, q.received_at, q.due_at, \
             q.expected_on, q.follow_up, q.follow_up_at, q.created_at \
             FROM questions q LEFT JOIN users u ON u.id = q.asker_id WHERE q.id = $1",
        )
        .bind(id)
        .fetch_optional(p)
        .await
    })?;
    let Some(r) = row else { return Ok(None) };
    let visibility = Visibility::parse(&r.visibility);
    let is_asker = me.is_some_and(|m| r.asker_id == Some(m.id));
    let moderator = crate::moderation::require_moderator(me).is_ok();
    if visibility == Visibility::Held && !is_asker && !moderator {
        return Ok(None);
    }
    let status = Status::parse(&r.status).unwrap_or(Status::Open);
    let t = now();
    let (answers, revisions, ratings, events): (
        Vec<AnswerRow>,
        Vec<RevisionRow>,
        Vec<RatingRow>,
        Vec<EventRow>,
    ) = with_db!(&svc.db, p => async {
            let answers = sqlx::query_as(
                "SELECT id, department_id, body, body_html, created_at, edited_at, due_at FROM answers \
                 WHERE question_id = $1 ORDER BY id",
            )
            .bind(id).fetch_all(p).await?;
            let revisions = sqlx::query_as(
                "SELECT v.answer_id, v.body_html, v.written_at, v.replaced_at FROM answer_revisions v \
                 JOIN answers a ON a.id = v.answer_id WHERE a.question_id = $1 ORDER BY v.id",
            )
            .bind(id).fetch_all(p).await?;
            // The asker's ratings of the answers.
            let ratings = sqlx::query_as(
                "SELECT g.subject_id, g.level, g.speed, g.result, g.attitude, g.comment, g.created_at, g.updated_at \
                 FROM ratings g JOIN answers a ON a.id = g.subject_id WHERE g.subject_kind = 'answer' \
                 AND a.question_id = $1 AND g.rater_key = $2",
            )
            .bind(id).bind(format!("u:{}", r.asker_id.unwrap_or(0))).fetch_all(p).await?;
            let events = sqlx::query_as(
                "SELECT kind, department_id, from_department_id, note, expected_on, created_at FROM question_events \
                 WHERE question_id = $1 ORDER BY id",
            )
            .bind(id).fetch_all(p).await?;
            Ok::<_, sqlx::Error>((answers, revisions, ratings, events))
        }.await)?;
    let mut revisions_by: HashMap<i64, Vec<Revision>> = HashMap::new();
    for v in revisions {
        revisions_by.entry(v.answer_id).or_default().push(Revision {
            body_html: v.body_html,
            written_at: v.written_at,
            replaced_at: v.replaced_at,
        });
    }
    let mut ratings_by: HashMap<i64, Rating> = HashMap::new();
    for g in ratings {
        let Some(level) = Level::parse(&g.level) else {
            continue;
        };
        ratings_by.insert(
            g.subject_id,
            Rating {
                level,
                speed: g.speed.as_deref().and_then(Level::parse),
                result: g.result.as_deref().and_then(Level::parse),
                attitude: g.attitude.as_deref().and_then(Level::parse),
                // The asker's words are theirs to read; the public sees the levels.
                comment: if is_asker { g.comment } else { String::new() },
                created_at: g.created_at,
                updated_at: g.updated_at,
                changeable: t < g.created_at + chrono::Duration::days(CHANGE_DAYS),
            },
        );
    }
    let mut files_by = super::files::of_question(svc, id).await?;
    // The asker's follow-up not published (yet): for the asker and moderators.
    let pending: Option<(String, String, String, String)> =
        if (is_asker || moderator) && r.follow_up.is_none() {
            with_db!(&svc.db, p => {
                sqlx::query_as(
                    "SELECT body, visibility, hidden_reason, hidden_note FROM question_follow_ups \
                     WHERE question_id = $1 AND visibility <> 'visible' ORDER BY id DESC LIMIT 1",
                )
                .bind(id)
                .fetch_optional(p)
                .await
            })?
        } else {
            None
        };
    let pending_follow_up = pending.map(|(body, visibility, reason, note)| PendingFollowUp {
        body,
        hidden: (visibility == "hidden").then(|| HiddenWhy::from_stored(&reason, &note)),
    });
    let follow_up_waits = pending_follow_up
        .as_ref()
        .is_some_and(|p| p.hidden.is_none());
    let official_of =
        |d: i64| me.is_some_and(|m| m.role == Role::Official && m.department_id == Some(d));
    let answers: Vec<Answer> = answers
        .into_iter()
        .map(|a| Answer {
            id: a.id,
            department_id: a.department_id,
            body: if official_of(a.department_id) {
                a.body
            } else {
                String::new()
            },
            body_html: a.body_html,
            on_time: a.created_at <= a.due_at,
            created_at: a.created_at,
            edited_at: a.edited_at,
            revisions: revisions_by.remove(&a.id).unwrap_or_default(),
            rating: ratings_by.remove(&a.id),
            files: files_by.remove(&a.id).unwrap_or_default(),
        })
        .collect();
    let hidden = visibility == Visibility::Hidden;
    let (wanted, following, flagged, appealed) = match me {
        Some(m) => {
            let (w, f, fl, a): (i64, i64, i64, i64) = with_db!(&svc.db, p => {
                sqlx::query_as(
                    "SELECT (SELECT count(*) FROM question_wants WHERE question_id = $1 AND user_id = $2), \
                     (SELECT count(*) FROM question_follows WHERE question_id = $1 AND user_id = $2), \
                     (SELECT count(*) FROM flags WHERE item_kind = 'question' AND item_id = $1 AND user_id = $2), \
                     (SELECT count(*) FROM appeals WHERE item_kind = 'question' AND item_id = $1 AND user_id = $2)",
                )
                .bind(id).bind(m.id).fetch_one(p).await
            })?;
            (w > 0, f > 0, fl > 0, a > 0)
        }
        None => (false, false, false, false),
    };
    let public = visibility == Visibility::Visible;
    let viewer = Viewer {
        signed_in: me.is_some(),
        is_asker,
        wanted,
        following,
        can_answer: public
            && status != Status::Answered
            && r.department_id.is_some_and(official_of),
        can_route: public
            && status != Status::Answered
            && me.is_some_and(|m| m.role == Role::Admin),
        can_follow_up: public
            && is_asker
            && status == Status::Answered
            && r.follow_up.is_none()
            && !follow_up_waits,
        can_rate: answers
            .last()
            .filter(|_| public && is_asker && status == Status::Answered)
            .filter(|a| a.rating.as_ref().is_none_or(|g| g.changeable))
            .map(|a| a.id),
        flagged,
        can_appeal: is_asker && hidden && !appealed,
        appealed,
        moderator,
    };
    let body = if hidden && !is_asker {
        String::new()
    } else {
        r.body
    };
    let events = events
        .into_iter()
        .filter_map(|e| {
            Some(Event {
                kind: EventKind::parse(&e.kind)?,
                department_id: e.department_id,
                from_department_id: e.from_department_id,
                note: e.note,
                expected_on: e.expected_on,
                at: e.created_at,
            })
        })
        .collect();
    Ok(Some((
        QuestionDetail {
            id: r.id,
            title: r.title,
            body,
            asker_name: r.asker_name,
            department_id: r.department_id,
            status,
            want_count: r.want_count,
            comment_count: r.comment_count,
            visibility,
            hidden: hidden.then(|| HiddenWhy::from_stored(&r.hidden_reason, &r.hidden_note)),
            received_at: r.received_at,
            due_at: r.due_at,
            expected_on: r.expected_on,
            overdue: public && overdue(status, r.due_at, t),
            follow_up: r.follow_up,
            follow_up_at: r.follow_up_at,
            pending_follow_up,
            answers,
            events,
            created_at: r.created_at,
        },
        viewer,
    )))
}

#[cfg(test)]
mod tests {
    use super::search_terms;

    #[test]
    fn terms_split_chinese_into_pairs_and_keep_latin_words() {
        assert_eq!(search_terms("朝阳路 停车"), vec!["朝阳", "阳路", "停车"],);
        assert_eq!(
            search_terms("When will Bus 52 run?"),
            vec!["when", "will", "bus", "run"]
        );
        // Filler pairs are left out; so are repeats.
        assert_eq!(search_terms("请问请问停车"), vec!["问请", "问停", "停车"]);
        assert!(search_terms("  ?! ").is_empty());
        assert!(search_terms(&"长".repeat(100)).len() <= 8);
    }
}

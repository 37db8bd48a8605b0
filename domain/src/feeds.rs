//! Atom feeds (RFC 4287) of what the city publishes: new reports and new answers to
//! questions, for the whole city or one department. Public content only, and never a
//! person: no reporter or asker names, no emails, phones, tracking codes or private notes.
//! Both languages in each entry (Chinese first), as the feeds have no browser to ask.

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::model::Department;
use crate::{with_db, Services};

/// Entries in one feed.
pub const FEED_SIZE: i64 = 50;

/// Appends `s` to `out` escaped for XML text and attribute values; characters XML 1.0
/// cannot carry are dropped.
pub fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(s, &mut out);
    out
}

/// One entry of a feed.
#[derive(Clone, Debug)]
struct Entry {
    /// Path on the site, e.g. `/reports/12`.
    path: String,
    title: String,
    /// Plain text (reports) …
    summary: String,
    /// … or sanitized HTML (answers).
    html: Option<String>,
    category: String,
    published: DateTime<Utc>,
    updated: DateTime<Utc>,
}

fn document(
    svc: &Services,
    self_path: &str,
    title: &str,
    entries: &[Entry],
    empty_updated: DateTime<Utc>,
) -> String {
    let base = svc.public_url.trim_end_matches('/');
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or(empty_updated);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str(&format!(
        "<id>{}</id>\n<title>{}</title>\n<updated>{}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" href=\"{}/\"/>\n\
         <author><name>共治 Gongzhi</name></author>\n<generator>Gongzhi</generator>\n",
        esc(&format!("{base}{self_path}")),
        esc(title),
        updated.to_rfc3339(),
        esc(&format!("{base}{self_path}")),
        esc(base),
    ));
    for e in entries {
        let url = format!("{base}{}", e.path);
        x.push_str(&format!(
            "<entry>\n<id>{}</id>\n<title>{}</title>\n<link rel=\"alternate\" href=\"{}\"/>\n\
             <published>{}</published>\n<updated>{}</updated>\n<category term=\"{}\"/>\n",
            esc(&url),
            esc(&e.title),
            esc(&url),
            e.published.to_rfc3339(),
            e.updated.to_rfc3339(),
            esc(&e.category),
        ));
        match &e.html {
            Some(html) => x.push_str(&format!("<content type=\"html\">{}</content>\n", esc(html))),
            None => x.push_str(&format!("<summary>{}</summary>\n", esc(&e.summary))),
        }
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: i64,
    category_zh: String,
    category_en: String,
    description: String,
    visibility: String,
    address: String,
    created_at: DateTime<Utc>,
}

/// The newest public reports, of one department or all. Text held or hidden by moderators
/// stays out; the report itself (its category and place) is public.
pub async fn reports(svc: &Services, department: Option<&Department>) -> Result<String, Error> {
    let rows: Vec<ReportRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT r.id, c.name_zh AS category_zh, c.name_en AS category_en, r.description, r.visibility, \
             r.address, r.created_at FROM reports r JOIN categories c ON c.id = r.category_id \
             WHERE ($1 = 0 OR r.department_id = $1) ORDER BY r.id DESC LIMIT $2",
        )
        .bind(department.map(|d| d.id).unwrap_or(0))
        .bind(FEED_SIZE)
        .fetch_all(p)
        .await
    })?;
    let entries: Vec<Entry> = rows
        .into_iter()
        .map(|r| {
            let text = if r.visibility == "visible" {
                r.description
            } else {
                String::new()
            };
            Entry {
                path: format!("/reports/{}", r.id),
                title: format!("#{} {} / {}", r.id, r.category_zh, r.category_en),
                summary: if r.address.is_empty() {
                    text
                } else {
                    format!("{}\n{text}", r.address)
                },
                html: None,
                category: r.category_en,
                published: r.created_at,
                updated: r.created_at,
            }
        })
        .collect();
    let (path, title) = match department {
        Some(d) => (
            format!("/feeds/reports.atom?department={}", d.code),
            format!("{}：新反映的问题 / {}: new reports", d.name_zh, d.name_en),
        ),
        None => (
            "/feeds/reports.atom".to_string(),
            "共治 Gongzhi：新反映的问题 / new reports".to_string(),
        ),
    };
    Ok(document(svc, &path, &title, &entries, crate::time::now()))
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    question_id: i64,
    title: String,
    body_html: String,
    department_zh: String,
    department_en: String,
    created_at: DateTime<Utc>,
    edited_at: Option<DateTime<Utc>>,
}

/// The newest answers to public questions, of one department or all.
pub async fn answers(svc: &Services, department: Option<&Department>) -> Result<String, Error> {
    let rows: Vec<AnswerRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT a.question_id, q.title, a.body_html, d.name_zh AS department_zh, d.name_en AS department_en, \
             a.created_at, a.edited_at FROM answers a JOIN questions q ON q.id = a.question_id \
             JOIN departments d ON d.id = a.department_id \
             WHERE q.visibility = 'visible' AND ($1 = 0 OR a.department_id = $1) ORDER BY a.id DESC LIMIT $2",
        )
        .bind(department.map(|d| d.id).unwrap_or(0))
        .bind(FEED_SIZE)
        .fetch_all(p)
        .await
    })?;
    let entries: Vec<Entry> = rows
        .into_iter()
        .map(|r| Entry {
            path: format!("/questions/{}", r.question_id),
            title: format!("{}（{} / {}）", r.title, r.department_zh, r.department_en),
            summary: String::new(),
            html: Some(r.body_html),
            category: r.department_en,
            published: r.created_at,
            updated: r.edited_at.unwrap_or(r.created_at),
        })
        .collect();
    let (path, title) = match department {
        Some(d) => (
            format!("/feeds/answers.atom?department={}", d.code),
            format!("{}：新答复 / {}: new answers", d.name_zh, d.name_en),
        ),
        None => (
            "/feeds/answers.atom".to_string(),
            "共治 Gongzhi：部门新答复 / new answers".to_string(),
        ),
    };
    Ok(document(svc, &path, &title, &entries, crate::time::now()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_control_characters() {
        let mut out = String::new();
        escape_into("a<b>&\"c'\u{1}\td\u{FFFF}", &mut out);
        assert_eq!(out, "a&lt;b&gt;&amp;&quot;c&apos;\td");
    }
}

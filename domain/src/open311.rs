//! Gongzhi as an Open311 GeoReport v2 server: what each method answers, checked input, and
//! the errors the standard names. The HTTP layer (formats, status codes) is the server's
//! `routes::open311`; everything it says is decided here.
//!
//! Reporters' names, emails and phones never leave through this API.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Offset, SecondsFormat, Utc};
use serde::Serialize;

use crate::db::Db;
use crate::error::Error;
use crate::model::catalog::{Category, CategoryGroup};
use crate::model::report::ReportStatus;
use crate::model::Lang;
use crate::reports::{NewReport, Reporter};
use crate::{categories, with_db, Services};

/// The date of the last change to what this API offers (the discovery `changeset`).
pub const CHANGESET: &str = "2026-11-26T00:00:00Z";
/// The most requests one page of `requests` holds.
pub const PAGE_SIZE_MAX: i64 = 1000;
/// The longest date span a request list may cover.
pub const SPAN_MAX_DAYS: i64 = 90;
/// The longest description accepted (the standard's limit; our own form allows less).
pub const DESCRIPTION_MAX: usize = 4000;

/// A GeoReport error: the HTTP status and the `{code, description}` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: u16,
    pub code: u16,
    pub description: String,
}

impl ApiError {
    pub fn bad(description: impl Into<String>) -> ApiError {
        ApiError {
            status: 400,
            code: 400,
            description: description.into(),
        }
    }
    pub fn not_found(description: impl Into<String>) -> ApiError {
        ApiError {
            status: 404,
            code: 404,
            description: description.into(),
        }
    }
    pub fn key(description: impl Into<String>) -> ApiError {
        ApiError {
            status: 403,
            code: 403,
            description: description.into(),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound => ApiError::not_found("not found"),
            Error::Forbidden | Error::Unauthenticated => ApiError::key("api_key is not valid"),
            Error::Suspended(s) => ApiError::key(match s.ends_at {
                Some(t) => format!(
                    "the account is suspended from posting until {}",
                    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                ),
                None => "the account is banned from posting".into(),
            }),
            Error::RateLimited { retry_after_secs } => ApiError {
                status: 429,
                code: 429,
                description: format!("too many requests; retry after {retry_after_secs} seconds"),
            },
            Error::Invalid(list) => ApiError::bad(
                list.iter()
                    .map(|f| format!("{}: {}", open311_field(&f.field), f.problem.english()))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            other => {
                tracing::error!(error = %other, "Open311 request failed");
                ApiError {
                    status: 500,
                    code: 500,
                    description: "the server could not complete the request".into(),
                }
            }
        }
    }
}

/// Our form's field names in the standard's words.
fn open311_field(field: &str) -> &str {
    match field {
        "category" => "service_code",
        "location" => "lat/long",
        "address" => "address_string",
        other => other,
    }
}

/// A time as the standard wants it: ISO 8601 with the city's offset.
pub fn iso(t: DateTime<Utc>, offset_minutes: i32) -> String {
    let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap_or_else(|| Utc.fix());
    t.with_timezone(&offset)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// [`iso`] with milliseconds, for update times: a case system's steps often come seconds
/// apart, and a client orders them by this time.
pub fn iso_precise(t: DateTime<Utc>, offset_minutes: i32) -> String {
    let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap_or_else(|| Utc.fix());
    t.with_timezone(&offset)
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads an ISO 8601 time (with offset, or `Z`), or a plain date (midnight in the city).
pub fn parse_time(s: &str, offset_minutes: i32) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    // Some clients send `+0800` instead of `+08:00`.
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z") {
        return Some(t.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let local = date.and_hms_opt(0, 0, 0)?;
    Some(local.and_utc() - Duration::minutes(i64::from(offset_minutes)))
}

/// Open or closed, as the standard sees our statuses.
pub fn open_or_closed(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Submitted
        | ReportStatus::Accepted
        | ReportStatus::InProgress
        | ReportStatus::Reopened => "open",
        ReportStatus::Resolved | ReportStatus::Closed | ReportStatus::Rejected => "closed",
    }
}

fn statuses_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "open" => &["submitted", "accepted", "in_progress", "reopened"],
        _ => &["resolved", "closed", "rejected"],
    }
}

// ---- services ------------------------------------------------------------------------------

/// One element of the service list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceItem {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    pub metadata: bool,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub keywords: String,
    pub group: String,
}

pub async fn services(db: &Db, lang: Lang) -> Result<Vec<ServiceItem>, Error> {
    let groups: BTreeMap<i64, CategoryGroup> = categories::groups(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    Ok(categories::list(db, false)
        .await?
        .into_iter()
        .map(|c| ServiceItem {
            service_name: c.name(lang).to_string(),
            description: c.description(lang).to_string(),
            metadata: !c.attributes.is_empty(),
            kind: "realtime",
            keywords: c.keywords.join(","),
            group: groups
                .get(&c.group_id)
                .map(|g| g.name(lang).to_string())
                .unwrap_or_default(),
            service_code: c.code,
        })
        .collect())
}

/// A service definition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<AttributeDef>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttributeDef {
    pub variable: bool,
    pub code: String,
    pub datatype: &'static str,
    pub required: bool,
    pub datatype_description: String,
    pub order: i64,
    pub description: String,
    pub values: Vec<ValueDef>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueDef {
    pub key: String,
    pub name: String,
}

pub async fn service_definition(
    db: &Db,
    code: &str,
    lang: Lang,
) -> Result<ServiceDefinition, ApiError> {
    let c: Category = match categories::by_code(db, code).await? {
        Some(c) if c.active => c,
        _ => {
            return Err(ApiError::not_found(format!(
                "service_code {code:?} is not a service here"
            )))
        }
    };
    let mut attributes: Vec<AttributeDef> = c
        .attributes
        .iter()
        .map(|a| AttributeDef {
            variable: true,
            code: a.code.clone(),
            datatype: a.datatype.as_str(),
            required: a.required,
            datatype_description: match a.datatype.as_str() {
                "number" => "a number".into(),
                "datetime" => "a date, YYYY-MM-DD".into(),
                "singlevaluelist" => "one of the keys in values".into(),
                "multivaluelist" => "any of the keys in values, as attribute[code][]".into(),
                _ => String::new(),
            },
            order: a.order,
            description: a.description(lang).to_string(),
            values: a
                .values
                .iter()
                .map(|v| ValueDef {
                    key: v.key.clone(),
                    name: v.name(lang).to_string(),
                })
                .collect(),
        })
        .collect();
    attributes.sort_by_key(|a| a.order);
    Ok(ServiceDefinition {
        service_code: c.code,
        attributes,
    })
}

// ---- requests ------------------------------------------------------------------------------

/// One service request, with the standard's fields (null where we have nothing).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceRequest {
    pub service_request_id: String,
    pub status: &'static str,
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    pub description: String,
    pub agency_responsible: String,
    pub service_notice: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: f64,
    pub long: f64,
    pub media_url: Option<String>,
}

/// The checked filters of a request list.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestQuery {
    /// When given, these ids and nothing else.
    pub ids: Option<Vec<i64>>,
    pub service_codes: Vec<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// `open`, `closed`, or both when empty.
    pub status: Vec<&'static str>,
    pub page: i64,
    pub page_size: i64,
}

/// A parameter's value, trimmed; the last one sent wins, and an optional parameter sent
/// empty is absent (as the standard says).
fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .rev()
        .find(|(n, v)| n == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

/// `service_request_id` as a comma-separated list of ids (at most a page of them).
fn ids_param(params: &[(String, String)]) -> Result<Option<Vec<i64>>, ApiError> {
    let Some(list) = param(params, "service_request_id") else {
        return Ok(None);
    };
    let mut ids = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<i64>() {
            Ok(id) if id > 0 => ids.push(id),
            _ => {
                return Err(ApiError::bad(format!(
                    "service_request_id: {part:?} is not a request id"
                )))
            }
        }
    }
    if ids.len() > PAGE_SIZE_MAX as usize {
        return Err(ApiError::bad(format!(
            "service_request_id: at most {PAGE_SIZE_MAX} ids at once"
        )));
    }
    Ok(Some(ids))
}

/// A time parameter, named in the error when it is not ISO 8601.
fn time_param(
    params: &[(String, String)],
    name: &str,
    offset_minutes: i32,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    match param(params, name) {
        None => Ok(None),
        Some(s) => parse_time(s, offset_minutes).map(Some).ok_or_else(|| {
            ApiError::bad(format!(
                "{name}: {s:?} is not an ISO 8601 time such as 2026-11-26T08:30:00+08:00"
            ))
        }),
    }
}

/// A date span: in order, and at most [`SPAN_MAX_DAYS`] long.
fn check_span(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<(), ApiError> {
    if end < start {
        return Err(ApiError::bad("end_date: it is before start_date"));
    }
    if end - start > Duration::days(SPAN_MAX_DAYS) {
        return Err(ApiError::bad(format!(
            "start_date/end_date: the span is over {SPAN_MAX_DAYS} days"
        )));
    }
    Ok(())
}

/// Reads a request list's parameters.
pub fn parse_request_query(
    params: &[(String, String)],
    now: DateTime<Utc>,
    offset_minutes: i32,
) -> Result<RequestQuery, ApiError> {
    let get = |k: &str| param(params, k);
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    };
    let ids = ids_param(params)?;
    let start = time_param(params, "start_date", offset_minutes)?;
    let end = time_param(params, "end_date", offset_minutes)?;
    let span = Duration::days(SPAN_MAX_DAYS);
    let (start, end) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, (s + span).min(now)),
        (None, Some(e)) => (e - span, e),
        (None, None) => (now - span, now),
    };
    check_span(start, end)?;
    let mut status = Vec::new();
    if let Some(s) = get("status") {
        for part in list(s) {
            match part.to_lowercase().as_str() {
                "open" => status.push("open"),
                "closed" => status.push("closed"),
                _ => {
                    return Err(ApiError::bad(format!(
                        "status: {part:?} is neither open nor closed"
                    )))
                }
            }
        }
        status.sort();
        status.dedup();
        if status.len() == 2 {
            status.clear();
        }
    }
    let number = |k: &str, default: i64, max: i64| -> Result<i64, ApiError> {
        match get(k) {
            None => Ok(default),
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(ApiError::bad(format!(
                    "{k}: {s:?} is not a whole number from 1 to {max}"
                ))),
            },
        }
    };
    Ok(RequestQuery {
        ids,
        service_codes: get("service_code").map(list).unwrap_or_default(),
        start,
        end,
        status,
        page: number("page", 1, 1_000_000)?,
        page_size: number("page_size", PAGE_SIZE_MAX, PAGE_SIZE_MAX)?,
    })
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct RequestRow {
    id: i64,
    status: String,
    code: String,
    name_zh: String,
    name_en: String,
    description: String,
    dept_zh: String,
    dept_en: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    address: String,
    lat: f64,
    lon: f64,
    photo: Option<String>,
    notes: Option<String>,
}

const REQUEST_COLUMNS: &str = "r.id, r.status, c.code, c.name_zh, c.name_en, \
     CASE WHEN r.visibility = 'visible' THEN r.description ELSE '' END AS description, \
     d.name_zh AS dept_zh, d.name_en AS dept_en, r.created_at, r.updated_at, r.due_at, r.address, r.lat, r.lon, \
     (SELECT ph.uid FROM photos ph WHERE ph.report_id = r.id AND ph.event_id IS NULL ORDER BY ph.position LIMIT 1) AS photo, \
     (SELECT e.note FROM report_events e WHERE e.report_id = r.id AND e.public AND e.note <> '' AND e.kind <> 'forwarded' \
      ORDER BY e.id DESC LIMIT 1) AS notes \
     FROM reports r JOIN categories c ON c.id = r.category_id JOIN departments d ON d.id = r.department_id";

fn to_request(row: RequestRow, svc: &Services, lang: Lang) -> ServiceRequest {
    let offset = svc.reports.utc_offset_minutes;
    let status = ReportStatus::parse(&row.status).unwrap_or(ReportStatus::Submitted);
    let closed = open_or_closed(status) == "closed";
    let base = svc.public_url.trim_end_matches('/');
    let (name, dept) = match lang {
        Lang::Zh => (row.name_zh, row.dept_zh),
        Lang::En => (row.name_en, row.dept_en),
    };
    ServiceRequest {
        service_request_id: row.id.to_string(),
        status: if closed { "closed" } else { "open" },
        status_notes: row.notes,
        service_name: name,
        service_code: row.code,
        description: row.description,
        agency_responsible: dept,
        service_notice: None,
        requested_datetime: iso(row.created_at, offset),
        updated_datetime: iso(row.updated_at, offset),
        expected_datetime: (!closed).then(|| iso(row.due_at, offset)),
        address: (!row.address.is_empty()).then_some(row.address),
        address_id: None,
        zipcode: None,
        lat: row.lat,
        long: row.lon,
        media_url: row.photo.map(|uid| format!("{base}/photos/{uid}.jpg")),
    }
}

/// The requests a query selects, newest first.
pub async fn requests(
    svc: &Services,
    q: &RequestQuery,
    lang: Lang,
) -> Result<Vec<ServiceRequest>, Error> {
    let mut sql = format!("SELECT {REQUEST_COLUMNS} WHERE ");
    let mut n = 0;
    let mut arg = || {
        n += 1;
        format!("${n}")
    };
    if let Some(ids) = &q.ids {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = ids.iter().map(|_| arg()).collect();
        sql.push_str(&format!("r.id IN ({})", marks.join(", ")));
    } else {
        sql.push_str(&format!(
            "r.created_at >= {} AND r.created_at <= {}",
            arg(),
            arg()
        ));
        if !q.service_codes.is_empty() {
            let marks: Vec<String> = q.service_codes.iter().map(|_| arg()).collect();
            sql.push_str(&format!(" AND c.code IN ({})", marks.join(", ")));
        }
        if let [one] = q.status.as_slice() {
            let list: Vec<String> = statuses_of(one).iter().map(|s| format!("'{s}'")).collect();
            sql.push_str(&format!(" AND r.status IN ({})", list.join(", ")));
        }
    }
    sql.push_str(&format!(
        " ORDER BY r.created_at DESC, r.id DESC LIMIT {} OFFSET {}",
        arg(),
        arg()
    ));
    let offset = (q.page - 1).saturating_mul(q.page_size);
    // On SQLite the page comes back as one row of JSON: sqlx hands each row from its
    // SQLite thread to the task on its own, and for a page of 100 that hand-over cost
    // more than the query (seen with perf under `make bench-open311`).
    let sql = match &svc.db {
        crate::db::Db::Sqlite(_) => format!(
            "SELECT json_group_array(json_array(id, status, code, name_zh, name_en, description, dept_zh, \
             dept_en, created_at, updated_at, due_at, address, lat, lon, photo, notes)) FROM ({sql})"
        ),
        crate::db::Db::Postgres(_) => sql,
    };
    macro_rules! bound {
        ($query:expr) => {{
            let mut query = $query;
            if let Some(ids) = &q.ids {
                for id in ids {
                    query = query.bind(*id);
                }
            } else {
                query = query.bind(q.start).bind(q.end);
                for code in &q.service_codes {
                    query = query.bind(code.as_str());
                }
            }
            query.bind(q.page_size).bind(offset)
        }};
    }
    let mut rows: Vec<RequestRow> = match &svc.db {
        crate::db::Db::Sqlite(p) => {
            let json: String = bound!(sqlx::query_scalar::<_, String>(&sql))
                .fetch_one(p)
                .await?;
            serde_json::from_str(&json)
                .map_err(|e| Error::Internal(format!("requests page as JSON: {e}")))?
        }
        crate::db::Db::Postgres(p) => {
            bound!(sqlx::query_as::<_, RequestRow>(&sql))
                .fetch_all(p)
                .await?
        }
    };
    // An aggregate keeps no order by itself.
    rows.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    Ok(rows.into_iter().map(|r| to_request(r, svc, lang)).collect())
}

/// What the request lists are made from, as of now: the newest `updated_at` of any report
/// (an index lookup). Anything a list shows about a report moves it (a new report, a status,
/// a public note), so an answer rendered at the same version is still right.
pub async fn list_version(svc: &Services) -> Result<Option<String>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT CAST(max(updated_at) AS TEXT) FROM reports")
            .fetch_one(p)
            .await
    })?)
}

/// One request by id.
pub async fn request(svc: &Services, id: &str, lang: Lang) -> Result<ServiceRequest, ApiError> {
    let Ok(id) = id.trim().parse::<i64>() else {
        return Err(ApiError::not_found(format!(
            "service request {id:?} does not exist"
        )));
    };
    let sql = format!("SELECT {REQUEST_COLUMNS} WHERE r.id = $1");
    let row: Option<RequestRow> = with_db!(&svc.db, p => {
        sqlx::query_as(&sql).bind(id).fetch_optional(p).await
    })
    .map_err(Error::from)?;
    row.map(|r| to_request(r, svc, lang))
        .ok_or_else(|| ApiError::not_found(format!("service request {id} does not exist")))
}

/// What a token names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TokenAnswer {
    pub service_request_id: String,
    pub token: String,
}

/// The request a create answer's token names.
pub async fn token(svc: &Services, token: &str) -> Result<TokenAnswer, ApiError> {
    let token = token.trim();
    if !crate::reports::valid_token(token) {
        return Err(ApiError::not_found("this token is not known"));
    }
    let hash = crate::accounts::tokens::hash_token(token);
    let id: Option<i64> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT id FROM reports WHERE submit_token = $1")
            .bind(&hash)
            .fetch_optional(p)
            .await
    })
    .map_err(Error::from)?;
    id.map(|id| TokenAnswer {
        service_request_id: id.to_string(),
        token: token.to_string(),
    })
    .ok_or_else(|| ApiError::not_found("this token is not known"))
}

// ---- create --------------------------------------------------------------------------------

/// A create answer's element.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Created {
    pub service_request_id: String,
    pub token: String,
    pub service_notice: String,
    pub account_id: Option<String>,
}

/// The attribute a client may send to make its posts idempotent: the same reference from
/// the same key is the same request (a retry after a timeout files nothing new).
pub const REF_ATTRIBUTE: &str = "gongzhi_ref";

/// Files a report posted through the API, through the same checks and transaction as the
/// web form. `api_key_id` is the checked key.
/// The account a submitter names by `email` or `account_id`, if it exists.
async fn submitter_account(
    svc: &Services,
    email: Option<&str>,
    account_id: Option<&str>,
) -> Result<Option<crate::model::Me>, Error> {
    let email = email
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    let id = account_id.and_then(|a| a.trim().parse::<i64>().ok());
    if email.is_none() && id.is_none() {
        return Ok(None);
    }
    let row: Option<(i64, String, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT id, email, display_name FROM users WHERE email = $1 OR id = $2 LIMIT 1")
            .bind(email.unwrap_or_default())
            .bind(id.unwrap_or(0))
            .fetch_optional(p)
            .await
    })?;
    Ok(row.map(|(id, email, display_name)| crate::model::Me {
        id,
        email,
        display_name,
        role: crate::model::Role::Resident,
        department_id: None,
    }))
}

pub async fn create(
    svc: &Services,
    api_key_id: i64,
    params: &[(String, String)],
    ip: &str,
) -> Result<Created, ApiError> {
    let get = |k: &str| param(params, k);
    let Some(code) = get("service_code") else {
        return Err(ApiError::bad("service_code: required"));
    };
    let (lat, lon) = (get("lat"), get("long"));
    let address = get("address_string").unwrap_or("");
    if lat.is_none() && lon.is_none() && address.trim().is_empty() {
        if get("address_id").is_some() {
            return Err(ApiError::bad(
                "address_id: this server has no address ids; send lat and long, or address_string",
            ));
        }
        return Err(ApiError::bad(
            "lat/long: a location is required (lat and long, or address_string)",
        ));
    }
    if lat.is_some() != lon.is_some() {
        return Err(ApiError::bad("lat/long: send both lat and long"));
    }
    let description = get("description").unwrap_or("");
    if description.chars().count() > DESCRIPTION_MAX {
        return Err(ApiError::bad(format!(
            "description: at most {DESCRIPTION_MAX} characters"
        )));
    }
    if description.contains('<') && description.contains('>') {
        return Err(ApiError::bad("description: plain text only, no HTML"));
    }
    // A submitter who names their Gongzhi account (email or account_id) and is suspended
    // from posting cannot post through this door either.
    if let Some(user) = submitter_account(svc, get("email"), get("account_id")).await? {
        crate::moderation::ensure_can_post(svc, &user).await?;
    }
    let mut answers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut reference = None;
    for (name, value) in params {
        let Some(rest) = name.strip_prefix("attribute[") else {
            continue;
        };
        let code = rest.trim_end_matches("[]").trim_end_matches(']');
        if code == REF_ATTRIBUTE {
            reference = Some(value.trim().to_string()).filter(|r| !r.is_empty());
            continue;
        }
        if !value.trim().is_empty() {
            answers
                .entry(code.to_string())
                .or_default()
                .push(value.clone());
        }
    }
    // The form token: random, or derived from the key and the client's reference so a
    // retried post files nothing new.
    let submit_token = match &reference {
        Some(r) => {
            let h = crate::accounts::tokens::hash_token(&format!("open311:{api_key_id}:{r}"));
            format!("o311-{}", &h[..40])
        }
        None => crate::accounts::tokens::new_token(),
    };
    let input = NewReport {
        category: code.to_string(),
        lat: lat.unwrap_or("").to_string(),
        lon: lon.unwrap_or("").to_string(),
        address: address.to_string(),
        description: description.to_string(),
        answers,
        photos: Vec::new(),
        hide_name: false,
        submit_token: submit_token.clone(),
    };
    let who = Reporter {
        user: None,
        ip,
        api_key: Some(api_key_id),
    };
    let done = crate::reports::submit(svc, who, input).await?;
    Ok(Created {
        service_request_id: done.id.to_string(),
        token: submit_token,
        service_notice: String::new(),
        account_id: None,
    })
}

// ---- updates (the mySociety extension) -----------------------------------------------------

/// One update of a request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestUpdate {
    pub update_id: String,
    pub service_request_id: String,
    pub status: &'static str,
    pub updated_datetime: String,
    pub description: String,
    pub media_url: Option<String>,
}

#[derive(sqlx::FromRow)]
struct UpdateRow {
    id: i64,
    report_id: i64,
    note: String,
    at: DateTime<Utc>,
    status: String,
}

/// The public updates in a time span (default: the last day; at most 90 days, 1000
/// updates, oldest first). `service_request_id` narrows to some requests. Updates that
/// came in with the caller's own key (`key`) are left out, so a client never reads back
/// what it posted.
pub async fn updates(
    svc: &Services,
    params: &[(String, String)],
    key: Option<i64>,
) -> Result<Vec<RequestUpdate>, ApiError> {
    let offset = svc.reports.utc_offset_minutes;
    let now = crate::time::now();
    let end = time_param(params, "end_date", offset)?.unwrap_or(now);
    let start = time_param(params, "start_date", offset)?.unwrap_or(end - Duration::days(1));
    check_span(start, end)?;
    let ids = ids_param(params)?.unwrap_or_default();
    let mut sql = String::from(
        "SELECT e.id, e.report_id, e.note, e.at, COALESCE(e.status, (SELECT e2.status FROM report_events e2 \
         WHERE e2.report_id = e.report_id AND e2.id < e.id AND e2.status IS NOT NULL ORDER BY e2.id DESC LIMIT 1), 'submitted') AS status \
         FROM report_events e WHERE e.public AND e.kind IN ('status', 'note', 'follow_up', 'reopen') AND e.at >= $1 AND e.at <= $2 \
         AND (e.external_id IS NULL OR e.external_id NOT LIKE $3)",
    );
    if !ids.is_empty() {
        sql.push_str(&format!(
            " AND e.report_id IN ({})",
            crate::db::marks(4, ids.len())
        ));
    }
    sql.push_str(&format!(" ORDER BY e.id LIMIT {PAGE_SIZE_MAX}"));
    let own = match key {
        Some(k) => format!("k{k}:%"),
        // Matches no external id (they all contain a colon).
        None => "-".into(),
    };
    let rows: Vec<UpdateRow> = with_db!(&svc.db, p => {
        let mut q = sqlx::query_as::<_, UpdateRow>(&sql).bind(start).bind(end).bind(&own);
        for id in &ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await
    })
    .map_err(Error::from)?;
    Ok(rows
        .into_iter()
        .map(|r| RequestUpdate {
            update_id: r.id.to_string(),
            service_request_id: r.report_id.to_string(),
            status: crate::cases::status_out(
                ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Submitted),
            ),
            updated_datetime: iso_precise(r.at, offset),
            description: r.note,
            media_url: None,
        })
        .collect())
}

/// The answer to a posted update.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PostedUpdate {
    pub update_id: String,
}

/// A client's update where Gongzhi is the case system (see [`post_update`]).
async fn post_resident_update(
    svc: &Services,
    report_id: i64,
    current: &str,
    status: Option<ReportStatus>,
    word: &str,
    description: &str,
    external: &str,
) -> Result<PostedUpdate, ApiError> {
    let reopen = status == Some(ReportStatus::Reopened);
    if !reopen && status.is_some_and(|s| s.as_str() != current) {
        return Err(ApiError::bad(format!(
            "status: {word:?} cannot be set here; this server is the case system and its workflow \
             sets the status (post REOPEN to reopen a closed request, or the current status with a description)"
        )));
    }
    if !reopen && description.trim().is_empty() {
        return Ok(PostedUpdate {
            update_id: last_event(svc, report_id).await?.to_string(),
        });
    }
    let note = if description.trim().is_empty() {
        "要求重新办理 / Reopen requested".to_string()
    } else {
        description.to_string()
    };
    let voice = crate::reports::Voice::Client {
        external_id: external,
    };
    let input = crate::reports::FollowUp {
        note,
        reopen,
        rectify_by: None,
    };
    let (id, _) = crate::reports::record_follow_up(svc, report_id, voice, input)
        .await
        .map_err(update_error)?;
    Ok(PostedUpdate {
        update_id: id.to_string(),
    })
}

/// The newest timeline entry of a report (what an update that changes nothing answers).
async fn last_event(svc: &Services, report_id: i64) -> Result<i64, ApiError> {
    let last: Option<i64> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT max(id) FROM report_events WHERE report_id = $1")
            .bind(report_id)
            .fetch_one(p)
            .await
    })
    .map_err(Error::from)?;
    Ok(last.unwrap_or(0))
}

/// A refused update in the extension's field names (`note` is `description`; `reopen`
/// is the `status` that asked for it).
fn update_error(e: Error) -> ApiError {
    match e {
        Error::Invalid(list) => ApiError::bad(
            list.iter()
                .map(|f| {
                    let field = match f.field.as_str() {
                        "note" => "description",
                        "reopen" => "status",
                        other => other,
                    };
                    format!("{field}: {}", f.problem.english())
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        other => other.into(),
    }
}

/// An update posted by another system. The same `update_id` from the same key is recorded
/// once.
///
/// Where Gongzhi is the case system (`builtin`), the poster is a resident-facing client
/// (such as another Gongzhi) speaking for the reporter: a description is the reporter's
/// follow-up, `REOPEN` reopens a closed request into the workflow, and any other change
/// of status is refused, since the workflow sets it. Where an external case system
/// handles the reports, that system may post status changes here.
pub async fn post_update(
    svc: &Services,
    key: i64,
    params: &[(String, String)],
) -> Result<PostedUpdate, ApiError> {
    let get = |k: &str| param(params, k);
    let Some(request) = get("service_request_id") else {
        return Err(ApiError::bad("service_request_id: required"));
    };
    let Some(update_id) = get("update_id") else {
        return Err(ApiError::bad("update_id: required"));
    };
    if update_id.chars().count() > 100 {
        return Err(ApiError::bad("update_id: at most 100 characters"));
    }
    let Some(word) = get("status") else {
        return Err(ApiError::bad("status: required"));
    };
    let Some(status) = crate::cases::status_in(word) else {
        return Err(ApiError::bad(format!(
            "status: {word:?} is not a status of the update extension"
        )));
    };
    if let Some(t) = get("updated_datetime") {
        if parse_time(t, svc.reports.utc_offset_minutes).is_none() {
            return Err(ApiError::bad(format!(
                "updated_datetime: {t:?} is not an ISO 8601 time"
            )));
        }
    }
    let description = get("description").unwrap_or("");
    let Ok(report_id) = request.parse::<i64>() else {
        return Err(ApiError::not_found(format!(
            "service request {request:?} does not exist"
        )));
    };
    let current: Option<String> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT status FROM reports WHERE id = $1").bind(report_id).fetch_optional(p).await
    })
    .map_err(Error::from)?;
    let Some(current) = current else {
        return Err(ApiError::not_found(format!(
            "service request {report_id} does not exist"
        )));
    };
    let external = format!("k{key}:{update_id}");
    if matches!(svc.cases, crate::cases::CaseSystem::Builtin) {
        // Gongzhi is the case system: its workflow sets the status. A client speaks for
        // the resident: a follow-up note, or REOPEN for a closed request.
        return post_resident_update(
            svc,
            report_id,
            &current,
            status,
            word,
            description,
            &external,
        )
        .await;
    }
    let status = status.filter(|s| s.as_str() != current);
    if status.is_none() && description.is_empty() {
        // Nothing new: the status it names is the one the request has.
        return Ok(PostedUpdate {
            update_id: last_event(svc, report_id).await?.to_string(),
        });
    }
    let by = crate::reports::UpdateBy {
        role: "system",
        department_id: None,
        actor_id: None,
        external_id: Some(&external),
    };
    let update = crate::reports::Update {
        status,
        note: description.to_string(),
        public: true,
    };
    let (id, _) = crate::reports::record_update(svc, report_id, &by, update)
        .await
        .map_err(update_error)?;
    Ok(PostedUpdate {
        update_id: id.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn times_go_out_with_the_city_offset_and_come_in_in_any_iso_form() {
        let at = t("2026-11-26T00:30:00Z");
        assert_eq!(iso(at, 480), "2026-11-26T08:30:00+08:00");
        assert_eq!(iso(at, 0), "2026-11-26T00:30:00Z");
        assert_eq!(parse_time("2026-11-26T08:30:00+08:00", 480), Some(at));
        assert_eq!(parse_time("2026-11-26T08:30:00+0800", 480), Some(at));
        assert_eq!(parse_time("2026-11-26T00:30:00Z", 480), Some(at));
        assert_eq!(
            parse_time("2026-11-26", 480),
            Some(t("2026-11-25T16:00:00Z"))
        );
        assert_eq!(parse_time("yesterday", 480), None);
    }

    #[test]
    fn a_request_list_defaults_to_the_last_90_days_and_checks_every_filter() {
        let now = t("2026-11-26T00:00:00Z");
        let q = parse_request_query(&[], now, 480).unwrap();
        assert_eq!((q.start, q.end), (now - Duration::days(90), now));
        assert_eq!((q.page, q.page_size), (1, PAGE_SIZE_MAX));
        assert!(q.ids.is_none() && q.status.is_empty());

        let q = parse_request_query(
            &p(&[
                ("service_code", "a, b"),
                ("status", "open"),
                ("page", "2"),
                ("page_size", "100"),
                ("start_date", ""),
            ]),
            now,
            480,
        )
        .unwrap();
        assert_eq!(q.service_codes, ["a", "b"]);
        assert_eq!(q.status, ["open"]);
        assert_eq!((q.page, q.page_size), (2, 100));
        assert_eq!(
            parse_request_query(&p(&[("status", "open,closed")]), now, 480)
                .unwrap()
                .status,
            Vec::<&str>::new()
        );
        assert_eq!(
            parse_request_query(&p(&[("service_request_id", "3,4")]), now, 480)
                .unwrap()
                .ids,
            Some(vec![3, 4])
        );

        let err = |pairs: &[(&str, &str)]| parse_request_query(&p(pairs), now, 480).unwrap_err();
        assert!(
            err(&[("start_date", "2026-01-01"), ("end_date", "2026-06-01")])
                .description
                .contains("90 days")
        );
        assert!(err(&[("start_date", "soon")])
            .description
            .starts_with("start_date"));
        assert!(
            err(&[("end_date", "2026-01-01"), ("start_date", "2026-02-01")])
                .description
                .starts_with("end_date")
        );
        assert!(err(&[("status", "pending")])
            .description
            .starts_with("status"));
        assert!(err(&[("page_size", "5000")])
            .description
            .starts_with("page_size"));
        assert!(err(&[("page", "0")]).description.starts_with("page"));
        assert!(err(&[("service_request_id", "x")])
            .description
            .starts_with("service_request_id"));
        assert_eq!(err(&[("status", "x")]).status, 400);
    }

    #[test]
    fn our_statuses_are_open_or_closed() {
        assert_eq!(open_or_closed(ReportStatus::Reopened), "open");
        assert_eq!(open_or_closed(ReportStatus::Rejected), "closed");
        for s in ReportStatus::ALL {
            assert!(statuses_of(open_or_closed(s)).contains(&s.as_str()));
        }
    }
}

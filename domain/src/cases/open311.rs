//! The `open311` connector: Gongzhi as a GeoReport v2 client of the city's case system.
//!
//! Each report is posted once to `requests.json`. The post carries a stable reference to
//! our report as the attribute named by [`Target::ref_attribute`]: a Gongzhi back office
//! (and many others) treats a second post with the same reference from the same key as
//! the same request, so a retry after a timeout, when we cannot know whether the first
//! post arrived, does not open a second case.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use super::{ForwardError, Outgoing};

/// Where and how to post.
#[derive(Clone, Debug)]
pub struct Target {
    /// The endpoint's base, e.g. `https://cases.example.gov.cn/open311/v2` (no trailing slash).
    pub url: String,
    pub api_key: String,
    /// Sent when not empty.
    pub jurisdiction_id: String,
    /// Our category code → the case system's service_code; codes not listed are sent as
    /// they are.
    pub service_map: BTreeMap<String, String>,
    /// The attribute that carries our reference (empty: not sent).
    pub ref_attribute: String,
    /// This instance's name in references, so two cities' ids never collide.
    pub ref_prefix: String,
    /// How often the case system is asked for news.
    pub poll_interval: Duration,
    pub client: reqwest::Client,
}

impl Target {
    /// A target with a client that gives up on a silent server after `timeout`.
    pub fn new(
        url: &str,
        api_key: &str,
        jurisdiction_id: &str,
        service_map: BTreeMap<String, String>,
        timeout: Duration,
    ) -> Result<Target, String> {
        let url = url.trim().trim_end_matches('/').to_string();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "the Open311 URL must start with http:// or https://, not {url:?}"
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("Gongzhi/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Target {
            url,
            api_key: api_key.to_string(),
            jurisdiction_id: jurisdiction_id.trim().to_string(),
            service_map,
            ref_attribute: "gongzhi_ref".into(),
            ref_prefix: "gongzhi".into(),
            poll_interval: Duration::from_secs(60),
            client,
        })
    }

    /// The case system's code for one of our categories.
    pub fn service_code<'a>(&'a self, ours: &'a str) -> &'a str {
        self.service_map
            .get(ours)
            .map(String::as_str)
            .unwrap_or(ours)
    }

    /// Our reference for a report, as sent in [`Target::ref_attribute`].
    pub fn reference(&self, report_id: i64) -> String {
        format!("{}:{report_id}", self.ref_prefix)
    }

    /// Our `update_id` for a timeline entry passed on as an update: stable, so a retry
    /// after a lost answer is the same update to the case system.
    pub fn update_reference(&self, event_id: i64) -> String {
        format!("{}:update:{event_id}", self.ref_prefix)
    }
}

/// A resident's update as the update extension's POST carries it.
#[derive(Clone, Debug, PartialEq)]
pub struct OutgoingUpdate {
    pub service_request_id: String,
    pub update_id: String,
    /// Upper case, e.g. `REOPEN`, or the request's current status for a note.
    pub status: String,
    pub updated_datetime: String,
    pub description: String,
}

/// What the case system made of a posted update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateOutcome {
    Taken,
    /// It does not take updates, or not this one; the reason, for the resident.
    Refused(String),
}

/// Posts one update (`POST servicerequestupdates.json`). Network failures, timeouts, 5xx,
/// 408 and 429 are worth a retry; a refused key needs an admin; a server without the
/// extension (404, 405, 501) or one that refuses the update (400, 422) has answered.
pub async fn post_update(
    target: &Target,
    update: &OutgoingUpdate,
) -> Result<UpdateOutcome, ForwardError> {
    let url = format!("{}/servicerequestupdates.json", target.url);
    let mut form = vec![
        ("api_key", target.api_key.clone()),
        ("service_request_id", update.service_request_id.clone()),
        ("update_id", update.update_id.clone()),
        ("status", update.status.clone()),
        ("updated_datetime", update.updated_datetime.clone()),
        ("description", update.description.clone()),
    ];
    if !target.jurisdiction_id.is_empty() {
        form.push(("jurisdiction_id", target.jurisdiction_id.clone()));
    }
    let res = target
        .client
        .post(&url)
        .form(&form)
        .send()
        .await
        .map_err(|e| ForwardError::Retry(format!("{url}: {}", describe(&e))))?;
    let status = res.status();
    let body = res
        .text()
        .await
        .map_err(|e| ForwardError::Retry(format!("{url}: reading the answer: {}", describe(&e))))?;
    let code = status.as_u16();
    if status.is_success() {
        return Ok(UpdateOutcome::Taken);
    }
    if status.is_server_error() && code != 501 || code == 429 || code == 408 {
        return Err(ForwardError::Retry(format!(
            "the case system answered {status}: {}",
            error_text(&body)
        )));
    }
    if code == 401 || code == 403 {
        return Err(ForwardError::Permanent(format!(
            "the case system refused our key ({status}): {}",
            error_text(&body)
        )));
    }
    Ok(UpdateOutcome::Refused(match code {
        404 | 405 | 501 if !body.trim_start().starts_with('[') => {
            "the case system does not take updates".to_string()
        }
        _ => format!("{status}: {}", error_text(&body)),
    }))
}

/// Parses `ours=theirs,ours2=theirs2` (the config's category mapping).
pub fn parse_service_map(s: &str) -> Result<BTreeMap<String, String>, String> {
    let mut map = BTreeMap::new();
    for pair in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
                map.insert(a.trim().to_string(), b.trim().to_string());
            }
            _ => return Err(format!("{pair:?} is not ours=theirs")),
        }
    }
    Ok(map)
}

/// One element of a create answer.
#[derive(Debug, Deserialize)]
struct Created {
    #[serde(default, deserialize_with = "id_string")]
    service_request_id: Option<String>,
    #[serde(default, deserialize_with = "id_string")]
    token: Option<String>,
}

/// Ids come as strings or numbers depending on the server.
fn id_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// What a successful post gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accepted {
    Id(String),
    /// The server queues requests and names them later.
    Token(String),
}

/// The form fields of a create request for `report`.
pub fn create_form(target: &Target, report: &Outgoing) -> Vec<(String, String)> {
    let mut form = vec![
        ("api_key".to_string(), target.api_key.clone()),
        (
            "service_code".to_string(),
            target.service_code(&report.category_code).to_string(),
        ),
        ("lat".to_string(), format!("{:.6}", report.lat)),
        ("long".to_string(), format!("{:.6}", report.lon)),
        ("description".to_string(), report.description.clone()),
    ];
    if !report.address.is_empty() {
        form.push(("address_string".into(), report.address.clone()));
    }
    if !target.jurisdiction_id.is_empty() {
        form.push(("jurisdiction_id".into(), target.jurisdiction_id.clone()));
    }
    // The category's extra fields (stored as a number, a text or a list of keys).
    if let Ok(answers) =
        serde_json::from_str::<BTreeMap<String, serde_json::Value>>(&report.attributes)
    {
        for (code, value) in answers {
            let values: Vec<String> = match value {
                serde_json::Value::Array(items) => items.iter().map(json_text).collect(),
                other => vec![json_text(&other)],
            };
            if values.len() > 1 {
                for v in values {
                    form.push((format!("attribute[{code}][]"), v));
                }
            } else if let Some(v) = values.into_iter().next() {
                form.push((format!("attribute[{code}]"), v));
            }
        }
    }
    if !target.ref_attribute.is_empty() {
        form.push((
            format!("attribute[{}]", target.ref_attribute),
            target.reference(report.id),
        ));
    }
    form
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Posts one report. Network failures, timeouts and 5xx/429 answers are worth a retry; a
/// refusal (400/403/404) is not until someone fixes the cause.
pub async fn forward(target: &Target, report: &Outgoing) -> Result<String, ForwardError> {
    match post(target, report).await? {
        Accepted::Id(id) => Ok(id),
        Accepted::Token(t) => Ok(format!("token:{t}")),
    }
}

async fn post(target: &Target, report: &Outgoing) -> Result<Accepted, ForwardError> {
    let url = format!("{}/requests.json", target.url);
    let res = target
        .client
        .post(&url)
        .form(&create_form(target, report))
        .send()
        .await
        .map_err(|e| ForwardError::Retry(format!("{url}: {}", describe(&e))))?;
    let status = res.status();
    let body = res
        .text()
        .await
        .map_err(|e| ForwardError::Retry(format!("{url}: reading the answer: {}", describe(&e))))?;
    if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
        return Err(ForwardError::Retry(format!(
            "the case system answered {status}: {}",
            error_text(&body)
        )));
    }
    if !status.is_success() {
        return Err(ForwardError::Permanent(format!(
            "the case system refused the report ({status}): {}",
            error_text(&body)
        )));
    }
    let created: Vec<Created> = serde_json::from_str(&body).map_err(|e| {
        ForwardError::Retry(format!(
            "the case system's answer is not GeoReport JSON ({e}): {}",
            snippet(&body)
        ))
    })?;
    match created.into_iter().next() {
        Some(Created {
            service_request_id: Some(id),
            ..
        }) => Ok(Accepted::Id(id)),
        Some(Created { token: Some(t), .. }) => Ok(Accepted::Token(t)),
        _ => Err(ForwardError::Retry(format!(
            "the case system's answer names no request: {}",
            snippet(&body)
        ))),
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time".into()
    } else if e.is_connect() {
        "cannot connect".into()
    } else {
        e.to_string()
    }
}

/// The `description`s of a GeoReport error body, or the start of whatever came.
fn error_text(body: &str) -> String {
    #[derive(Deserialize)]
    struct E {
        #[serde(default)]
        description: String,
    }
    match serde_json::from_str::<Vec<E>>(body) {
        Ok(list) if !list.is_empty() => list
            .into_iter()
            .map(|e| e.description)
            .collect::<Vec<_>>()
            .join("; "),
        _ => snippet(body),
    }
}

fn snippet(body: &str) -> String {
    body.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Outgoing {
        Outgoing {
            id: 17,
            category_code: "road_damage".into(),
            description: "路面塌陷".into(),
            lat: 22.817,
            lon: 108.366,
            address: "民族大道 100 号".into(),
            attributes: r#"{"size":"large","lanes":["1","2"]}"#.into(),
            forward_state: "waiting".into(),
            external_id: None,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn the_form_maps_the_category_and_carries_attributes_and_our_reference() {
        let map = parse_service_map("road_damage=RD01, streetlight = SL").unwrap();
        let t = Target::new(
            "http://b.example/open311/v2/",
            "k",
            "nanning",
            map,
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(t.url, "http://b.example/open311/v2");
        let form = create_form(&t, &report());
        let get = |k: &str| {
            form.iter()
                .filter(|(a, _)| a == k)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(get("service_code"), ["RD01"]);
        assert_eq!(get("lat"), ["22.817000"]);
        assert_eq!(get("long"), ["108.366000"]);
        assert_eq!(get("jurisdiction_id"), ["nanning"]);
        assert_eq!(get("address_string"), ["民族大道 100 号"]);
        assert_eq!(get("attribute[size]"), ["large"]);
        assert_eq!(get("attribute[lanes][]"), ["1", "2"]);
        assert_eq!(get("attribute[gongzhi_ref]"), ["gongzhi:17"]);
        assert_eq!(t.service_code("noise"), "noise");
    }

    #[test]
    fn bad_mappings_and_urls_are_named() {
        assert!(parse_service_map("a=b,c").unwrap_err().contains("\"c\""));
        assert!(parse_service_map("").unwrap().is_empty());
        assert!(Target::new("ftp://x", "k", "", BTreeMap::new(), Duration::from_secs(1)).is_err());
    }

    #[test]
    fn error_bodies_are_read_for_the_admin() {
        assert_eq!(
            error_text(r#"[{"code":400,"description":"service_code not found"}]"#),
            "service_code not found"
        );
        assert_eq!(
            error_text("<html>bad gateway</html>"),
            "<html>bad gateway</html>"
        );
    }
}

/// One update as a case system sends it (`servicerequestupdates`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct IncomingUpdate {
    #[serde(deserialize_with = "required_id")]
    pub update_id: String,
    #[serde(deserialize_with = "required_id")]
    pub service_request_id: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub updated_datetime: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

fn required_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    id_string(d)?.ok_or_else(|| serde::de::Error::custom("an id is missing"))
}

/// One request's state as a case system reports it (`requests.json`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct RemoteRequest {
    #[serde(deserialize_with = "required_id")]
    pub service_request_id: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub status_notes: Option<String>,
    #[serde(default)]
    pub updated_datetime: Option<String>,
}

/// What polling found.
pub enum Polled {
    Updates(Vec<IncomingUpdate>),
    /// The server has no `servicerequestupdates`: poll requests instead.
    Unsupported,
}

fn fetch_error(url: &str, e: &reqwest::Error) -> String {
    format!("{url}: {}", describe(e))
}

/// Reads a JSON answer, or names what went wrong.
async fn get_json<T: serde::de::DeserializeOwned>(
    target: &Target,
    url: &str,
    query: &[(&str, String)],
) -> Result<Result<T, u16>, String> {
    let res = target
        .client
        .get(url)
        .query(query)
        .send()
        .await
        .map_err(|e| fetch_error(url, &e))?;
    let status = res.status();
    if status.as_u16() == 404 || status.as_u16() == 501 || status.as_u16() == 405 {
        return Ok(Err(status.as_u16()));
    }
    let body = res.text().await.map_err(|e| fetch_error(url, &e))?;
    if !status.is_success() {
        return Err(format!("{url} answered {status}: {}", error_text(&body)));
    }
    serde_json::from_str(&body).map(Ok).map_err(|e| {
        format!(
            "{url}: not the JSON GeoReport describes ({e}): {}",
            snippet(&body)
        )
    })
}

/// The case system's updates between `start` and `end` (ISO 8601), or `Unsupported`.
pub async fn poll_updates(target: &Target, start: &str, end: &str) -> Result<Polled, String> {
    let url = format!("{}/servicerequestupdates.json", target.url);
    let mut query = vec![
        ("api_key", target.api_key.clone()),
        ("start_date", start.to_string()),
        ("end_date", end.to_string()),
    ];
    if !target.jurisdiction_id.is_empty() {
        query.push(("jurisdiction_id", target.jurisdiction_id.clone()));
    }
    // Some servers wrap the list in an object.
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Answer {
        List(Vec<IncomingUpdate>),
        Wrapped {
            service_request_updates: Vec<IncomingUpdate>,
        },
    }
    Ok(match get_json::<Answer>(target, &url, &query).await? {
        Ok(Answer::List(l))
        | Ok(Answer::Wrapped {
            service_request_updates: l,
        }) => Polled::Updates(l),
        Err(_) => Polled::Unsupported,
    })
}

/// The state of some requests by id (the fallback when updates are not offered).
pub async fn poll_requests(target: &Target, ids: &[String]) -> Result<Vec<RemoteRequest>, String> {
    let url = format!("{}/requests.json", target.url);
    let mut query = vec![("service_request_id", ids.join(","))];
    if !target.jurisdiction_id.is_empty() {
        query.push(("jurisdiction_id", target.jurisdiction_id.clone()));
    }
    match get_json::<Vec<RemoteRequest>>(target, &url, &query).await? {
        Ok(list) => Ok(list),
        Err(code) => Err(format!("{url} answered {code}")),
    }
}

/// The id a token stands for, once the case system has named it.
pub async fn resolve_token(target: &Target, token: &str) -> Result<Option<String>, String> {
    let url = format!("{}/tokens/{token}.json", target.url);
    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "id_string")]
        service_request_id: Option<String>,
    }
    match get_json::<Vec<T>>(target, &url, &[]).await? {
        Ok(list) => Ok(list.into_iter().find_map(|t| t.service_request_id)),
        Err(_) => Ok(None),
    }
}

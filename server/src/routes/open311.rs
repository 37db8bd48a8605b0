//! `/open311/v2/`: the GeoReport v2 API over HTTP. Every method answers in JSON or XML by
//! its suffix (`.json`, `.xml`), with the standard's error bodies and status codes. What
//! each method says is decided in `gongzhi_domain::open311`; this module reads requests and
//! writes the two formats.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use gongzhi_app::state::AppState;
use gongzhi_domain::model::Lang;
use gongzhi_domain::open311::{self, ApiError};
use serde::Serialize;
use serde_json::Value;

use super::open311_cache::{self, ListCache};

/// The two formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// Splits `name.json` / `name.xml`.
fn split_format(file: &str) -> Option<(&str, Format)> {
    if let Some(name) = file.strip_suffix(".json") {
        Some((name, Format::Json))
    } else {
        file.strip_suffix(".xml").map(|name| (name, Format::Xml))
    }
}

/// The XML element of each array's items, by the array's own element name.
fn item_name(list: &str) -> &'static str {
    match list {
        "services" => "service",
        "service_requests" => "request",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        "errors" => "error",
        "service_request_updates" => "request_update",
        _ => "item",
    }
}

fn escape(s: &str, out: &mut String) {
    gongzhi_domain::feeds::escape_into(s, out);
}

fn write_xml(name: &str, value: &Value, out: &mut String) {
    out.push('<');
    out.push_str(name);
    match value {
        Value::Null => {
            out.push_str("/>");
            return;
        }
        _ => out.push('>'),
    }
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => escape(s, out),
        Value::Array(items) => {
            let item = item_name(name);
            for v in items {
                write_xml(item, v, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                write_xml(k, v, out);
            }
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// `value` as an XML document whose root element is `root`.
pub fn to_xml(root: &str, value: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    write_xml(root, value, &mut out);
    out
}

/// An answer in the asked format; `root` names the XML root element.
/// `body` in `format`; `root` names the XML root element.
fn render<T: Serialize>(format: Format, root: &str, body: &T) -> Result<Bytes, String> {
    match format {
        Format::Json => serde_json::to_vec(body)
            .map(Bytes::from)
            .map_err(|e| e.to_string()),
        Format::Xml => serde_json::to_value(body)
            .map(|v| Bytes::from(to_xml(root, &v)))
            .map_err(|e| e.to_string()),
    }
}

fn answer<T: Serialize>(status: StatusCode, format: Format, root: &str, body: &T) -> Response {
    match render(format, root, body) {
        Ok(bytes) => answer_bytes(status, format, bytes),
        Err(e) => internal(format, &e),
    }
}

fn answer_bytes(status: StatusCode, format: Format, bytes: Bytes) -> Response {
    let mut res = (status, bytes).into_response();
    let kind = match format {
        Format::Json => "application/json; charset=utf-8",
        Format::Xml => "text/xml; charset=utf-8",
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // Read by other cities' tools and third-party web apps: no cookies are involved.
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

fn ok<T: Serialize>(format: Format, root: &str, body: &T) -> Response {
    answer(StatusCode::OK, format, root, body)
}

fn error(format: Format, e: ApiError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    answer(status, format, "errors", &[e])
}

fn internal(format: Format, detail: &str) -> Response {
    tracing::error!(detail, "Open311 answer failed");
    error(
        format,
        ApiError {
            status: 500,
            code: 500,
            description: "the server could not complete the request".into(),
        },
    )
}

fn unknown_method(format: Format, what: &str) -> Response {
    error(
        format,
        ApiError::not_found(format!("{what} is not a GeoReport v2 method here")),
    )
}

/// The refusal of a request holding a NUL character (see `security::refuse_nul`), in the
/// format of the path's suffix.
pub fn nul_refused(path: &str) -> Response {
    let format = if path.ends_with(".xml") {
        Format::Xml
    } else {
        Format::Json
    };
    error(format, ApiError::bad("a parameter holds a NUL character"))
}

/// A path without a format suffix: answered in JSON, naming the problem.
fn no_format(file: &str) -> Response {
    error(
        Format::Json,
        ApiError::not_found(format!("{file}: add .json or .xml to choose the format")),
    )
}

/// Query or form pairs, decoded.
fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(raw).into_owned().collect()
}

/// The language of names and descriptions: `locale` (zh or en), else Accept-Language,
/// else the city's language.
fn language(params: &[(String, String)], headers: &HeaderMap) -> Lang {
    let asked = params
        .iter()
        .find(|(k, _)| k == "locale")
        .map(|(_, v)| v.to_lowercase())
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_lowercase)
        })
        .unwrap_or_default();
    if asked.starts_with("en") {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// A key in the parameters, checked: the key's id, or the 403 to answer.
async fn require_key(state: &AppState, params: &[(String, String)]) -> Result<i64, ApiError> {
    let key = params
        .iter()
        .rev()
        .find(|(k, _)| k == "api_key")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    if key.trim().is_empty() {
        return Err(ApiError::key("api_key: required to post"));
    }
    match gongzhi_domain::apikeys::check(&state.svc, key).await {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(ApiError::key("api_key: not a valid key")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct Endpoint {
    specification: &'static str,
    url: String,
    changeset: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    formats: [&'static str; 2],
}

#[derive(Serialize)]
struct Discovery {
    changeset: &'static str,
    contact: String,
    key_service: String,
    endpoints: Vec<Endpoint>,
}

fn discovery(state: &AppState) -> Discovery {
    let base = state.svc.public_url.trim_end_matches('/');
    Discovery {
        changeset: open311::CHANGESET,
        contact: format!("{base}/ — the city's Gongzhi administrators"),
        key_service: format!("API keys are issued by the administrators at {base}/admin/api-keys"),
        endpoints: vec![Endpoint {
            specification: "http://wiki.open311.org/GeoReport_v2",
            url: format!("{base}/open311/v2"),
            changeset: open311::CHANGESET,
            kind: "production",
            formats: ["application/json", "text/xml"],
        }],
    }
}

/// `GET /open311/v2/{method}.{fmt}`.
pub async fn get_top(
    State(state): State<AppState>,
    Extension(cache): Extension<ListCache>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some((method, format)) = split_format(&file) else {
        return no_format(&file);
    };
    let params = pairs(query.as_deref().unwrap_or("").as_bytes());
    let lang = language(&params, &headers);
    match method {
        "discovery" => ok(format, "discovery", &discovery(&state)),
        "services" => match open311::services(&state.svc.db, lang).await {
            Ok(list) => ok(format, "services", &list),
            Err(e) => error(format, e.into()),
        },
        "requests" => {
            let q = match open311::parse_request_query(
                &params,
                gongzhi_domain::time::now(),
                state.svc.reports.utc_offset_minutes,
            ) {
                Ok(q) => q,
                Err(e) => return error(format, e),
            };
            // Asked before the list is made: a change landing meanwhile shows as a newer
            // version next time.
            let version = match open311::list_version(&state.svc).await {
                Ok(v) => v,
                Err(e) => return error(format, e.into()),
            };
            let key = format!("{format:?} {lang:?} {}", query.as_deref().unwrap_or(""));
            let rendered = match cache.get(&key, &version) {
                Some(r) => r,
                None => match open311::requests(&state.svc, &q, lang).await {
                    Ok(list) => match render(format, "service_requests", &list) {
                        Ok(bytes) => cache.put(key, version, bytes),
                        Err(e) => return internal(format, &e),
                    },
                    Err(e) => return error(format, e.into()),
                },
            };
            let unchanged = headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| open311_cache::matches(v, &rendered.etag));
            let mut res = if unchanged {
                answer_bytes(StatusCode::NOT_MODIFIED, format, Bytes::new())
            } else {
                answer_bytes(StatusCode::OK, format, rendered.body)
            };
            if let Ok(tag) = HeaderValue::from_str(&rendered.etag) {
                res.headers_mut().insert(header::ETAG, tag);
            }
            // Clients may keep it, but must ask again before using it.
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        }
        "servicerequestupdates" => {
            // Public like every GET; a client that names its key is not sent back what
            // it posted itself.
            let key = if params.iter().any(|(k, v)| k == "api_key" && !v.is_empty()) {
                match require_key(&state, &params).await {
                    Ok(k) => Some(k),
                    Err(e) => return error(format, e),
                }
            } else {
                None
            };
            match open311::updates(&state.svc, &params, key).await {
                Ok(list) => ok(format, "service_request_updates", &list),
                Err(e) => error(format, e),
            }
        }
        other => unknown_method(format, other),
    }
}

/// `GET /open311/v2/services/{code}.{fmt}`: a service definition.
pub async fn get_service(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some((code, format)) = split_format(&file) else {
        return no_format(&file);
    };
    let params = pairs(query.as_deref().unwrap_or("").as_bytes());
    match open311::service_definition(&state.svc.db, code, language(&params, &headers)).await {
        Ok(def) => ok(format, "service_definition", &def),
        Err(e) => error(format, e),
    }
}

/// `GET /open311/v2/requests/{id}.{fmt}`: one request, as a one-element list.
pub async fn get_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some((id, format)) = split_format(&file) else {
        return no_format(&file);
    };
    let params = pairs(query.as_deref().unwrap_or("").as_bytes());
    match open311::request(&state.svc, id, language(&params, &headers)).await {
        Ok(r) => ok(format, "service_requests", &[r]),
        Err(e) => error(format, e),
    }
}

/// `GET /open311/v2/tokens/{token}.{fmt}`.
pub async fn get_token(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((token, format)) = split_format(&file) else {
        return no_format(&file);
    };
    match open311::token(&state.svc, token).await {
        Ok(t) => ok(format, "service_requests", &[t]),
        Err(e) => error(format, e),
    }
}

/// `POST /open311/v2/{method}.{fmt}`: create a request, or post an update.
pub async fn post_top(
    State(state): State<AppState>,
    Path(file): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let Some((method, format)) = split_format(&file) else {
        return no_format(&file);
    };
    // Parameters may come in the body (the standard) or the query string.
    let mut params = pairs(query.as_deref().unwrap_or("").as_bytes());
    params.extend(pairs(&body));
    if !matches!(method, "requests" | "servicerequestupdates") {
        return unknown_method(format, method);
    }
    let key = match require_key(&state, &params).await {
        Ok(k) => k,
        Err(e) => return error(format, e),
    };
    match method {
        "requests" => {
            match open311::create(&state.svc, key, &params, &peer.ip().to_string()).await {
                Ok(created) => ok(format, "service_requests", &[created]),
                Err(e) => error(format, e),
            }
        }
        _ => match open311::post_update(&state.svc, key, &params).await {
            Ok(posted) => ok(format, "service_request_updates", &[posted]),
            Err(e) => error(format, e),
        },
    }
}

/// `GET /open311/v2/openapi.json`: this API described in OpenAPI 3.1.
pub async fn openapi(State(state): State<AppState>) -> Response {
    let base = format!("{}/open311/v2", state.svc.public_url.trim_end_matches('/'));
    let mut res = super::open311_spec::document(&base).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_names_list_items_escapes_text_and_empties_nulls() {
        let v = serde_json::json!([{"service_code": "a&b", "metadata": true, "lat": 22.5, "address": null,
            "attributes": [{"values": [{"key": "1", "name": "<big>"}]}]}]);
        assert_eq!(
            to_xml("services", &v),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><service_code>a&amp;b</service_code>\
             <metadata>true</metadata><lat>22.5</lat><address/><attributes><attribute><values><value><key>1</key>\
             <name>&lt;big&gt;</name></value></values></attribute></attributes></service></services>"
        );
    }

    #[test]
    fn formats_come_from_the_suffix() {
        assert_eq!(
            split_format("requests.json"),
            Some(("requests", Format::Json))
        );
        assert_eq!(
            split_format("services.xml"),
            Some(("services", Format::Xml))
        );
        assert_eq!(split_format("requests"), None);
    }
}

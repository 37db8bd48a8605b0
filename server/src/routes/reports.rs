//! Filing reports and serving their photos: plain HTTP routes beside the Leptos app.
//!
//! The report form is a `multipart/form-data` POST so that photos travel with it when the
//! browser runs no wasm or JavaScript at all. With JavaScript, photos are uploaded one by
//! one as they are chosen (`POST /api/photos`), and the form carries their ids.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use gongzhi_app::api::reports::{to_filter, ListQuery, ReportFormFlash, ReportFormValues};
use gongzhi_app::error::AppError;
use gongzhi_app::state::{cookie_from, AppState, SESSION_COOKIE};
use gongzhi_domain::model::Me;
use gongzhi_domain::reports::{self, NewReport, PhotoSize, Reporter};
use gongzhi_domain::{Error, FieldError, Problem};
use serde::Deserialize;

/// The signed-in user of a plain HTTP request.
pub(crate) async fn session_user(state: &AppState, headers: &HeaderMap) -> Option<Me> {
    let token = cookie_from(headers, SESSION_COOKIE)?;
    gongzhi_domain::accounts::sessions::user(&state.svc.db, &token)
        .await
        .ok()
        .flatten()
}

/// The client's address (from `X-Forwarded-For` only behind a trusted proxy).
fn client_ip(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    if state.trust_forwarded_for {
        if let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return ip.trim().to_string();
        }
    }
    peer.ip().to_string()
}

/// A refusal as JSON: `{"error": ..., "fields": [...]}` with the error's status.
fn json_error(e: AppError) -> Response {
    let status = e.status();
    (status, Json(e)).into_response()
}

/// The parts of a posted report form.
#[derive(Default)]
struct Posted {
    values: ReportFormValues,
    token: String,
    photo_uids: Vec<String>,
    files: Vec<Vec<u8>>,
    /// A problem met while reading the body (e.g. it was larger than allowed).
    read_problem: Option<FieldError>,
}

async fn read_form(multipart: Multipart, max_photo_mb: usize) -> Posted {
    let body = super::form::read(multipart, "photo", "photos", max_photo_mb).await;
    let mut p = Posted {
        files: body.files,
        read_problem: body.too_big,
        ..Posted::default()
    };
    for (name, value) in body.fields {
        let v = &mut p.values;
        match name.as_str() {
            "submit_token" => p.token = value,
            "category" => v.category = value,
            "lat" => v.lat = value,
            "lon" => v.lon = value,
            "address" => v.address = value,
            "description" => v.description = value,
            "hide_name" => v.hide_name = !value.is_empty(),
            "photos" => p.photo_uids.push(value),
            other => {
                // Open311 style: attribute[code] or attribute[code][] for lists.
                if let Some(code) = other
                    .strip_prefix("attribute[")
                    .map(|rest| rest.trim_end_matches("[]"))
                    .and_then(|rest| rest.strip_suffix(']'))
                {
                    v.answers.entry(code.to_string()).or_default().push(value);
                }
            }
        }
    }
    p
}

/// `POST /reports/new`: files a report from the form. On success the browser goes to the
/// report (or, for an anonymous report, to its tracking page, which shows the code once).
/// With problems it goes back to the form, which comes back filled in with each problem
/// next to its field and the photos already accepted kept.
pub async fn submit_form(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let max_mb = state.svc.reports.max_photo_bytes / (1024 * 1024);
    let posted = read_form(multipart, max_mb).await;
    let token = posted.token.clone();
    if !reports::valid_token(&token) {
        return (
            StatusCode::BAD_REQUEST,
            "submit_token: the form has expired; open it again / 表单已过期，请重新打开",
        )
            .into_response();
    }
    let me = session_user(&state, &headers).await;
    let ip = client_ip(&state, &headers, peer);

    let mut photo_errors: Vec<FieldError> = posted.read_problem.into_iter().collect();
    let mut uids = posted.photo_uids.clone();
    for bytes in posted.files {
        match reports::upload_photo(&state.svc, &token, bytes).await {
            Ok(photo) => uids.push(photo.uid),
            Err(Error::Invalid(list)) => photo_errors.extend(list),
            Err(e) => {
                return back_to_form(&state, &token, posted.values, vec![], Some(e.into())).await
            }
        }
    }
    let v = &posted.values;
    let input = NewReport {
        category: v.category.clone(),
        lat: v.lat.clone(),
        lon: v.lon.clone(),
        address: v.address.clone(),
        description: v.description.clone(),
        answers: v.answers.clone(),
        photos: uids,
        hide_name: v.hide_name,
        submit_token: token.clone(),
    };
    let who = Reporter {
        user: me.as_ref(),
        ip: &ip,
        api_key: None,
    };
    if !photo_errors.is_empty() {
        // Check the rest of the form too, so every problem shows at once; file nothing.
        let mut errors = photo_errors;
        if let Err(Error::Invalid(list)) = reports::check(&state.svc, &who, &input).await {
            errors.extend(list);
        }
        return back_to_form(&state, &token, posted.values, errors, None).await;
    }
    match reports::submit(&state.svc, who, input).await {
        // Filing the report also forgot the form kept for it.
        Ok(done) => {
            let to = match done.tracking_code {
                Some(code) => format!("/track/{code}?new=1"),
                None => format!("/reports/{}?new=1", done.id),
            };
            Redirect::to(&to).into_response()
        }
        Err(Error::Invalid(list)) => back_to_form(&state, &token, posted.values, list, None).await,
        Err(e) => back_to_form(&state, &token, posted.values, vec![], Some(e.into())).await,
    }
}

async fn back_to_form(
    state: &AppState,
    token: &str,
    values: ReportFormValues,
    errors: Vec<FieldError>,
    general: Option<AppError>,
) -> Response {
    let general = general.or_else(|| (!errors.is_empty()).then(|| AppError::Invalid(vec![])));
    let flash = ReportFormFlash {
        values,
        errors,
        general,
    };
    keep_and_redirect(
        state,
        token,
        &flash,
        &format!("/reports/new?draft={token}#form-errors"),
    )
    .await
}

/// Keeps a rejected form (what was typed and what was wrong) under its token, then sends
/// the browser to `to`, which shows it again. Shared by the forms posted without wasm.
pub(crate) async fn keep_and_redirect(
    state: &AppState,
    token: &str,
    flash: &impl serde::Serialize,
    to: &str,
) -> Response {
    let saved = match serde_json::to_string(flash) {
        Ok(json) => gongzhi_domain::flash::save(&state.svc.db, token, &json)
            .await
            .is_ok(),
        Err(_) => false,
    };
    if !saved {
        tracing::error!(to, "could not keep the rejected form");
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on the server / 服务器出错了",
        )
            .into_response();
    }
    Redirect::to(to).into_response()
}

/// `POST /api/photos`: one photo for a form being filled in (JavaScript uploads each photo
/// as soon as it is chosen). Answers the photo's id and sizes, or the problem as JSON.
pub async fn upload_photo(State(state): State<AppState>, mut multipart: Multipart) -> Response {
    let max_mb = state.svc.reports.max_photo_bytes / (1024 * 1024);
    let too_big = || {
        json_error(AppError::Invalid(vec![FieldError::new(
            "photos",
            Problem::PhotoTooBig { max_mb },
        )]))
    };
    let mut token = String::new();
    let mut bytes = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("submit_token") => token = field.text().await.unwrap_or_default(),
                Some("photo") => match field.bytes().await {
                    Ok(b) => bytes = Some(b.to_vec()),
                    Err(_) => return too_big(),
                },
                _ => {}
            },
            Ok(None) => break,
            Err(_) => return too_big(),
        }
    }
    if !reports::valid_token(&token) {
        return json_error(AppError::Invalid(vec![FieldError::new(
            "submit_token",
            Problem::ExpiredLink,
        )]));
    }
    let Some(bytes) = bytes else {
        return json_error(AppError::Invalid(vec![FieldError::new(
            "photos",
            Problem::Required,
        )]));
    };
    match reports::upload_photo(&state.svc, &token, bytes).await {
        Ok(photo) => Json(photo).into_response(),
        Err(e) => json_error(e.into()),
    }
}

/// `GET /photos/{uid}.jpg` and `/photos/{uid}-thumb.jpg`. A photo never changes, so it is
/// cached for a year.
pub async fn photo(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(name) = file.strip_suffix(".jpg") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (uid, size) = match name.strip_suffix("-thumb") {
        Some(uid) => (uid, PhotoSize::Thumb),
        None => (name, PhotoSize::Display),
    };
    if uid.is_empty()
        || uid.len() > 64
        || !uid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    match reports::photo_blob(&state.svc, uid, size).await {
        Ok(Some(blob)) => {
            let mut res = blob.bytes.into_response();
            let h = res.headers_mut();
            if let Ok(ct) = HeaderValue::from_str(&blob.content_type) {
                h.insert(header::CONTENT_TYPE, ct);
            }
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            res
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "photo could not be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct NearbyQuery {
    #[serde(default)]
    category: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
}

/// `GET /api/reports/nearby?category=&lat=&lon=`: open reports of the category near the
/// place, for the "is this already reported?" step of the form.
pub async fn nearby(State(state): State<AppState>, Query(q): Query<NearbyQuery>) -> Response {
    let point = match reports::parse_point(&q.lat, &q.lon) {
        Ok(p) => p,
        Err(p) => return json_error(AppError::Invalid(vec![FieldError::new("location", p)])),
    };
    match reports::nearby(&state.svc, &q.category, point).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => json_error(e.into()),
    }
}

/// `GET /grids.geojson`: the management grids, for maps and open data.
pub async fn grids_geojson(State(state): State<AppState>) -> Response {
    match gongzhi_domain::grids::feature_collection(&state.svc.db).await {
        Ok(fc) => {
            let mut res = Json(fc).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/geo+json"),
            );
            res
        }
        Err(e) => json_error(e.into()),
    }
}

/// `GET /reports.geojson?category=&status=&…`: the newest reports matching the list's
/// filters as GeoJSON points, for the map view and open data. No reporter data.
pub async fn reports_geojson(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Response {
    let (filter, _) = match to_filter(&q) {
        Ok(f) => f,
        Err(e) => return json_error(e),
    };
    let (points, categories) = match (
        reports::points(&state.svc, &filter).await,
        gongzhi_domain::categories::list(&state.svc.db, true).await,
    ) {
        (Ok(p), Ok(c)) => (p, c),
        (Err(e), _) | (_, Err(e)) => return json_error(e.into()),
    };
    let features: Vec<serde_json::Value> = points
        .into_iter()
        .map(|p| {
            let c = categories.iter().find(|c| c.id == p.category_id);
            serde_json::json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [p.lon, p.lat] },
                "properties": {
                    "id": p.id,
                    "status": p.status,
                    "category": c.map(|c| c.code.as_str()),
                    "category_zh": c.map(|c| c.name_zh.as_str()),
                    "category_en": c.map(|c| c.name_en.as_str()),
                },
            })
        })
        .collect();
    let mut res = Json(serde_json::json!({ "type": "FeatureCollection", "features": features }))
        .into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    res
}

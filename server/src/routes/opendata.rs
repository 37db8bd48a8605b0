//! Open data downloads: `/open-data/{dataset}.{csv|json|geojson}`, optionally for one
//! department (`?department=<code>`) and a period of months (`?from=YYYY-MM&to=YYYY-MM`).
//! The body streams: rows are read and written in chunks while the client downloads.

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use gongzhi_app::state::AppState;
use gongzhi_domain::model::opendata::{Dataset, Format};
use gongzhi_domain::model::stats::{Month, Period};
use gongzhi_domain::opendata::{export, About, Scope};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct DownloadQuery {
    #[serde(default)]
    department: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

fn bad(field: &str, zh: &str, en: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{field}: {en} / {zh}\n"),
    )
        .into_response()
}

/// `GET /open-data/{file}`
pub async fn download(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<DownloadQuery>,
) -> Response {
    let Some((dataset, format)) = file.rsplit_once('.').and_then(|(name, ext)| {
        let d = Dataset::from_name(name)?;
        let f = Format::from_extension(ext)?;
        d.formats().contains(&f).then_some((d, f))
    }) else {
        return (
            StatusCode::NOT_FOUND,
            "no such download; see /open-data / 没有这个文件，见 /open-data\n",
        )
            .into_response();
    };
    let svc = state.svc.clone();
    let department_id = match q.department.trim() {
        "" => None,
        code => match gongzhi_domain::departments::list(&svc.db).await {
            Ok(list) => match list.into_iter().find(|d| d.code == code) {
                Some(d) => Some(d.id),
                None => {
                    return bad(
                        "department",
                        "没有此代码的部门",
                        "no department has this code",
                    )
                }
            },
            Err(e) => {
                tracing::error!(error = %e, "open data: departments could not be read");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
    };
    let month = |s: &str| match s.trim() {
        "" => Ok(None),
        s => Month::parse(s).map(Some).ok_or(()),
    };
    let Ok(from) = month(&q.from) else {
        return bad(
            "from",
            "应为 YYYY-MM 格式的月份",
            "must be a month as YYYY-MM",
        );
    };
    let Ok(to) = month(&q.to) else {
        return bad(
            "to",
            "应为 YYYY-MM 格式的月份",
            "must be a month as YYYY-MM",
        );
    };
    let period = match (from, to) {
        (None, None) => None,
        (Some(f), None) => Some(Period {
            from: f,
            to: Month {
                year: 2100,
                month: 12,
            },
        }),
        (None, Some(t)) => Some(Period {
            from: Month {
                year: 2000,
                month: 1,
            },
            to: t,
        }),
        (Some(f), Some(t)) if f <= t => Some(Period { from: f, to: t }),
        _ => {
            return bad(
                "to",
                "不能早于起始月份",
                "must not be before the first month",
            )
        }
    };
    let scope = Scope {
        department_id,
        period,
    };
    let about = About {
        licence: state.data_licence.clone(),
        source: format!("{}/open-data", svc.public_url.trim_end_matches('/')),
    };
    // A few chunks in flight at most: the reader waits for the client.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(4);
    tokio::spawn(async move {
        match export(&svc, dataset, format, &scope, &about, &tx).await {
            Ok(rows) => tracing::debug!(dataset = dataset.name(), rows, "open data written"),
            Err(e) => {
                tracing::warn!(dataset = dataset.name(), error = %e, "open data download stopped")
            }
        }
    });
    // Nothing at all means the export failed before its first chunk: say so properly.
    let Some(first) = rx.recv().await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let first = futures::stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(first)) });
    let rest = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, std::io::Error>(Bytes::from(chunk)), rx))
    });
    let mut res = Body::from_stream(futures::StreamExt::chain(first, rest)).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    if format == Format::Csv {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "attachment; filename=\"gongzhi-{}.csv\"",
            dataset.name()
        )) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    res
}

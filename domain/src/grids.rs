//! Management grids (网格): admins load them as GeoJSON; each report is assigned to the
//! grid that contains its place.

use crate::accounts::require_admin;
use crate::db::BeginWrite;
use crate::db::Db;
use crate::error::Error;
use crate::geo::{parse_grids, Area, Point};
use crate::model::catalog::Grid;
use crate::model::Me;
use crate::time::now;
use crate::{departments, with_db, Problem};

pub use crate::model::catalog::ImportSummary;

pub async fn list(db: &Db) -> Result<Vec<Grid>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_as("SELECT id, code, name_zh, name_en, department_id FROM grids ORDER BY code")
            .fetch_all(p)
            .await
    })?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Grid>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_as("SELECT id, code, name_zh, name_en, department_id FROM grids WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?)
}

/// Loads grids from a GeoJSON FeatureCollection: new codes are added, known codes get the
/// new shape, names and department. All or nothing: one bad feature saves none. Admins only.
pub async fn import(db: &Db, actor: Option<&Me>, geojson: &str) -> Result<ImportSummary, Error> {
    require_admin(actor)?;
    load(db, geojson).await
}

/// [`import`] without the permission check, for demo data and the CLI.
pub(crate) async fn load(db: &Db, geojson: &str) -> Result<ImportSummary, Error> {
    let features = parse_grids(geojson).map_err(|e| {
        Error::field(
            "geojson",
            Problem::InvalidGeoJson {
                detail: e.to_string(),
            },
        )
    })?;
    if features.is_empty() {
        return Err(Error::field("geojson", Problem::Required));
    }
    let depts = departments::list(db).await?;
    let mut rows = Vec::with_capacity(features.len());
    for (i, f) in features.into_iter().enumerate() {
        let department_id = match &f.department {
            None => None,
            Some(code) => match depts.iter().find(|d| &d.code == code) {
                Some(d) => Some(d.id),
                None => {
                    return Err(Error::field(
                        "geojson",
                        Problem::InvalidGeoJson {
                            detail: format!(
                                "feature {i} ({}): unknown department {code:?}",
                                f.code
                            ),
                        },
                    ))
                }
            },
        };
        let geometry = serde_json::to_string(&f.area.to_geojson())
            .map_err(|e| Error::Internal(e.to_string()))?;
        rows.push((f, department_id, geometry));
    }
    let t = now();
    let (mut created, mut updated) = (0, 0);
    with_db!(db, p => {
        let mut tx = p.begin_write().await?;
        for (f, department_id, geometry) in &rows {
            let b = f.area.bbox();
            let existed: Option<i64> = sqlx::query_scalar("SELECT id FROM grids WHERE code = $1")
                .bind(&f.code)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO grids (code, name_zh, name_en, department_id, geometry, min_lat, min_lon, max_lat, max_lon, \
                 area_m2, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
                 ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, \
                 department_id = excluded.department_id, geometry = excluded.geometry, min_lat = excluded.min_lat, \
                 min_lon = excluded.min_lon, max_lat = excluded.max_lat, max_lon = excluded.max_lon, \
                 area_m2 = excluded.area_m2, updated_at = excluded.updated_at",
            )
            .bind(&f.code)
            .bind(&f.name_zh)
            .bind(&f.name_en)
            .bind(*department_id)
            .bind(geometry)
            .bind(b.min_lat)
            .bind(b.min_lon)
            .bind(b.max_lat)
            .bind(b.max_lon)
            .bind(f.area.area_m2())
            .bind(t)
            .execute(&mut *tx)
            .await?;
            if existed.is_some() {
                updated += 1;
            } else {
                created += 1;
            }
        }
        tx.commit().await
    })?;
    tracing::info!(created, updated, "grids imported");
    Ok(ImportSummary { created, updated })
}

#[derive(sqlx::FromRow)]
struct Candidate {
    id: i64,
    code: String,
    name_zh: String,
    name_en: String,
    department_id: Option<i64>,
    geometry: String,
    area_m2: f64,
}

impl Candidate {
    /// The grid with its shape read; `None` (and an error in the log) when the stored
    /// GeoJSON no longer reads, so the grid takes no reports rather than every report failing.
    fn shaped(self) -> Option<Shaped> {
        let area = match serde_json::from_str::<serde_json::Value>(&self.geometry)
            .map_err(|e| e.to_string())
            .and_then(|v| Area::from_geojson(&v).map_err(|e| e.to_string()))
        {
            Ok(a) => a,
            Err(e) => {
                tracing::error!(grid = %self.code, error = %e, "a stored grid shape does not read");
                return None;
            }
        };
        Some(Shaped {
            bbox: area.bbox(),
            area,
            area_m2: self.area_m2,
            grid: Grid {
                id: self.id,
                code: self.code,
                name_zh: self.name_zh,
                name_en: self.name_en,
                department_id: self.department_id,
            },
        })
    }
}

/// A grid with its shape, ready to test points against.
#[derive(Debug)]
pub(crate) struct Shaped {
    pub grid: Grid,
    area: Area,
    bbox: crate::geo::BBox,
    area_m2: f64,
}

/// The grid among `shapes` that contains `point`; where grids overlap, the smallest (the
/// first of equals). A point on a boundary belongs to the grid it touches.
pub(crate) fn pick<'a>(
    shapes: impl IntoIterator<Item = &'a Shaped>,
    point: Point,
) -> Option<&'a Grid> {
    let mut best: Option<&Shaped> = None;
    for s in shapes {
        if s.bbox.contains(point)
            && s.area.contains(point)
            && best.is_none_or(|b| s.area_m2 < b.area_m2)
        {
            best = Some(s);
        }
    }
    best.map(|s| &s.grid)
}

const SHAPED_COLUMNS: &str = "id, code, name_zh, name_en, department_id, geometry, area_m2";

/// Every grid with its shape, in the order they were added (for the in-memory catalogue).
pub(crate) async fn all_shaped(db: &Db) -> Result<Vec<Shaped>, Error> {
    let sql = format!("SELECT {SHAPED_COLUMNS} FROM grids ORDER BY id");
    let rows: Vec<Candidate> = with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await)?;
    Ok(rows.into_iter().filter_map(Candidate::shaped).collect())
}

/// The grid with this code.
pub async fn by_code(db: &Db, code: &str) -> Result<Option<Grid>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_as("SELECT id, code, name_zh, name_en, department_id FROM grids WHERE code = $1")
            .bind(code)
            .fetch_optional(p)
            .await
    })?)
}

/// All grids as one GeoJSON FeatureCollection, for maps and open data.
pub async fn feature_collection(db: &Db) -> Result<serde_json::Value, Error> {
    let rows: Vec<(String, String, String, String)> = with_db!(db, p => {
        sqlx::query_as("SELECT code, name_zh, name_en, geometry FROM grids ORDER BY code")
            .fetch_all(p)
            .await
    })?;
    let features: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|(code, name_zh, name_en, geometry)| {
            serde_json::json!({
                "type": "Feature",
                "properties": { "code": code, "name_zh": name_zh, "name_en": name_en },
                "geometry": serde_json::from_str::<serde_json::Value>(&geometry).unwrap_or(serde_json::Value::Null),
            })
        })
        .collect();
    Ok(serde_json::json!({ "type": "FeatureCollection", "features": features }))
}

/// The box around all grids (where maps open), or `None` without grids.
pub async fn extent(db: &Db) -> Result<Option<crate::geo::BBox>, Error> {
    let row: (Option<f64>, Option<f64>, Option<f64>, Option<f64>) = with_db!(db, p => {
        sqlx::query_as("SELECT min(min_lat), min(min_lon), max(max_lat), max(max_lon) FROM grids")
            .fetch_one(p)
            .await
    })?;
    Ok(match row {
        (Some(min_lat), Some(min_lon), Some(max_lat), Some(max_lon)) => Some(crate::geo::BBox {
            min_lat,
            min_lon,
            max_lat,
            max_lon,
        }),
        _ => None,
    })
}

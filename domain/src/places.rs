//! The gazetteer: named places (roads, landmarks, communities) with a point each, so a
//! resident can give a report's location by typing an address. The longest place name
//! found in the typed address wins ("民族大道 100 号" matches 民族大道).

use crate::accounts::require_admin;
use crate::db::BeginWrite;
use crate::db::Db;
use crate::error::Error;
use crate::geo::Point;
use crate::model::Me;
use crate::time::now;
use crate::{with_db, Problem};

pub const NAME_MAX: usize = 60;
/// Names shorter than this would match too much (a single character).
pub const NAME_MIN: usize = 2;

/// The point of the longest known place name contained in `address`.
pub async fn geocode(db: &Db, address: &str) -> Result<Option<Point>, Error> {
    let address = address.trim();
    if address.chars().count() < NAME_MIN {
        return Ok(None);
    }
    // `||` and `length` mean the same on both backends.
    let row: Option<(f64, f64)> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT lat, lon FROM places WHERE $1 LIKE '%' || name || '%' ORDER BY length(name) DESC, id LIMIT 1",
        )
        .bind(address)
        .fetch_optional(p)
        .await
    })?;
    Ok(row.and_then(|(lat, lon)| Point::new(lat, lon)))
}

/// Parses lines of `name,lat,lon` (a header line and blank lines are skipped). Each
/// problem names its line.
pub fn parse_csv(text: &str) -> Result<Vec<(String, Point)>, String> {
    let mut places = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (i == 0 && line.to_lowercase().starts_with("name")) {
            continue;
        }
        let parts: Vec<&str> = line.split([',', '，']).map(str::trim).collect();
        let bad = |why: &str| format!("line {}: {why}", i + 1);
        let [name, lat, lon] = parts.as_slice() else {
            return Err(bad("expected name,lat,lon"));
        };
        let n = name.chars().count();
        if !(NAME_MIN..=NAME_MAX).contains(&n) {
            return Err(bad("the name must be 2-60 characters"));
        }
        let point = match (lat.parse::<f64>(), lon.parse::<f64>()) {
            (Ok(a), Ok(b)) => {
                Point::new(a, b).ok_or_else(|| bad("latitude or longitude out of range"))?
            }
            _ => return Err(bad("latitude and longitude must be numbers")),
        };
        places.push((name.to_string(), point));
    }
    Ok(places)
}

/// Loads places from `name,lat,lon` lines; a known name gets the new point. All or
/// nothing. Admins only. Returns how many lines were loaded.
pub async fn import(db: &Db, actor: Option<&Me>, csv: &str) -> Result<usize, Error> {
    require_admin(actor)?;
    load(db, csv).await
}

pub(crate) async fn load(db: &Db, csv: &str) -> Result<usize, Error> {
    let places =
        parse_csv(csv).map_err(|detail| Error::field("places", Problem::InvalidJson { detail }))?;
    if places.is_empty() {
        return Err(Error::field("places", Problem::Required));
    }
    let t = now();
    with_db!(db, p => {
        let mut tx = p.begin_write().await?;
        for (name, point) in &places {
            sqlx::query(
                "INSERT INTO places (name, lat, lon, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (name) DO UPDATE SET lat = excluded.lat, lon = excluded.lon",
            )
            .bind(name)
            .bind(point.lat)
            .bind(point.lon)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    })?;
    Ok(places.len())
}

pub async fn count(db: &Db) -> Result<i64, Error> {
    Ok(with_db!(db, p => sqlx::query_scalar("SELECT count(*) FROM places").fetch_one(p).await)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_are_checked_by_line() {
        let ok =
            parse_csv("name,lat,lon\n民族大道, 22.8172, 108.3661\n\n南湖公园，22.8120，108.3900\n")
                .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].0, "南湖公园");
        assert!(parse_csv("民族大道,north,108")
            .unwrap_err()
            .starts_with("line 1:"));
        assert!(parse_csv("a,1,1\n").unwrap_err().contains("2-60"));
        assert!(parse_csv("name,lat,lon\n民族大道,95,108")
            .unwrap_err()
            .starts_with("line 2:"));
        assert!(parse_csv("x").unwrap_err().contains("name,lat,lon"));
    }
}

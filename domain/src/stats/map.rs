//! The city's grids drawn as SVG paths, for the results page's map of reports by grid.
//! Longitudes are scaled by the cosine of the middle latitude so that shapes keep their
//! proportions; the drawing fits a box `width` wide.

use crate::db::Db;
use crate::error::Error;
use crate::geo::{Area, Point};
use crate::model::stats::GridShape;
use crate::with_db;

/// Every grid as a path in a box `width` wide, and the box's height.
pub async fn shapes(db: &Db, width: f64) -> Result<(Vec<GridShape>, f64), Error> {
    let rows: Vec<(i64, String)> = with_db!(db, p => {
        sqlx::query_as("SELECT id, geometry FROM grids ORDER BY code").fetch_all(p).await
    })?;
    let areas: Vec<(i64, Area)> = rows
        .into_iter()
        .filter_map(|(id, g)| {
            let v = serde_json::from_str(&g).ok()?;
            Some((id, Area::from_geojson(&v).ok()?))
        })
        .collect();
    Ok(draw(&areas, width))
}

/// Draws areas into a box `width` wide; returns the paths and the box's height.
pub fn draw(areas: &[(i64, Area)], width: f64) -> (Vec<GridShape>, f64) {
    let points = areas
        .iter()
        .flat_map(|(_, a)| a.polygons().iter().flat_map(|p| p.outer().iter().copied()));
    let (mut min_lat, mut max_lat, mut min_lon, mut max_lon) = (90f64, -90f64, 180f64, -180f64);
    for p in points {
        min_lat = min_lat.min(p.lat);
        max_lat = max_lat.max(p.lat);
        min_lon = min_lon.min(p.lon);
        max_lon = max_lon.max(p.lon);
    }
    if min_lat > max_lat {
        return (Vec::new(), 0.0);
    }
    let k = ((min_lat + max_lat) / 2.0).to_radians().cos().max(0.01);
    let span_x = ((max_lon - min_lon) * k).max(1e-9);
    let span_y = (max_lat - min_lat).max(1e-9);
    let scale = width / span_x;
    let height = (span_y * scale).clamp(width * 0.2, width * 1.5);
    let scale = scale.min(height / span_y);
    let xy = |p: Point| ((p.lon - min_lon) * k * scale, (max_lat - p.lat) * scale);
    let shapes = areas
        .iter()
        .map(|(id, area)| {
            let mut d = String::new();
            let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
            for poly in area.polygons() {
                for ring in
                    std::iter::once(poly.outer()).chain(poly.holes().iter().map(Vec::as_slice))
                {
                    for (i, p) in ring.iter().enumerate() {
                        let (x, y) = xy(*p);
                        d.push_str(&format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }));
                    }
                    d.push('Z');
                }
                for p in poly.outer() {
                    let (x, y) = xy(*p);
                    sx += x;
                    sy += y;
                    n += 1.0;
                }
            }
            GridShape {
                grid_id: *id,
                path: d,
                label_x: if n > 0.0 { sx / n } else { 0.0 },
                label_y: if n > 0.0 { sy / n } else { 0.0 },
            }
        })
        .collect();
    (shapes, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_fills_the_box() {
        let v = serde_json::json!({"type": "Polygon", "coordinates": [[[108.0, 22.0], [108.01, 22.0], [108.01, 22.01], [108.0, 22.01]]]});
        let a = Area::from_geojson(&v).unwrap();
        let (shapes, h) = draw(&[(1, a)], 100.0);
        assert_eq!(shapes.len(), 1);
        assert!(shapes[0].path.starts_with("M0.0,"), "{}", shapes[0].path);
        assert!(shapes[0].path.ends_with('Z'));
        // A degree of longitude is shorter than one of latitude at 22°N.
        assert!(h > 100.0 && h < 110.0, "{h}");
        assert_eq!(draw(&[], 100.0).0.len(), 0);
    }
}

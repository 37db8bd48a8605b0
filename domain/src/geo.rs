//! Geography for problem reports: points, distances, bounding boxes and the city's
//! management grids (网格).
//!
//! Report locations are WGS84 points. Admins upload the grids as a GeoJSON
//! FeatureCollection of Polygons and MultiPolygons; each report is assigned to the grid
//! that contains its point (the smallest one when grids overlap). Everything here is
//! plain arithmetic on `f64`s with no I/O, so the same code runs on the server and in the
//! wasm front end (for example to check a map click before submitting).
//!
//! Polygons are treated as planar in (longitude, latitude) degrees, which is exact enough
//! for city-sized grids; polygons that cross the antimeridian are not supported.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Mean earth radius in metres (IUGG), used for all distance calculations.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A point within this many degrees of a polygon's boundary counts as on it (about 0.1 mm).
pub const BOUNDARY_EPSILON_DEG: f64 = 1e-9;

/// The most features one grid upload may contain.
pub const MAX_FEATURES: usize = 5_000;

/// The most positions (vertices) one grid upload may contain, over all its features.
pub const MAX_POSITIONS: usize = 100_000;

/// The longest grid or department code, in characters.
pub const MAX_CODE_CHARS: usize = 40;

/// The longest grid name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A WGS84 location. Deserializing does not check the ranges; [`Point::new`] does.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

impl Point {
    /// A point, if `lat` is in [-90, 90], `lon` in [-180, 180] and both are finite.
    pub fn new(lat: f64, lon: f64) -> Option<Point> {
        let ok = lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon);
        ok.then_some(Point { lat, lon })
    }

    fn is_valid(self) -> bool {
        Point::new(self.lat, self.lon).is_some()
    }
}

/// Great-circle (haversine) distance in metres on a sphere of radius [`EARTH_RADIUS_M`].
pub fn distance_m(a: Point, b: Point) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let half_dlat = (lat2 - lat1) / 2.0;
    let half_dlon = (b.lon - a.lon).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat1.cos() * lat2.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// A latitude/longitude box in degrees, bounds included; used for cheap SQL pre-filters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    pub min_lat: f64,
    pub min_lon: f64,
    pub max_lat: f64,
    pub max_lon: f64,
}

impl BBox {
    /// A box holding everything within `radius_m` metres of `p`.
    ///
    /// Never smaller than the true extent (it has a margin of about a nanodegree). Latitudes
    /// are clamped to [-90, 90]; when the circle reaches a pole or crosses the antimeridian
    /// the box spans all longitudes, since a box cannot wrap around. A negative or NaN
    /// radius counts as zero.
    pub fn around(p: Point, radius_m: f64) -> BBox {
        let radius_m = if radius_m > 0.0 { radius_m } else { 0.0 };
        // Angular radius in radians; infinite radii simply reach both poles below.
        let d = radius_m / EARTH_RADIUS_M;
        let dlat = widen(d.to_degrees());
        let mut b = BBox {
            min_lat: p.lat - dlat,
            max_lat: p.lat + dlat,
            min_lon: -180.0,
            max_lon: 180.0,
        };
        if b.min_lat <= -90.0 || b.max_lat >= 90.0 {
            b.min_lat = b.min_lat.max(-90.0);
            b.max_lat = b.max_lat.min(90.0);
            return b;
        }
        // The widest longitude on a circle of angular radius d around latitude φ is
        // asin(sin d / cos φ); it is reached slightly poleward of due east and west.
        let s = d.sin() / p.lat.to_radians().cos();
        if s < 1.0 {
            let dlon = widen(s.asin().to_degrees());
            if p.lon - dlon >= -180.0 && p.lon + dlon <= 180.0 {
                b.min_lon = p.lon - dlon;
                b.max_lon = p.lon + dlon;
            }
        }
        b
    }

    /// Whether `p` lies in the box, bounds included.
    pub fn contains(&self, p: Point) -> bool {
        (self.min_lat..=self.max_lat).contains(&p.lat)
            && (self.min_lon..=self.max_lon).contains(&p.lon)
    }

    /// The smallest box holding all `points`; `None` when there are none.
    fn of_points(points: &[Point]) -> Option<BBox> {
        let first = points.first()?;
        let mut b = BBox {
            min_lat: first.lat,
            min_lon: first.lon,
            max_lat: first.lat,
            max_lon: first.lon,
        };
        for p in &points[1..] {
            b.min_lat = b.min_lat.min(p.lat);
            b.min_lon = b.min_lon.min(p.lon);
            b.max_lat = b.max_lat.max(p.lat);
            b.max_lon = b.max_lon.max(p.lon);
        }
        Some(b)
    }

    fn union(self, o: BBox) -> BBox {
        BBox {
            min_lat: self.min_lat.min(o.min_lat),
            min_lon: self.min_lon.min(o.min_lon),
            max_lat: self.max_lat.max(o.max_lat),
            max_lon: self.max_lon.max(o.max_lon),
        }
    }

    fn expanded(self, by: f64) -> BBox {
        BBox {
            min_lat: self.min_lat - by,
            min_lon: self.min_lon - by,
            max_lat: self.max_lat + by,
            max_lon: self.max_lon + by,
        }
    }
}

/// Adds a tiny margin to a half-width in degrees so rounding never makes a box too small.
fn widen(deg: f64) -> f64 {
    deg * (1.0 + 1e-9) + 1e-9
}

/// One polygon: an outer ring and any holes. Rings are stored closed (first == last).
#[derive(Clone, Debug, PartialEq)]
pub struct Polygon {
    outer: Vec<Point>,
    holes: Vec<Vec<Point>>,
    bbox: BBox,
}

impl Polygon {
    /// A polygon from its outer ring and holes, checked like GeoJSON input: every point in
    /// range and at least 3 distinct points per ring. Open rings are closed.
    pub fn new(outer: Vec<Point>, holes: Vec<Vec<Point>>) -> Result<Polygon, GeoError> {
        let check = |ring: Vec<Point>, index: usize| -> Result<Vec<Point>, GeoError> {
            if let Some(i) = ring.iter().position(|p| !p.is_valid()) {
                let p = ring[i];
                return Err(GeoError::Geometry(format!(
                    "ring {index}, point {i}: ({}, {}) is not a valid latitude and longitude",
                    p.lat, p.lon
                )));
            }
            close_ring(ring).map_err(|e| GeoError::Geometry(format!("ring {index}: {e}")))
        };
        let outer = check(outer, 0)?;
        let holes = holes
            .into_iter()
            .enumerate()
            .map(|(i, h)| check(h, i + 1))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Polygon::from_closed(outer, holes))
    }

    fn from_closed(outer: Vec<Point>, holes: Vec<Vec<Point>>) -> Polygon {
        let bbox = BBox::of_points(&outer).expect("a checked ring has points");
        Polygon { outer, holes, bbox }
    }

    /// The outer ring, closed (its last point repeats the first).
    pub fn outer(&self) -> &[Point] {
        &self.outer
    }

    /// The holes, each a closed ring.
    pub fn holes(&self) -> &[Vec<Point>] {
        &self.holes
    }

    /// Inside or on the outer ring, and not strictly inside a hole.
    fn contains(&self, p: Point) -> bool {
        if !self.bbox.expanded(BOUNDARY_EPSILON_DEG).contains(p) {
            return false;
        }
        if on_ring(&self.outer, p) {
            return true;
        }
        if !crosses_odd(&self.outer, p) {
            return false;
        }
        if self.holes.iter().any(|h| on_ring(h, p)) {
            return true;
        }
        !self.holes.iter().any(|h| crosses_odd(h, p))
    }

    fn area_m2(&self) -> f64 {
        let lat0 = (self.bbox.min_lat + self.bbox.max_lat) / 2.0;
        let lon0 = (self.bbox.min_lon + self.bbox.max_lon) / 2.0;
        let ring_area = |ring: &[Point]| planar_ring_area_m2(ring, lat0, lon0);
        let holes: f64 = self.holes.iter().map(|h| ring_area(h)).sum();
        (ring_area(&self.outer) - holes).max(0.0)
    }

    fn to_geojson(&self) -> Value {
        let ring = |r: &[Point]| Value::Array(r.iter().map(|p| json!([p.lon, p.lat])).collect());
        let mut rings = vec![ring(&self.outer)];
        rings.extend(self.holes.iter().map(|h| ring(h)));
        Value::Array(rings)
    }
}

/// Whether `p` is within [`BOUNDARY_EPSILON_DEG`] of an edge of the closed `ring`.
fn on_ring(ring: &[Point], p: Point) -> bool {
    ring.windows(2).any(|e| on_segment(p, e[0], e[1]))
}

fn on_segment(p: Point, a: Point, b: Point) -> bool {
    let (dx, dy) = (b.lon - a.lon, b.lat - a.lat);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.lon - a.lon) * dx + (p.lat - a.lat) * dy) / len2).clamp(0.0, 1.0)
    };
    let (ex, ey) = (p.lon - (a.lon + t * dx), p.lat - (a.lat + t * dy));
    ex * ex + ey * ey <= BOUNDARY_EPSILON_DEG * BOUNDARY_EPSILON_DEG
}

/// Crossing-number test: casts a ray from `p` towards +longitude and counts the edges of
/// the closed `ring` it crosses. Each edge is taken as half-open in latitude (its upper end
/// excluded), so a ray through a vertex counts the two edges meeting there once in total
/// when they pass by and twice (or not at all) when they form a peak; horizontal edges
/// never count. Points on the boundary must be handled before calling this.
fn crosses_odd(ring: &[Point], p: Point) -> bool {
    let mut inside = false;
    for e in ring.windows(2) {
        let (a, b) = (e[0], e[1]);
        if (a.lat > p.lat) != (b.lat > p.lat) {
            let x = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
            if p.lon < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// The unsigned shoelace area of a closed ring, projected equirectangularly around
/// (`lat0`, `lon0`).
fn planar_ring_area_m2(ring: &[Point], lat0: f64, lon0: f64) -> f64 {
    let kx = EARTH_RADIUS_M * lat0.to_radians().cos();
    let xy = |p: Point| {
        (
            (p.lon - lon0).to_radians() * kx,
            (p.lat - lat0).to_radians() * EARTH_RADIUS_M,
        )
    };
    let twice: f64 = ring
        .windows(2)
        .map(|e| {
            let ((x1, y1), (x2, y2)) = (xy(e[0]), xy(e[1]));
            x1 * y2 - x2 * y1
        })
        .sum();
    twice.abs() / 2.0
}

/// Closes `ring` if needed and checks it has at least 3 distinct points (so at least 4
/// positions once closed). Returns the problem as text for the caller to place.
fn close_ring(mut ring: Vec<Point>) -> Result<Vec<Point>, String> {
    let distinct = distinct_points_up_to_3(&ring);
    if distinct < 3 {
        return Err(format!(
            "a ring needs at least 3 distinct points, found {distinct}"
        ));
    }
    if ring.first() != ring.last() {
        ring.push(ring[0]);
    }
    Ok(ring)
}

fn distinct_points_up_to_3(ring: &[Point]) -> usize {
    let mut seen: Vec<Point> = Vec::with_capacity(3);
    for p in ring {
        if !seen.contains(p) {
            seen.push(*p);
            if seen.len() == 3 {
                break;
            }
        }
    }
    seen.len()
}

/// A polygonal area: one or more polygons, each with an outer ring and optional holes,
/// as in a GeoJSON Polygon or MultiPolygon.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    polygons: Vec<Polygon>,
}

impl Area {
    /// An area made of `polygons`; there must be at least one.
    pub fn new(polygons: Vec<Polygon>) -> Result<Area, GeoError> {
        if polygons.is_empty() {
            return Err(GeoError::Geometry(
                "an area needs at least one polygon".into(),
            ));
        }
        Ok(Area { polygons })
    }

    /// Reads a GeoJSON geometry object, `{"type":"Polygon","coordinates":[...]}` or a
    /// MultiPolygon. Positions are `[lon, lat]`; further elements (altitude) are ignored.
    /// Open rings are closed; rings need 3 distinct points; coordinates must be in range.
    pub fn from_geojson(geometry: &Value) -> Result<Area, GeoError> {
        let err = |m: String| GeoError::Geometry(m);
        let Some(obj) = geometry.as_object() else {
            return Err(err(format!(
                "the geometry is not a JSON object but {}",
                json_kind(geometry)
            )));
        };
        let kind = match obj.get("type") {
            Some(Value::String(s)) => s.as_str(),
            Some(other) => {
                return Err(err(format!(
                    "the geometry type is not a string but {}",
                    json_kind(other)
                )))
            }
            None => return Err(err("the geometry has no \"type\"".into())),
        };
        if kind != "Polygon" && kind != "MultiPolygon" {
            return Err(err(format!(
                "geometry type {kind} is not a Polygon or MultiPolygon"
            )));
        }
        let Some(coords) = obj.get("coordinates") else {
            return Err(err(format!("the {kind} has no \"coordinates\"")));
        };
        let positions = count_positions(coords);
        if positions > MAX_POSITIONS {
            return Err(GeoError::TooManyPositions {
                count: positions,
                max: MAX_POSITIONS,
            });
        }
        let polygons = if kind == "Polygon" {
            vec![parse_polygon(coords, "")?]
        } else {
            let list = as_array(coords, "the MultiPolygon coordinates")?;
            if list.is_empty() {
                return Err(err("the MultiPolygon has no polygons".into()));
            }
            list.iter()
                .enumerate()
                .map(|(i, c)| parse_polygon(c, &format!("polygon {i}, ")))
                .collect::<Result<Vec<_>, _>>()?
        };
        Ok(Area { polygons })
    }

    /// The area as a GeoJSON geometry: a MultiPolygon when it has more than one polygon,
    /// else a Polygon. Rings are closed.
    pub fn to_geojson(&self) -> Value {
        match self.polygons.as_slice() {
            [one] => json!({ "type": "Polygon", "coordinates": one.to_geojson() }),
            many => json!({
                "type": "MultiPolygon",
                "coordinates": many.iter().map(Polygon::to_geojson).collect::<Vec<_>>(),
            }),
        }
    }

    /// Whether `p` is in the area. Points on the boundary (within [`BOUNDARY_EPSILON_DEG`]
    /// of an edge or vertex) count as inside, including the boundary of a hole; points
    /// strictly inside a hole are outside.
    pub fn contains(&self, p: Point) -> bool {
        self.polygons.iter().any(|poly| poly.contains(p))
    }

    /// The smallest box around the area.
    pub fn bbox(&self) -> BBox {
        self.polygons
            .iter()
            .map(|p| p.bbox)
            .reduce(BBox::union)
            .expect("an area has at least one polygon")
    }

    /// Approximate area in square metres (each polygon projected equirectangularly at its
    /// middle latitude, holes subtracted). Good to a fraction of a percent for city grids;
    /// meant for choosing the smallest of overlapping grids, not for surveying.
    pub fn area_m2(&self) -> f64 {
        self.polygons.iter().map(Polygon::area_m2).sum()
    }

    /// The polygons making up the area.
    pub fn polygons(&self) -> &[Polygon] {
        &self.polygons
    }
}

/// Parses one Polygon's coordinates; `at` prefixes error locations ("polygon 2, ").
fn parse_polygon(coords: &Value, at: &str) -> Result<Polygon, GeoError> {
    let rings = as_array(coords, &format!("{at}the polygon coordinates"))?;
    if rings.is_empty() {
        return Err(GeoError::Geometry(format!("{at}the polygon has no rings")));
    }
    let mut parsed = Vec::with_capacity(rings.len());
    for (r, ring) in rings.iter().enumerate() {
        let what = if r == 0 { "outer" } else { "a hole" };
        let ring_at = format!("{at}ring {r} ({what})");
        let positions = as_array(ring, &ring_at)?;
        let points = positions
            .iter()
            .enumerate()
            .map(|(i, v)| {
                parse_position(v)
                    .map_err(|e| GeoError::Geometry(format!("{ring_at}, position {i}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        parsed.push(close_ring(points).map_err(|e| GeoError::Geometry(format!("{ring_at}: {e}")))?);
    }
    let outer = parsed.remove(0);
    Ok(Polygon::from_closed(outer, parsed))
}

fn as_array<'a>(v: &'a Value, what: &str) -> Result<&'a Vec<Value>, GeoError> {
    v.as_array().ok_or_else(|| {
        GeoError::Geometry(format!("{what} should be an array, found {}", json_kind(v)))
    })
}

/// Reads a GeoJSON position `[lon, lat, ...]`.
fn parse_position(v: &Value) -> Result<Point, String> {
    let Some(items) = v.as_array() else {
        return Err(format!(
            "expected [longitude, latitude], found {}",
            json_kind(v)
        ));
    };
    let (Some(lon), Some(lat)) = (
        items.first().and_then(Value::as_f64),
        items.get(1).and_then(Value::as_f64),
    ) else {
        return Err("expected [longitude, latitude] as two numbers".into());
    };
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside [-180, 180]"));
    }
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "latitude {lat} is outside [-90, 90] (positions are [longitude, latitude])"
        ));
    }
    Ok(Point { lat, lon })
}

/// Counts the positions (arrays starting with a number) nested in GeoJSON coordinates.
fn count_positions(v: &Value) -> usize {
    match v {
        Value::Array(items) if items.first().is_some_and(Value::is_number) => 1,
        Value::Array(items) => items.iter().map(count_positions).sum(),
        _ => 0,
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One management grid from an uploaded FeatureCollection.
#[derive(Clone, Debug, PartialEq)]
pub struct GridFeature {
    /// `properties.code`: 1 to 40 characters of `A-Z a-z 0-9 _ - .`, unique in the upload.
    pub code: String,
    /// `properties.name_zh`, or else `properties.name`.
    pub name_zh: String,
    /// `properties.name_en`, or else the Chinese name.
    pub name_en: String,
    /// `properties.department`: the code of the department responsible, if given.
    pub department: Option<String>,
    pub area: Area,
}

impl GridFeature {
    /// The grid as a GeoJSON Feature, in the form [`parse_grids`] reads.
    pub fn to_geojson(&self) -> Value {
        json!({
            "type": "Feature",
            "properties": {
                "code": self.code,
                "name_zh": self.name_zh,
                "name_en": self.name_en,
                "department": self.department,
            },
            "geometry": self.area.to_geojson(),
        })
    }
}

/// Parses an uploaded GeoJSON FeatureCollection (or a single Feature) of grids.
///
/// Every feature needs `properties.code` (unique within the upload), a name
/// (`name_zh` or `name`) and a Polygon or MultiPolygon geometry; `name_en` and
/// `department` are optional. At most [`MAX_FEATURES`] features and [`MAX_POSITIONS`]
/// positions in all. Errors name the feature by 0-based index, and by code when known.
pub fn parse_grids(text: &str) -> Result<Vec<GridFeature>, GeoError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| GeoError::Json(e.to_string()))?;
    let features: Vec<&Value> = match doc.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => match doc.get("features") {
            Some(Value::Array(list)) => list.iter().collect(),
            _ => {
                return Err(GeoError::Collection(
                    "the FeatureCollection has no \"features\" array".into(),
                ))
            }
        },
        Some("Feature") => vec![&doc],
        Some(other) => {
            return Err(GeoError::Collection(format!(
                "expected a GeoJSON FeatureCollection or Feature, found type {other}"
            )))
        }
        None => {
            return Err(GeoError::Collection(
                "expected a GeoJSON FeatureCollection or Feature, found no \"type\"".into(),
            ))
        }
    };
    if features.is_empty() {
        return Err(GeoError::Collection(
            "the FeatureCollection has no features".into(),
        ));
    }
    if features.len() > MAX_FEATURES {
        return Err(GeoError::TooManyFeatures {
            count: features.len(),
            max: MAX_FEATURES,
        });
    }
    let positions: usize = features
        .iter()
        .filter_map(|f| f.get("geometry")?.get("coordinates"))
        .map(count_positions)
        .sum();
    if positions > MAX_POSITIONS {
        return Err(GeoError::TooManyPositions {
            count: positions,
            max: MAX_POSITIONS,
        });
    }

    let mut grids = Vec::with_capacity(features.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(features.len());
    for (index, feature) in features.into_iter().enumerate() {
        let grid = parse_feature(index, feature)?;
        if let Some(first) = seen.insert(grid.code.clone(), index) {
            return Err(GeoError::Feature {
                index,
                code: Some(grid.code),
                reason: format!("the code is already used by feature {first}"),
            });
        }
        grids.push(grid);
    }
    Ok(grids)
}

fn parse_feature(index: usize, feature: &Value) -> Result<GridFeature, GeoError> {
    let fail = |code: Option<&str>, reason: String| GeoError::Feature {
        index,
        code: code.map(str::to_owned),
        reason,
    };
    let Some(obj) = feature.as_object() else {
        return Err(fail(
            None,
            format!("is {}, not a GeoJSON Feature object", json_kind(feature)),
        ));
    };
    match obj.get("type").and_then(Value::as_str) {
        Some("Feature") => {}
        Some(other) => return Err(fail(None, format!("has type {other}, expected Feature"))),
        None => return Err(fail(None, "has no \"type\": \"Feature\"".into())),
    }
    let props = match obj.get("properties") {
        Some(Value::Object(p)) => p,
        Some(Value::Null) | None => {
            return Err(fail(
                None,
                "has no properties (properties.code is required)".into(),
            ))
        }
        Some(other) => {
            return Err(fail(
                None,
                format!("properties is {}, not an object", json_kind(other)),
            ))
        }
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match props.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
            Some(other) => Err(format!(
                "properties.{key} must be a string, found {}",
                json_kind(other)
            )),
        }
    };

    let code = text("code")
        .and_then(|c| c.ok_or_else(|| "properties.code is missing".to_owned()))
        .and_then(|c| check_code(&c, "properties.code").map(|()| c))
        .map_err(|reason| fail(None, reason))?;
    let named = |reason: String| fail(Some(&code), reason);

    let name_zh = match (
        text("name_zh").map_err(named)?,
        text("name").map_err(named)?,
    ) {
        (Some(n), _) | (None, Some(n)) => n,
        (None, None) => {
            return Err(named(
                "has no name: set properties.name_zh or properties.name".into(),
            ))
        }
    };
    check_name(&name_zh, "the Chinese name").map_err(named)?;
    let name_en = match text("name_en").map_err(named)? {
        Some(n) => {
            check_name(&n, "properties.name_en").map_err(named)?;
            n
        }
        None => name_zh.clone(),
    };
    let department = text("department").map_err(named)?;
    if let Some(d) = &department {
        check_code(d, "properties.department").map_err(named)?;
    }
    let area = match obj.get("geometry") {
        None | Some(Value::Null) => return Err(named("has no geometry".into())),
        Some(g) => Area::from_geojson(g).map_err(|e| named(e.to_string()))?,
    };
    Ok(GridFeature {
        code,
        name_zh,
        name_en,
        department,
        area,
    })
}

/// Checks a grid or department code: 1 to [`MAX_CODE_CHARS`] of `A-Z a-z 0-9 _ - .`.
fn check_code(code: &str, what: &str) -> Result<(), String> {
    let n = code.chars().count();
    if n == 0 || n > MAX_CODE_CHARS {
        return Err(format!(
            "{what} must be 1 to {MAX_CODE_CHARS} characters, found {n}"
        ));
    }
    if let Some(c) = code
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        return Err(format!(
            "{what} {code:?} contains {c:?}; only letters A-Z, digits, '_', '-' and '.' are allowed"
        ));
    }
    Ok(())
}

fn check_name(name: &str, what: &str) -> Result<(), String> {
    let n = name.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(format!(
            "{what} is {n} characters long, at most {MAX_NAME_CHARS} are allowed"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(format!("{what} contains control characters"));
    }
    Ok(())
}

/// The grid that `p` belongs to: among the grids containing it, the one with the smallest
/// area (ties go to the lower code, so the choice never depends on upload order).
pub fn grid_for(grids: &[GridFeature], p: Point) -> Option<&GridFeature> {
    grids
        .iter()
        .filter(|g| g.area.contains(p))
        .map(|g| (g.area.area_m2(), g))
        .min_by(|(a1, g1), (a2, g2)| a1.total_cmp(a2).then_with(|| g1.code.cmp(&g2.code)))
        .map(|(_, g)| g)
}

/// What is wrong with a geometry or a grid upload.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum GeoError {
    /// The upload is not JSON at all.
    #[error("not valid JSON: {0}")]
    Json(String),
    /// The upload is JSON but not a FeatureCollection or Feature, or has no features.
    #[error("{0}")]
    Collection(String),
    /// One feature of an upload is invalid.
    #[error("feature {index}{}: {reason}", code_note(.code))]
    Feature {
        /// 0-based position in the `features` array.
        index: usize,
        /// The feature's code, when it has a valid one.
        code: Option<String>,
        reason: String,
    },
    /// A geometry is invalid (the text says where and why).
    #[error("{0}")]
    Geometry(String),
    /// More features than [`MAX_FEATURES`].
    #[error("too many features: {count}, at most {max} are allowed per upload")]
    TooManyFeatures { count: usize, max: usize },
    /// More positions than [`MAX_POSITIONS`].
    #[error(
        "too many positions: {count} in total, at most {max} are allowed per upload; \
         simplify the polygons"
    )]
    TooManyPositions { count: usize, max: usize },
}

fn code_note(code: &Option<String>) -> String {
    code.as_deref()
        .map(|c| format!(" (code {c})"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(lat: f64, lon: f64) -> Point {
        Point::new(lat, lon).unwrap()
    }

    fn polygon(rings: Value) -> Area {
        Area::from_geojson(&json!({ "type": "Polygon", "coordinates": rings })).unwrap()
    }

    /// The unit square [0,1]×[0,1] (lon × lat).
    fn square() -> Area {
        polygon(json!([[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]))
    }

    /// A point `dist_m` from `p` on bearing `bearing_deg` (clockwise from north).
    fn destination(p: Point, bearing_deg: f64, dist_m: f64) -> Point {
        let d = dist_m / EARTH_RADIUS_M;
        let (lat1, lon1, th) = (
            p.lat.to_radians(),
            p.lon.to_radians(),
            bearing_deg.to_radians(),
        );
        let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * th.cos()).asin();
        let lon2 =
            lon1 + (th.sin() * d.sin() * lat1.cos()).atan2(d.cos() - lat1.sin() * lat2.sin());
        Point {
            lat: lat2.to_degrees(),
            // Normalised to [-180, 180): paths over a pole come out near ±180° otherwise.
            lon: (lon2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0,
        }
    }

    fn grid_json(code: &str, geometry: Value) -> Value {
        json!({
            "type": "Feature",
            "properties": { "code": code, "name_zh": "网格", "name_en": "Grid" },
            "geometry": geometry,
        })
    }

    fn collection(features: Vec<Value>) -> String {
        json!({ "type": "FeatureCollection", "features": features }).to_string()
    }

    fn nanning_square(code: &str) -> Value {
        grid_json(
            code,
            json!({ "type": "Polygon", "coordinates":
                [[[108.35, 22.81], [108.37, 22.81], [108.37, 22.83], [108.35, 22.83],
                  [108.35, 22.81]]] }),
        )
    }

    #[test]
    fn point_new_checks_ranges() {
        assert!(Point::new(22.817, 108.366).is_some());
        assert!(Point::new(90.0, 180.0).is_some());
        assert!(Point::new(-90.0, -180.0).is_some());
        assert!(Point::new(90.1, 0.0).is_none());
        assert!(Point::new(0.0, -180.1).is_none());
        assert!(Point::new(f64::NAN, 0.0).is_none());
        assert!(Point::new(0.0, f64::INFINITY).is_none());
    }

    #[test]
    fn square_inside_and_outside() {
        let a = square();
        assert!(a.contains(pt(0.5, 0.5)));
        assert!(a.contains(pt(0.001, 0.999)));
        assert!(!a.contains(pt(1.5, 0.5)));
        assert!(!a.contains(pt(0.5, -0.5)));
        assert!(!a.contains(pt(-0.000001, 0.5)));
        assert!(!a.contains(pt(0.5, 1.000001)));
    }

    #[test]
    fn boundary_counts_as_inside() {
        let a = square();
        // On vertical edges.
        assert!(a.contains(pt(0.5, 0.0)));
        assert!(a.contains(pt(0.5, 1.0)));
        // On horizontal edges (bottom and top).
        assert!(a.contains(pt(0.0, 0.5)));
        assert!(a.contains(pt(1.0, 0.5)));
        // On every vertex.
        for (lat, lon) in [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0)] {
            assert!(a.contains(pt(lat, lon)), "vertex ({lat}, {lon})");
        }
        // Within the tolerance, and just beyond it.
        assert!(a.contains(pt(0.5, 1.0 + 5e-10)));
        assert!(!a.contains(pt(0.5, 1.0 + 1e-8)));
        // On the line of a horizontal edge but beyond its end.
        assert!(!a.contains(pt(0.0, 1.5)));
        assert!(!a.contains(pt(1.0, -0.5)));
    }

    #[test]
    fn boundary_of_a_slanted_edge_in_nanning() {
        let a = polygon(json!([[[108.35, 22.81], [108.39, 22.82], [108.36, 22.83]]]));
        let mid = pt((22.81 + 22.82) / 2.0, (108.35 + 108.39) / 2.0);
        assert!(a.contains(mid));
        assert!(!a.contains(pt(mid.lat - 1e-6, mid.lon)));
        assert!(a.contains(pt(22.82, 108.36)));
    }

    #[test]
    fn concave_u_shape() {
        // A U: the notch is lon 1..2, lat 1..3; the ray from the left arm runs through it.
        let u = polygon(json!([[
            [0, 0],
            [3, 0],
            [3, 3],
            [2, 3],
            [2, 1],
            [1, 1],
            [1, 3],
            [0, 3],
            [0, 0]
        ]]));
        assert!(u.contains(pt(2.0, 0.5)), "left arm, ray crosses the notch");
        assert!(u.contains(pt(2.0, 2.5)), "right arm");
        assert!(u.contains(pt(0.5, 1.5)), "base");
        assert!(!u.contains(pt(2.0, 1.5)), "in the notch");
        assert!(
            !u.contains(pt(2.0, -0.5)),
            "left of the U, ray crosses both arms"
        );
        assert!(u.contains(pt(1.0, 1.5)), "on the notch's horizontal floor");
        assert!(u.contains(pt(2.0, 1.0)), "on the notch's wall");
    }

    #[test]
    fn ray_through_vertices() {
        // A diamond: the ray from the centre passes exactly through the vertex (2, 1).
        let diamond = polygon(json!([[[1, 0], [2, 1], [1, 2], [0, 1], [1, 0]]]));
        assert!(diamond.contains(pt(1.0, 1.0)));
        // Outside, level with the left and right vertices: the ray passes through both.
        assert!(!diamond.contains(pt(1.0, -1.0)));
        assert!(!diamond.contains(pt(1.0, 3.0)));
        // Level with the top vertex (a peak): the ray only touches it.
        assert!(!diamond.contains(pt(2.0, 0.5)));
        assert!(diamond.contains(pt(2.0, 1.0)));
        // A ray through a reflex vertex of a concave polygon (the notch bottom at (1, 1)).
        let notch = polygon(json!([[[0, 0], [2, 0], [2, 2], [1, 1], [0, 2], [0, 0]]]));
        assert!(notch.contains(pt(1.0, 0.5)));
        assert!(!notch.contains(pt(1.0, -0.5)));
        assert!(!notch.contains(pt(1.5, 1.0)));
        // A ray running along a horizontal edge (lat 1 from (1,1) to (2,1)).
        let step = polygon(json!([[
            [0, 0],
            [3, 0],
            [3, 2],
            [2, 2],
            [2, 1],
            [1, 1],
            [1, 2],
            [0, 2],
            [0, 0]
        ]]));
        assert!(step.contains(pt(1.0, 0.5)));
        assert!(!step.contains(pt(1.0, -1.0)));
        assert!(step.contains(pt(1.0, 2.5)));
    }

    #[test]
    fn holes() {
        let a = polygon(json!([
            [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
            [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]]
        ]));
        assert!(a.contains(pt(0.5, 0.5)));
        assert!(a.contains(pt(2.0, 3.5)));
        assert!(!a.contains(pt(2.0, 2.0)), "inside the hole");
        assert!(a.contains(pt(1.0, 2.0)), "on the hole's horizontal edge");
        assert!(a.contains(pt(2.0, 3.0)), "on the hole's vertical edge");
        assert!(a.contains(pt(3.0, 3.0)), "on the hole's vertex");
        assert!(!a.contains(pt(2.0, 5.0)));
        assert_eq!(a.polygons()[0].holes().len(), 1);
    }

    #[test]
    fn multipolygon() {
        let a = Area::from_geojson(&json!({
            "type": "MultiPolygon",
            "coordinates": [
                [[[108.35, 22.81], [108.36, 22.81], [108.36, 22.82], [108.35, 22.82],
                  [108.35, 22.81]]],
                [[[108.38, 22.82], [108.39, 22.82], [108.39, 22.83], [108.38, 22.83],
                  [108.38, 22.82]]]
            ]
        }))
        .unwrap();
        assert_eq!(a.polygons().len(), 2);
        assert!(a.contains(pt(22.815, 108.355)));
        assert!(a.contains(pt(22.825, 108.385)));
        assert!(!a.contains(pt(22.82, 108.37)), "between the two parts");
        assert_eq!(
            a.bbox(),
            BBox {
                min_lat: 22.81,
                min_lon: 108.35,
                max_lat: 22.83,
                max_lon: 108.39
            }
        );
        assert_eq!(a.to_geojson()["type"], "MultiPolygon");
        assert_eq!(Area::from_geojson(&a.to_geojson()).unwrap(), a);
    }

    #[test]
    fn unclosed_ring_is_closed_and_altitude_ignored() {
        let a = Area::from_geojson(&json!({
            "type": "Polygon",
            "coordinates":
                [[[108.35, 22.81, 80.5], [108.37, 22.81, 81], [108.37, 22.83], [108.35, 22.83]]]
        }))
        .unwrap();
        let outer = a.polygons()[0].outer();
        assert_eq!(outer.len(), 5);
        assert_eq!(outer.first(), outer.last());
        assert!(a.contains(pt(22.82, 108.36)));
        let back = a.to_geojson();
        assert_eq!(back["type"], "Polygon");
        assert_eq!(back["coordinates"][0][4], json!([108.35, 22.81]));
        assert_eq!(Area::from_geojson(&back).unwrap(), a);
    }

    #[test]
    fn geometry_errors() {
        let geo = |v: Value| Area::from_geojson(&v).unwrap_err().to_string();
        let e = geo(json!({ "type": "Point", "coordinates": [108.36, 22.82] }));
        assert_eq!(e, "geometry type Point is not a Polygon or MultiPolygon");
        let e = geo(json!({ "type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]] }));
        assert!(
            e.contains("ring 0 (outer)") && e.contains("at least 3 distinct points, found 2"),
            "{e}"
        );
        let e =
            geo(json!({ "type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]], [[0, 0]]] }));
        assert!(e.contains("ring 1 (a hole)"), "{e}");
        let e = geo(json!({ "type": "Polygon",
                    "coordinates": [[[22.8, 108.3], [22.9, 108.3], [22.9, 108.4]]] }));
        assert!(
            e.contains("position 0: latitude 108.3 is outside [-90, 90]"),
            "{e}"
        );
        let e = geo(json!({ "type": "MultiPolygon", "coordinates": [
            [[[0, 0], [1, 0], [1, 1]]], [[[0, 0], [181, 0], [1, 1]]] ] }));
        assert!(
            e.contains("polygon 1, ring 0 (outer), position 1: longitude 181"),
            "{e}"
        );
        let e = geo(json!({ "type": "Polygon", "coordinates": [[[0, 0], ["1", 0], [1, 1]]] }));
        assert!(e.contains("two numbers"), "{e}");
        assert!(geo(json!({ "type": "Polygon" })).contains("no \"coordinates\""));
        assert!(geo(json!({ "type": "Polygon", "coordinates": [] })).contains("no rings"));
        assert!(geo(json!({ "type": "MultiPolygon", "coordinates": [] })).contains("no polygons"));
        assert!(geo(json!([1, 2])).contains("not a JSON object"));
    }

    #[test]
    fn polygon_new_validates() {
        let ring = vec![pt(0.0, 0.0), pt(0.0, 1.0), pt(1.0, 1.0)];
        let p = Polygon::new(ring.clone(), vec![]).unwrap();
        assert_eq!(p.outer().len(), 4);
        let bad = vec![
            Point {
                lat: 95.0,
                lon: 0.0,
            },
            pt(0.0, 1.0),
            pt(1.0, 1.0),
        ];
        assert!(Polygon::new(bad, vec![]).is_err());
        assert!(Polygon::new(ring[..2].to_vec(), vec![]).is_err());
        assert!(Area::new(vec![]).is_err());
        assert!(Area::new(vec![p]).unwrap().contains(pt(0.5, 0.75)));
    }

    #[test]
    fn distances() {
        // One degree of latitude is about 111.2 km.
        let d = distance_m(pt(22.0, 108.366), pt(23.0, 108.366));
        assert!((d - 111_195.0).abs() < 111_195.0 * 0.005, "{d}");
        // 0.0005 degrees of latitude in Nanning is about 55.6 m.
        let d = distance_m(pt(22.817, 108.366), pt(22.8175, 108.366));
        assert!((d - 55.6).abs() < 0.1, "{d}");
        // Longitude shrinks with cos(latitude).
        let d = distance_m(pt(22.817, 108.366), pt(22.817, 108.367));
        assert!(
            (d - 111.195 * 22.817_f64.to_radians().cos()).abs() < 0.1,
            "{d}"
        );
        assert_eq!(distance_m(pt(22.82, 108.37), pt(22.82, 108.37)), 0.0);
        // Antipodes: half the circumference.
        let d = distance_m(pt(0.0, 0.0), pt(0.0, 180.0));
        assert!(
            (d - std::f64::consts::PI * EARTH_RADIUS_M).abs() < 1e-3,
            "{d}"
        );
    }

    #[test]
    fn bbox_around_holds_the_circle() {
        let cases = [
            (pt(22.817, 108.366), 500.0),
            (pt(22.817, 108.366), 50_000.0),
            (pt(-33.9, 151.2), 1_000.0),
            (pt(70.0, 20.0), 200_000.0),
            (pt(0.0, 0.0), 1.0),
        ];
        for (centre, r) in cases {
            let b = BBox::around(centre, r);
            for k in 0..8 {
                let q = destination(centre, k as f64 * 45.0, r);
                assert!((distance_m(centre, q) - r).abs() < 1e-6 * r.max(1.0));
                assert!(
                    b.contains(q),
                    "{centre:?} r={r} bearing {}: {q:?} not in {b:?}",
                    k * 45
                );
            }
            // The widest point is not due east; check all around too.
            for k in 0..360 {
                assert!(
                    b.contains(destination(centre, k as f64, r)),
                    "{centre:?} r={r} bearing {k}"
                );
            }
            assert!(b.contains(centre));
        }
        // Conservative but not wasteful: 500 m is about ±0.0045° of latitude in Nanning.
        let b = BBox::around(pt(22.817, 108.366), 500.0);
        assert!((b.max_lat - 22.817 - 0.004_497).abs() < 1e-5, "{b:?}");
        assert!(
            (b.max_lon - 108.366 - 0.004_497 / 22.817_f64.to_radians().cos()).abs() < 1e-5,
            "{b:?}"
        );
        assert!(!b.contains(pt(22.817, 108.376)));
    }

    #[test]
    fn bbox_around_poles_antimeridian_and_odd_radii() {
        let b = BBox::around(pt(89.99, 10.0), 5_000.0);
        assert_eq!((b.max_lat, b.min_lon, b.max_lon), (90.0, -180.0, 180.0));
        assert!(b.contains(destination(pt(89.99, 10.0), 0.0, 5_000.0)));
        let b = BBox::around(pt(-89.99, 10.0), 5_000.0);
        assert_eq!(b.min_lat, -90.0);
        let b = BBox::around(pt(10.0, 179.999), 1_000.0);
        assert_eq!((b.min_lon, b.max_lon), (-180.0, 180.0));
        let b = BBox::around(pt(10.0, 20.0), 1e9);
        assert_eq!(
            b,
            BBox {
                min_lat: -90.0,
                min_lon: -180.0,
                max_lat: 90.0,
                max_lon: 180.0
            }
        );
        for r in [0.0, -5.0, f64::NAN] {
            let b = BBox::around(pt(22.82, 108.37), r);
            assert!(b.contains(pt(22.82, 108.37)));
            assert!(b.max_lat - b.min_lat < 1e-8, "{b:?}");
        }
    }

    #[test]
    fn area_in_square_metres() {
        // 0.02° × 0.02° in Nanning: about 2224 m × 2050 m.
        let a = polygon(json!([[
            [108.35, 22.81],
            [108.37, 22.81],
            [108.37, 22.83],
            [108.35, 22.83]
        ]]));
        let side = 0.02_f64.to_radians() * EARTH_RADIUS_M;
        let expected = side * side * 22.82_f64.to_radians().cos();
        assert!(
            (a.area_m2() - expected).abs() < expected * 0.001,
            "{}",
            a.area_m2()
        );
        // A hole of a quarter of the area, and the winding direction does not matter.
        let holed = polygon(json!([
            [
                [108.35, 22.81],
                [108.35, 22.83],
                [108.37, 22.83],
                [108.37, 22.81]
            ],
            [
                [108.355, 22.815],
                [108.365, 22.815],
                [108.365, 22.825],
                [108.355, 22.825]
            ]
        ]));
        assert!((holed.area_m2() - 0.75 * expected).abs() < expected * 0.001);
    }

    #[test]
    fn parse_grids_reads_a_collection() {
        let text = collection(vec![
            json!({
                "type": "Feature",
                "properties": {
                    "code": "QX-01",
                    "name_zh": "青秀区一网格",
                    "name_en": "Qingxiu Grid 1",
                    "department": "cgj",
                },
                "geometry": nanning_square("x")["geometry"].clone(),
            }),
            json!({
                "type": "Feature",
                "properties": { "code": " XX.02_a ", "name": "兴宁区二网格", "population": 12000 },
                "geometry": { "type": "MultiPolygon", "coordinates": [
                    [[[108.37, 22.81], [108.39, 22.81], [108.39, 22.83], [108.37, 22.83]]]
                ] },
            }),
        ]);
        let grids = parse_grids(&text).unwrap();
        assert_eq!(grids.len(), 2);
        assert_eq!(grids[0].code, "QX-01");
        assert_eq!(grids[0].name_en, "Qingxiu Grid 1");
        assert_eq!(grids[0].department.as_deref(), Some("cgj"));
        assert_eq!(grids[1].code, "XX.02_a");
        assert_eq!(grids[1].name_zh, "兴宁区二网格");
        assert_eq!(grids[1].name_en, "兴宁区二网格");
        assert_eq!(grids[1].department, None);
        assert!(grids[1].area.contains(pt(22.82, 108.38)));
        // Round trip through the exported Feature.
        let again = parse_grids(&grids[0].to_geojson().to_string()).unwrap();
        assert_eq!(again, vec![grids[0].clone()]);
    }

    #[test]
    fn grid_for_picks_the_smallest_containing_grid() {
        let small = grid_json(
            "QX-01-A",
            json!({ "type": "Polygon", "coordinates":
                [[[108.355, 22.815], [108.36, 22.815], [108.36, 22.82], [108.355, 22.82]]] }),
        );
        let grids = parse_grids(&collection(vec![nanning_square("QX-01"), small])).unwrap();
        assert_eq!(
            grid_for(&grids, pt(22.817, 108.357)).unwrap().code,
            "QX-01-A"
        );
        assert_eq!(grid_for(&grids, pt(22.825, 108.366)).unwrap().code, "QX-01");
        assert!(grid_for(&grids, pt(22.85, 108.366)).is_none());
    }

    #[test]
    fn upload_errors_name_the_feature() {
        let err = |text: &str| parse_grids(text).unwrap_err().to_string();

        let e = err("{\"type\": \"FeatureCollection\", \"features\": [");
        assert!(e.starts_with("not valid JSON: "), "{e}");

        let line = grid_json(
            "QX-01",
            json!({ "type": "LineString", "coordinates": [[108.35, 22.81], [108.36, 22.82]] }),
        );
        let e = err(&collection(vec![
            nanning_square("A"),
            nanning_square("B"),
            nanning_square("C"),
            line,
        ]));
        assert_eq!(
            e,
            "feature 3 (code QX-01): geometry type LineString is not a Polygon or MultiPolygon"
        );

        let few = grid_json(
            "QX-02",
            json!({ "type": "Polygon", "coordinates": [[[108.35, 22.81], [108.36, 22.81]]] }),
        );
        let e = err(&collection(vec![few]));
        assert!(
            e.starts_with(
                "feature 0 (code QX-02): ring 0 (outer): a ring needs at least 3 distinct points"
            ),
            "{e}"
        );

        let swapped = grid_json(
            "QX-03",
            json!({ "type": "Polygon", "coordinates":
            [[[22.81, 108.35], [22.81, 108.37], [22.83, 108.37]]] }),
        );
        let e = err(&collection(vec![nanning_square("A"), swapped]));
        assert!(
            e.starts_with(
                "feature 1 (code QX-03): ring 0 (outer), position 0: latitude 108.35 is outside"
            ),
            "{e}"
        );

        let e = err(&collection(vec![
            nanning_square("QX-01"),
            nanning_square("QX-02"),
            nanning_square("QX-01"),
        ]));
        assert_eq!(
            e,
            "feature 2 (code QX-01): the code is already used by feature 0"
        );

        let mut no_code = nanning_square("x");
        no_code["properties"]
            .as_object_mut()
            .unwrap()
            .remove("code");
        assert_eq!(
            err(&collection(vec![no_code])),
            "feature 0: properties.code is missing"
        );

        let e = err(&collection(vec![nanning_square("QX 01")]));
        assert!(
            e.starts_with("feature 0: properties.code \"QX 01\" contains ' '"),
            "{e}"
        );
        let e = err(&collection(vec![nanning_square(&"Q".repeat(41))]));
        assert!(e.contains("1 to 40 characters, found 41"), "{e}");

        let mut nameless = nanning_square("QX-04");
        nameless["properties"] = json!({ "code": "QX-04", "name_en": "Only English" });
        assert!(err(&collection(vec![nameless])).contains("(code QX-04): has no name"));

        let mut bad_dept = nanning_square("QX-05");
        bad_dept["properties"]["department"] = json!(7);
        let e = err(&collection(vec![bad_dept]));
        assert!(e.contains("properties.department must be a string"), "{e}");

        let mut no_geometry = nanning_square("QX-06");
        no_geometry["geometry"] = Value::Null;
        assert_eq!(
            err(&collection(vec![no_geometry])),
            "feature 0 (code QX-06): has no geometry"
        );

        assert!(err(&collection(vec![json!(42)])).starts_with("feature 0: is a number"));
        assert!(err(&collection(vec![])).contains("no features"));
        assert!(err("{\"type\": \"Polygon\", \"coordinates\": []}").contains("found type Polygon"));
        assert!(err("[]").contains("FeatureCollection or Feature"));
    }

    #[test]
    fn single_feature_upload() {
        let grids = parse_grids(&nanning_square("QX-01").to_string()).unwrap();
        assert_eq!(grids.len(), 1);
        assert!(grids[0].area.contains(pt(22.82, 108.36)));
    }

    #[test]
    fn upload_limits() {
        let many: Vec<Value> = (0..=MAX_FEATURES)
            .map(|i| nanning_square(&format!("G{i}")))
            .collect();
        assert_eq!(
            parse_grids(&collection(many)).unwrap_err(),
            GeoError::TooManyFeatures {
                count: MAX_FEATURES + 1,
                max: MAX_FEATURES
            }
        );
        // A circle-like ring with too many vertices.
        let n = MAX_POSITIONS;
        let ring: Vec<Value> = (0..n)
            .map(|i| {
                let t = i as f64 / n as f64 * std::f64::consts::TAU;
                json!([108.37 + 0.01 * t.cos(), 22.82 + 0.01 * t.sin()])
            })
            .collect();
        let big = grid_json("BIG", json!({ "type": "Polygon", "coordinates": [ring] }));
        let e = parse_grids(&collection(vec![nanning_square("A"), big])).unwrap_err();
        assert_eq!(
            e,
            GeoError::TooManyPositions {
                count: n + 5,
                max: MAX_POSITIONS
            }
        );
        assert!(e
            .to_string()
            .starts_with("too many positions: 100005 in total"));
    }
}

//! Hostile input, generated: the parsers that read what strangers send (markdown, photos,
//! grid GeoJSON, Open311 request lists, the category form's extra fields) are fed random
//! and half-valid input. None may panic; each either refuses with a reason or gives a
//! result that keeps its promises (no script in the HTML, a clean JPEG out, bounded lists).

#![cfg(feature = "server")]

use chrono::{TimeZone, Utc};
use gongzhi_domain::deliberation::markdown;
use gongzhi_domain::error::Problems;
use gongzhi_domain::model::catalog::AttributeRow;
use gongzhi_domain::{categories, geo, open311, photos};
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Failures are reported with their input; nothing is written next to the sources.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- markdown --------------------------------------------------------------------------

/// Pieces of markdown and HTML an attacker (or a clumsy paste) might combine.
fn hostile_markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("[a](javascript:alert(1))".to_string()),
        Just("[a](JaVaScRiPt&#58;alert(1))".to_string()),
        Just("![i](data:text/html,<script>1</script>)".to_string()),
        Just("<a href=\"javascript:x\" onclick=\"y\">".to_string()),
        Just("<iframe src=//evil>".to_string()),
        Just("<style>*{}</style>".to_string()),
        Just("<svg/onload=alert(1)>".to_string()),
        Just("[x](http://ok.example \"t\")".to_string()),
        Just("<http://auto.example>".to_string()),
        Just("`code <b>`".to_string()),
        Just("```\n<script>\n```".to_string()),
        Just("**".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("# ".to_string()),
        Just("\n\n".to_string()),
        Just("&lt;script&gt;".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        "[a-z 中文]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// Every real tag of `html` (text's `<` is escaped by the sanitizer), with quoted attribute
/// values kept whole even when they hold a `>`.
fn tags_of(html: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '<' {
            continue;
        }
        let mut tag = String::new();
        let mut quote: Option<char> = None;
        for c in chars.by_ref() {
            match (quote, c) {
                (None, '>') => break,
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), _) if c == q => quote = None,
                _ => {}
            }
            tag.push(c);
        }
        tags.push(tag);
    }
    tags
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn markdown_never_lets_script_through(source in hostile_markdown()) {
        let html = markdown::render(&source);
        for tag in tags_of(&html) {
            let name = tag
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or_default()
                .to_lowercase();
            prop_assert!(
                ["p", "br", "em", "strong", "del", "a", "ul", "ol", "li", "blockquote", "code",
                 "pre", "h3", "h4", "h5", "h6", "hr"].contains(&name.as_str()),
                "the tag <{}> from {:?}", tag, source
            );
            let lower = tag.to_lowercase();
            for bad in ["javascript:", "vbscript:", "data:", " on", "style=", "src="] {
                prop_assert!(!lower.contains(bad), "<{}> from {:?}", tag, source);
            }
            if let Some(href) = lower.split("href=\"").nth(1) {
                prop_assert!(
                    ["http://", "https://", "mailto:"].iter().any(|s| href.starts_with(s))
                        || !href.contains(':'),
                    "the link <{}> from {:?}", tag, source
                );
            }
        }
        // Bounded: markdown cannot blow a comment up without limit.
        prop_assert!(html.len() <= 64 + source.len() * 16, "{} bytes from {}", html.len(), source.len());
    }
}

// ---- photos ----------------------------------------------------------------------------

/// A small real image in each accepted format.
fn samples() -> Vec<Vec<u8>> {
    let img =
        image::RgbImage::from_fn(24, 16, |x, y| image::Rgb([x as u8 * 10, y as u8 * 15, 128]));
    let mut out = Vec::new();
    for format in [
        image::ImageFormat::Png,
        image::ImageFormat::Jpeg,
        image::ImageFormat::WebP,
    ] {
        let mut buf = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img.clone())
            .write_to(&mut buf, format)
            .expect("encode sample");
        out.push(buf.into_inner());
    }
    out
}

/// A PNG whose header promises `width` × `height` pixels, with a tiny body.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend([0, 0, 0, 0]); // a wrong CRC: the decoder must cope with that too
    png.extend(b"\0\0\0\0IEND\xaeB`\x82");
    png
}

proptest! {
    #![proptest_config(config(96))]

    /// Real images with bytes flipped, cut short or padded: refused or turned into a clean
    /// JPEG, never a panic.
    #[test]
    fn damaged_photos_are_refused_or_cleaned(
        which in 0usize..3,
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
        cut in prop::option::of(any::<prop::sample::Index>()),
        pad in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = samples().swap_remove(which);
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if let Some(at) = cut {
            bytes.truncate(at.index(bytes.len()).max(1));
        }
        bytes.extend(pad);
        if let Ok(done) = photos::process(&bytes, photos::DEFAULT_MAX_BYTES) {
            prop_assert!(done.display.starts_with(&[0xFF, 0xD8, 0xFF]));
            prop_assert!(done.thumb.starts_with(&[0xFF, 0xD8, 0xFF]));
            prop_assert!(done.display_width <= photos::DISPLAY_MAX_SIDE);
            prop_assert!(done.thumb_width <= photos::THUMB_MAX_SIDE);
        }
    }

    /// Random bytes behind each format's magic number.
    #[test]
    fn random_bytes_behind_a_magic_number_are_refused(
        magic in prop_oneof![
            Just(b"\xFF\xD8\xFF".to_vec()),
            Just(b"\x89PNG\r\n\x1a\n".to_vec()),
            Just(b"RIFF\0\0\0\0WEBPVP8 ".to_vec()),
            Just(b"GIF89a".to_vec()),
            Just(Vec::new()),
        ],
        rest in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = magic;
        bytes.extend(rest);
        // Random bytes are never a valid image; the point is the refusal without a panic.
        prop_assert!(photos::process(&bytes, photos::DEFAULT_MAX_BYTES).is_err());
    }

    /// A header promising more pixels than allowed is refused before anything is decoded.
    #[test]
    fn decompression_bombs_are_refused_by_their_header(width in 1u32..=u32::MAX, height in 1u32..=u32::MAX) {
        prop_assume!(u64::from(width) * u64::from(height) > photos::MAX_PIXELS);
        prop_assert!(photos::process(&png_claiming(width, height), photos::DEFAULT_MAX_BYTES).is_err());
    }
}

// ---- grid GeoJSON ----------------------------------------------------------------------

/// JSON values of any shape, with GeoJSON's words and numbers in them.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{json, Value};
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-400.0f64..400.0).prop_map(|f| json!(f)),
        any::<i64>().prop_map(|i| json!(i)),
        Just(json!(1e308)),
        prop_oneof![
            Just("FeatureCollection"),
            Just("Feature"),
            Just("Polygon"),
            Just("MultiPolygon"),
            Just("Point"),
            Just("code"),
            Just(""),
            Just("网格"),
        ]
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(6, 256, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("type".to_string()),
                        Just("features".to_string()),
                        Just("geometry".to_string()),
                        Just("coordinates".to_string()),
                        Just("properties".to_string()),
                        Just("code".to_string()),
                        Just("name_zh".to_string()),
                        Just("department".to_string()),
                        "[a-z]{1,6}",
                    ],
                    inner,
                ),
                0..6,
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A FeatureCollection of polygons with random rings (too short, open, crossing, huge).
fn grid_document() -> impl Strategy<Value = String> {
    let ring = prop::collection::vec((-200.0f64..200.0, -100.0f64..100.0), 0..12);
    let feature = (
        "[a-z0-9-]{0,8}",
        prop::collection::vec(ring, 0..3),
        any::<bool>(),
    )
        .prop_map(|(code, rings, multi)| {
            let coords: Vec<Vec<[f64; 2]>> = rings
                .into_iter()
                .map(|r| r.into_iter().map(|(x, y)| [x, y]).collect())
                .collect();
            let geometry = if multi {
                serde_json::json!({"type": "MultiPolygon", "coordinates": [coords]})
            } else {
                serde_json::json!({"type": "Polygon", "coordinates": coords})
            };
            serde_json::json!({"type": "Feature", "properties": {"code": code, "name_zh": "网格"}, "geometry": geometry})
        });
    prop::collection::vec(feature, 0..6).prop_map(|features| {
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
    })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn grid_geojson_of_any_shape_is_read_or_refused(doc in json_value()) {
        let _ = geo::parse_grids(&doc.to_string());
    }

    #[test]
    fn grid_polygons_that_load_are_whole(doc in grid_document()) {
        if let Ok(features) = geo::parse_grids(&doc) {
            for f in &features {
                prop_assert!(!f.code.is_empty());
                // A loaded area answers point-in-polygon questions without panicking.
                let _ = f.area.contains(geo::Point::new(22.8, 108.3).expect("a point"));
            }
        }
    }

    #[test]
    fn any_text_is_not_grid_geojson_or_is_read(text in any::<String>()) {
        let _ = geo::parse_grids(&text);
    }
}

// ---- Open311 request lists -------------------------------------------------------------

fn open311_params() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        Just("service_request_id"),
        Just("service_code"),
        Just("start_date"),
        Just("end_date"),
        Just("status"),
        Just("page"),
        Just("page_size"),
        Just("jurisdiction_id"),
        Just("x"),
    ]
    .prop_map(String::from);
    let value = prop_oneof![
        any::<String>(),
        "[0-9,]{0,40}",
        any::<i64>().prop_map(|i| i.to_string()),
        Just("2026-02-30T25:61:00+08:00".to_string()),
        Just("2026-01-01T00:00:00Z".to_string()),
        Just("2025-01-01".to_string()),
        Just("open,closed,unknown".to_string()),
        Just("99999999999999999999999".to_string()),
    ];
    prop::collection::vec((name, value), 0..10)
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn open311_request_queries_are_read_or_refused(params in open311_params(), offset in -720i32..=840) {
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 8, 0, 0).unwrap();
        if let Ok(q) = open311::parse_request_query(&params, now, offset) {
            // What is accepted is bounded: a span of at most 90 days, a sane page.
            prop_assert!(q.end >= q.start);
            prop_assert!(q.end - q.start <= chrono::Duration::days(open311::SPAN_MAX_DAYS));
            prop_assert!((1..=open311::PAGE_SIZE_MAX).contains(&q.page_size), "page_size {}", q.page_size);
            prop_assert!(q.page >= 1);
            prop_assert!(q.ids.as_ref().is_none_or(|ids| ids.len() <= open311::PAGE_SIZE_MAX as usize));
        }
    }

    #[test]
    fn open311_times_are_read_or_refused(text in any::<String>(), offset in -720i32..=840) {
        let _ = open311::parse_time(&text, offset);
    }
}

// ---- the category form's extra fields ---------------------------------------------------

fn attribute_row() -> impl Strategy<Value = AttributeRow> {
    (
        prop_oneof!["[a-z_]{1,8}", any::<String>()],
        prop_oneof![
            Just("singlevaluelist".to_string()),
            Just("number".to_string()),
            any::<String>()
        ],
        any::<bool>(),
        any::<String>(),
        any::<String>(),
        prop_oneof![
            Just(String::new()),
            any::<i64>().prop_map(|i| i.to_string()),
            any::<String>()
        ],
        prop_oneof![
            "([a-z]{1,4} ?[|｜] ?[a-z]{0,3} ?[|｜] ?[a-z]{0,3}\n){0,4}",
            any::<String>()
        ],
        any::<bool>(),
    )
        .prop_map(
            |(code, datatype, required, zh, en, order, choices, remove)| AttributeRow {
                code,
                datatype,
                required: required.then(|| "on".into()),
                description_zh: zh,
                description_en: en,
                order,
                choices,
                remove: remove.then(|| "on".into()),
            },
        )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn extra_field_rows_are_checked_with_named_problems(rows in prop::collection::vec(attribute_row(), 0..24)) {
        let mut problems = Problems::default();
        let attrs = categories::parse_attribute_rows(&rows, &mut problems);
        for p in &problems.0 {
            prop_assert!(p.field.starts_with("attributes"), "{}", p.field);
        }
        if problems.0.is_empty() {
            // What is saved reads back as the same fields.
            let again: Vec<AttributeRow> = attrs.iter().map(AttributeRow::from).collect();
            let mut more = Problems::default();
            prop_assert_eq!(categories::parse_attribute_rows(&again, &mut more), attrs);
            prop_assert!(more.0.is_empty());
        }
    }
}

/// Polyglots: an image that is also HTML, a ZIP or a script (a payload in a text chunk,
/// a comment or after the end) is accepted only as the pixels it draws: the stored files
/// are new JPEGs, and nothing of the payload survives.
#[test]
fn polyglot_images_keep_only_their_pixels() {
    let payload: &[u8] = b"<html><script>alert(document.cookie)</script></html>PK\x03\x04zip-entry";
    let [png, jpeg, webp] = <[Vec<u8>; 3]>::try_from(samples()).expect("three samples");
    // A PNG with the payload in a tEXt chunk before IEND, and again after IEND.
    let iend = png.len() - 12;
    let mut chunk = (payload.len() as u32 + 8).to_be_bytes().to_vec();
    chunk.extend(b"tEXtComment\0");
    chunk.extend(payload);
    chunk.extend([0, 0, 0, 0]);
    let mut png_poly = png[..iend].to_vec();
    png_poly.extend(&chunk);
    png_poly.extend(&png[iend..]);
    png_poly.extend(payload);
    // A JPEG with the payload in a COM segment after SOI, and a ZIP after EOI.
    let mut jpeg_poly = jpeg[..2].to_vec();
    jpeg_poly.extend([0xFF, 0xFE]);
    jpeg_poly.extend(((payload.len() + 2) as u16).to_be_bytes());
    jpeg_poly.extend(payload);
    jpeg_poly.extend(&jpeg[2..]);
    jpeg_poly.extend(payload);
    // A WebP with the payload after the RIFF container.
    let mut webp_poly = webp.clone();
    webp_poly.extend(payload);
    let mut accepted = Vec::new();
    for (name, bytes) in [("png", png_poly), ("jpeg", jpeg_poly), ("webp", webp_poly)] {
        let Ok(done) = photos::process(&bytes, photos::DEFAULT_MAX_BYTES) else {
            continue; // refused outright is fine too
        };
        accepted.push(name);
        for out in [&done.display, &done.thumb] {
            assert!(out.starts_with(&[0xFF, 0xD8, 0xFF]), "{name}: a new JPEG");
            for needle in [&b"<script"[..], b"PK\x03\x04", b"zip-entry"] {
                assert!(
                    !out.windows(needle.len()).any(|w| w == needle),
                    "{name}: the payload survived"
                );
            }
        }
    }
    // They draw real pictures, so (unlike random bytes) they are taken, cleaned.
    assert!(
        accepted.contains(&"png") && accepted.contains(&"jpeg"),
        "{accepted:?}"
    );
}

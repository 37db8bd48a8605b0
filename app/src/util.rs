//! Small helpers shared by pages.

use chrono::{DateTime, FixedOffset, Utc};

/// Percent-encodes a query value, so a search for "a&b" or "#1" survives in links.
pub fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Undoes [`query_escape`] (and `+` as a space, as forms send it).
pub fn query_unescape(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Minutes east of UTC when nothing says otherwise: China Standard Time.
pub const DEFAULT_OFFSET_MINUTES: i32 = 8 * 60;

/// The city's time, in which the pages show times: the server's configured offset
/// (`GONGZHI_UTC_OFFSET_MINUTES`, the one the phases and Open311 times use), which the
/// server also writes on `<html data-utc-offset>` for the browser, so a hydrated page
/// shows the same times as the server rendered.
fn city_offset() -> FixedOffset {
    FixedOffset::east_opt(offset_minutes() * 60)
        .or_else(|| FixedOffset::east_opt(DEFAULT_OFFSET_MINUTES * 60))
        .expect("a valid offset")
}

#[cfg(feature = "ssr")]
pub fn offset_minutes() -> i32 {
    leptos::prelude::use_context::<crate::state::AppState>()
        .map(|s| s.svc.reports.utc_offset_minutes)
        .unwrap_or(DEFAULT_OFFSET_MINUTES)
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub fn offset_minutes() -> i32 {
    static OFFSET: std::sync::OnceLock<i32> = std::sync::OnceLock::new();
    *OFFSET.get_or_init(|| {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("data-utc-offset"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_OFFSET_MINUTES)
    })
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
pub fn offset_minutes() -> i32 {
    DEFAULT_OFFSET_MINUTES
}

/// `2026-11-26` in the city's time (a date input's value).
pub fn local_date(t: DateTime<Utc>) -> String {
    t.with_timezone(&city_offset())
        .format("%Y-%m-%d")
        .to_string()
}

/// `2026-11-26 15:04` in the city's time.
pub fn local_datetime(t: DateTime<Utc>) -> String {
    t.with_timezone(&city_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_escaped() {
        assert_eq!(query_escape("a&b=c #1"), "a%26b%3Dc%20%231");
        assert_eq!(query_escape("王"), "%E7%8E%8B");
        for s in ["a&b=c #1", "王芳 <x@y.cn>", "100%", ""] {
            assert_eq!(query_unescape(&query_escape(s)), s);
        }
        assert_eq!(query_unescape("bad%zz%"), "bad%zz%");
    }

    #[test]
    fn times_show_in_china_time() {
        let t = DateTime::parse_from_rfc3339("2026-11-26T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(local_datetime(t), "2026-11-27 07:30");
    }
}

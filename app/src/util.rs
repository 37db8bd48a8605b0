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

/// China Standard Time, in which the pages show times.
fn city_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
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
    }

    #[test]
    fn times_show_in_china_time() {
        let t = DateTime::parse_from_rfc3339("2026-11-26T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(local_datetime(t), "2026-11-27 07:30");
    }
}

//! Reports of problems in public space: submitting one (with photos, anonymously if the
//! city allows), the public list and page, "me too" supports and follows, and timeline
//! updates that notify followers.

mod engage;
mod follow_up;
pub(crate) mod photos;
pub(crate) mod query;
pub mod search;
mod submit;
pub(crate) mod writer;

pub(crate) use engage::email_followers;
pub use engage::{
    add_update, follow, record_update, support, unfollow, unsupport, viewer, Update, UpdateBy,
    NOTE_MAX,
};
pub use follow_up::{follow_up, record_follow_up, FollowUp, Voice};
pub use photos::{pending_photos, photo_blob, sweep_pending, upload_photo, PhotoSize};
pub(crate) use query::like_pattern;
pub use query::{get, list, nearby, own_text, points, track, MapPoint, LIST_MAX, MAP_MAX};
pub use submit::{check, parse_point, submit, valid_token, Checked, NewReport, Reporter};
pub use writer::Filing;

/// The city's choices about reporting, from config.
#[derive(Clone, Debug)]
pub struct ReportSettings {
    /// Residents may report without an account (they get a tracking code).
    pub allow_anonymous: bool,
    /// How far around a new report open reports of the same category are offered as
    /// duplicates, in metres.
    pub duplicate_radius_m: f64,
    /// The largest photo accepted, in bytes.
    pub max_photo_bytes: usize,
    /// A place outside every grid goes to this grid (by code); `None` refuses it.
    pub default_grid: Option<String>,
    /// The city's offset from UTC, for date filters ("reports of 2026-11-20").
    pub utc_offset_minutes: i32,
    /// Working days to rectify (整改) what a poor rating sent back.
    pub rectify_days: i64,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            allow_anonymous: true,
            duplicate_radius_m: 50.0,
            max_photo_bytes: crate::photos::DEFAULT_MAX_BYTES,
            default_grid: None,
            utc_offset_minutes: 8 * 60,
            rectify_days: 15,
        }
    }
}

/// A tracking code's stored form (only the hash is kept).
fn tracking_hash(code: &str) -> String {
    crate::accounts::tokens::hash_token(&format!("track:{}", code.trim().to_uppercase()))
}

/// The tracking code of an anonymous report, derived from the form's one-time token so a
/// double submit shows the same code. The database keeps neither the token nor the code,
/// only their hashes.
fn tracking_code(submit_token: &str) -> String {
    let h = crate::accounts::tokens::hash_token(&format!("code:{submit_token}"));
    // 16 characters of Crockford base32 (80 bits), grouped for reading aloud.
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes: Vec<u8> = (0..10)
        .map(|i| u8::from_str_radix(&h[i * 2..i * 2 + 2], 16).unwrap_or(0))
        .collect();
    let mut bits: u128 = 0;
    for b in &bytes {
        bits = (bits << 8) | u128::from(*b);
    }
    let chars: String = (0..16)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect();
    format!(
        "{}-{}-{}-{}",
        &chars[0..4],
        &chars[4..8],
        &chars[8..12],
        &chars[12..16]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_codes_are_stable_readable_and_hashed_case_blind() {
        let a = tracking_code("token-a");
        assert_eq!(a, tracking_code("token-a"));
        assert_ne!(a, tracking_code("token-b"));
        assert_eq!(a.len(), 19);
        assert!(a
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase()));
        assert_eq!(tracking_hash(&a), tracking_hash(&a.to_lowercase()));
    }
}

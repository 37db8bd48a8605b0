//! Rendered Open311 request lists, reused while nothing they show has changed.
//!
//! `GET requests.json` is what other systems poll, often the same first page again and
//! again. Each request still asks the database one cheap question, the newest
//! `reports.updated_at` (an index lookup), and an answer rendered for the same query is
//! reused only while that is unchanged and the answer is younger than the configured age:
//! a new report, a change of status or a new public note moves `updated_at` and is seen
//! at once, on every instance sharing the database. What does not move it (a category or
//! department renamed, a report deleted) shows within that age. Each answer carries an
//! `ETag`, and a poller that sends it back in `If-None-Match` gets `304 Not Modified`.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;

/// At most this many distinct queries are kept (about 60 KB each for a page of 100).
const MAX_ENTRIES: usize = 128;

#[derive(Clone, Debug)]
struct Entry {
    version: Option<String>,
    made: Instant,
    body: Bytes,
    etag: String,
}

/// The cache of one server (tests run several in one process, each with its own).
#[derive(Clone, Debug)]
pub struct ListCache {
    entries: Arc<Mutex<HashMap<String, Entry>>>,
    max_age: Duration,
}

/// A rendered answer and its entity tag.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub body: Bytes,
    pub etag: String,
}

impl ListCache {
    /// A cache keeping answers at most `max_age`; zero turns it off.
    pub fn new(max_age: Duration) -> Self {
        ListCache {
            entries: Arc::default(),
            max_age,
        }
    }

    pub fn enabled(&self) -> bool {
        !self.max_age.is_zero()
    }

    /// The answer rendered for `key` from data at `version`, if still fresh.
    pub fn get(&self, key: &str, version: &Option<String>) -> Option<Rendered> {
        if !self.enabled() {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| &e.version == version && e.made.elapsed() < self.max_age)
            .map(|e| Rendered {
                body: e.body.clone(),
                etag: e.etag.clone(),
            })
    }

    /// Keeps an answer rendered from data at `version`; returns it with its tag.
    pub fn put(&self, key: String, version: Option<String>, body: Bytes) -> Rendered {
        let etag = etag(&body);
        let rendered = Rendered {
            body: body.clone(),
            etag: etag.clone(),
        };
        if self.enabled() {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
                // Stale ones go first; if all are fresh, start over (rare: many distinct
                // queries within one max age).
                let max_age = self.max_age;
                entries.retain(|_, e| e.made.elapsed() < max_age);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
            }
            entries.insert(
                key,
                Entry {
                    version,
                    made: Instant::now(),
                    body,
                    etag,
                },
            );
        }
        rendered
    }
}

/// A strong entity tag from the body's content.
pub fn etag(body: &[u8]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:016x}-{:x}\"", h.finish(), body.len())
}

/// Whether `If-None-Match` names `etag` (or is `*`).
pub fn matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_reused_only_for_the_same_data_and_while_fresh() {
        let cache = ListCache::new(Duration::from_millis(200));
        let v1 = Some("2026-11-26 10:00:00.123".to_string());
        let put = cache.put("q".into(), v1.clone(), Bytes::from_static(b"[1]"));
        let hit = cache.get("q", &v1).expect("fresh");
        assert_eq!(
            (hit.body.as_ref(), hit.etag.as_str()),
            (&b"[1]"[..], put.etag.as_str())
        );
        // The data changed: not reused.
        assert!(cache
            .get("q", &Some("2026-11-26 10:00:01".into()))
            .is_none());
        assert!(cache.get("other", &v1).is_none());
        std::thread::sleep(Duration::from_millis(250));
        assert!(cache.get("q", &v1).is_none(), "too old");
        // Off: never kept.
        let off = ListCache::new(Duration::ZERO);
        off.put("q".into(), v1.clone(), Bytes::from_static(b"[1]"));
        assert!(off.get("q", &v1).is_none());
    }

    #[test]
    fn it_stays_bounded() {
        let cache = ListCache::new(Duration::from_secs(60));
        for i in 0..(MAX_ENTRIES * 2) {
            cache.put(format!("q{i}"), None, Bytes::from_static(b"[]"));
        }
        assert!(cache.entries.lock().unwrap().len() <= MAX_ENTRIES);
    }

    #[test]
    fn tags_follow_the_content_and_if_none_match_is_read_as_sent() {
        let a = etag(b"[1]");
        assert_eq!(a, etag(b"[1]"));
        assert_ne!(a, etag(b"[2]"));
        assert!(matches(&a, &a));
        assert!(matches(&format!("\"x\", W/{a}"), &a));
        assert!(matches("*", &a));
        assert!(!matches("\"x\"", &a));
    }
}

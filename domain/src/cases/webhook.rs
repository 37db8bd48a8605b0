//! The signed webhook a case system may use to push updates instead of being polled
//! (`POST /hooks/case-updates`).
//!
//! The sender signs `"{timestamp}.{body}"` with HMAC-SHA256 under the shared secret and
//! sends `X-Gongzhi-Timestamp` (Unix seconds) and `X-Gongzhi-Signature: sha256=<hex>`. A
//! timestamp more than five minutes away is refused, so a captured request cannot be
//! replayed later; within the window a replay changes nothing, because each update is
//! recorded once by its `update_id` (the same key polling uses, so a pushed and a polled
//! copy of one update are one entry too).

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use super::open311::IncomingUpdate;
use crate::Services;

/// How far a signature's timestamp may be from our clock.
pub const WINDOW_SECONDS: i64 = 300;

/// Why a push was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// No secret is configured: the webhook is off.
    Off,
    /// Missing, stale or wrong signature (401).
    Unsigned(&'static str),
    /// The body is not a list of updates (400).
    Unreadable(String),
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Option<Hmac<Sha256>> {
    // HMAC accepts a key of any length, so this is never None in practice.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac)
}

/// The signature a sender computes (`sha256=<hex>`).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    mac(secret, timestamp, body)
        .map(|m| format!("sha256={}", hex::encode(m.finalize().into_bytes())))
        .unwrap_or_default()
}

/// Checks a push's signature and timestamp against `now` (Unix seconds).
pub fn verify(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), Refused> {
    if secret.is_empty() {
        return Err(Refused::Off);
    }
    let ts: i64 = timestamp
        .and_then(|t| t.trim().parse().ok())
        .ok_or(Refused::Unsigned(
            "X-Gongzhi-Timestamp is missing or not Unix seconds",
        ))?;
    if (now - ts).abs() > WINDOW_SECONDS {
        return Err(Refused::Unsigned(
            "X-Gongzhi-Timestamp is more than five minutes away",
        ));
    }
    let given = signature
        .and_then(|s| s.trim().strip_prefix("sha256="))
        .and_then(|h| hex::decode(h).ok())
        .ok_or(Refused::Unsigned(
            "X-Gongzhi-Signature is missing or not sha256=<hex>",
        ))?;
    // Constant-time comparison.
    mac(secret, ts, body)
        .ok_or(Refused::Off)?
        .verify_slice(&given)
        .map_err(|_| Refused::Unsigned("X-Gongzhi-Signature does not match the body"))
}

/// Reads the updates: a list, one update, or `{"service_request_updates": [...]}`.
pub fn parse(body: &[u8]) -> Result<Vec<IncomingUpdate>, Refused> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Body {
        List(Vec<IncomingUpdate>),
        Wrapped {
            service_request_updates: Vec<IncomingUpdate>,
        },
        One(IncomingUpdate),
    }
    match serde_json::from_slice::<Body>(body) {
        Ok(Body::List(l)) | Ok(Body::Wrapped { service_request_updates: l }) => Ok(l),
        Ok(Body::One(u)) => Ok(vec![u]),
        Err(e) => Err(Refused::Unreadable(format!(
            "the body is not GeoReport updates (update_id, service_request_id, status, description): {e}"
        ))),
    }
}

/// Records verified updates; returns how many became timeline entries and how many were
/// ignored (repeats, or requests that are not ours).
pub async fn receive(
    svc: &Services,
    updates: &[IncomingUpdate],
) -> Result<(usize, usize), crate::Error> {
    let mut applied = 0;
    for u in updates {
        let key = format!("u:{}", u.update_id);
        if super::apply(
            svc,
            &u.service_request_id,
            &key,
            &u.status,
            u.description.as_deref().unwrap_or(""),
            u.updated_datetime.as_deref(),
        )
        .await?
        {
            applied += 1;
        }
    }
    Ok((applied, updates.len() - applied))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_fresh_signature_over_this_body_passes() {
        let body = br#"[{"update_id":"1","service_request_id":"9","status":"closed"}]"#;
        let sig = sign("s3cret", 1_000, body);
        assert_eq!(
            verify("s3cret", Some("1000"), Some(&sig), body, 1_100),
            Ok(())
        );
        assert_eq!(
            verify("", Some("1000"), Some(&sig), body, 1_100),
            Err(Refused::Off)
        );
        assert!(matches!(
            verify("other", Some("1000"), Some(&sig), body, 1_100),
            Err(Refused::Unsigned(_))
        ));
        assert!(matches!(
            verify("s3cret", Some("1000"), Some(&sig), b"[]", 1_100),
            Err(Refused::Unsigned(_))
        ));
        assert!(matches!(
            verify("s3cret", Some("1001"), Some(&sig), body, 1_100),
            Err(Refused::Unsigned(_))
        ));
        assert!(matches!(
            verify("s3cret", Some("1000"), Some(&sig), body, 1_000 + 301),
            Err(Refused::Unsigned(_))
        ));
        assert!(matches!(
            verify("s3cret", None, Some(&sig), body, 1_000),
            Err(Refused::Unsigned(_))
        ));
        assert!(matches!(
            verify("s3cret", Some("1000"), Some("md5=00"), body, 1_000),
            Err(Refused::Unsigned(_))
        ));
    }

    #[test]
    fn bodies_come_as_lists_wrapped_lists_or_one_update() {
        assert_eq!(
            parse(br#"[{"update_id":1,"service_request_id":"9","status":"closed"}]"#)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            parse(br#"{"service_request_updates":[{"update_id":"a","service_request_id":9,"status":"fixed"}]}"#).unwrap()[0].service_request_id,
            "9"
        );
        assert_eq!(
            parse(
                br#"{"update_id":"b","service_request_id":"9","status":"open","description":"x"}"#
            )
            .unwrap()
            .len(),
            1
        );
        assert!(matches!(parse(b"not json"), Err(Refused::Unreadable(_))));
    }
}

//! `GET /live/{id}/events`: a live session's events as Server-Sent Events. A browser starts
//! after the last event its page showed (`?after=`) and, when its connection drops, the
//! browser reconnects with `Last-Event-ID` and gets every event it missed from the database
//! before the live ones. Streams end when the server stops.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::{self, Stream, StreamExt};
use gongzhi_app::state::AppState;
use gongzhi_domain::live::{self, Wire};
use gongzhi_domain::Services;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

/// Events read from the database in one go while catching up.
const CATCH_UP: i64 = 500;

#[derive(Deserialize)]
pub struct After {
    #[serde(default)]
    after: Option<i64>,
}

struct Follow {
    svc: Services,
    session: i64,
    last: i64,
    rx: tokio::sync::broadcast::Receiver<Arc<Wire>>,
    /// Events read from the database, waiting to be sent.
    pending: std::collections::VecDeque<Wire>,
    /// Read the database before listening (at the start, and after falling behind).
    catch_up: bool,
}

fn sse(w: &Wire) -> Event {
    Event::default()
        .id(w.id.to_string())
        .event("live")
        .data(w.json.clone())
}

pub async fn events(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<After>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, StatusCode> {
    let svc = state.svc.clone();
    match live::session(&svc, id).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::warn!(error = %e, "live session unreadable");
            return Err(StatusCode::SERVICE_UNAVAILABLE);
        }
    }
    // Where the browser is: the reconnect header wins over the page's starting point.
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(q.after)
        .unwrap_or(0)
        .max(0);
    // Listen first, then read what is already written: nothing falls between the two.
    let follow = Follow {
        rx: svc.live.subscribe(),
        svc: svc.clone(),
        session: id,
        last,
        pending: Default::default(),
        catch_up: true,
    };
    let closed = svc.live.closed();
    let stream = stream::unfold(follow, |mut f| async move {
        loop {
            if let Some(w) = f.pending.pop_front() {
                f.last = w.id;
                return Some((Ok(sse(&w)), f));
            }
            if f.catch_up {
                match live::events_since(&f.svc, f.session, f.last, CATCH_UP).await {
                    Ok(list) => {
                        f.catch_up = list.len() as i64 == CATCH_UP;
                        f.pending.extend(list);
                        continue;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "live catch-up failed");
                        return None;
                    }
                }
            }
            match f.rx.recv().await {
                Ok(w) if w.session_id == f.session && w.id > f.last => {
                    f.last = w.id;
                    return Some((Ok(sse(&w)), f));
                }
                Ok(_) => {}
                // Too slow for the channel: read what was missed from the database.
                Err(RecvError::Lagged(_)) => f.catch_up = true,
                Err(RecvError::Closed) => return None,
            }
        }
    })
    .take_until(closed);
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

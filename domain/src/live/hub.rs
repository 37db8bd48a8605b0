//! Fan-out of live events to the browsers connected to this instance. On SQLite (one
//! instance) a change is sent here after its transaction commits; on PostgreSQL the change's
//! transaction NOTIFYs every instance, and each instance's listener reads the event and
//! sends it here, so browsers connected to any instance hear of it once.

use std::sync::Arc;

use tokio::sync::{broadcast, watch};

/// One event, serialized once for every browser that gets it.
#[derive(Clone, Debug)]
pub struct Wire {
    pub session_id: i64,
    pub id: i64,
    /// The [`crate::model::live::LiveEvent`] as JSON.
    pub json: String,
}

/// Events waiting for a slow browser before it must catch up from the database.
const BACKLOG: usize = 4096;

/// This instance's live event fan-out.
#[derive(Clone, Debug)]
pub struct Hub {
    tx: broadcast::Sender<Arc<Wire>>,
    closing: Arc<watch::Sender<bool>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new()
    }
}

impl Hub {
    pub fn new() -> Hub {
        let (tx, _) = broadcast::channel(BACKLOG);
        let (closing, _) = watch::channel(false);
        Hub {
            tx,
            closing: Arc::new(closing),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Wire>> {
        self.tx.subscribe()
    }

    pub(crate) fn send(&self, wire: Wire) {
        // Nobody listening is fine.
        let _ = self.tx.send(Arc::new(wire));
    }

    /// Browsers connected now.
    pub fn listeners(&self) -> usize {
        self.tx.receiver_count()
    }

    /// Ends every stream (the server is stopping).
    pub fn close(&self) {
        let _ = self.closing.send(true);
    }

    /// Completes when the server stops.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.closing.subscribe();
        async move {
            while !*rx.borrow_and_update() {
                if rx.changed().await.is_err() {
                    return;
                }
            }
        }
    }
}

//! The catalogue as a new report needs it (categories by code, the grids' shapes ready for
//! point-in-polygon), kept in memory by each instance.
//!
//! Reading it from the database for every report cost two round trips and parsing every
//! candidate grid's GeoJSON again. The database keeps a version number that any change to a
//! category or a grid raises (triggers, migration 0025), so a report reads that one number
//! (with its form's state, in one statement) and uses the copy in memory when it is of that
//! version, or newer. A change made anywhere (an admin on another instance, a bulk load,
//! a department's retirement) is seen by the next report; nothing is ever stale.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::db::Db;
use crate::error::Error;
use crate::geo::Point;
use crate::grids::{self, Shaped};
use crate::model::catalog::{Category, Grid};
use crate::{categories, with_db};

/// One version of the catalogue.
#[derive(Debug)]
pub struct Snapshot {
    /// The version number read before this copy was (so the copy is that version or newer).
    version: i64,
    categories: HashMap<String, Category>,
    grids: Vec<Shaped>,
}

impl Snapshot {
    /// The category with this code, active or not.
    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.get(code)
    }

    /// The grid with this code.
    pub fn grid(&self, code: &str) -> Option<&Grid> {
        self.grids.iter().map(|s| &s.grid).find(|g| g.code == code)
    }

    /// The grid that contains `point`; where grids overlap, the smallest.
    pub fn locate(&self, point: Point) -> Option<&Grid> {
        grids::pick(&self.grids, point)
    }
}

/// This instance's copy of the catalogue, shared by its requests.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    current: Arc<RwLock<Option<Arc<Snapshot>>>>,
    /// One reload at a time: the requests that find the copy old wait for it.
    loading: Arc<tokio::sync::Mutex<()>>,
}

/// The SQL of the version number, to be read as a column of a larger statement.
pub(crate) const VERSION_SQL: &str = "(SELECT n FROM catalogue_version WHERE id = 1)";

impl Catalogue {
    /// The catalogue as it is now in the database.
    pub async fn current(&self, db: &Db) -> Result<Arc<Snapshot>, Error> {
        let sql = format!("SELECT {VERSION_SQL}");
        let version: i64 = with_db!(db, p => sqlx::query_scalar(&sql).fetch_one(p).await)?;
        self.at(db, version).await
    }

    /// The catalogue of `version` (read from the database just now) or newer.
    pub async fn at(&self, db: &Db, version: i64) -> Result<Arc<Snapshot>, Error> {
        if let Some(s) = self.cached(version) {
            return Ok(s);
        }
        let _one = self.loading.lock().await;
        if let Some(s) = self.cached(version) {
            return Ok(s);
        }
        // Read after `version` was: this copy is at least that version.
        let snapshot = Arc::new(Snapshot {
            version,
            categories: categories::by_codes(db).await?,
            grids: grids::all_shaped(db).await?,
        });
        tracing::debug!(version, "catalogue read");
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(snapshot.clone());
        Ok(snapshot)
    }

    fn cached(&self, version: i64) -> Option<Arc<Snapshot>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|s| s.version >= version)
            .cloned()
    }
}

//! Report text in the search index, behind the report writer (SQLite).
//!
//! A new report is noted in `reports_search_pending` by a trigger (migration 0026), and
//! its text is added to the FTS5 index here, many reports per transaction: FTS5 writes a
//! segment of its index in every transaction that adds text, which in the report writer's
//! small commits cost more than the rest of the report. Searches look at the waiting
//! reports as well (see `query::conditions`), so nothing is missing meanwhile.
//! PostgreSQL's trigram indexes buffer new entries themselves: nothing to do there.

use crate::db::{BeginWrite, Db};
use crate::error::Error;

/// Reports indexed per transaction: a few milliseconds of the write turn, so the report
/// writer waits little for it.
const CHUNK: i64 = 2_000;

/// Adds the text of every waiting report to the search index; returns how many.
pub async fn index_waiting(db: &Db) -> Result<usize, Error> {
    let Db::Sqlite(pool) = db else {
        return Ok(0);
    };
    let mut done = 0;
    loop {
        // Most of the time nothing waits: look before taking a write transaction.
        let any: Option<i64> =
            sqlx::query_scalar("SELECT report_id FROM reports_search_pending LIMIT 1")
                .fetch_optional(pool)
                .await?;
        if any.is_none() {
            return Ok(done);
        }
        let mut tx = pool.begin_write().await?;
        // The chunk: the oldest waiting reports, up to the last of them.
        let Some(last): Option<i64> = sqlx::query_scalar(
            "SELECT max(report_id) FROM \
             (SELECT report_id FROM reports_search_pending ORDER BY report_id LIMIT $1)",
        )
        .bind(CHUNK)
        .fetch_one(&mut *tx)
        .await?
        else {
            return Ok(done);
        };
        sqlx::query(
            "INSERT INTO reports_search (rowid, description, address) \
             SELECT id, description, address FROM reports WHERE id IN \
             (SELECT report_id FROM reports_search_pending WHERE report_id <= $1)",
        )
        .bind(last)
        .execute(&mut *tx)
        .await?;
        let n = sqlx::query("DELETE FROM reports_search_pending WHERE report_id <= $1")
            .bind(last)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        done += n as usize;
        if n < CHUNK as u64 {
            return Ok(done);
        }
    }
}

//! Synthetic data for benchmarks (`gongzhi seed-load`): many plausible reports spread over
//! the demo city's grids, categories and the past year, inserted in large batches; many
//! questions to its departments, most of them answered; and a proposal with a long
//! discussion.
//! They count as already passed to the case system. Never used for demo data; the values
//! are generated here, so they are written as SQL literals (no user input reaches this SQL).

use chrono::{Duration, SecondsFormat};
use rand::{Rng, SeedableRng};

use crate::db::BeginWrite;
use crate::error::Error;
use crate::geo::{Area, Point};
use crate::time::now;
use crate::{categories, grids, with_db, Services};

const STATUSES: &[&str] = &[
    "submitted",
    "accepted",
    "in_progress",
    "resolved",
    "closed",
    "closed",
    "closed",
    "rejected",
];
const PLACES: &[&str] = &[
    "民族大道",
    "新竹路",
    "朝阳路",
    "人民东路",
    "古城路",
    "东葛路",
    "青秀路",
    "民生路",
    "江南大道",
    "北湖路",
];
const PROBLEMS: &[&str] = &[
    "这里的问题已经持续好几天了，影响附近居民出行，希望尽快处理。",
    "晚上经过时发现的，存在安全隐患，请相关部门看一下。",
    "早上上班路上看到的，路过的人很多，麻烦尽快处理。",
];

/// Adds `n` reports (and their first timeline entry) to the demo catalogue and grids.
/// Returns how many were added.
pub async fn synthetic_reports(svc: &Services, n: usize) -> Result<usize, Error> {
    super::seed_catalog(svc).await?;
    let cats = categories::list(&svc.db, false).await?;
    let grid_list = grids::list(&svc.db).await?;
    let fc = grids::feature_collection(&svc.db).await?;
    let mut areas: Vec<(i64, Area)> = Vec::new();
    for f in fc["features"].as_array().into_iter().flatten() {
        let code = f["properties"]["code"].as_str().unwrap_or_default();
        if let (Some(g), Ok(a)) = (
            grid_list.iter().find(|g| g.code == code),
            Area::from_geojson(&f["geometry"]),
        ) {
            areas.push((g.id, a));
        }
    }
    let Some(extent) = grids::extent(&svc.db).await? else {
        return Err(Error::Internal("no grids to place reports in".into()));
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(311);
    let start = now() - Duration::days(365);
    let step_us = (365 * 24 * 3600 * 1_000_000i64) / n.max(1) as i64;
    // Unique per run, so the command can be run again on the same database.
    let token_base = now().timestamp_micros();
    let batch = 500;
    let mut done = 0;
    while done < n {
        let rows = batch.min(n - done);
        let mut reports = Vec::with_capacity(rows);
        for i in 0..rows {
            let k = done + i;
            let c = &cats[rng.gen_range(0..cats.len())];
            let p = Point {
                lat: rng.gen_range(extent.min_lat..extent.max_lat),
                lon: rng.gen_range(extent.min_lon..extent.max_lon),
            };
            let grid = areas
                .iter()
                .find(|(_, a)| a.contains(p))
                .map(|(id, _)| id.to_string())
                .unwrap_or_else(|| "NULL".into());
            let status = STATUSES[rng.gen_range(0..STATUSES.len())];
            let t = start + Duration::microseconds(step_us * k as i64);
            let ts = t.to_rfc3339_opts(SecondsFormat::AutoSi, false);
            let due = (t + Duration::hours(c.time_limit_hours))
                .to_rfc3339_opts(SecondsFormat::AutoSi, false);
            let closed = if matches!(status, "closed" | "rejected") {
                format!("'{due}'")
            } else {
                "NULL".into()
            };
            let place = PLACES[rng.gen_range(0..PLACES.len())];
            let description = format!(
                "{}{}号附近：{}",
                place,
                rng.gen_range(1..300),
                PROBLEMS[rng.gen_range(0..PROBLEMS.len())]
            );
            reports.push(format!(
                "({}, {grid}, {}, '{status}', '{description}', {}, {}, '{place}', '{{}}', NULL, FALSE, NULL, 'load-{token_base}-{k}', {}, '{due}', {closed}, '{ts}', '{ts}', 'sent', '{ts}')",
                c.id,
                c.department_id,
                p.lat,
                p.lon,
                rng.gen_range(0..4),
            ));
        }
        let sql = format!(
            "INSERT INTO reports (category_id, grid_id, department_id, status, description, lat, lon, address, attributes, \
             reporter_id, hide_name, tracking_hash, submit_token, support_count, due_at, closed_at, created_at, updated_at, \
             forward_state, sent_at) VALUES {}",
            reports.join(", ")
        );
        let events = "INSERT INTO report_events (report_id, kind, status, public, actor_role, note, at) \
             SELECT id, 'submitted', 'submitted', TRUE, 'resident', '', created_at FROM reports WHERE id > $1";
        with_db!(&svc.db, p => {
            let mut tx = p.begin_write().await?;
            let before: i64 = sqlx::query_scalar("SELECT COALESCE(max(id), 0) FROM reports").fetch_one(&mut *tx).await?;
            sqlx::query(&sql).execute(&mut *tx).await?;
            sqlx::query(events).bind(before).execute(&mut *tx).await?;
            tx.commit().await
        })?;
        done += rows;
    }
    Ok(done)
}

const ASKED: &[(&str, &str)] = &[
    (
        "小区旁的公交站什么时候恢复？",
        "站台拆除已经三个月了，请问什么时候恢复，期间在哪里候车？",
    ),
    (
        "老旧小区加装电梯的补贴怎么申请？",
        "我们单元想加装电梯，补贴标准和申请材料是什么？",
    ),
    (
        "夜市噪音扰民有人管吗？",
        "每天晚上十二点后仍然很吵，应该找哪个部门？",
    ),
    (
        "公园开放时间能否延长？",
        "夏天晚上散步的人多，公园九点就关门太早了。",
    ),
    (
        "垃圾分类的厨余垃圾桶多久清运一次？",
        "小区的厨余垃圾桶经常满溢，清运频次是怎么规定的？",
    ),
];
const ANSWERED: &str =
    "您好，您反映的问题已收悉。经核实，相关工作已列入本年度计划，预计下季度完成，期间请关注公告。";

/// Adds `n` published questions to the demo city's departments, spread over the past
/// year, about three in five with an answer. Returns how many were added.
pub async fn synthetic_questions(svc: &Services, n: usize) -> Result<usize, Error> {
    let departments = crate::departments::list(&svc.db).await?;
    if departments.is_empty() {
        return Err(Error::Internal(
            "no departments: run seed-demo first".into(),
        ));
    }
    let asker: Option<i64> = with_db!(&svc.db, p => {
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'resident@demo.gongzhi.org'")
            .fetch_optional(p)
            .await
    })?;
    let asker = asker.map_or_else(|| "NULL".to_string(), |id| id.to_string());
    let answer_html = crate::deliberation::markdown::render(ANSWERED);
    let mut rng = rand::rngs::StdRng::seed_from_u64(12345);
    let start = now() - Duration::days(365);
    let step_us = (365 * 24 * 3600 * 1_000_000i64) / n.max(1) as i64;
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::AutoSi, false);
    let mut done = 0;
    while done < n {
        let rows = 500.min(n - done);
        let mut questions = Vec::with_capacity(rows);
        for i in 0..rows {
            let k = done + i;
            let d = &departments[rng.gen_range(0..departments.len())];
            let (title, body) = ASKED[rng.gen_range(0..ASKED.len())];
            let t = start + Duration::microseconds(step_us * k as i64);
            let due = t + Duration::days(21);
            let answered = rng.gen_range(0..5) < 3;
            let (status, answered_at) = if answered {
                let a = stamp(t + Duration::hours(rng.gen_range(2..24 * 20)));
                ("answered", format!("'{a}'"))
            } else {
                ("open", "NULL".into())
            };
            questions.push(format!(
                "({asker}, {}, '{title}', '{body}（{k}）', '{status}', {}, '{ts}', '{due}', {answered_at}, {answered_at}, '{ts}', '{ts}')",
                d.id,
                rng.gen_range(0..30),
                ts = stamp(t),
                due = stamp(due),
            ));
        }
        let sql = format!(
            "INSERT INTO questions (asker_id, department_id, title, body, status, want_count, received_at, due_at, \
             first_answered_at, answered_at, created_at, updated_at) VALUES {}",
            questions.join(", ")
        );
        let answers = "INSERT INTO answers (question_id, department_id, body, body_html, received_at, due_at, created_at) \
             SELECT id, department_id, $2, $3, received_at, due_at, answered_at FROM questions \
             WHERE id > $1 AND status = 'answered'";
        with_db!(&svc.db, p => {
            let mut tx = p.begin_write().await?;
            let before: i64 = sqlx::query_scalar("SELECT COALESCE(max(id), 0) FROM questions").fetch_one(&mut *tx).await?;
            sqlx::query(&sql).execute(&mut *tx).await?;
            sqlx::query(answers).bind(before).bind(ANSWERED).bind(&answer_html).execute(&mut *tx).await?;
            tx.commit().await
        })?;
        done += rows;
    }
    analyze(svc).await?;
    Ok(done)
}

const ARGUMENTS: &[(&str, &str)] = &[
    ("for", "早市能方便上班族买菜，**支持**。"),
    ("for", "改造后通道更宽，老人推车也方便。"),
    ("against", "施工期间摊位搬到哪里？要先说清楚过渡安排。"),
    ("against", "租金如果上涨，菜价也会涨，**不赞成**现在就改。"),
    ("neutral", "建议先公布改造预算和工期，再讨论细节。"),
    (
        "neutral",
        "可以参考隔壁区的做法：[经验介绍](https://example.gov.cn/market)。",
    ),
];

/// A proposal with `n` comments in the demo city's first running process (run
/// `seed-demo` first), for the proposal page benchmark: threads of one to four comments
/// (replies nested to the deepest level), stances and "helpful" counts spread out over the
/// past weeks. Returns the proposal's id.
pub async fn synthetic_discussion(svc: &Services, n: usize) -> Result<i64, Error> {
    let t = now();
    let found: Option<(i64, i64)> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT x.id, u.id FROM processes x, users u WHERE x.proposals_at <= $1 AND x.decision_at > $1 \
             AND u.email = 'resident@demo.gongzhi.org' ORDER BY x.id LIMIT 1",
        )
        .bind(t)
        .fetch_optional(p)
        .await
    })?;
    let (process, author) =
        found.ok_or_else(|| Error::Internal("no running process: run seed-demo first".into()))?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let start = t - Duration::days(30);
    let step = Duration::seconds((30 * 24 * 3600 / n.max(1)) as i64);
    let rendered: Vec<(&str, String, String)> = ARGUMENTS
        .iter()
        .map(|(stance, body)| {
            (
                *stance,
                body.to_string(),
                crate::deliberation::markdown::render(body),
            )
        })
        .collect();
    let id: i64 = with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let proposal: i64 = sqlx::query_scalar(
            "INSERT INTO proposals (process_id, author_id, title, body, body_html, comment_count, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(process)
        .bind(author)
        .bind(format!("早市时段延长到上午 9 点（{n} 条讨论）"))
        .bind("上班族早上来不及买菜，建议早市延长到 9 点。")
        .bind("<p>上班族早上来不及买菜，建议早市延长到 9 点。</p>")
        .bind(n as i64)
        .bind(start)
        .fetch_one(&mut *tx)
        .await?;
        let mut k = 0usize;
        while k < n {
            let size = rng.gen_range(1..=4usize).min(n - k);
            let mut ids: Vec<i64> = Vec::with_capacity(size);
            for j in 0..size {
                let (stance, body, html) = &rendered[rng.gen_range(0..rendered.len())];
                // The first comment starts the thread; the second replies to it, the
                // rest to the one before (depth 3 at most, deeper replies join level 3).
                let (parent, root, depth) = match j {
                    0 => (None, None, 1i64),
                    1 => (Some(ids[0]), Some(ids[0]), 2),
                    _ => (Some(ids[1]), Some(ids[0]), 3),
                };
                let helpful = if j == 0 { rng.gen_range(0..40i64) } else { rng.gen_range(0..5i64) };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO comments (process_id, proposal_id, parent_id, root_id, depth, author_id, stance, body, body_html, \
                     helpful_count, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(process).bind(proposal).bind(parent).bind(root).bind(depth).bind(author)
                .bind(*stance).bind(body).bind(html).bind(helpful)
                .bind(start + step * (k + j) as i32)
                .fetch_one(&mut *tx)
                .await?;
                ids.push(id);
            }
            k += size;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(proposal)
    }.await)?;
    analyze(svc).await?;
    Ok(id)
}

/// Refreshes the planner's statistics after a bulk load, as a database that has been
/// running for a while has them (PostgreSQL's autovacuum would, a minute later).
async fn analyze(svc: &Services) -> Result<(), Error> {
    with_db!(&svc.db, p => {
        sqlx::query("ANALYZE").execute(p).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

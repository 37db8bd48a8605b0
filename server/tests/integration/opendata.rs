//! Open data and the consistency of published figures, on both backends: every dataset in
//! every format downloads, parses, and holds no personal data (names, emails, phones,
//! tracking codes, rating comments, private notes); bad parameters are refused naming
//! the field; and on the seeded demo city the results page, department pages, open data
//! and feeds agree.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::common::{account, new_client, user, TestApp};
use gongzhi_domain::model::opendata::Dataset;
use gongzhi_domain::model::Role;
use gongzhi_domain::ratings::{reports as rating, RatingInput};
use gongzhi_domain::reports::{NewReport, Reporter};
use gongzhi_domain::{stats, with_db, Services};
use serde_json::Value;

on_both_backends!(
    downloads_hold_no_personal_data,
    bad_download_parameters_name_their_field,
    figures_agree_everywhere,
);

static TOKENS: AtomicU32 = AtomicU32::new(0);

async fn submit(
    svc: &Services,
    me: Option<&gongzhi_domain::model::Me>,
    text: &str,
    hide: bool,
) -> (i64, Option<String>) {
    let done = gongzhi_domain::reports::submit(
        svc,
        Reporter {
            user: me,
            ip: "203.0.113.40",
            api_key: None,
        },
        NewReport {
            category: "graffiti".into(),
            lat: "22.8172".into(),
            lon: "108.3661".into(),
            description: text.into(),
            hide_name: hide,
            submit_token: format!(
                "opendata-token-{:08}-{:020}",
                std::process::id(),
                TOKENS.fetch_add(1, Ordering::SeqCst)
            ),
            ..Default::default()
        },
    )
    .await
    .expect("report");
    (done.id, done.tracking_code)
}

async fn close(svc: &Services, id: i64) {
    let t = chrono::Utc::now();
    with_db!(&svc.db, p => sqlx::query("UPDATE reports SET status = 'closed', closed_at = $1 WHERE id = $2")
        .bind(t).bind(id).execute(p).await.map(|r| r.rows_affected()))
    .unwrap();
}

fn rating_input(level: &str, comment: &str) -> RatingInput {
    RatingInput {
        level: level.into(),
        comment: comment.into(),
        ..Default::default()
    }
}

async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let res = new_client()
        .get(app.url(path))
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    let ctype = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, ctype, res.text().await.expect("body"))
}

/// Every dataset in every format, as text.
async fn every_download(app: &TestApp, query: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for d in Dataset::ALL {
        for f in d.formats() {
            let path = format!("/open-data/{}.{}{query}", d.name(), f.extension());
            let (status, ctype, body) = get(app, &path).await;
            assert_eq!(status, 200, "{path}: {body}");
            assert_eq!(ctype, f.content_type(), "{path}");
            match f.extension() {
                "csv" => {
                    let header = body
                        .trim_start_matches('\u{feff}')
                        .lines()
                        .next()
                        .unwrap_or("");
                    let names: Vec<&str> = d.fields().iter().map(|f| f.name).collect();
                    assert_eq!(header, names.join(","), "{path}");
                }
                _ => {
                    let v: Value =
                        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}"));
                    assert!(
                        v["licence"].as_str().is_some_and(|l| l.contains("CC BY")),
                        "{path}"
                    );
                    let list = if f.extension() == "geojson" {
                        &v["features"]
                    } else {
                        &v["data"]
                    };
                    assert!(list.is_array(), "{path}");
                }
            }
            out.push((path, body));
        }
    }
    out
}

async fn downloads_hold_no_personal_data(app: &TestApp) {
    let svc = app.demo().await;
    let resident = user(&svc, "隐私测试居民", Role::Resident, None).await;
    let shown = user(&svc, "公开署名居民", Role::Resident, None).await;
    let (hidden_id, _) = submit(&svc, Some(&resident), "桥墩上有涂鸦，隐藏姓名", true).await;
    let (shown_id, _) = submit(&svc, Some(&shown), "桥墩上有涂鸦，显示姓名", false).await;
    let (anon_id, code) = submit(&svc, None, "桥墩上有涂鸦，匿名反映", false).await;
    let code = code.expect("a tracking code");
    for id in [hidden_id, shown_id, anon_id] {
        close(&svc, id).await;
    }
    rating::rate(
        &svc,
        Some(&resident),
        None,
        hidden_id,
        rating_input("very_dissatisfied", "评价内容只给部门看"),
    )
    .await
    .unwrap();
    rating::rate(
        &svc,
        None,
        Some(&code),
        anon_id,
        rating_input("satisfied", "匿名评价的话"),
    )
    .await
    .unwrap();

    // What must never appear: every account's email and the names of these residents, the
    // tracking code and its hash, rating comments and the raters' keys.
    let mut secret: Vec<String> =
        with_db!(&svc.db, p => sqlx::query_scalar("SELECT email FROM users").fetch_all(p).await)
            .unwrap();
    secret.extend(["隐私测试居民".into(), "公开署名居民".into(), code.clone()]);
    let hashes: Vec<Option<String>> = with_db!(&svc.db, p => sqlx::query_scalar("SELECT tracking_hash FROM reports").fetch_all(p).await).unwrap();
    secret.extend(hashes.into_iter().flatten());
    let keys: Vec<String> = with_db!(&svc.db, p => sqlx::query_scalar("SELECT rater_key FROM ratings").fetch_all(p).await).unwrap();
    secret.extend(keys.into_iter().filter(|k| k.len() > 6));
    secret.extend(["评价内容只给部门看".into(), "匿名评价的话".into()]);
    assert!(secret.len() > 10);

    for query in ["", "?department=cgj", "?from=2000-01"] {
        for (path, body) in every_download(app, query).await {
            for s in &secret {
                assert!(!body.contains(s.as_str()), "{path} holds {s}");
            }
        }
    }
    // Not vacuous: the reports are there, with their public text; the ratings are counted.
    let (_, _, reports) = get(app, "/open-data/reports.json").await;
    let v: Value = serde_json::from_str(&reports).unwrap();
    let ids: BTreeSet<i64> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&hidden_id) && ids.contains(&anon_id));
    assert!(reports.contains("桥墩上有涂鸦，匿名反映"));
    let (_, _, geo) = get(app, "/open-data/reports.geojson").await;
    let g: Value = serde_json::from_str(&geo).unwrap();
    let f = &g["features"][0];
    assert_eq!(f["type"], "Feature");
    assert_eq!(f["geometry"]["type"], "Point");
    let (_, _, ratings) = get(app, "/open-data/ratings.json").await;
    let r: Value = serde_json::from_str(&ratings).unwrap();
    let total: i64 = r["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["subject"] == "report")
        .map(|x| x["total"].as_i64().unwrap())
        .sum();
    assert!(total >= 2, "{ratings}");
    // CSV: one line per report, and text that a spreadsheet would run is defused.
    let (_, _, csv) = get(app, "/open-data/reports.csv").await;
    assert_eq!(csv.lines().count(), ids.len() + 1);
}

async fn bad_download_parameters_name_their_field(app: &TestApp) {
    app.demo().await;
    for (path, field) in [
        ("/open-data/reports.csv?from=2026-13", "from"),
        ("/open-data/reports.csv?to=yesterday", "to"),
        ("/open-data/reports.json?from=2026-05&to=2026-01", "to"),
        ("/open-data/ratings.csv?department=nobody", "department"),
    ] {
        let (status, _, body) = get(app, path).await;
        assert_eq!(status, 400, "{path}");
        assert!(body.starts_with(&format!("{field}:")), "{path}: {body}");
    }
    for path in [
        "/open-data/questions.geojson",
        "/open-data/people.csv",
        "/open-data/reports.xlsx",
    ] {
        let (status, _, _) = get(app, path).await;
        assert_eq!(status, 404, "{path}");
    }
    // The schema page lists every field of every dataset, and the licence.
    let page = app.page(&new_client(), "/open-data", "zh-CN").await;
    for d in Dataset::ALL {
        for f in d.fields() {
            assert!(
                page.contains(&format!("<code>{}</code>", f.name)),
                "{}",
                f.name
            );
        }
    }
    assert!(page.contains("CC BY 4.0"));

    // The lists and the results page keep working with a bad filter: it is left out and
    // named at its field, with the reason.
    for (path, error, text, listed) in [
        (
            "/ask?asked_from=yesterday",
            "<code>asked_from</code>",
            "请输入日期",
            "href=\"/questions/",
        ),
        (
            "/ask?answered_from=2026-05-01&answered_to=2026-01-01",
            "<code>answered_to</code>",
            "结束日期不能早于开始日期",
            "href=\"/questions/",
        ),
        (
            "/reports?from=2026-02-30",
            "id=\"flt-from-error\"",
            "请输入日期",
            "href=\"/reports/",
        ),
        (
            "/reports?closed_from=2026-05-01&closed_to=2026-01-01",
            "id=\"flt-closed-to-error\"",
            "结束日期不能早于开始日期",
            "href=\"/reports/",
        ),
        (
            "/results?from=2026-13",
            "id=\"rs-from-error\"",
            "请输入月份",
            "id=\"fig-received\"",
        ),
        (
            "/results/ratings?level=great",
            "id=\"rl-level-error\"",
            "这个选项不可用",
            "id=\"list-count\"",
        ),
        (
            "/results/rectifications?to=soon",
            "id=\"rl-to-error\"",
            "请输入日期",
            "id=\"list-count\"",
        ),
        (
            "/results/rectifications?department=nobody",
            "id=\"rl-department-error\"",
            "没有这个部门",
            "id=\"list-count\"",
        ),
    ] {
        let html = app.page(&new_client(), path, "zh-CN").await;
        assert!(html.contains(error), "{path}: no {error}");
        assert!(html.contains(text), "{path}: no {text}");
        assert!(html.contains(listed), "{path}: nothing listed");
    }
}

/// The text of the first element after `marker` that holds only a number.
fn number_after(html: &str, marker: &str) -> i64 {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not on the page"));
    let rest = &html[start + marker.len()..];
    let mut n = String::new();
    let mut in_tag = false;
    for ch in rest.chars() {
        match ch {
            '<' => {
                in_tag = true;
                if !n.is_empty() {
                    break;
                }
            }
            '>' => in_tag = false,
            c if !in_tag && c.is_ascii_digit() => n.push(c),
            _ => {}
        }
    }
    n.parse()
        .unwrap_or_else(|_| panic!("no number after {marker}"))
}

async fn figures_agree_everywhere(app: &TestApp) {
    let svc = app.demo().await;
    // Some ratings on top of the demo city's reports and questions.
    let resident = user(&svc, "一致性测试居民", Role::Resident, None).await;
    for (i, level) in ["basic", "dissatisfied", "very_satisfied"]
        .iter()
        .enumerate()
    {
        let (id, _) = submit(
            &svc,
            Some(&resident),
            &format!("第{i}处涂鸦需要清理"),
            false,
        )
        .await;
        close(&svc, id).await;
        rating::rate(&svc, Some(&resident), None, id, rating_input(level, ""))
            .await
            .unwrap();
    }
    // A public question no department has yet: it counts city-wide only.
    gongzhi_domain::questions::ask(
        &svc,
        Some(&resident),
        gongzhi_domain::questions::QuestionInput {
            title: "谁负责河边步道的路灯维修？".into(),
            body: "不知道该问哪个部门，请帮忙转给负责的部门。".into(),
            department: "unsure".into(),
            ip: String::new(),
        },
    )
    .await
    .unwrap();
    let _ = account(&svc, "admin@demo.gongzhi.org").await;

    let all = stats::results(&svc, None, None).await.unwrap();
    let f = &all.figures;
    assert!(f.received > 3 && f.closed >= 3 && f.rated() >= 3, "{f:?}");

    // Open data: reports, the monthly results and the rating totals.
    let (_, _, body) = get(app, "/open-data/reports.json").await;
    let reports: Value = serde_json::from_str(&body).unwrap();
    let rows = reports["data"].as_array().unwrap();
    assert_eq!(rows.len() as i64, f.received);
    assert_eq!(
        rows.iter().filter(|r| r["status"] == "closed").count() as i64,
        f.closed
    );
    assert_eq!(
        rows.iter().filter(|r| r["closed_on_time"] == true).count() as i64,
        f.closed_on_time
    );

    let (_, _, body) = get(app, "/open-data/results.json").await;
    let results: Value = serde_json::from_str(&body).unwrap();
    let mut sums: BTreeMap<String, BTreeMap<&str, i64>> = BTreeMap::new();
    let keys = [
        "received",
        "closed",
        "closed_on_time",
        "rectifications_opened",
        "rectifications_done",
        "questions_asked",
        "questions_answered",
        "questions_answered_on_time",
    ];
    for row in results["data"].as_array().unwrap() {
        let d = row["department"].as_str().unwrap_or("").to_string();
        for k in keys {
            *sums.entry(d.clone()).or_default().entry(k).or_insert(0) += row[k].as_i64().unwrap();
        }
    }
    let total = |k: &str| {
        sums.values()
            .map(|m| m.get(k).copied().unwrap_or(0))
            .sum::<i64>()
    };
    assert_eq!(total("received"), f.received);
    assert_eq!(total("closed"), f.closed);
    assert_eq!(total("closed_on_time"), f.closed_on_time);
    assert_eq!(total("rectifications_opened"), f.rectifications_opened);
    assert_eq!(total("questions_asked"), f.asked);
    assert_eq!(total("questions_answered"), f.answered);
    assert_eq!(total("questions_answered_on_time"), f.answered_on_time);

    let (_, _, body) = get(app, "/open-data/ratings.json").await;
    let ratings: Value = serde_json::from_str(&body).unwrap();
    let rated: i64 = ratings["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["total"].as_i64().unwrap())
        .sum();
    assert_eq!(rated, f.rated());

    let departments = gongzhi_domain::departments::list(&svc.db).await.unwrap();
    for d in &departments {
        let fd = all
            .departments
            .iter()
            .find(|(id, _)| *id == d.id)
            .map(|(_, f)| f.clone())
            .unwrap_or_default();
        let s = sums.get(&d.code).cloned().unwrap_or_default();
        assert_eq!(
            s.get("received").copied().unwrap_or(0),
            fd.received,
            "{}",
            d.code
        );
        assert_eq!(
            s.get("questions_answered").copied().unwrap_or(0),
            fd.answered,
            "{}",
            d.code
        );
        // Open data for the department alone says the same.
        let (_, _, body) = get(
            app,
            &format!("/open-data/reports.json?department={}", d.code),
        )
        .await;
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            v["data"].as_array().unwrap().len() as i64,
            fd.received,
            "{}",
            d.code
        );
        // The department page: question figures and report figures.
        let q = gongzhi_domain::questions::figures::department(&svc, d.id)
            .await
            .unwrap();
        assert_eq!(
            (q.received, q.answered, q.answered_on_time),
            (fd.asked, fd.answered, fd.answered_on_time),
            "{}",
            d.code
        );
        let html = app
            .page(&new_client(), &format!("/departments/{}", d.code), "zh-CN")
            .await;
        assert_eq!(
            number_after(&html, "id=\"department-results\""),
            fd.received,
            "{}",
            d.code
        );
        // The results page for the department.
        let html = app
            .page(
                &new_client(),
                &format!("/results?period=all&department={}", d.code),
                "zh-CN",
            )
            .await;
        assert_eq!(
            number_after(&html, "<dt>受理</dt>"),
            fd.received,
            "{}",
            d.code
        );
        assert_eq!(
            number_after(&html, "<dt>结案</dt>"),
            fd.closed,
            "{}",
            d.code
        );
    }

    // The question lists the results page links to count what it counts: the last twelve
    // months' questions asked, and first answered, per department.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let month = gongzhi_domain::model::stats::Month::of(today);
    let period = gongzhi_domain::model::stats::Period::last_twelve(month);
    let this_month = stats::results(&svc, Some(period), None).await.unwrap();
    let mut asked_total = 0;
    for d in &departments {
        let fd = this_month
            .departments
            .iter()
            .find(|(id, _)| *id == d.id)
            .map(|(_, f)| f.clone())
            .unwrap_or_default();
        let list = |answered: bool| gongzhi_domain::model::question::Filter {
            department: Some(d.id),
            asked_from: (!answered).then(|| period.first_day()),
            asked_to: (!answered).then(|| period.last_day()),
            answered_from: answered.then(|| period.first_day()),
            answered_to: answered.then(|| period.last_day()),
            ..Default::default()
        };
        let asked = gongzhi_domain::questions::read::list(&svc, None, &list(false))
            .await
            .unwrap()
            .total;
        let answered = gongzhi_domain::questions::read::list(&svc, None, &list(true))
            .await
            .unwrap()
            .total;
        assert_eq!((asked, answered), (fd.asked, fd.answered), "{}", d.code);
        asked_total += asked;
    }
    assert!(asked_total > 0, "the demo city has questions");
    // City-wide, the list counts the question waiting to be routed too, as the figure does.
    let city = gongzhi_domain::model::question::Filter {
        asked_from: Some(period.first_day()),
        asked_to: Some(period.last_day()),
        ..Default::default()
    };
    let asked = gongzhi_domain::questions::read::list(&svc, None, &city)
        .await
        .unwrap()
        .total;
    assert_eq!(asked, this_month.figures.asked);
    assert_eq!(asked, asked_total + 1);

    // The ratings and rectifications behind the satisfaction and rectification figures,
    // for each department and the city.
    use gongzhi_domain::model::rating::Level;
    use gongzhi_domain::model::stats::{ItemRange, RatingFilter, RectFilter, RectState};
    let mut rated_somewhere = false;
    for department in departments.iter().map(|d| Some(d.id)).chain([None]) {
        let r = stats::results(&svc, Some(period), department)
            .await
            .unwrap();
        let range = ItemRange {
            from: Some(period.first_day()),
            to: Some(period.last_day()),
            department,
            page: 0,
        };
        let rated = |levels: Vec<Level>| {
            let filter = RatingFilter {
                range: range.clone(),
                subject: None,
                levels,
            };
            let svc = svc.clone();
            async move { stats::items::ratings(&svc, &filter).await.unwrap() }
        };
        let every = rated(Vec::new()).await;
        let good = rated(Level::ALL.into_iter().filter(|l| l.satisfied()).collect()).await;
        assert_eq!(
            (every.total, good.total),
            (r.figures.rated(), r.figures.satisfied()),
            "{department:?}"
        );
        assert_eq!(every.by_level, r.figures.ratings, "{department:?}");
        rated_somewhere |= every.total > 0;
        let rect = |by_done: bool| {
            let filter = RectFilter {
                range: range.clone(),
                by_done,
                state: RectState::Any,
            };
            let svc = svc.clone();
            async move { stats::items::rectifications(&svc, &filter).await.unwrap() }
        };
        let (opened, done) = (rect(false).await, rect(true).await);
        assert_eq!(
            opened.total, r.figures.rectifications_opened,
            "{department:?}"
        );
        assert_eq!(
            (done.total, done.done_on_time),
            (
                r.figures.rectifications_done,
                r.figures.rectifications_done_on_time
            ),
            "{department:?}"
        );
    }
    assert!(rated_somewhere);
    // The pages show the same totals.
    let html = app
        .page(&new_client(), "/results/ratings?department=cgj", "zh-CN")
        .await;
    let cgj = departments.iter().find(|d| d.code == "cgj").unwrap().id;
    let r = stats::results(&svc, None, Some(cgj)).await.unwrap();
    assert_eq!(number_after(&html, "id=\"list-count\""), r.figures.rated());
    let html = app
        .page(&new_client(), "/results/rectifications", "zh-CN")
        .await;
    assert_eq!(
        number_after(&html, "id=\"list-count\""),
        all.figures.rectifications_opened
    );

    // The city's results page.
    let html = app
        .page(&new_client(), "/results?period=all", "zh-CN")
        .await;
    assert_eq!(number_after(&html, "<dt>受理</dt>"), f.received);
    assert_eq!(number_after(&html, "<dt>结案</dt>"), f.closed);
    assert_eq!(number_after(&html, "<dt>问政</dt>"), f.asked);

    // Feeds: the newest reports, the same ones open data lists, for the city and a department.
    let newest = |rows: &[Value]| {
        let mut ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.truncate(50);
        ids
    };
    let feed_ids = |xml: &str| {
        xml.split("<entry>")
            .skip(1)
            .filter_map(|e| {
                let at = e.find("/reports/")? + "/reports/".len();
                e[at..]
                    .split(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse::<i64>()
                    .ok()
            })
            .collect::<Vec<i64>>()
    };
    let (_, _, xml) = get(app, "/feeds/reports.atom").await;
    assert_eq!(feed_ids(&xml), newest(rows));
    let (_, _, body) = get(app, "/open-data/reports.json?department=cgj").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    let (_, _, xml) = get(app, "/feeds/reports.atom?department=cgj").await;
    assert_eq!(feed_ids(&xml), newest(v["data"].as_array().unwrap()));
    assert!(!feed_ids(&xml).is_empty());
}

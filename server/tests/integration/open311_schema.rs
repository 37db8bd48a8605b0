//! Schema-driven: requests generated from the published OpenAPI description, valid and
//! invalid, sent to every Open311 operation in both formats, on both backends. No answer
//! may be a 5xx; every answer to a request the description allows has a status the
//! description lists for that operation, and its body is in the format asked for (JSON
//! errors as the spec's Error objects).

use crate::common::{new_client, TestApp};
use serde_json::Value;

on_both_backends!(generated_requests_to_every_operation_never_fail_the_server);

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &'a [String]) -> &'a str {
        &items[(self.next() % items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Values that break things: empty, signs, letters for numbers, huge, odd characters.
fn hostile() -> Vec<String> {
    [
        "",
        " ",
        "-1",
        "0",
        "abc",
        "1e9",
        "99999999999999999999999",
        "１２",
        "null",
        "true",
        "2026-13-45T99:99:99Z",
        "2026-02-30",
        "1,,2,",
        ",",
        "open,closed,open",
        "OPEN",
        "'; DROP TABLE reports; --",
        "<x>&amp;</x>",
        "\u{0000}",
        "\u{202e}反转",
        "../../etc/passwd",
        "%00",
        "\\",
        "\"",
        "🙂",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(["9".repeat(400), "a".repeat(5000)])
    .collect()
}

/// Values a careful client would send for each parameter.
fn valid(name: &str, ctx: &Ctx) -> Vec<String> {
    let now = chrono::Utc::now();
    let day = |d: i64| (now - chrono::Duration::days(d)).to_rfc3339();
    let v: Vec<String> = match name {
        "format" => vec!["json".into(), "xml".into()],
        "locale" => vec!["zh".into(), "en".into()],
        "jurisdiction_id" => vec!["gongzhi".into()],
        "service_code" => ctx.codes.clone(),
        "service_request_id" => ctx.ids.clone(),
        "token" => vec!["not-a-token".into()],
        "start_date" => vec![day(30), day(5)],
        "end_date" => vec![day(1), day(0)],
        "status" => vec!["open".into(), "closed".into(), "open,closed".into()],
        "page" => vec!["1".into(), "2".into()],
        "page_size" => vec!["1".into(), "50".into(), "1000".into()],
        "api_key" => vec![ctx.key.clone()],
        "lat" => vec!["22.8172".into()],
        "long" => vec!["108.3661".into()],
        "description" => vec!["人行道上的井盖松动，踩上去会响。".into()],
        "email" => vec!["resident@example.org".into()],
        "update_id" => vec![format!("u-{}", ctx.serial)],
        "updated_datetime" => vec![day(0)],
        "If-None-Match" => vec!["\"x\"".into()],
        _ => vec!["x".into()],
    };
    v
}

struct Ctx {
    codes: Vec<String>,
    ids: Vec<String>,
    key: String,
    serial: u64,
}

/// One operation of the description.
struct Operation {
    method: String,
    template: String,
    /// (name, where: path, query or header)
    params: Vec<(String, String)>,
    /// The fields of its form body.
    fields: Vec<String>,
    /// The statuses it documents.
    statuses: Vec<u16>,
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let params = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap_or_default().to_string(),
                        p["in"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();
            let fields = op["requestBody"]["content"]["application/x-www-form-urlencoded"]
                ["schema"]["properties"]
                .as_object()
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            let statuses = op["responses"]
                .as_object()
                .expect("responses")
                .keys()
                .filter_map(|k| k.parse().ok())
                .collect();
            out.push(Operation {
                method: method.clone(),
                template: path.clone(),
                params,
                fields,
                statuses,
            });
        }
    }
    out
}

async fn generated_requests_to_every_operation_never_fail_the_server(app: &TestApp) {
    gongzhi_domain::seed::seed_catalog(&app.services())
        .await
        .expect("catalogue");
    let admin = app.admin().await;
    let (status, issued, _) = app
        .call(&admin, "admin_issue_api_key", &[("name", "schema test")])
        .await;
    assert_eq!(status, 200, "{issued}");
    let key = issued["key"].as_str().expect("key").to_string();
    let client = new_client();
    let doc: Value = client
        .get(app.url("/open311/v2/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let services: Value = client
        .get(app.url("/open311/v2/services.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<String> = services
        .as_array()
        .expect("services")
        .iter()
        .filter_map(|s| s["service_code"].as_str().map(String::from))
        .collect();
    let mut ctx = Ctx {
        codes,
        ids: Vec::new(),
        key,
        serial: 0,
    };
    // One real request, so ids and updates have something to find.
    let created = client
        .post(app.url("/open311/v2/requests.json"))
        .form(&[
            ("api_key", ctx.key.as_str()),
            ("service_code", "graffiti"),
            ("lat", "22.8172"),
            ("long", "108.3661"),
            ("description", "生成请求测试的第一份报告。"),
        ])
        .send()
        .await
        .unwrap();
    let created: Value = created.json().await.unwrap();
    ctx.ids = vec![
        created[0]["service_request_id"]
            .as_str()
            .unwrap_or_else(|| panic!("created: {created}"))
            .to_string(),
        "1".into(),
    ];

    let ops = operations(&doc);
    assert_eq!(ops.len(), 9, "the description lists every operation");
    let bad = hostile();
    let mut rng = Rng(0x5eed_0311_2026_1206);
    let mut sent = 0;
    for Operation {
        method,
        template,
        params,
        fields,
        statuses,
    } in &ops
    {
        for round in 0..60 {
            ctx.serial += 1;
            // Each round: mostly valid values, some hostile ones, some left out.
            let mut allowed = true;
            let mut path = template.clone();
            let mut query = Vec::new();
            let mut headers = Vec::new();
            for (name, place) in params {
                match place.as_str() {
                    "path" => {
                        let v = choose(name, true, round, &mut rng, &ctx, &bad, &mut allowed)
                            .unwrap_or_default();
                        let v = if name == "format" && v.is_empty() {
                            "json".into()
                        } else {
                            v
                        };
                        let enc = gongzhi_app::util::query_escape(&v);
                        path = path.replace(&format!("{{{name}}}"), &enc);
                    }
                    "query" => {
                        if let Some(v) =
                            choose(name, false, round, &mut rng, &ctx, &bad, &mut allowed)
                        {
                            query.push((name.clone(), v));
                        }
                    }
                    "header" => {
                        if let Some(v) =
                            choose(name, false, round, &mut rng, &ctx, &bad, &mut allowed)
                        {
                            if v.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
                                headers.push((name.clone(), v));
                            }
                        }
                    }
                    _ => {}
                }
            }
            let mut form = Vec::new();
            for name in fields {
                let required = [
                    "api_key",
                    "service_code",
                    "service_request_id",
                    "update_id",
                    "status",
                ]
                .contains(&name.as_str());
                if name.starts_with("attribute[") {
                    if rng.chance(20) {
                        form.push(("attribute[nope]".to_string(), rng.pick(&bad).to_string()));
                    }
                    continue;
                }
                if name == "status" && !rng.chance(25) {
                    form.push((
                        name.clone(),
                        ["OPEN", "REOPEN", "CLOSED", "in_progress"][(rng.next() % 4) as usize]
                            .to_string(),
                    ));
                    continue;
                }
                let keep = required && !rng.chance(10);
                if let Some(v) = choose(name, keep, round, &mut rng, &ctx, &bad, &mut allowed) {
                    form.push((name.clone(), v));
                } else if required {
                    allowed = false;
                }
            }
            let url = app.url(&format!("/open311/v2{path}"));
            let mut req = match method.as_str() {
                "get" => client.get(&url).query(&query),
                "post" => client.post(&url).form(&form),
                other => panic!("unexpected method {other}"),
            };
            for (k, v) in &headers {
                req = req.header(k.as_str(), v.as_str());
            }
            let res = req
                .send()
                .await
                .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
            sent += 1;
            let status = res.status().as_u16();
            let kind = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let body = res.text().await.unwrap_or_default();
            let what = format!(
                "{method} {path} {query:?} {form:?} -> {status}: {}",
                &body.chars().take(300).collect::<String>()
            );
            assert!(status < 500, "a server error: {what}");
            let format_ok = path.ends_with(".json") || path.ends_with(".xml");
            if allowed && format_ok {
                assert!(
                    statuses.contains(&status),
                    "not a documented status: {what}"
                );
            }
            if status != 304 && format_ok {
                if path.ends_with(".json") {
                    assert!(kind.starts_with("application/json"), "{kind}: {what}");
                    let v: Value =
                        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {what}"));
                    if status >= 400 {
                        let e = &v[0];
                        assert!(
                            e["code"].is_u64() && e["description"].is_string(),
                            "an Error object: {what}"
                        );
                    }
                } else {
                    assert!(kind.contains("xml"), "{kind}: {what}");
                    assert!(body.starts_with("<?xml"), "{what}");
                }
            }
        }
    }
    assert_eq!(sent, ops.len() * 60, "{sent} requests");
    // The server is still well.
    let health = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}

/// A value for parameter `name`: left out now and then unless `required`, hostile now and
/// then after the first round (which marks the request as outside the description).
fn choose(
    name: &str,
    required: bool,
    round: usize,
    rng: &mut Rng,
    ctx: &Ctx,
    bad: &[String],
    allowed: &mut bool,
) -> Option<String> {
    if !required && rng.chance(30) {
        return None;
    }
    if round > 0 && rng.chance(25) {
        *allowed = false;
        return Some(rng.pick(bad).to_string());
    }
    let good = valid(name, ctx);
    Some(rng.pick(&good).to_string())
}

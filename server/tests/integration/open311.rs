//! Contract tests for the Open311 GeoReport v2 server, on both backends: every method in
//! JSON and XML, each error case with its status and body, and every answer's fields
//! checked against the OpenAPI document the server publishes.

use crate::common;

use std::collections::BTreeSet;

use crate::common::{new_client, Backend, TestApp};
use gongzhi_domain::with_db;
use serde_json::Value;

on_both_backends!(
    discovery_and_services_in_both_formats,
    service_definitions_and_unknown_services,
    posting_needs_a_live_key_and_names_bad_fields,
    a_posted_request_is_a_report_found_by_id_token_and_list,
    request_lists_filter_page_and_refuse_bad_dates,
    lists_show_every_change_at_once_and_answer_pollers_with_304,
);
on_both_backends_with!(updates_go_both_ways_once);

async fn catalog(app: &TestApp) {
    gongzhi_domain::seed::seed_catalog(&app.services())
        .await
        .expect("catalogue");
}

/// Issues an API key as an admin does, through the admin's server function.
async fn api_key(app: &TestApp, admin: &reqwest::Client, name: &str) -> String {
    let (status, body, _) = app
        .call(admin, "admin_issue_api_key", &[("name", name)])
        .await;
    assert_eq!(status, 200, "{body}");
    body["key"].as_str().expect("the new key").to_string()
}

/// The published OpenAPI document.
async fn spec(app: &TestApp) -> Value {
    let res = new_client()
        .get(app.url("/open311/v2/openapi.json"))
        .send()
        .await
        .expect("openapi");
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.expect("openapi is JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    doc
}

/// Checks that `item` has exactly the fields the spec's schema lists, every required one.
fn matches_schema(doc: &Value, schema: &str, item: &Value) {
    let s = &doc["components"]["schemas"][schema];
    let listed: BTreeSet<&str> = s["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("schema {schema} in the spec"))
        .keys()
        .map(String::as_str)
        .collect();
    let got: BTreeSet<&str> = item
        .as_object()
        .unwrap_or_else(|| panic!("{schema}: an object, got {item}"))
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(got, listed, "{schema}: fields differ from the spec");
    for r in s["required"].as_array().into_iter().flatten() {
        assert!(got.contains(r.as_str().unwrap()), "{schema}: {r} missing");
    }
}

async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let res = new_client()
        .get(app.url(path))
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, res.text().await.expect("body"))
}

async fn get_json(app: &TestApp, path: &str) -> (u16, Value) {
    let (status, kind, body) = get(app, path).await;
    assert!(kind.starts_with("application/json"), "{path}: {kind}");
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}")),
    )
}

async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    // A client from another site: Open311 posts are authenticated by key, not by origin.
    let res = new_client()
        .post(app.url(path))
        .header("origin", "https://other-app.example")
        .header("sec-fetch-site", "cross-site")
        .form(form)
        .send()
        .await
        .expect("post");
    (res.status().as_u16(), res.text().await.expect("body"))
}

async fn post_json(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let (status, body) = post(app, path, form).await;
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}")),
    )
}

/// An error answer: the status, and the list of `{code, description}` naming `needle`.
fn assert_error(status: u16, body: &Value, want: u16, needle: &str) {
    assert_eq!(status, want, "{body}");
    let first = &body[0];
    assert_eq!(first["code"], want, "{body}");
    let d = first["description"].as_str().unwrap_or("");
    assert!(d.contains(needle), "error should name {needle:?}: {d}");
}

fn assert_xml_error(status: u16, body: &str, want: u16, needle: &str) {
    assert_eq!(status, want, "{body}");
    assert!(
        body.starts_with("<?xml")
            && body.contains(&format!("<errors><error><code>{want}</code><description>")),
        "{body}"
    );
    assert!(body.contains(needle), "{body}");
}

async fn discovery_and_services_in_both_formats(app: &TestApp) {
    catalog(app).await;
    let doc = spec(app).await;
    let (status, d) = get_json(app, "/open311/v2/discovery.json").await;
    assert_eq!(status, 200);
    matches_schema(&doc, "Discovery", &d);
    let ep = &d["endpoints"][0];
    assert_eq!(ep["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert_eq!(ep["url"], format!("{}/open311/v2", app.base));
    assert_eq!(
        ep["formats"],
        serde_json::json!(["application/json", "text/xml"])
    );
    let (status, kind, xml) = get(app, "/open311/v2/discovery.xml").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/xml"), "{kind}");
    assert!(xml.contains("<discovery><changeset>"), "{xml}");
    assert!(
        xml.contains(
            "<formats><format>application/json</format><format>text/xml</format></formats>"
        ),
        "{xml}"
    );

    let (status, list) = get_json(app, "/open311/v2/services.json").await;
    assert_eq!(status, 200);
    let list = list.as_array().expect("a list");
    assert_eq!(list.len(), 10, "the demo catalogue");
    for s in list {
        matches_schema(&doc, "Service", s);
        assert_eq!(s["type"], "realtime");
    }
    let road = list
        .iter()
        .find(|s| s["service_code"] == "road_damage")
        .expect("road_damage");
    assert_eq!(road["service_name"], "道路破损");
    assert_eq!(road["metadata"], true);
    assert!(road["keywords"].as_str().unwrap().contains("pothole"));
    let graffiti = list
        .iter()
        .find(|s| s["service_code"] == "graffiti")
        .expect("graffiti");
    assert_eq!(graffiti["metadata"], false);
    // English by locale or Accept-Language.
    let (_, en) = get_json(app, "/open311/v2/services.json?locale=en").await;
    assert!(
        en.as_array()
            .unwrap()
            .iter()
            .any(|s| s["service_name"] == "Damaged road"),
        "{en}"
    );
    let (status, kind, xml) = get(app, "/open311/v2/services.xml").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/xml"));
    assert_eq!(xml.matches("<service>").count(), 10, "{xml}");
    assert!(xml.contains("<service_code>road_damage</service_code>"));
    // No suffix, or a method that does not exist.
    let (status, body) = get_json(app, "/open311/v2/services").await;
    assert_error(status, &body, 404, ".json or .xml");
    let (status, body) = get_json(app, "/open311/v2/nothing.json").await;
    assert_error(status, &body, 404, "nothing");
}

async fn service_definitions_and_unknown_services(app: &TestApp) {
    catalog(app).await;
    let doc = spec(app).await;
    let (status, def) = get_json(app, "/open311/v2/services/road_damage.json").await;
    assert_eq!(status, 200);
    assert!(def.is_object(), "a definition is an object, not a list");
    matches_schema(&doc, "ServiceDefinition", &def);
    let attrs = def["attributes"].as_array().unwrap();
    assert_eq!(attrs.len(), 2);
    let wh = &attrs[0];
    assert_eq!(
        (
            wh["code"].as_str(),
            wh["datatype"].as_str(),
            wh["required"].as_bool()
        ),
        (Some("where"), Some("singlevaluelist"), Some(true))
    );
    assert_eq!(wh["values"][0]["key"], "carriageway");
    assert_eq!(wh["values"][0]["name"], "车行道");
    assert_eq!(attrs[1]["datatype"], "number");
    assert_eq!(attrs[1]["order"], 2);
    let (_, kind, xml) = get(app, "/open311/v2/services/road_damage.xml?locale=en").await;
    assert!(kind.starts_with("text/xml"));
    assert!(xml.contains("<service_definition><service_code>road_damage</service_code><attributes><attribute><variable>true</variable><code>where</code>"), "{xml}");
    assert!(
        xml.contains("<values><value><key>carriageway</key><name>Carriageway</name></value>"),
        "{xml}"
    );

    let (status, body) = get_json(app, "/open311/v2/services/no_such.json").await;
    assert_error(status, &body, 404, "no_such");
    let (status, _, xml) = get(app, "/open311/v2/services/no_such.xml").await;
    assert_xml_error(status, &xml, 404, "no_such");
}

/// The fields of a good post for road_damage at 民族大道.
fn good(key: &str) -> Vec<(&str, &str)> {
    vec![
        ("api_key", key),
        ("service_code", "road_damage"),
        ("lat", "22.8172"),
        ("long", "108.3661"),
        ("description", "人行道地砖松动，有人绊倒"),
        ("attribute[where]", "pavement"),
        ("email", "private@example.org"),
        ("first_name", "秘密"),
        ("phone", "13800000000"),
    ]
}

async fn posting_needs_a_live_key_and_names_bad_fields(app: &TestApp) {
    catalog(app).await;
    let admin = app.admin().await;
    let key = api_key(app, &admin, "城管热线").await;
    let doc = spec(app).await;

    // Keys: missing, wrong, and (below) revoked.
    let mut no_key = good(&key);
    no_key.retain(|(k, _)| *k != "api_key");
    let (status, body) = post_json(app, "/open311/v2/requests.json", &no_key).await;
    assert_error(status, &body, 403, "api_key");
    let (status, body) = post_json(app, "/open311/v2/requests.json", &good("gz_not-a-key")).await;
    assert_error(status, &body, 403, "api_key");
    let (status, xml) = post(app, "/open311/v2/requests.xml", &good("gz_not-a-key")).await;
    assert_xml_error(status, &xml, 403, "api_key");

    // Each bad field is named.
    let with = |k: &'static str, v: &'static str| {
        let mut f = good(&key);
        f.retain(|(n, _)| *n != k);
        if !v.is_empty() {
            f.push((k, v));
        }
        f
    };
    let (status, body) = post_json(
        app,
        "/open311/v2/requests.json",
        &with("service_code", "no_such"),
    )
    .await;
    assert_error(status, &body, 400, "service_code");
    let (status, body) =
        post_json(app, "/open311/v2/requests.json", &with("service_code", "")).await;
    assert_error(status, &body, 400, "service_code");
    let mut nowhere = good(&key);
    nowhere.retain(|(n, _)| *n != "lat" && *n != "long");
    let (status, body) = post_json(app, "/open311/v2/requests.json", &nowhere).await;
    assert_error(status, &body, 400, "lat/long");
    let (status, body) = post_json(app, "/open311/v2/requests.json", &with("long", "")).await;
    assert_error(status, &body, 400, "long");
    let (status, body) = post_json(app, "/open311/v2/requests.json", &with("lat", "north")).await;
    assert_error(status, &body, 400, "lat/long");
    let (status, body) = post_json(
        app,
        "/open311/v2/requests.json",
        &with("attribute[where]", ""),
    )
    .await;
    assert_error(status, &body, 400, "attribute[where]");
    let (status, body) = post_json(
        app,
        "/open311/v2/requests.json",
        &with("description", "<b>hi</b> there"),
    )
    .await;
    assert_error(status, &body, 400, "description");
    let (status, xml) = post(
        app,
        "/open311/v2/requests.xml",
        &with("service_code", "no_such"),
    )
    .await;
    assert_xml_error(status, &xml, 400, "service_code");
    let n: i64 = with_db!(&app.db, p => sqlx::query_scalar("SELECT count(*) FROM reports").fetch_one(p).await).unwrap();
    assert_eq!(n, 0, "nothing filed by a bad post");

    // A typed address instead of coordinates is located by the gazetteer.
    let mut by_address = good(&key);
    by_address.retain(|(n, _)| *n != "lat" && *n != "long");
    by_address.push(("address_string", "民族大道 88 号"));
    let (status, created) = post_json(app, "/open311/v2/requests.json", &by_address).await;
    assert_eq!(status, 200, "{created}");
    matches_schema(&doc, "Created", &created[0]);

    // A revoked key stops at once.
    let keys: Vec<(i64,)> =
        with_db!(&app.db, p => sqlx::query_as("SELECT id FROM api_keys").fetch_all(p).await)
            .unwrap();
    let (status, body, _) = app
        .call(
            &admin,
            "admin_revoke_api_key",
            &[("id", &keys[0].0.to_string())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post_json(app, "/open311/v2/requests.json", &good(&key)).await;
    assert_error(status, &body, 403, "api_key");
    // Only admins issue keys.
    let resident = app
        .resident("r@example.org", "居民", "a long enough secret")
        .await;
    let (status, _, _) = app
        .call(&resident, "admin_issue_api_key", &[("name", "mine")])
        .await;
    assert_eq!(status, 403);
}

async fn a_posted_request_is_a_report_found_by_id_token_and_list(app: &TestApp) {
    catalog(app).await;
    let admin = app.admin().await;
    let key = api_key(app, &admin, "第三方应用").await;
    let doc = spec(app).await;
    let (status, created) = post_json(app, "/open311/v2/requests.json", &good(&key)).await;
    assert_eq!(status, 200, "{created}");
    let created = &created[0];
    matches_schema(&doc, "Created", created);
    let id = created["service_request_id"].as_str().unwrap().to_string();
    let token = created["token"].as_str().unwrap().to_string();

    // A real report, filed through the same service as the web form: timeline, job, key.
    let (status, api_key_id, forward): (String, Option<i64>, i64) = with_db!(&app.db, p => sqlx::query_as(
        "SELECT r.status, r.api_key_id, (SELECT count(*) FROM jobs j WHERE j.dedupe_key = 'forward_report:' || r.id) FROM reports r WHERE r.id = $1",
    ).bind(id.parse::<i64>().unwrap()).fetch_one(p).await).unwrap();
    assert_eq!(status, "submitted");
    assert!(api_key_id.is_some());
    assert_eq!(forward, 1, "a forward job was queued with the report");
    let page = app
        .page(&new_client(), &format!("/reports/{id}"), "zh-CN")
        .await;
    assert!(page.contains("人行道地砖松动"), "the public page shows it");

    // By id, in both formats; the reporter's details never leave.
    let (status, one) = get_json(app, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(status, 200);
    let r = &one.as_array().expect("a one-element list")[0];
    matches_schema(&doc, "ServiceRequest", r);
    assert_eq!(r["service_request_id"], id.as_str());
    assert_eq!(r["status"], "open");
    assert_eq!(r["service_code"], "road_damage");
    assert_eq!(r["service_name"], "道路破损");
    assert_eq!(r["lat"], 22.8172);
    assert_eq!(r["long"], 108.3661);
    assert!(
        r["requested_datetime"]
            .as_str()
            .unwrap()
            .ends_with("+08:00"),
        "{r}"
    );
    assert!(r["expected_datetime"].as_str().is_some());
    assert!(!r["agency_responsible"].as_str().unwrap().is_empty());
    let text = one.to_string();
    for private in ["private@example.org", "秘密", "13800000000"] {
        assert!(!text.contains(private), "{private} leaked: {text}");
    }
    let (status, _, xml) = get(app, &format!("/open311/v2/requests/{id}.xml")).await;
    assert_eq!(status, 200);
    assert!(xml.contains(&format!("<service_requests><request><service_request_id>{id}</service_request_id><status>open</status>")), "{xml}");
    assert!(xml.contains("<address_id/>"), "{xml}");
    let (status, body) = get_json(app, "/open311/v2/requests/999999.json").await;
    assert_error(status, &body, 404, "999999");
    let (status, _, xml) = get(app, "/open311/v2/requests/abc.xml").await;
    assert_xml_error(status, &xml, 404, "abc");

    // By token.
    let (status, t) = get_json(app, &format!("/open311/v2/tokens/{token}.json")).await;
    assert_eq!(status, 200);
    matches_schema(&doc, "Token", &t[0]);
    assert_eq!(t[0]["service_request_id"], id.as_str());
    let (status, _, xml) = get(app, &format!("/open311/v2/tokens/{token}.xml")).await;
    assert_eq!(status, 200);
    assert!(xml.contains(&format!("<service_request_id>{id}</service_request_id>")));
    let (status, body) = get_json(
        app,
        "/open311/v2/tokens/unknown-token-0000000000000000000000000000.json",
    )
    .await;
    assert_error(status, &body, 404, "token");

    // In the list.
    let (status, list) = get_json(app, "/open311/v2/requests.json").await;
    assert_eq!(status, 200);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["service_request_id"] == id.as_str()));

    // The same post with the client's reference twice is one request (a retry after a
    // timeout); without a reference, a second post is a second request.
    let mut with_ref = good(&key);
    with_ref.push(("attribute[gongzhi_ref]", "cityapp:77"));
    let (_, a) = post_json(app, "/open311/v2/requests.json", &with_ref).await;
    let (_, b) = post_json(app, "/open311/v2/requests.json", &with_ref).await;
    assert_eq!(
        a[0]["service_request_id"], b[0]["service_request_id"],
        "{a} {b}"
    );
    assert_ne!(a[0]["service_request_id"], created["service_request_id"]);
    let (status, xml) = post(app, "/open311/v2/requests.xml", &good(&key)).await;
    assert_eq!(status, 200, "{xml}");
    assert!(
        xml.contains("<service_requests><request><service_request_id>"),
        "{xml}"
    );
    let n: i64 = with_db!(&app.db, p => sqlx::query_scalar("SELECT count(*) FROM reports").fetch_one(p).await).unwrap();
    assert_eq!(n, 3);
    // The key's last use is stamped for the admin.
    let (status, keys, _) = app.call(&admin, "admin_api_keys", &[]).await;
    assert_eq!(status, 200, "{keys}");
    assert!(keys[0]["last_used_at"].is_string(), "{keys}");
    assert!(
        !keys.to_string().contains(&key),
        "the key itself is never shown again"
    );
}

async fn request_lists_filter_page_and_refuse_bad_dates(app: &TestApp) {
    catalog(app).await;
    let admin = app.admin().await;
    let key = api_key(app, &admin, "列表").await;
    let mut ids = Vec::new();
    for (code, attr) in [
        ("road_damage", ("attribute[where]", "pavement")),
        ("graffiti", ("x", "")),
        ("graffiti", ("x", "")),
    ] {
        let form = vec![
            ("api_key", key.as_str()),
            ("service_code", code),
            ("lat", "22.8172"),
            ("long", "108.3661"),
            ("description", "列表测试用的问题描述"),
            attr,
        ];
        let (status, c) = post_json(app, "/open311/v2/requests.json", &form).await;
        assert_eq!(status, 200, "{c}");
        ids.push(c[0]["service_request_id"].as_str().unwrap().to_string());
    }
    // Close the first one, as a department would.
    with_db!(&app.db, p => sqlx::query("UPDATE reports SET status = 'closed' WHERE id = $1")
        .bind(ids[0].parse::<i64>().unwrap()).execute(p).await.map(|r| r.rows_affected()))
    .unwrap();
    let count = |v: &Value| v.as_array().map(|a| a.len()).unwrap_or(usize::MAX);
    let (_, all) = get_json(app, "/open311/v2/requests.json").await;
    assert_eq!(count(&all), 3);
    assert_eq!(
        all[0]["service_request_id"],
        ids[2].as_str(),
        "newest first"
    );
    let (_, g) = get_json(app, "/open311/v2/requests.json?service_code=graffiti").await;
    assert_eq!(count(&g), 2);
    let (_, g) = get_json(
        app,
        "/open311/v2/requests.json?service_code=graffiti,road_damage",
    )
    .await;
    assert_eq!(count(&g), 3);
    let (_, open) = get_json(app, "/open311/v2/requests.json?status=open").await;
    assert_eq!(count(&open), 2);
    let (_, closed) = get_json(app, "/open311/v2/requests.json?status=closed").await;
    assert_eq!(count(&closed), 1);
    assert_eq!(closed[0]["status"], "closed");
    assert!(closed[0]["expected_datetime"].is_null());
    let (_, both) = get_json(app, "/open311/v2/requests.json?status=open,closed").await;
    assert_eq!(count(&both), 3);
    let (_, by_id) = get_json(
        app,
        &format!(
            "/open311/v2/requests.json?service_request_id={},{}&service_code=none",
            ids[0], ids[1]
        ),
    )
    .await;
    assert_eq!(count(&by_id), 2, "ids override the other filters");
    let (_, p1) = get_json(app, "/open311/v2/requests.json?page_size=2&page=1").await;
    let (_, p2) = get_json(app, "/open311/v2/requests.json?page_size=2&page=2").await;
    assert_eq!((count(&p1), count(&p2)), (2, 1));
    assert_eq!(p2[0]["service_request_id"], ids[0].as_str());
    // Dates: empty parameters are absent; a window in the past is empty; bad input named.
    let (status, _) = get_json(app, "/open311/v2/requests.json?start_date=&end_date=").await;
    assert_eq!(status, 200);
    let (_, old) = get_json(app, "/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00%2B08:00").await;
    assert_eq!(count(&old), 0);
    let (status, body) = get_json(
        app,
        "/open311/v2/requests.json?start_date=2020-01-01&end_date=2020-06-01",
    )
    .await;
    assert_error(status, &body, 400, "90 days");
    let (status, body) = get_json(app, "/open311/v2/requests.json?start_date=last%20week").await;
    assert_error(status, &body, 400, "start_date");
    let (status, body) = get_json(app, "/open311/v2/requests.json?end_date=2020-13-45").await;
    assert_error(status, &body, 400, "end_date");
    let (status, body) = get_json(app, "/open311/v2/requests.json?status=pending").await;
    assert_error(status, &body, 400, "status");
    let (status, body) = get_json(app, "/open311/v2/requests.json?page_size=0").await;
    assert_error(status, &body, 400, "page_size");
    let (status, _, xml) = get(
        app,
        "/open311/v2/requests.xml?start_date=2020-01-01&end_date=2020-06-01",
    )
    .await;
    assert_xml_error(status, &xml, 400, "90 days");
    let (status, _, xml) = get(app, "/open311/v2/requests.xml?service_code=graffiti").await;
    assert_eq!(status, 200);
    assert_eq!(xml.matches("<request>").count(), 2, "{xml}");
}

/// Where an external case system handles the reports, it may post status changes through
/// the update extension (where Gongzhi is the case system, only residents' words and
/// REOPEN come in this way: see cases.rs).
async fn updates_go_both_ways_once(backend: Backend) {
    let app = TestApp::start_with(backend, |c| {
        c.case_connector = gongzhi_server::config::CaseConnector::Open311;
        // Never reached here: the job runner is off.
        c.open311_url = "http://127.0.0.1:9/open311/v2".into();
        c.open311_api_key = "unused".into();
        c.job_runner = false;
    })
    .await;
    common::bounded(updates_both_ways(&app)).await;
    app.stop().await;
}

async fn updates_both_ways(app: &TestApp) {
    catalog(app).await;
    let admin = app.admin().await;
    let key = api_key(app, &admin, "案件系统").await;
    let other = api_key(app, &admin, "另一个客户端").await;
    let doc = spec(app).await;
    let (_, c) = post_json(app, "/open311/v2/requests.json", &good(&key)).await;
    let id = c[0]["service_request_id"].as_str().unwrap().to_string();
    let update = |uid: &'static str, status: &'static str, text: &'static str| {
        vec![
            ("api_key", key.clone()),
            ("service_request_id", id.clone()),
            ("update_id", uid.to_string()),
            ("status", status.to_string()),
            ("updated_datetime", "2026-11-26T10:00:00+08:00".to_string()),
            ("description", text.to_string()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| {
        v.iter().map(|(a, b)| (*a, b.clone())).collect::<Vec<_>>()
    };
    let send = |form: Vec<(&'static str, String)>| async move {
        let f: Vec<(&str, &str)> = form.iter().map(|(a, b)| (*a, b.as_str())).collect();
        post_json(app, "/open311/v2/servicerequestupdates.json", &f).await
    };
    let (status, posted) = send(as_refs(&update("u-1", "IN_PROGRESS", "已派人到场处理"))).await;
    assert_eq!(status, 200, "{posted}");
    matches_schema(&doc, "PostedUpdate", &posted[0]);
    let first = posted[0]["update_id"].clone();
    // The same update again is the same entry.
    let (_, again) = send(as_refs(&update("u-1", "IN_PROGRESS", "已派人到场处理"))).await;
    assert_eq!(again[0]["update_id"], first);
    let (status, body) = send(as_refs(&update("u-2", "PENDING", ""))).await;
    assert_error(status, &body, 400, "status");
    let mut nowhere = as_refs(&update("u-3", "FIXED", ""));
    nowhere[1].1 = "999999".into();
    let (status, body) = send(nowhere).await;
    assert_error(status, &body, 404, "999999");
    let mut keyless = as_refs(&update("u-4", "FIXED", ""));
    keyless[0].1 = "gz_wrong".into();
    let (status, body) = send(keyless).await;
    assert_error(status, &body, 403, "api_key");
    let (status, _) = send(as_refs(&update("u-5", "FIXED", "路面已修复"))).await;
    assert_eq!(status, 200);

    // The report moved, and the timeline has each update once.
    let (status, events): (String, i64) = with_db!(&app.db, p => sqlx::query_as(
        "SELECT r.status, (SELECT count(*) FROM report_events e WHERE e.report_id = r.id AND e.external_id IS NOT NULL) FROM reports r WHERE r.id = $1",
    ).bind(id.parse::<i64>().unwrap()).fetch_one(p).await).unwrap();
    assert_eq!((status.as_str(), events), ("resolved", 2));
    let (_, one) = get_json(app, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(one[0]["status"], "closed");
    assert_eq!(one[0]["status_notes"], "路面已修复");

    // Read back: public to anyone, but not to the key that posted them.
    let (status, list) = get_json(
        app,
        &format!("/open311/v2/servicerequestupdates.json?service_request_id={id}"),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    for u in list {
        matches_schema(&doc, "RequestUpdate", u);
    }
    assert_eq!(list[0]["status"], "in_progress");
    assert_eq!(list[1]["status"], "fixed");
    assert_eq!(list[1]["description"], "路面已修复");
    let (_, theirs) = get_json(
        app,
        &format!("/open311/v2/servicerequestupdates.json?api_key={other}"),
    )
    .await;
    assert_eq!(theirs.as_array().unwrap().len(), 2);
    let (_, own) = get_json(
        app,
        &format!("/open311/v2/servicerequestupdates.json?api_key={key}"),
    )
    .await;
    assert_eq!(own.as_array().unwrap().len(), 0, "{own}");
    let (status, body) = get_json(
        app,
        "/open311/v2/servicerequestupdates.json?api_key=gz_wrong",
    )
    .await;
    assert_error(status, &body, 403, "api_key");
    let (status, body) = get_json(
        app,
        "/open311/v2/servicerequestupdates.json?start_date=2020-01-01&end_date=2020-12-01",
    )
    .await;
    assert_error(status, &body, 400, "90 days");
    let (status, _, xml) = get(
        app,
        &format!("/open311/v2/servicerequestupdates.xml?service_request_id={id}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        xml.contains("<service_request_updates><request_update><update_id>"),
        "{xml}"
    );
    let (status, xml) = post(
        app,
        "/open311/v2/servicerequestupdates.xml",
        &[
            ("api_key", key.as_str()),
            ("service_request_id", id.as_str()),
            ("update_id", "u-9"),
            ("status", "CLOSED"),
            ("description", ""),
        ],
    )
    .await;
    assert_eq!(status, 200, "{xml}");
    assert!(
        xml.contains("<service_request_updates><request_update><update_id>"),
        "{xml}"
    );
}

/// Lists are reused between changes (see server/src/routes/open311_cache.rs), never after.
async fn lists_show_every_change_at_once_and_answer_pollers_with_304(app: &TestApp) {
    catalog(app).await;
    let admin = app.admin().await;
    let key = api_key(app, &admin, "轮询客户端").await;
    let list = "/open311/v2/requests.json?page_size=100";
    let fetch = |tag: Option<String>| async move {
        let mut req = new_client().get(app.url(list));
        if let Some(t) = tag {
            req = req.header("if-none-match", t);
        }
        let res = req.send().await.expect("list");
        let status = res.status().as_u16();
        let etag = res
            .headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_string())
            .expect("an ETag");
        (status, etag, res.text().await.expect("body"))
    };
    let count = |body: &str| {
        serde_json::from_str::<Value>(body)
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };
    let (status, first_tag, body) = fetch(None).await;
    assert_eq!((status, count(&body)), (200, 0));
    // Nothing changed: a poller sending the tag back gets 304 and no body.
    let (status, tag, body) = fetch(Some(first_tag.clone())).await;
    assert_eq!(
        (status, tag.as_str(), body.as_str()),
        (304, first_tag.as_str(), "")
    );

    // A new request shows in the very next answer, with a new tag.
    let (status, created) = post_json(app, "/open311/v2/requests.json", &good(&key)).await;
    assert_eq!(status, 200, "{created}");
    let (status, tag, body) = fetch(Some(first_tag.clone())).await;
    assert_eq!((status, count(&body)), (200, 1));
    assert_ne!(tag, first_tag);
    // So does a change of status (any write that moves the report's updated_at).
    let id: i64 = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    with_db!(&app.db, p => sqlx::query("UPDATE reports SET status = 'closed', closed_at = $1, updated_at = $1 WHERE id = $2")
        .bind(chrono::Utc::now()).bind(id).execute(p).await.map(|r| r.rows_affected()))
    .unwrap();
    let (status, _, body) = fetch(Some(tag)).await;
    assert_eq!(status, 200);
    let list: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(list[0]["status"], "closed");
}

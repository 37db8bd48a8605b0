//! Cover images of processes and images of proposals, on both backends: only those who may
//! edit set them, every bad upload is refused naming its field, a new image replaces the
//! old (whose files are deleted), a proposal's image freezes with its text at the first
//! support, a hidden proposal hides its image, and the plain multipart form works over
//! HTTP, coming back with what was typed when it is refused.

use crate::common;

use crate::common::{account, local_day, png, TestApp};
use gongzhi_domain::deliberation::images::{self, Owner};
use gongzhi_domain::deliberation::processes::{self, ProcessInput};
use gongzhi_domain::deliberation::proposals::{self, ProposalInput};
use gongzhi_domain::model::deliberation::{ProcessView, ProposalOrder, IMAGE_ALT_MAX};
use gongzhi_domain::{with_db, Error, Problem, Services};
use reqwest::multipart::{Form, Part};

on_both_backends!(
    covers_and_images_are_checked_replaced_and_removed,
    the_image_forms_work_over_http,
);

/// A process of `department` taking proposals now.
fn open_process(title: &str, department: i64) -> ProcessInput {
    ProcessInput {
        title: title.into(),
        summary: "征求意见".into(),
        body: "说明".into(),
        department: department.to_string(),
        information: local_day(-5),
        proposals: local_day(-1),
        discussion: local_day(5),
        decision: local_day(10),
        closes: local_day(20),
        support_threshold: String::new(),
    }
}

fn field_problems(e: Error) -> Vec<(String, Problem)> {
    match e {
        Error::Invalid(list) => list.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected field problems, got {other:?}"),
    }
}

/// The blob keys the database holds for photo `uid`.
async fn keys(svc: &Services, uid: &str) -> Option<(String, String)> {
    with_db!(&svc.db, p => {
        sqlx::query_as("SELECT display_key, thumb_key FROM photos WHERE uid = $1")
            .bind(uid)
            .fetch_optional(p)
            .await
    })
    .unwrap()
}

async fn covers_and_images_are_checked_replaced_and_removed(app: &TestApp) {
    let svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let resident = account(&svc, "resident@demo.gongzhi.org").await;
    let id = processes::save(
        &svc,
        Some(&official),
        None,
        open_process("滨江步道照明", official.department_id.unwrap()),
    )
    .await
    .unwrap();
    let process = Owner::Process(id);

    // Only those who may edit the process set its cover.
    assert!(matches!(
        images::set(&svc, None, process, png(40, 30), "").await,
        Err(Error::Unauthenticated)
    ));
    assert!(matches!(
        images::set(&svc, Some(&resident), process, png(40, 30), "").await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        images::set(
            &svc,
            Some(&official),
            Owner::Process(id + 999),
            png(4, 3),
            ""
        )
        .await,
        Err(Error::NotFound)
    ));
    // Bad uploads, each named by its field.
    let bad = [
        (Vec::new(), String::new(), "image", Problem::Required),
        (
            b"GIF89a not accepted".to_vec(),
            String::new(),
            "image",
            Problem::NotAnImage,
        ),
        (
            b"\x89PNG\r\n\x1a\n broken".to_vec(),
            String::new(),
            "image",
            Problem::PhotoUnreadable,
        ),
        (
            png(4, 3),
            "长".repeat(IMAGE_ALT_MAX + 1),
            "alt",
            Problem::TooLong { max: IMAGE_ALT_MAX },
        ),
    ];
    for (bytes, alt, field, problem) in bad {
        let got = field_problems(
            images::set(&svc, Some(&official), process, bytes, &alt)
                .await
                .unwrap_err(),
        );
        assert_eq!(got, vec![(field.to_string(), problem)]);
    }
    assert!(processes::get(&svc, id)
        .await
        .unwrap()
        .unwrap()
        .cover
        .is_none());

    // Set: re-encoded, sized, described; shown on the page and in the list.
    let first = images::set(
        &svc,
        Some(&official),
        process,
        png(2400, 1200),
        "  夜晚的滨江步道  ",
    )
    .await
    .expect("cover set");
    assert_eq!(first.alt, "夜晚的滨江步道");
    assert_eq!(
        (first.photo.display_width, first.photo.display_height),
        (1600, 800),
        "scaled to the display size"
    );
    let got = processes::get(&svc, id).await.unwrap().unwrap();
    assert_eq!(got.cover.as_ref(), Some(&first));
    let listed = processes::list(&svc, ProcessView::Open, "滨江步道照明")
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].cover.as_ref(), Some(&first));
    let (display, thumb) = keys(&svc, &first.photo.uid).await.expect("recorded");
    assert!(svc.blobs.get(&display).await.unwrap().is_some());

    // Replaced: the old one's record and files are gone.
    let second = images::set(&svc, Some(&official), process, png(300, 200), "")
        .await
        .expect("replaced");
    assert_ne!(second.photo.uid, first.photo.uid);
    assert!(keys(&svc, &first.photo.uid).await.is_none());
    assert!(svc.blobs.get(&display).await.unwrap().is_none());
    assert!(svc.blobs.get(&thumb).await.unwrap().is_none());
    assert_eq!(
        processes::get(&svc, id).await.unwrap().unwrap().cover,
        Some(second.clone())
    );
    // Removed.
    images::remove(&svc, Some(&official), process)
        .await
        .unwrap();
    assert!(processes::get(&svc, id)
        .await
        .unwrap()
        .unwrap()
        .cover
        .is_none());
    assert!(keys(&svc, &second.photo.uid).await.is_none());

    // A proposal's image: its author only, until the first support.
    let pid = proposals::create(
        &svc,
        Some(&resident),
        id,
        ProposalInput {
            title: "增加路灯".into(),
            body: "步道北段太暗".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let proposal = Owner::Proposal(pid);
    assert!(matches!(
        images::set(&svc, Some(&official), proposal, png(40, 30), "").await,
        Err(Error::Forbidden)
    ));
    let img = images::set(&svc, Some(&resident), proposal, png(640, 480), "北段现状")
        .await
        .expect("image set");
    let (detail, viewer) = proposals::get(&svc, None, pid).await.unwrap().unwrap();
    assert_eq!(detail.image.as_ref(), Some(&img));
    assert!(!viewer.can_edit);
    let listed = proposals::list(&svc, None, id, ProposalOrder::Newest)
        .await
        .unwrap();
    assert_eq!(listed[0].image.as_ref(), Some(&img));
    proposals::support(&svc, Some(&official), pid, true)
        .await
        .unwrap();
    for change in [
        images::set(&svc, Some(&resident), proposal, png(40, 30), "")
            .await
            .map(|_| ()),
        images::remove(&svc, Some(&resident), proposal).await,
    ] {
        assert_eq!(
            field_problems(change.unwrap_err()),
            vec![("image".to_string(), Problem::EditLocked)],
            "what people supported stays what they saw"
        );
    }
    assert_eq!(
        proposals::get(&svc, None, pid)
            .await
            .unwrap()
            .unwrap()
            .0
            .image,
        Some(img.clone())
    );
    // Hidden by moderators: the tombstone shows no image (its author still sees it).
    with_db!(&svc.db, p => sqlx::query("UPDATE proposals SET visibility = 'hidden', hidden_reason = '广告' WHERE id = $1")
        .bind(pid).execute(p).await.map(|r| r.rows_affected()))
    .unwrap();
    assert!(proposals::get(&svc, None, pid)
        .await
        .unwrap()
        .unwrap()
        .0
        .image
        .is_none());
    assert!(proposals::get(&svc, Some(&resident), pid)
        .await
        .unwrap()
        .unwrap()
        .0
        .image
        .is_some());
}

/// Posts the image form of `path` (`…/image`) with `file` and `alt`.
async fn post_image(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    token: &str,
    file: Option<Vec<u8>>,
    alt: &str,
    remove: bool,
) -> reqwest::Response {
    let mut form = Form::new()
        .text("form_token", token.to_string())
        .text("alt", alt.to_string());
    if let Some(bytes) = file {
        form = form.part(
            "image",
            Part::bytes(bytes)
                .file_name("photo.png")
                .mime_str("image/png")
                .unwrap(),
        );
    }
    if remove {
        form = form.text("remove", "1");
    }
    client
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .expect("request")
}

/// The image form's token on a page.
fn form_token(html: &str) -> String {
    let at = html.find("name=\"form_token\"").expect("the image form");
    let rest = &html[at..];
    let v = rest.find("value=\"").unwrap() + 7;
    rest[v..v + rest[v..].find('"').unwrap()].to_string()
}

async fn the_image_forms_work_over_http(app: &TestApp) {
    let svc = app.demo().await;
    let official_me = account(&svc, "official@demo.gongzhi.org").await;
    let official = app
        .logged_in("official@demo.gongzhi.org", "official-demo-2026")
        .await;
    let resident = app
        .logged_in("resident@demo.gongzhi.org", "resident-demo-2026")
        .await;
    let id = processes::save(
        &svc,
        Some(&official_me),
        None,
        open_process("南湖公园开放时间", official_me.department_id.unwrap()),
    )
    .await
    .unwrap();
    let page = format!("/deliberation/{id}");
    let action = format!("{page}/image");

    // Only its managers get the form; a resident posting anyway is refused.
    let html = app.page(&resident, &page, "zh-CN").await;
    assert!(!html.contains(&action));
    let html = app.page(&official, &page, "zh-CN").await;
    assert!(html.contains(&format!("action=\"{action}\"")) && html.contains("multipart/form-data"));
    let token = form_token(&html);
    let res = post_image(
        app,
        &resident,
        &action,
        &token,
        Some(png(40, 30)),
        "",
        false,
    )
    .await;
    assert_eq!(res.status(), 403);

    // A refused upload comes back with the description typed and the problem at its field.
    let res = post_image(
        app,
        &official,
        &action,
        &token,
        Some(b"not a picture".to_vec()),
        "湖边的步道",
        false,
    )
    .await;
    assert_eq!(res.status(), 303);
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(back, format!("{page}?draft={token}#image"));
    let html = app.page(&official, &back, "zh-CN").await;
    assert!(
        html.contains("value=\"湖边的步道\""),
        "the description is kept"
    );
    assert!(html.contains("id=\"f-image-error\"") && html.contains("aria-invalid=\"true\""));
    assert!(
        html.contains("<details id=\"image\" open"),
        "the refused form comes back open"
    );

    // Accepted: the page shows the picture with its description and size.
    let res = post_image(
        app,
        &official,
        &action,
        &token,
        Some(png(800, 600)),
        "湖边的步道",
        false,
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        page.as_str(),
        "back to the page, the picture under its title"
    );
    let cover = processes::get(&svc, id)
        .await
        .unwrap()
        .unwrap()
        .cover
        .expect("cover");
    let html = app.page(&common::new_client(), &page, "zh-CN").await;
    assert!(
        html.contains(&format!(
            "src=\"/photos/{}.jpg\" alt=\"湖边的步道\" width=\"800\" height=\"600\"",
            cover.photo.uid
        )),
        "{html}"
    );
    let listed = app
        .page(&common::new_client(), "/deliberation", "zh-CN")
        .await;
    assert!(listed.contains(&format!("/photos/{}-thumb.jpg", cover.photo.uid)));
    let served = common::new_client()
        .get(app.url(&format!("/photos/{}.jpg", cover.photo.uid)))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");

    // Removed with the form's second button.
    let html = app.page(&official, &page, "zh-CN").await;
    let token = form_token(&html);
    let res = post_image(app, &official, &action, &token, None, "", true).await;
    assert_eq!(res.status(), 303);
    assert!(processes::get(&svc, id)
        .await
        .unwrap()
        .unwrap()
        .cover
        .is_none());

    // A proposal's author gets the form on the proposal page while it can be edited.
    let pid = proposals::create(
        &svc,
        Some(&account(&svc, "resident@demo.gongzhi.org").await),
        id,
        ProposalInput {
            title: "延长夏季开放时间".into(),
            body: "夏天晚上人多".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let ppage = format!("/proposals/{pid}");
    let html = app.page(&resident, &ppage, "zh-CN").await;
    let token = form_token(&html);
    let html = app.page(&official, &ppage, "zh-CN").await;
    assert!(!html.contains(&format!("{ppage}/image")), "not the author");
    let res = post_image(
        app,
        &resident,
        &format!("{ppage}/image"),
        &token,
        Some(png(500, 500)),
        "傍晚的公园",
        false,
    )
    .await;
    assert_eq!(res.status(), 303);
    let html = app.page(&common::new_client(), &ppage, "zh-CN").await;
    assert!(html.contains("alt=\"傍晚的公园\""));
}

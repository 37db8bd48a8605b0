//! The department's side of questions, on both backends: files attached to answers (only
//! by the answering department's officials, checked by content, pictures re-encoded,
//! removed files listed as removed and no longer served, the plain form over HTTP), and
//! the inbox: officials told when a question reaches their department or comes back with a
//! follow-up, admins told when one waits for routing, and deadline notices sent once per
//! deadline, near and past; and the asker's follow-up, screened like the question itself.

use crate::common;

use crate::common::{department, png, problems, user, TestApp};
use chrono::{Duration, Utc};
use gongzhi_domain::model::moderation::ItemKind;
use gongzhi_domain::model::question::{Status, FILES_MAX};
use gongzhi_domain::model::Role;
use gongzhi_domain::moderation::queue::{self, Decision};
use gongzhi_domain::questions::{self, answers, files, inbox, read, QuestionInput};
use gongzhi_domain::{with_db, Error, Problem, Services};
use reqwest::multipart::{Form, Part};

on_both_backends!(
    files_are_attached_checked_and_removed,
    the_file_form_works_over_http,
    departments_and_admins_are_told_what_needs_them,
    deadline_notices_go_out_once_per_deadline,
    follow_ups_are_screened_like_questions,
);

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

fn question(title: &str, department: impl ToString) -> QuestionInput {
    QuestionInput {
        title: title.into(),
        body: format!("{title}：详细情况说明。"),
        department: department.to_string(),
        ip: String::new(),
    }
}

/// Publication without review, so that questions are public at once.
async fn post_moderated(svc: &Services) {
    let admin = user(svc, "设置管理员", Role::Admin, None).await;
    gongzhi_domain::moderation::settings::set_qa_mode(
        svc,
        Some(&admin),
        gongzhi_domain::model::moderation::Mode::Post,
    )
    .await
    .expect("qa mode");
}

/// The inbox notices `user` got about question `id`, as details, oldest first.
async fn inbox_of(svc: &Services, user: i64, id: i64) -> Vec<String> {
    with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "SELECT detail FROM notifications WHERE kind = 'inbox' AND user_id = $1 AND question_id = $2 ORDER BY id",
        )
        .bind(user)
        .bind(id)
        .fetch_all(p)
        .await
    })
    .unwrap()
}

async fn files_are_attached_checked_and_removed(app: &TestApp) {
    let svc = app.demo().await;
    post_moderated(&svc).await;
    let cgj = department(&svc, "cgj").await;
    let ylj = department(&svc, "ylj").await;
    let asker = user(&svc, "附件提问人", Role::Resident, None).await;
    let official = user(&svc, "城管局附件答复人", Role::Official, Some(cgj)).await;
    let gardens = user(&svc, "园林局旁观者", Role::Official, Some(ylj)).await;
    let id = questions::ask(&svc, Some(&asker), question("占道经营整治计划公开吗", cgj))
        .await
        .unwrap();
    let answer = answers::answer(&svc, Some(&official), id, "整治计划见附件。")
        .await
        .unwrap();

    // Only the answering department's officials attach.
    assert!(matches!(
        files::attach(&svc, None, answer, "a.pdf", PDF.to_vec()).await,
        Err(Error::Unauthenticated)
    ));
    for who in [&asker, &gardens] {
        assert!(matches!(
            files::attach(&svc, Some(who), answer, "a.pdf", PDF.to_vec()).await,
            Err(Error::Forbidden)
        ));
    }
    assert!(matches!(
        files::attach(&svc, Some(&official), 999_999, "a.pdf", PDF.to_vec()).await,
        Err(Error::NotFound)
    ));

    // Checked by content, never by name: each refusal names the field.
    let bad: [(&[u8], Problem); 4] = [
        (b"", Problem::Required),
        (b"<html><script>alert(1)</script>", Problem::NotADocument),
        (b"%PDF-1.4\n1 0 obj\n<<>>\n", Problem::NotADocument),
        (b"\x89PNG\r\n\x1a\nbroken", Problem::PhotoUnreadable),
    ];
    for (bytes, problem) in bad {
        let e = files::attach(&svc, Some(&official), answer, "plan.pdf", bytes.to_vec())
            .await
            .unwrap_err();
        assert_eq!(problems(e), vec![("file".into(), problem)]);
    }
    let too_big = vec![b'%'; svc.reports.max_photo_bytes + 1];
    let e = files::attach(&svc, Some(&official), answer, "big.pdf", too_big)
        .await
        .unwrap_err();
    assert!(matches!(
        problems(e).as_slice(),
        [(f, Problem::FileTooBig { .. })] if f == "file"
    ));

    // A PDF is kept as sent, under a clean name; a picture becomes a fresh JPEG.
    let pdf = files::attach(
        &svc,
        Some(&official),
        answer,
        "C:\\文件\\整治计划.PDF",
        PDF.to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(pdf.name, "整治计划.pdf");
    assert!(pdf.is_pdf());
    let picture = files::attach(&svc, Some(&official), answer, "现场.png", png(200, 100))
        .await
        .unwrap();
    assert_eq!(picture.name, "现场.jpg");
    assert_eq!(picture.content_type, "image/jpeg");
    let (blob, name) = files::file(&svc, &pdf.uid).await.unwrap().expect("served");
    assert_eq!(
        (blob.bytes.as_slice(), name.as_str()),
        (PDF, "整治计划.pdf")
    );
    let (blob, _) = files::file(&svc, &picture.uid)
        .await
        .unwrap()
        .expect("served");
    assert!(blob.bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "a JPEG");

    // Everyone sees the files on the answer.
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    let listed: Vec<&str> = q.answers[0].files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(listed, ["整治计划.pdf", "现场.jpg"]);

    // At most FILES_MAX kept at once.
    for i in 2..FILES_MAX {
        files::attach(
            &svc,
            Some(&official),
            answer,
            &format!("{i}.pdf"),
            PDF.to_vec(),
        )
        .await
        .unwrap();
    }
    let e = files::attach(&svc, Some(&official), answer, "more.pdf", PDF.to_vec())
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("file".into(), Problem::TooManyFiles { max: FILES_MAX })]
    );

    // Removing: only the department; the file stays listed as removed and is no longer
    // served; removing it again changes nothing; then there is room for another.
    assert!(matches!(
        files::remove(&svc, Some(&gardens), pdf.id).await,
        Err(Error::Forbidden)
    ));
    files::remove(&svc, Some(&official), pdf.id).await.unwrap();
    files::remove(&svc, Some(&official), pdf.id).await.unwrap();
    assert!(files::file(&svc, &pdf.uid).await.unwrap().is_none());
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    let removed = q.answers[0].files.iter().find(|f| f.id == pdf.id).unwrap();
    assert!(removed.removed_at.is_some());
    assert_eq!(q.answers[0].files.len(), FILES_MAX);
    files::attach(&svc, Some(&official), answer, "修订版.pdf", PDF.to_vec())
        .await
        .unwrap();

    // A hidden question's files are not served.
    let moderator = common::account(&svc, "moderator@demo.gongzhi.org").await;
    gongzhi_domain::moderation::queue::act(
        &svc,
        Some(&moderator),
        gongzhi_domain::model::moderation::ItemKind::Question,
        id,
        gongzhi_domain::moderation::queue::Decision {
            action: "hide".into(),
            reason: "spam".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(files::file(&svc, &picture.uid).await.unwrap().is_none());
}

async fn post_files(
    app: &TestApp,
    client: &reqwest::Client,
    answer: i64,
    token: &str,
    files: Vec<(&str, Vec<u8>)>,
    remove: Option<i64>,
) -> reqwest::Response {
    let mut form = Form::new().text("form_token", token.to_string());
    for (name, bytes) in files {
        form = form.part(
            "file",
            Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str("application/octet-stream")
                .unwrap(),
        );
    }
    if let Some(id) = remove {
        form = form.text("remove", id.to_string());
    }
    client
        .post(app.url(&format!("/answers/{answer}/files")))
        .multipart(form)
        .send()
        .await
        .expect("request")
}

fn form_token(html: &str) -> String {
    let at = html.find("name=\"form_token\"").expect("the file form");
    let rest = &html[at..];
    let v = rest.find("value=\"").unwrap() + 7;
    rest[v..v + rest[v..].find('"').unwrap()].to_string()
}

async fn the_file_form_works_over_http(app: &TestApp) {
    let svc = app.demo().await;
    post_moderated(&svc).await;
    let official_me = common::account(&svc, "official@demo.gongzhi.org").await;
    let cgj = official_me.department_id.unwrap();
    let asker = user(&svc, "网上附件提问人", Role::Resident, None).await;
    let id = questions::ask(&svc, Some(&asker), question("夜市噪音何时治理", cgj))
        .await
        .unwrap();
    let answer = answers::answer(&svc, Some(&official_me), id, "治理方案见附件。")
        .await
        .unwrap();
    let official = app
        .logged_in("official@demo.gongzhi.org", "official-demo-2026")
        .await;
    let resident = app
        .logged_in("resident@demo.gongzhi.org", "resident-demo-2026")
        .await;
    let page = format!("/questions/{id}");
    let action = format!("/answers/{answer}/files");

    // Only the department gets the form; anyone else posting anyway is refused.
    let html = app.page(&resident, &page, "zh-CN").await;
    assert!(!html.contains(&action));
    let html = app.page(&official, &page, "zh-CN").await;
    assert!(html.contains(&format!("action=\"{action}\"")) && html.contains("multipart/form-data"));
    let token = form_token(&html);
    let res = post_files(
        app,
        &resident,
        answer,
        &token,
        vec![("a.pdf", PDF.to_vec())],
        None,
    )
    .await;
    assert_eq!(res.status(), 403);

    // A refused file comes back to the form, open, with the problem at the field.
    let res = post_files(
        app,
        &official,
        answer,
        &token,
        vec![("a.exe", b"MZ\x90\x00".to_vec())],
        None,
    )
    .await;
    assert_eq!(res.status(), 303);
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(back, format!("{page}?draft={token}#files-{answer}"));
    let html = app.page(&official, &back, "zh-CN").await;
    let at = html
        .find(&format!("id=\"files-{answer}\""))
        .expect("the file form");
    let tag = &html[html[..at].rfind('<').unwrap()..at + html[at..].find('>').unwrap()];
    assert!(
        tag.contains(" open"),
        "the refused form comes back open: {tag}"
    );
    assert!(html.contains("请上传 PDF 文件或 JPEG、PNG、WebP 图片。"));
    assert!(html.contains("aria-invalid=\"true\""));

    // Two files at once: both attached, listed for everyone, served.
    let res = post_files(
        app,
        &official,
        answer,
        &token,
        vec![
            ("治理方案.pdf", PDF.to_vec()),
            ("现场照片.webp", png(60, 40)),
        ],
        None,
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("{page}#answer-{answer}").as_str()
    );
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    let kept = q.answers[0].files.clone();
    assert_eq!(kept.len(), 2);
    let anonymous = common::new_client();
    let html = app.page(&anonymous, &page, "en").await;
    assert!(html.contains("治理方案.pdf") && html.contains(&kept[0].url()));
    let res = anonymous.get(app.url(&kept[0].url())).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"),
        "{disposition}"
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    let res = anonymous.get(app.url(&kept[1].url())).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "image/jpeg");

    // Removed over the form: listed as removed, no longer served.
    let token = form_token(&app.page(&official, &page, "zh-CN").await);
    let res = post_files(app, &official, answer, &token, vec![], Some(kept[0].id)).await;
    assert_eq!(res.status(), 303);
    let res = anonymous.get(app.url(&kept[0].url())).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let html = app.page(&anonymous, &page, "zh-CN").await;
    assert!(html.contains("<del>治理方案.pdf</del>"));
    let res = anonymous
        .get(app.url("/answer-files/..%2F..%2Fetc"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

async fn departments_and_admins_are_told_what_needs_them(app: &TestApp) {
    let svc = app.demo().await;
    let cgj = department(&svc, "cgj").await;
    let jtj = department(&svc, "jtj").await;
    let asker = user(&svc, "收件箱提问人", Role::Resident, None).await;
    let city = user(&svc, "城管局收件人", Role::Official, Some(cgj)).await;
    let city2 = user(&svc, "城管局收件人二", Role::Official, Some(cgj)).await;
    let transport = user(&svc, "交通局收件人", Role::Official, Some(jtj)).await;
    let admin = user(&svc, "分派管理员", Role::Admin, None).await;
    let moderator = common::account(&svc, "moderator@demo.gongzhi.org").await;

    // Held for review: nobody is told yet; published: the department's officials are.
    let id = questions::ask(&svc, Some(&asker), question("公园厕所夜间不开放", cgj))
        .await
        .unwrap();
    assert!(inbox_of(&svc, city.id, id).await.is_empty());
    gongzhi_domain::moderation::queue::act(
        &svc,
        Some(&moderator),
        gongzhi_domain::model::moderation::ItemKind::Question,
        id,
        gongzhi_domain::moderation::queue::Decision {
            action: "approve".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(inbox_of(&svc, city.id, id).await, ["received"]);
    assert_eq!(inbox_of(&svc, city2.id, id).await, ["received"]);
    assert!(inbox_of(&svc, transport.id, id).await.is_empty());
    assert!(inbox_of(&svc, asker.id, id).await.is_empty());

    // (From here on, posts are published without review.)
    post_moderated(&svc).await;

    // Handed over: the new department is told, not the one that handed it on.
    answers::hand_over(&svc, Some(&city), id, &jtj.to_string(), "属于交通管理")
        .await
        .unwrap();
    assert_eq!(inbox_of(&svc, transport.id, id).await, ["received"]);
    assert_eq!(inbox_of(&svc, city.id, id).await, ["received"]);

    // Answered, then the asker follows up: the department hears of it.
    answers::answer(&svc, Some(&transport), id, "已安排夜间开放。")
        .await
        .unwrap();
    answers::follow_up(&svc, Some(&asker), id, "开放时间能否延长到23点？")
        .await
        .unwrap();
    assert_eq!(
        inbox_of(&svc, transport.id, id).await,
        ["received", "follow_up"]
    );

    // Not sure which department: the admins are told it waits for routing; once routed,
    // the department is told.
    let unsure = questions::ask(&svc, Some(&asker), question("小区旁工地夜间施工", "unsure"))
        .await
        .unwrap();
    assert_eq!(inbox_of(&svc, admin.id, unsure).await, ["routing"]);
    assert!(inbox_of(&svc, city.id, unsure).await.is_empty());
    questions::route(&svc, Some(&admin), unsure, &cgj.to_string())
        .await
        .unwrap();
    assert_eq!(inbox_of(&svc, city.id, unsure).await, ["received"]);

    // The notices show in the official's notifications, linking to the question.
    let list = gongzhi_domain::notifications::list(&svc, &city, 50)
        .await
        .unwrap();
    assert!(list
        .iter()
        .any(|n| n.kind == "inbox" && n.question_id == Some(unsure) && n.detail == "received"));
}

async fn deadline_notices_go_out_once_per_deadline(app: &TestApp) {
    let svc = app.demo().await;
    post_moderated(&svc).await;
    let cgj = department(&svc, "cgj").await;
    let jtj = department(&svc, "jtj").await;
    let asker = user(&svc, "期限提问人", Role::Resident, None).await;
    let city = user(&svc, "城管局值班员", Role::Official, Some(cgj)).await;
    let transport = user(&svc, "交通局值班员", Role::Official, Some(jtj)).await;
    let id = questions::ask(&svc, Some(&asker), question("路灯不亮很久了", cgj))
        .await
        .unwrap();
    let set_due = |due: chrono::DateTime<Utc>| {
        let svc = svc.clone();
        async move {
            with_db!(&svc.db, p => {
                sqlx::query("UPDATE questions SET due_at = $1 WHERE id = $2")
                    .bind(due)
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|r| r.rows_affected())
            })
            .unwrap();
        }
    };
    // Far from its deadline: nothing to tell.
    inbox::remind(&svc).await.unwrap();
    assert_eq!(inbox_of(&svc, city.id, id).await, ["received"]);

    // Within a day of it: "due soon", once.
    set_due(Utc::now() + Duration::hours(5)).await;
    inbox::remind(&svc).await.unwrap();
    inbox::remind(&svc).await.unwrap();
    assert_eq!(inbox_of(&svc, city.id, id).await, ["received", "due_soon"]);

    // Past it: "overdue", once.
    set_due(Utc::now() - Duration::hours(1)).await;
    inbox::remind(&svc).await.unwrap();
    inbox::remind(&svc).await.unwrap();
    assert_eq!(
        inbox_of(&svc, city.id, id).await,
        ["received", "due_soon", "overdue"]
    );

    // Handed over, the question has a new deadline, told about again to the new department.
    answers::hand_over(&svc, Some(&city), id, &jtj.to_string(), "路灯归交通局管")
        .await
        .unwrap();
    set_due(Utc::now() - Duration::minutes(5)).await;
    inbox::remind(&svc).await.unwrap();
    assert_eq!(
        inbox_of(&svc, transport.id, id).await,
        ["received", "overdue"]
    );
    assert_eq!(
        inbox_of(&svc, city.id, id).await.len(),
        3,
        "the old department is not told"
    );

    // Answered questions are never reminded of.
    answers::answer(&svc, Some(&transport), id, "已修复。")
        .await
        .unwrap();
    set_due(Utc::now() + Duration::hours(2)).await;
    assert_eq!(inbox::remind(&svc).await.unwrap(), 0);
}

async fn follow_ups_are_screened_like_questions(app: &TestApp) {
    let svc = app.demo().await;
    let cgj = department(&svc, "cgj").await;
    let asker = user(&svc, "追问审核提问人", Role::Resident, None).await;
    let official = user(&svc, "城管局追问答复人", Role::Official, Some(cgj)).await;
    let moderator = common::account(&svc, "moderator@demo.gongzhi.org").await;
    let decide = |kind: ItemKind, id: i64, action: &str| {
        let svc = svc.clone();
        let moderator = moderator.clone();
        let action = action.to_string();
        async move {
            queue::act(
                &svc,
                Some(&moderator),
                kind,
                id,
                Decision {
                    action,
                    reason: "abuse".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
    };
    let held_follow_up = |id: i64| {
        let svc = svc.clone();
        async move {
            with_db!(&svc.db, p => {
                sqlx::query_scalar::<_, i64>(
                    "SELECT id FROM question_follow_ups WHERE question_id = $1 AND visibility = 'held' ORDER BY id DESC",
                )
                .bind(id)
                .fetch_one(p)
                .await
            })
            .unwrap()
        }
    };

    // The city reviews questions first (the default): so it does follow-ups.
    let id = questions::ask(&svc, Some(&asker), question("河堤护栏松动", cgj))
        .await
        .unwrap();
    decide(ItemKind::Question, id, "approve").await;
    answers::answer(&svc, Some(&official), id, "已加固。")
        .await
        .unwrap();
    answers::follow_up(&svc, Some(&asker), id, "另一段护栏也松了，能一起修吗？")
        .await
        .unwrap();
    let (q, v) = read::get(&svc, Some(&asker), id).await.unwrap().unwrap();
    assert_eq!(q.status, Status::Answered, "not given back before review");
    assert!(q.follow_up.is_none() && !v.can_follow_up);
    let pending = q.pending_follow_up.expect("the asker sees it waiting");
    assert!(pending.hidden.is_none());
    let (q, _) = read::get(&svc, None, id).await.unwrap().unwrap();
    assert!(q.pending_follow_up.is_none(), "nobody else sees it");
    assert!(!inbox_of(&svc, official.id, id)
        .await
        .contains(&"follow_up".to_string()));
    let e = answers::follow_up(&svc, Some(&asker), id, "再问一次")
        .await
        .unwrap_err();
    assert_eq!(
        problems(e),
        vec![("follow_up".into(), Problem::FollowUpUsed)]
    );

    // Approved: published, and the question goes back to the department.
    decide(
        ItemKind::QuestionFollowUp,
        held_follow_up(id).await,
        "approve",
    )
    .await;
    let (q, v) = read::get(&svc, Some(&asker), id).await.unwrap().unwrap();
    assert_eq!(q.status, Status::Open);
    assert_eq!(
        q.follow_up.as_deref(),
        Some("另一段护栏也松了，能一起修吗？")
    );
    assert!(q.pending_follow_up.is_none() && !v.can_follow_up);
    assert!(inbox_of(&svc, official.id, id)
        .await
        .contains(&"follow_up".to_string()));

    // Refused: the asker reads why and may write another; the question stays answered.
    let id = questions::ask(&svc, Some(&asker), question("公交站牌字太小", cgj))
        .await
        .unwrap();
    decide(ItemKind::Question, id, "approve").await;
    answers::answer(&svc, Some(&official), id, "已更换大字站牌。")
        .await
        .unwrap();
    answers::follow_up(&svc, Some(&asker), id, "你们都是饭桶")
        .await
        .unwrap();
    decide(ItemKind::QuestionFollowUp, held_follow_up(id).await, "hide").await;
    let (q, v) = read::get(&svc, Some(&asker), id).await.unwrap().unwrap();
    assert_eq!(q.status, Status::Answered);
    let refused = q.pending_follow_up.expect("the refusal");
    assert!(refused.hidden.is_some());
    assert!(v.can_follow_up, "another follow-up may be written");
    answers::follow_up(&svc, Some(&asker), id, "夜间能否加装照明？")
        .await
        .unwrap();

    // After publication without review, the word list still holds a follow-up.
    post_moderated(&svc).await;
    let admin = user(&svc, "词表管理员", Role::Admin, None).await;
    gongzhi_domain::moderation::settings::add_word(&svc, Some(&admin), "饭桶")
        .await
        .unwrap();
    let id = questions::ask(&svc, Some(&asker), question("人行道井盖缺失", cgj))
        .await
        .unwrap();
    answers::answer(&svc, Some(&official), id, "已补装。")
        .await
        .unwrap();
    answers::follow_up(&svc, Some(&asker), id, "补装太慢，饭桶")
        .await
        .unwrap();
    let (q, _) = read::get(&svc, Some(&asker), id).await.unwrap().unwrap();
    assert_eq!(q.status, Status::Answered);
    assert!(q.pending_follow_up.is_some_and(|p| p.hidden.is_none()));
    // Clean words are published at once.
    let id = questions::ask(&svc, Some(&asker), question("路口红绿灯太短", cgj))
        .await
        .unwrap();
    answers::answer(&svc, Some(&official), id, "已延长。")
        .await
        .unwrap();
    answers::follow_up(&svc, Some(&asker), id, "行人绿灯能再长些吗？")
        .await
        .unwrap();
    let (q, _) = read::get(&svc, Some(&asker), id).await.unwrap().unwrap();
    assert_eq!(q.status, Status::Open);

    // The moderation queue shows the held follow-up with its question.
    let items = queue::list(&svc, Some(&moderator)).await.unwrap();
    assert!(items.iter().any(|i| i.kind == ItemKind::QuestionFollowUp
        && i.body_text.contains("饭桶")
        && i.link.ends_with("#follow-up")));
}

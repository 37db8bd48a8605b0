//! Atom feeds of new reports and new answers, on both backends: for the city and per
//! department, public content only — text moderators hid stays out, hidden questions' answers
//! stay out, and no reporter or asker is ever named (nor their email or tracking code).

use crate::common;

use std::sync::atomic::{AtomicU32, Ordering};

use crate::common::{account, department, user, TestApp};
use gongzhi_domain::model::moderation::ItemKind;
use gongzhi_domain::model::Role;
use gongzhi_domain::moderation::queue::{self, Decision};
use gongzhi_domain::questions::{self, answers, QuestionInput};
use gongzhi_domain::reports::{NewReport, Reporter};

on_both_backends!(feeds_publish_new_reports_and_answers_and_nobody_in_them,);

static TOKENS: AtomicU32 = AtomicU32::new(0);

fn token() -> String {
    format!(
        "feeds-test-token-{:08}-{:020}",
        std::process::id(),
        TOKENS.fetch_add(1, Ordering::SeqCst)
    )
}

async fn feed(app: &TestApp, path: &str) -> (u16, String, String) {
    let res = common::new_client()
        .get(app.url(path))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ct, res.text().await.unwrap())
}

async fn feeds_publish_new_reports_and_answers_and_nobody_in_them(app: &TestApp) {
    let svc = app.demo().await;
    let cgj = department(&svc, "cgj").await;
    let named = user(&svc, "订阅测试实名居民", Role::Resident, None).await;
    let moderator = account(&svc, "moderator@demo.gongzhi.org").await;
    let file =
        |who: Option<gongzhi_domain::model::Me>, text: &'static str, category: &'static str| {
            let svc = svc.clone();
            async move {
                gongzhi_domain::reports::submit(
                    &svc,
                    Reporter {
                        user: who.as_ref(),
                        ip: "203.0.113.40",
                        api_key: None,
                    },
                    NewReport {
                        category: category.into(),
                        lat: "22.8172".into(),
                        lon: "108.3661".into(),
                        description: text.into(),
                        submit_token: token(),
                        ..Default::default()
                    },
                )
                .await
                .expect("report")
            }
        };
    let mine = file(Some(named.clone()), "订阅源：桥下涂鸦一大片", "graffiti").await;
    let anon = file(None, "订阅源：匿名反映的涂鸦", "graffiti").await;
    let code = anon.tracking_code.clone().expect("code");
    let rude = file(None, "订阅源：要被隐藏的文字", "graffiti").await;
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Report,
        rude.id,
        Decision {
            action: "hide".into(),
            reason: "abuse".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    let (status, ct, xml) = feed(app, "/feeds/reports.atom").await;
    assert_eq!(status, 200);
    assert_eq!(ct, "application/atom+xml; charset=utf-8");
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    assert!(xml.ends_with("</feed>\n"));
    assert_eq!(
        xml.matches("<entry>").count(),
        xml.matches("</entry>").count()
    );
    assert!(xml.contains(&format!("/reports/{}</id>", mine.id)));
    assert!(xml.contains("订阅源：桥下涂鸦一大片") && xml.contains("订阅源：匿名反映的涂鸦"));
    assert!(
        xml.contains(&format!("/reports/{}</id>", rude.id)),
        "the report stays listed"
    );
    assert!(!xml.contains("要被隐藏的文字"), "its hidden text does not");
    for private in [named.display_name.as_str(), code.as_str(), "@example.org"] {
        assert!(!xml.contains(private), "{private} in the feed");
    }

    // Per department; an unknown department is named as such.
    let (status, _, xml) = feed(app, "/feeds/reports.atom?department=cgj").await;
    assert_eq!(status, 200);
    assert!(xml.contains("订阅源：桥下涂鸦一大片"));
    assert!(xml.contains("?department=cgj"));
    let (status, _, xml) = feed(app, "/feeds/reports.atom?department=jtj").await;
    assert_eq!(status, 200);
    assert!(!xml.contains("订阅源：桥下涂鸦一大片"));
    let (status, _, body) = feed(app, "/feeds/reports.atom?department=nope").await;
    assert_eq!(status, 404);
    assert!(body.contains("department"));

    // Answers: the department's words as escaped HTML, the question's title, never the asker.
    let admin = user(&svc, "订阅设置管理员", Role::Admin, None).await;
    gongzhi_domain::moderation::settings::set_qa_mode(
        &svc,
        Some(&admin),
        gongzhi_domain::model::moderation::Mode::Post,
    )
    .await
    .unwrap();
    let asker = user(&svc, "订阅测试提问人", Role::Resident, None).await;
    let official = user(&svc, "订阅测试答复人", Role::Official, Some(cgj)).await;
    let ask = |title: &str| QuestionInput {
        title: title.into(),
        body: "详情".into(),
        department: cgj.to_string(),
        ip: String::new(),
    };
    let q = questions::ask(&svc, Some(&asker), ask("订阅源：夜市油烟扰民"))
        .await
        .unwrap();
    answers::answer(&svc, Some(&official), q, "已约谈商户，**下周**复查。")
        .await
        .unwrap();
    let hidden = questions::ask(&svc, Some(&asker), ask("订阅源：被隐藏的提问"))
        .await
        .unwrap();
    answers::answer(&svc, Some(&official), hidden, "答复被隐藏的提问")
        .await
        .unwrap();
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Question,
        hidden,
        Decision {
            action: "hide".into(),
            reason: "spam".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (status, ct, xml) = feed(app, "/feeds/answers.atom?department=cgj").await;
    assert_eq!(
        (status, ct.as_str()),
        (200, "application/atom+xml; charset=utf-8")
    );
    assert!(xml.contains("订阅源：夜市油烟扰民") && xml.contains(&format!("/questions/{q}</id>")));
    assert!(
        xml.contains("&lt;strong&gt;下周&lt;/strong&gt;"),
        "HTML content, escaped"
    );
    assert!(!xml.contains("<strong>"));
    assert!(!xml.contains("答复被隐藏的提问") && !xml.contains("订阅源：被隐藏的提问"));
    assert!(!xml.contains(&asker.display_name) && !xml.contains(&official.display_name));
    let (_, _, xml) = feed(app, "/feeds/answers.atom?department=jtj").await;
    assert!(!xml.contains("订阅源：夜市油烟扰民"));
}

//! Moderation on both backends: flags hold content at the threshold; held and hidden
//! content leaves every list, count and notification; moderators claim, hide with a reason
//! and restore; the tombstone and the public log tell what happened without the hidden
//! text; authors appeal once and someone else decides; pre-moderation, the word list and new
//! accounts hold posts; locks close threads; photos are blurred; suspended users read but
//! cannot post by any path; posting is limited per address.

use crate::common;

use std::sync::atomic::{AtomicU32, Ordering};

use crate::common::{account, local_day, png, user, TestApp};
use gongzhi_domain::deliberation::comments::{self, NewComment, Subject};
use gongzhi_domain::deliberation::processes::{self, ProcessInput};
use gongzhi_domain::deliberation::proposals::{self, ProposalInput};
use gongzhi_domain::model::deliberation::{CommentOrder, CommentPage, CommentState, Visibility};
use gongzhi_domain::model::moderation::{Action, Cause, HiddenWhy, ItemKind, Mode, Reason};
use gongzhi_domain::model::{Me, Role};
use gongzhi_domain::moderation::flags::{flag, Flagged};
use gongzhi_domain::moderation::queue::{self, Decision};
use gongzhi_domain::moderation::suspensions::{self, SuspendInput};
use gongzhi_domain::moderation::{appeals, log, settings};
use gongzhi_domain::{with_db, Error, Problem, Services};

on_both_backends!(
    flags_hold_hide_appeal_and_restore_with_a_public_log,
    claims_keep_two_moderators_apart,
    pre_moderation_the_word_list_and_new_accounts_hold_posts,
    suspended_users_read_but_cannot_post_by_any_path,
    locks_photo_blur_and_the_posting_limit_per_address,
    the_moderation_pages_work_over_http,
    a_reports_text_leaves_lists_search_and_the_api_while_held_or_hidden,
);

/// A process of the official's department, now in its proposal phase, with one proposal.
async fn process_with_proposal(svc: &Services, official: &Me, author: &Me) -> (i64, i64) {
    let input = ProcessInput {
        title: "朝阳菜市场改造".into(),
        summary: "征求意见".into(),
        body: "背景".into(),
        department: official.department_id.expect("dept").to_string(),
        information: local_day(-5),
        proposals: local_day(-1),
        discussion: local_day(5),
        decision: local_day(10),
        closes: local_day(20),
        support_threshold: String::new(),
    };
    let process = processes::save(svc, Some(official), None, input)
        .await
        .expect("process");
    let proposal = proposals::create(
        svc,
        Some(author),
        process,
        ProposalInput {
            title: "增加无障碍通道".into(),
            body: "菜市场东门台阶太高".into(),
            ..Default::default()
        },
    )
    .await
    .expect("proposal");
    (process, proposal)
}

fn say(body: &str, parent: Option<i64>) -> NewComment {
    NewComment {
        stance: "for".into(),
        body: body.into(),
        parent,
        ..Default::default()
    }
}

fn problems(e: Error) -> Vec<(String, Problem)> {
    match e {
        Error::Invalid(list) => list.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected field problems, got {other:?}"),
    }
}

fn decide(action: Action, reason: &str, note: &str) -> Decision {
    Decision {
        action: action.as_str().into(),
        reason: reason.into(),
        note: note.into(),
    }
}

async fn page(svc: &Services, me: Option<&Me>, proposal: i64) -> CommentPage {
    comments::page(
        svc,
        me,
        Subject::Proposal(proposal),
        CommentOrder::Oldest,
        None,
    )
    .await
    .expect("page")
}

/// Every comment of a page (threads and replies) with its state.
fn shown(p: &CommentPage) -> Vec<(i64, CommentState, String)> {
    p.threads
        .iter()
        .flat_map(|t| std::iter::once(&t.root).chain(t.replies.iter()))
        .map(|c| (c.id, c.state.clone(), c.body_html.clone()))
        .collect()
}

async fn reply_notices(svc: &Services, me: &Me, comment: i64) -> usize {
    gongzhi_domain::notifications::list(svc, me, 50)
        .await
        .unwrap()
        .iter()
        .filter(|n| n.comment_id == Some(comment))
        .count()
}

async fn flags_hold_hide_appeal_and_restore_with_a_public_log(app: &TestApp) {
    let svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let moderator = account(&svc, "moderator@demo.gongzhi.org").await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let first = user(&svc, "老王", Role::Resident, None).await;
    let author = user(&svc, "小李", Role::Resident, None).await;
    let (_, proposal) = process_with_proposal(&svc, &official, &first).await;
    let on = Subject::Proposal(proposal);
    let root = comments::post(&svc, Some(&first), on, say("东门要坡道", None))
        .await
        .unwrap();
    let rude = comments::post(
        &svc,
        Some(&author),
        on,
        say("说这种话的人都是蠢货", Some(root)),
    )
    .await
    .unwrap();
    assert_eq!(
        reply_notices(&svc, &first, rude).await,
        1,
        "the reply was told"
    );
    let unread_before = gongzhi_domain::notifications::unread_count(&svc, &first)
        .await
        .unwrap();

    // Bad flags are refused with the field named; one's own content cannot be flagged.
    let flaggers = [
        user(&svc, "甲", Role::Resident, None).await,
        user(&svc, "乙", Role::Resident, None).await,
        user(&svc, "丙", Role::Resident, None).await,
    ];
    assert!(matches!(
        flag(&svc, None, ItemKind::Comment, rude, "abuse", "").await,
        Err(Error::Unauthenticated)
    ));
    assert_eq!(
        problems(
            flag(&svc, Some(&author), ItemKind::Comment, rude, "abuse", "")
                .await
                .unwrap_err()
        ),
        [("reason".into(), Problem::OwnContent)]
    );
    assert_eq!(
        problems(
            flag(
                &svc,
                Some(&flaggers[0]),
                ItemKind::Comment,
                rude,
                "rude",
                ""
            )
            .await
            .unwrap_err()
        ),
        [("reason".into(), Problem::InvalidChoice)]
    );
    assert_eq!(
        problems(
            flag(
                &svc,
                Some(&flaggers[0]),
                ItemKind::Comment,
                rude,
                "other",
                " "
            )
            .await
            .unwrap_err()
        ),
        [("note".into(), Problem::Required)]
    );
    assert!(matches!(
        flag(
            &svc,
            Some(&flaggers[0]),
            ItemKind::Comment,
            999_999,
            "spam",
            ""
        )
        .await,
        Err(Error::NotFound)
    ));

    // Counted until the threshold (3); the third flag holds it. One flag per user.
    assert_eq!(
        flag(
            &svc,
            Some(&flaggers[0]),
            ItemKind::Comment,
            rude,
            "abuse",
            ""
        )
        .await
        .unwrap(),
        Flagged::Counted
    );
    assert_eq!(
        problems(
            flag(
                &svc,
                Some(&flaggers[0]),
                ItemKind::Comment,
                rude,
                "spam",
                ""
            )
            .await
            .unwrap_err()
        ),
        [("reason".into(), Problem::AlreadyFlagged)]
    );
    // Flagged but not yet held: still public, and the viewer sees their flag.
    let p = page(&svc, Some(&flaggers[0]), proposal).await;
    let c = p.threads[0].replies.iter().find(|c| c.id == rude).unwrap();
    assert!(c.flagged && c.state == CommentState::Visible);
    assert_eq!(
        flag(
            &svc,
            Some(&flaggers[1]),
            ItemKind::Comment,
            rude,
            "abuse",
            "人身攻击"
        )
        .await
        .unwrap(),
        Flagged::Counted
    );
    assert_eq!(
        flag(
            &svc,
            Some(&flaggers[2]),
            ItemKind::Comment,
            rude,
            "other",
            "骂人"
        )
        .await
        .unwrap(),
        Flagged::Held
    );

    // Held: gone from the page for everyone but its author (marked), from the balance,
    // and from the notifications of the one it answered.
    let public = page(&svc, None, proposal).await;
    assert!(
        shown(&public).iter().all(|(id, ..)| *id != rude),
        "held is not public"
    );
    assert_eq!(public.count_for, 1, "held is not counted");
    let own = page(&svc, Some(&author), proposal).await;
    assert!(shown(&own)
        .iter()
        .any(|(id, s, _)| *id == rude && *s == CommentState::Held));
    assert_eq!(reply_notices(&svc, &first, rude).await, 0);
    assert_eq!(
        gongzhi_domain::notifications::unread_count(&svc, &first)
            .await
            .unwrap(),
        unread_before - 1
    );

    // The queue: moderators only; the item with its reasons, counts and notes, and the
    // author's history.
    assert!(matches!(
        queue::list(&svc, Some(&first)).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        queue::list(&svc, None).await,
        Err(Error::Unauthenticated)
    ));
    let q = queue::list(&svc, Some(&moderator)).await.unwrap();
    let e = q
        .iter()
        .find(|e| e.kind == ItemKind::Comment && e.item_id == rude)
        .expect("queued");
    assert_eq!((e.cause, e.visibility), (Cause::Flags, Visibility::Held));
    assert_eq!(e.flags[0].reason, Reason::Abuse);
    assert_eq!(e.flags[0].count, 2);
    assert_eq!(e.flags[0].notes, ["人身攻击"]);
    assert_eq!(e.author_name.as_deref(), Some("小李"));
    assert_eq!(e.author_hidden, 0);
    assert!(
        e.body_html.contains("蠢货"),
        "moderators read the held text"
    );
    assert!(e.link.contains(&format!("#comment-{rude}")), "{}", e.link);

    // Hiding needs a reason (and a note for "other"); residents cannot moderate.
    assert!(matches!(
        queue::act(
            &svc,
            Some(&first),
            ItemKind::Comment,
            rude,
            decide(Action::Hide, "abuse", "")
        )
        .await,
        Err(Error::Forbidden)
    ));
    assert_eq!(
        problems(
            queue::act(
                &svc,
                Some(&moderator),
                ItemKind::Comment,
                rude,
                decide(Action::Hide, "", "")
            )
            .await
            .unwrap_err()
        ),
        [("reason".into(), Problem::Required)]
    );
    assert_eq!(
        problems(
            queue::act(
                &svc,
                Some(&moderator),
                ItemKind::Comment,
                rude,
                decide(Action::Hide, "other", "")
            )
            .await
            .unwrap_err()
        ),
        [("note".into(), Problem::Required)]
    );
    assert_eq!(
        problems(
            queue::act(
                &svc,
                Some(&moderator),
                ItemKind::Comment,
                rude,
                decide(Action::Restore, "", "")
            )
            .await
            .unwrap_err()
        ),
        [("action".into(), Problem::InvalidChoice)],
        "restore fits hidden content only"
    );
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Comment,
        rude,
        decide(Action::Hide, "abuse", "请文明讨论"),
    )
    .await
    .expect("hidden");
    assert!(queue::list(&svc, Some(&moderator))
        .await
        .unwrap()
        .iter()
        .all(|e| e.item_id != rude || e.kind != ItemKind::Comment));

    // The author is told (the notice survives the hiding it tells of).
    let told = gongzhi_domain::notifications::list(&svc, &author, 10)
        .await
        .unwrap();
    assert_eq!(
        (
            told[0].kind.as_str(),
            told[0].detail.as_str(),
            told[0].comment_id
        ),
        ("moderation", "hide", Some(rude))
    );
    // The tombstone: the reason for all, the text for its author alone.
    let why = HiddenWhy {
        reason: Reason::Abuse,
        note: "请文明讨论".into(),
    };
    let public = page(&svc, Some(&first), proposal).await;
    assert!(shown(&public).contains(&(rude, CommentState::Hidden(why.clone()), String::new())));
    let own = page(&svc, Some(&author), proposal).await;
    let c = own.threads[0]
        .replies
        .iter()
        .find(|c| c.id == rude)
        .unwrap();
    assert_eq!(c.state, CommentState::Hidden(why.clone()));
    assert!(c.body_html.contains("蠢货") && c.can_appeal && !c.appealed);
    assert_eq!(reply_notices(&svc, &first, rude).await, 0);

    // The public log: the automatic hold and the hiding, never the text or the author.
    let l = log::page(&svc, None).await.unwrap();
    let ours: Vec<_> = l
        .entries
        .iter()
        .filter(|e| e.kind == ItemKind::Comment && e.item_id == rude)
        .collect();
    assert_eq!(ours.len(), 2);
    assert_eq!(
        (ours[0].action, ours[0].reason, ours[0].moderator.as_deref()),
        (
            Action::Hide,
            Some(Reason::Abuse),
            Some(moderator.display_name.as_str())
        )
    );
    assert_eq!(ours[0].note, "请文明讨论");
    assert_eq!(
        (ours[1].action, ours[1].cause, ours[1].moderator.clone()),
        (Action::Hold, Some(Cause::Flags), None)
    );
    let json = serde_json::to_string(&l).unwrap();
    assert!(!json.contains("蠢货") && !json.contains("小李"), "{json}");

    // Appeals: by the author only, once, decided by someone other than who hid it.
    assert!(matches!(
        appeals::appeal(&svc, Some(&first), ItemKind::Comment, rude, "不公平").await,
        Err(Error::Forbidden)
    ));
    assert_eq!(
        problems(
            appeals::appeal(&svc, Some(&author), ItemKind::Comment, rude, "  ")
                .await
                .unwrap_err()
        ),
        [("body".into(), Problem::Required)]
    );
    appeals::appeal(
        &svc,
        Some(&author),
        ItemKind::Comment,
        rude,
        "我是在说那种行为，不是说人",
    )
    .await
    .expect("appealed");
    assert_eq!(
        problems(
            appeals::appeal(&svc, Some(&author), ItemKind::Comment, rude, "再来一次")
                .await
                .unwrap_err()
        ),
        [("body".into(), Problem::AlreadyAppealed)]
    );
    let own = page(&svc, Some(&author), proposal).await;
    let c = own.threads[0]
        .replies
        .iter()
        .find(|c| c.id == rude)
        .unwrap();
    assert!(c.appealed && !c.can_appeal);
    let q = queue::list(&svc, Some(&moderator)).await.unwrap();
    let e = q
        .iter()
        .find(|e| e.kind == ItemKind::Comment && e.item_id == rude)
        .expect("back in the queue");
    assert_eq!(e.cause, Cause::Appeal);
    assert_eq!(e.appeal.as_deref(), Some("我是在说那种行为，不是说人"));
    assert_eq!(e.author_hidden, 1, "the author's history counts the hiding");
    assert_eq!(
        problems(
            queue::act(
                &svc,
                Some(&moderator),
                ItemKind::Comment,
                rude,
                decide(Action::Restore, "", "")
            )
            .await
            .unwrap_err()
        ),
        [("action".into(), Problem::OwnDecision)]
    );
    queue::act(
        &svc,
        Some(&admin),
        ItemKind::Comment,
        rude,
        decide(Action::Restore, "", "申诉成立"),
    )
    .await
    .expect("restored by an admin");
    let public = page(&svc, None, proposal).await;
    assert!(shown(&public)
        .iter()
        .any(|(id, s, _)| *id == rude && *s == CommentState::Visible));
    assert_eq!(public.count_for, 2);
    assert_eq!(
        reply_notices(&svc, &first, rude).await,
        1,
        "its notification is back"
    );
    let l = log::page(&svc, None).await.unwrap();
    assert_eq!(l.entries[0].action, Action::Restore);
    assert_eq!(
        l.entries[0].moderator.as_deref(),
        Some(admin.display_name.as_str())
    );
    let told = gongzhi_domain::notifications::list(&svc, &author, 10)
        .await
        .unwrap();
    assert_eq!(
        (told[0].kind.as_str(), told[0].detail.as_str()),
        ("moderation", "restore")
    );
    let decided: (String, Option<i64>) = with_db!(&svc.db, p => sqlx::query_as(
        "SELECT outcome, decided_by FROM appeals WHERE item_kind = 'comment' AND item_id = $1")
        .bind(rude).fetch_one(p).await)
    .unwrap();
    assert_eq!(decided, ("restored".into(), Some(admin.id)));

    // Proposals: flagged, held out of the list, hidden with a tombstone and no text.
    for f in &flaggers {
        flag(&svc, Some(f), ItemKind::Proposal, proposal, "spam", "")
            .await
            .unwrap();
    }
    let list = proposals::list(
        &svc,
        None,
        proposals_process(&svc, proposal).await,
        Default::default(),
    )
    .await
    .unwrap();
    assert!(
        list.iter().all(|x| x.id != proposal),
        "held proposals leave the list"
    );
    assert!(proposals::get(&svc, None, proposal)
        .await
        .unwrap()
        .is_none());
    assert!(
        proposals::get(&svc, Some(&moderator), proposal)
            .await
            .unwrap()
            .is_some(),
        "moderators read it"
    );
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Proposal,
        proposal,
        decide(Action::Hide, "spam", ""),
    )
    .await
    .unwrap();
    let (x, v) = proposals::get(&svc, Some(&flaggers[0]), proposal)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (x.body_html.as_str(), x.hidden.clone()),
        (
            "",
            Some(HiddenWhy {
                reason: Reason::Spam,
                note: String::new()
            })
        )
    );
    assert!(v.flagged && !v.can_appeal);
    let (x, v) = proposals::get(&svc, Some(&first), proposal)
        .await
        .unwrap()
        .unwrap();
    assert!(
        x.body_html.contains("台阶") && v.can_appeal,
        "its author still reads it and may appeal"
    );
    assert!(matches!(
        comments::post(&svc, Some(&first), on, say("还能评论吗", None)).await,
        Err(Error::NotFound)
    ));
}

async fn proposals_process(svc: &Services, proposal: i64) -> i64 {
    with_db!(&svc.db, p => sqlx::query_scalar("SELECT process_id FROM proposals WHERE id = $1")
        .bind(proposal).fetch_one(p).await)
    .unwrap()
}

async fn claims_keep_two_moderators_apart(app: &TestApp) {
    let svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let one = account(&svc, "moderator@demo.gongzhi.org").await;
    let two = user(&svc, "第二位版主", Role::Moderator, None).await;
    let author = user(&svc, "作者", Role::Resident, None).await;
    let flagger = user(&svc, "举报人", Role::Resident, None).await;
    let (_, proposal) = process_with_proposal(&svc, &official, &author).await;
    let c = comments::post(
        &svc,
        Some(&author),
        Subject::Proposal(proposal),
        say("广告：低价装修", None),
    )
    .await
    .unwrap();
    flag(&svc, Some(&flagger), ItemKind::Comment, c, "spam", "")
        .await
        .unwrap();

    queue::claim(&svc, Some(&one), ItemKind::Comment, c)
        .await
        .expect("claimed");
    queue::claim(&svc, Some(&one), ItemKind::Comment, c)
        .await
        .expect("claiming again is fine");
    // The other moderator sees who has it, and cannot act meanwhile.
    let seen = queue::list(&svc, Some(&two)).await.unwrap();
    let e = seen
        .iter()
        .find(|e| e.item_id == c && e.kind == ItemKind::Comment)
        .unwrap();
    assert_eq!(
        (e.claimed_by.as_deref(), e.claimed_by_me),
        (Some(one.display_name.as_str()), false)
    );
    let mine = queue::list(&svc, Some(&one)).await.unwrap();
    assert!(mine.iter().any(|e| e.item_id == c && e.claimed_by_me));
    let conflict = (
        "item".to_string(),
        Problem::ClaimedByOther {
            name: one.display_name.clone(),
        },
    );
    assert_eq!(
        problems(
            queue::claim(&svc, Some(&two), ItemKind::Comment, c)
                .await
                .unwrap_err()
        ),
        std::slice::from_ref(&conflict)
    );
    assert_eq!(
        problems(
            queue::act(
                &svc,
                Some(&two),
                ItemKind::Comment,
                c,
                decide(Action::Hide, "spam", "")
            )
            .await
            .unwrap_err()
        ),
        [conflict]
    );
    let still: String = with_db!(&svc.db, p => sqlx::query_scalar("SELECT visibility FROM comments WHERE id = $1").bind(c).fetch_one(p).await).unwrap();
    assert_eq!(still, "visible", "the refused action changed nothing");
    // A claim runs out: then the other may take it.
    with_db!(&svc.db, p => sqlx::query("UPDATE moderation_queue SET claimed_until = $1 WHERE item_id = $2 AND item_kind = 'comment'")
        .bind(chrono::Utc::now() - chrono::Duration::minutes(1)).bind(c).execute(p).await.map(|r| r.rows_affected())).unwrap();
    queue::act(
        &svc,
        Some(&two),
        ItemKind::Comment,
        c,
        decide(Action::Dismiss, "", "不是广告"),
    )
    .await
    .expect("dismissed after the claim ran out");
    let q = queue::list(&svc, Some(&one)).await.unwrap();
    assert!(
        q.iter()
            .all(|e| !(e.item_id == c && e.kind == ItemKind::Comment)),
        "settled"
    );
    let open: i64 = with_db!(&svc.db, p => sqlx::query_scalar("SELECT count(*) FROM flags WHERE item_id = $1 AND item_kind = 'comment' AND resolved_at IS NULL").bind(c).fetch_one(p).await).unwrap();
    assert_eq!(open, 0, "dismissing resolves the flags");
}

async fn pre_moderation_the_word_list_and_new_accounts_hold_posts(app: &TestApp) {
    let mut svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let moderator = account(&svc, "moderator@demo.gongzhi.org").await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let author = user(&svc, "居民甲", Role::Resident, None).await;
    let other = user(&svc, "居民乙", Role::Resident, None).await;
    let (process, proposal) = process_with_proposal(&svc, &official, &author).await;
    let on = Subject::Proposal(proposal);

    // Pre-moderation: admins only; then every resident's comment waits, telling nobody.
    assert!(matches!(
        settings::set_process_mode(&svc, Some(&moderator), process, Mode::Pre).await,
        Err(Error::Forbidden)
    ));
    settings::set_process_mode(&svc, Some(&admin), process, Mode::Pre)
        .await
        .unwrap();
    let held = comments::post(&svc, Some(&other), on, say("支持", None))
        .await
        .unwrap();
    assert!(shown(&page(&svc, None, proposal).await).is_empty());
    assert_eq!(reply_notices(&svc, &author, held).await, 0);
    let q = queue::list(&svc, Some(&moderator)).await.unwrap();
    assert_eq!(
        q.iter()
            .find(|e| e.item_id == held && e.kind == ItemKind::Comment)
            .unwrap()
            .cause,
        Cause::Premoderation
    );
    // Staff are not held.
    let staff = comments::post(&svc, Some(&official), on, say("部门会研究", None))
        .await
        .unwrap();
    assert!(shown(&page(&svc, None, proposal).await)
        .iter()
        .any(|(id, ..)| *id == staff));
    // Approved: public now, and the proposal's author is told only now.
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Comment,
        held,
        decide(Action::Approve, "", ""),
    )
    .await
    .unwrap();
    assert!(shown(&page(&svc, None, proposal).await)
        .iter()
        .any(|(id, s, _)| *id == held && *s == CommentState::Visible));
    assert_eq!(reply_notices(&svc, &author, held).await, 1);
    settings::set_process_mode(&svc, Some(&admin), process, Mode::Post)
        .await
        .unwrap();

    // The word list (admins; a word once), matched anywhere and ignoring case.
    assert!(matches!(
        settings::add_word(&svc, Some(&moderator), "骗子").await,
        Err(Error::Forbidden)
    ));
    assert_eq!(
        problems(
            settings::add_word(&svc, Some(&admin), "  ")
                .await
                .unwrap_err()
        ),
        [("word".into(), Problem::Required)]
    );
    let w = settings::add_word(&svc, Some(&admin), "骗子")
        .await
        .unwrap();
    settings::add_word(&svc, Some(&admin), "CasinoBet")
        .await
        .unwrap();
    assert_eq!(
        problems(
            settings::add_word(&svc, Some(&admin), "骗子")
                .await
                .unwrap_err()
        ),
        [("word".into(), Problem::AlreadyTaken)]
    );
    let c = comments::post(&svc, Some(&other), on, say("这就是个大骗子工程", None))
        .await
        .unwrap();
    let x = comments::post(&svc, Some(&other), on, say("visit casinobet now", None))
        .await
        .unwrap();
    let fine = comments::post(&svc, Some(&other), on, say("东门台阶确实高", None))
        .await
        .unwrap();
    let public = shown(&page(&svc, None, proposal).await);
    assert!(public.iter().all(|(id, ..)| *id != c && *id != x));
    assert!(public.iter().any(|(id, ..)| *id == fine));
    let q = queue::list(&svc, Some(&moderator)).await.unwrap();
    assert_eq!(
        q.iter()
            .find(|e| e.item_id == c && e.kind == ItemKind::Comment)
            .unwrap()
            .cause,
        Cause::WordList
    );
    // An edit into a listed word is held again.
    comments::edit(&svc, Some(&other), fine, "东门台阶确实高，骗子")
        .await
        .unwrap();
    assert!(shown(&page(&svc, None, proposal).await)
        .iter()
        .all(|(id, ..)| *id != fine));
    // A proposal with a listed word is held: out of the list and the count, shown to its author.
    let xp = proposals::create(
        &svc,
        Some(&other),
        process,
        ProposalInput {
            title: "骗子的方案".into(),
            body: "内容".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let list = proposals::list(&svc, None, process, Default::default())
        .await
        .unwrap();
    assert!(list.iter().all(|p| p.id != xp));
    let mine = proposals::list(&svc, Some(&other), process, Default::default())
        .await
        .unwrap();
    assert!(mine
        .iter()
        .any(|p| p.id == xp && p.visibility == Visibility::Held));
    let count = processes::list(
        &svc,
        gongzhi_domain::model::deliberation::ProcessView::Open,
        "",
    )
    .await
    .unwrap()
    .into_iter()
    .find(|p| p.id == process)
    .map(|p| p.proposal_count);
    assert_eq!(count, Some(1), "held proposals are not counted");
    settings::remove_word(&svc, Some(&admin), w).await.unwrap();
    assert!(!settings::matches_word_list(&svc, "骗子").await.unwrap());

    // New accounts: when the city enables it, the first 3 posts wait; the fourth does not.
    svc.moderation.hold_new_accounts = true;
    let newcomer = user(&svc, "新人", Role::Resident, None).await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(
            comments::post(&svc, Some(&newcomer), on, say(&format!("第{i}条"), None))
                .await
                .unwrap(),
        );
    }
    let public = shown(&page(&svc, None, proposal).await);
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(public.iter().any(|(c, ..)| c == id), i == 3, "post {i}");
    }
    let q = queue::list(&svc, Some(&moderator)).await.unwrap();
    assert_eq!(
        q.iter()
            .find(|e| e.item_id == ids[0] && e.kind == ItemKind::Comment)
            .unwrap()
            .cause,
        Cause::NewAccount
    );
    // Q&A is pre-moderated unless an admin says otherwise.
    assert_eq!(settings::qa_mode(&svc).await.unwrap(), Mode::Pre);
    settings::set_qa_mode(&svc, Some(&admin), Mode::Post)
        .await
        .unwrap();
    assert_eq!(settings::qa_mode(&svc).await.unwrap(), Mode::Post);
}

static TOKENS: AtomicU32 = AtomicU32::new(0);

fn token() -> String {
    format!(
        "moderation-test-token-{:08}-{:020}",
        std::process::id(),
        TOKENS.fetch_add(1, Ordering::SeqCst)
    )
}

fn report(photos: Vec<String>, submit_token: String) -> gongzhi_domain::reports::NewReport {
    gongzhi_domain::reports::NewReport {
        category: "graffiti".into(),
        lat: "22.8172".into(),
        lon: "108.3661".into(),
        description: "桥墩上有大片涂鸦".into(),
        photos,
        submit_token,
        ..Default::default()
    }
}

async fn suspended_users_read_but_cannot_post_by_any_path(app: &TestApp) {
    let svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let moderator = account(&svc, "moderator@demo.gongzhi.org").await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let resident = user(&svc, "捣乱者", Role::Resident, None).await;
    let (process, proposal) = process_with_proposal(&svc, &official, &resident).await;
    let on = Subject::Proposal(proposal);
    let mine = comments::post(&svc, Some(&resident), on, say("第一条", None))
        .await
        .unwrap();
    let input = |days: &str, reason: &str, user_id: i64| SuspendInput {
        user_id,
        reason: reason.into(),
        note: "多次辱骂他人".into(),
        days: days.into(),
    };

    // Bad input named; staff cannot be suspended; residents cannot suspend.
    assert!(matches!(
        suspensions::suspend(&svc, Some(&resident), input("7", "abuse", moderator.id)).await,
        Err(Error::Forbidden)
    ));
    assert_eq!(
        problems(
            suspensions::suspend(&svc, Some(&moderator), input("", "abuse", resident.id))
                .await
                .unwrap_err()
        ),
        [("days".into(), Problem::Required)]
    );
    assert_eq!(
        problems(
            suspensions::suspend(&svc, Some(&moderator), input("400", "abuse", resident.id))
                .await
                .unwrap_err()
        ),
        [("days".into(), Problem::OutOfRange { min: 1, max: 365 })]
    );
    assert_eq!(
        problems(
            suspensions::suspend(&svc, Some(&moderator), input("x", "rude", resident.id))
                .await
                .unwrap_err()
        ),
        [
            ("reason".into(), Problem::InvalidChoice),
            ("days".into(), Problem::NotANumber)
        ]
    );
    assert_eq!(
        problems(
            suspensions::suspend(&svc, Some(&moderator), input("7", "abuse", official.id))
                .await
                .unwrap_err()
        ),
        [("user".into(), Problem::StaffAccount)]
    );
    suspensions::suspend(&svc, Some(&moderator), input("7", "abuse", resident.id))
        .await
        .unwrap();
    let s = suspensions::current(&svc, resident.id)
        .await
        .unwrap()
        .expect("suspended");
    let until = s.ends_at.expect("an end");
    assert!(
        (until - chrono::Utc::now() - chrono::Duration::days(7))
            .num_minutes()
            .abs()
            < 2
    );
    assert_eq!((s.reason, s.note.as_str()), (Reason::Abuse, "多次辱骂他人"));

    // Moderators see who is suspended, why, until when and by whom; residents do not.
    let listed = suspensions::list(&svc, Some(&moderator)).await.unwrap();
    let l = listed
        .iter()
        .find(|s| s.user_id == resident.id)
        .expect("listed");
    assert_eq!(
        (l.suspension.ends_at, l.by.as_deref()),
        (Some(until), Some(moderator.display_name.as_str()))
    );
    assert!(matches!(
        suspensions::list(&svc, Some(&resident)).await,
        Err(Error::Forbidden)
    ));

    // Every path refuses, telling why and until when; reading still works.
    let refused = |r: Result<i64, Error>| matches!(r, Err(Error::Suspended(ref x)) if x.ends_at == Some(until));
    assert!(refused(
        comments::post(&svc, Some(&resident), on, say("还想说", None)).await
    ));
    assert!(refused(
        comments::post(
            &svc,
            Some(&resident),
            Subject::Process(process),
            say("还想说", None)
        )
        .await
    ));
    assert!(matches!(
        comments::edit(&svc, Some(&resident), mine, "改一下").await,
        Err(Error::Suspended(_))
    ));
    assert!(refused(
        proposals::create(
            &svc,
            Some(&resident),
            process,
            ProposalInput {
                title: "新建议".into(),
                body: "内容".into(),
                ..Default::default()
            }
        )
        .await
    ));
    assert!(matches!(
        gongzhi_domain::reports::submit(
            &svc,
            gongzhi_domain::reports::Reporter {
                user: Some(&resident),
                ip: "203.0.113.9",
                api_key: None
            },
            report(Vec::new(), token())
        )
        .await,
        Err(Error::Suspended(_))
    ));
    let (key_id, _) = gongzhi_domain::apikeys::issue(&svc.db, Some(&admin), "热线")
        .await
        .unwrap();
    let params = |who: (&str, String)| {
        vec![
            ("service_code".to_string(), "graffiti".to_string()),
            ("lat".to_string(), "22.8172".to_string()),
            ("long".to_string(), "108.3661".to_string()),
            ("description".to_string(), "桥墩上有涂鸦".to_string()),
            (who.0.to_string(), who.1),
        ]
    };
    for p in [
        params(("email", resident.email.to_uppercase())),
        params(("account_id", resident.id.to_string())),
    ] {
        let e = gongzhi_domain::open311::create(&svc, key_id, &p, "127.0.0.1")
            .await
            .expect_err("refused");
        assert_eq!(e.status, 403);
        assert!(
            e.description.contains("suspended from posting until"),
            "{}",
            e.description
        );
    }
    gongzhi_domain::open311::create(
        &svc,
        key_id,
        &params(("email", "someone@example.org".into())),
        "127.0.0.1",
    )
    .await
    .expect("others still post through the API");
    assert!(
        !page(&svc, Some(&resident), proposal)
            .await
            .threads
            .is_empty(),
        "reading works"
    );

    // The public log names no account.
    let l = log::page(&svc, None).await.unwrap();
    let e = &l.entries[0];
    assert_eq!(
        (e.kind, e.action, e.item_id, e.note.as_str(), e.link.clone()),
        (ItemKind::Account, Action::Suspend, 0, "7", None)
    );
    assert!(!serde_json::to_string(&l).unwrap().contains("捣乱者"));

    // Lifted: posting works again.
    suspensions::lift(&svc, Some(&moderator), resident.id)
        .await
        .unwrap();
    comments::post(&svc, Some(&resident), on, say("我会注意", None))
        .await
        .expect("posts again");

    // A ban (no end) is for admins; only they lift it.
    assert_eq!(
        problems(
            suspensions::suspend(&svc, Some(&moderator), input("", "spam", resident.id))
                .await
                .unwrap_err()
        ),
        [("days".into(), Problem::Required)]
    );
    suspensions::suspend(&svc, Some(&admin), input("", "spam", resident.id))
        .await
        .unwrap();
    assert_eq!(
        suspensions::current(&svc, resident.id)
            .await
            .unwrap()
            .unwrap()
            .ends_at,
        None
    );
    assert!(matches!(
        comments::post(&svc, Some(&resident), on, say("x", None)).await,
        Err(Error::Suspended(_))
    ));
    assert!(matches!(
        suspensions::lift(&svc, Some(&moderator), resident.id).await,
        Err(Error::Forbidden)
    ));
    suspensions::lift(&svc, Some(&admin), resident.id)
        .await
        .unwrap();
    assert!(suspensions::current(&svc, resident.id)
        .await
        .unwrap()
        .is_none());
}

async fn locks_photo_blur_and_the_posting_limit_per_address(app: &TestApp) {
    let mut svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let moderator = account(&svc, "moderator@demo.gongzhi.org").await;
    let author = user(&svc, "发言人", Role::Resident, None).await;
    let other = user(&svc, "另一位", Role::Resident, None).await;
    let (_, proposal) = process_with_proposal(&svc, &official, &author).await;
    let on = Subject::Proposal(proposal);
    let root = comments::post(&svc, Some(&author), on, say("开个头", None))
        .await
        .unwrap();
    let reply = comments::post(&svc, Some(&other), on, say("回复", Some(root)))
        .await
        .unwrap();

    // Locking a reply locks its thread: no more replies there, new threads still welcome.
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Comment,
        reply,
        decide(Action::Lock, "off_topic", "争吵升级"),
    )
    .await
    .unwrap();
    assert_eq!(
        problems(
            comments::post(&svc, Some(&other), on, say("再回", Some(reply)))
                .await
                .unwrap_err()
        ),
        [("body".into(), Problem::ThreadLocked)]
    );
    let p = page(&svc, None, proposal).await;
    assert!(p.threads[0].root.locked && p.open);
    comments::post(&svc, Some(&other), on, say("新话题", None))
        .await
        .expect("a new thread");
    // Locking the proposal closes its whole discussion.
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Proposal,
        proposal,
        decide(Action::Lock, "", ""),
    )
    .await
    .unwrap();
    assert_eq!(
        problems(
            comments::post(&svc, Some(&other), on, say("还能说吗", None))
                .await
                .unwrap_err()
        ),
        [("body".into(), Problem::DiscussionLocked)]
    );
    let p = page(&svc, None, proposal).await;
    assert!(p.locked && !p.open);
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Proposal,
        proposal,
        decide(Action::Unlock, "", ""),
    )
    .await
    .unwrap();
    comments::post(&svc, Some(&other), on, say("解锁了", None))
        .await
        .expect("unlocked");

    // A report photo showing a face is flagged and blurred for the public; unblurring
    // brings the sharp one back.
    let t = token();
    let photo = gongzhi_domain::reports::upload_photo(&svc, &t, png(400, 300))
        .await
        .unwrap();
    let done = gongzhi_domain::reports::submit(
        &svc,
        gongzhi_domain::reports::Reporter {
            user: Some(&author),
            ip: "203.0.113.5",
            api_key: None,
        },
        report(vec![photo.uid.clone()], t),
    )
    .await
    .unwrap();
    let photo_id: i64 = with_db!(&svc.db, p => sqlx::query_scalar("SELECT id FROM photos WHERE report_id = $1").bind(done.id).fetch_one(p).await).unwrap();
    flag(
        &svc,
        Some(&other),
        ItemKind::Photo,
        photo_id,
        "personal_data",
        "照到了人脸",
    )
    .await
    .unwrap();
    let q = queue::list(&svc, Some(&moderator)).await.unwrap();
    let e = q
        .iter()
        .find(|e| e.kind == ItemKind::Photo && e.item_id == photo_id)
        .expect("queued");
    assert_eq!(
        e.photo_url.as_deref(),
        Some(format!("/photos/{}/display", photo.uid).as_str())
    );
    use gongzhi_domain::reports::PhotoSize;
    let sharp = gongzhi_domain::reports::photo_blob(&svc, &photo.uid, PhotoSize::Display)
        .await
        .unwrap()
        .unwrap()
        .bytes;
    assert_eq!(
        problems(
            queue::act(
                &svc,
                Some(&moderator),
                ItemKind::Photo,
                photo_id,
                decide(Action::Hide, "personal_data", "")
            )
            .await
            .unwrap_err()
        ),
        [("action".into(), Problem::InvalidChoice)]
    );
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Photo,
        photo_id,
        decide(Action::Blur, "personal_data", ""),
    )
    .await
    .unwrap();
    let blurred = gongzhi_domain::reports::photo_blob(&svc, &photo.uid, PhotoSize::Display)
        .await
        .unwrap()
        .unwrap()
        .bytes;
    assert_ne!(blurred, sharp);
    let img = image::load_from_memory(&blurred).expect("a JPEG");
    assert_eq!((img.width(), img.height()), (400, 300));
    // Blurred: neighbouring pixels barely differ (the gradient's sharp 256-step wraps are gone).
    let rgb = img.to_rgb8();
    let jump = |im: &image::RgbImage| {
        (1..im.width())
            .map(|x| (im.get_pixel(x, 10)[0] as i32 - im.get_pixel(x - 1, 10)[0] as i32).abs())
            .max()
            .unwrap()
    };
    let sharp_img = image::load_from_memory(&sharp).unwrap().to_rgb8();
    assert!(
        jump(&rgb) < jump(&sharp_img) / 4,
        "{} vs {}",
        jump(&rgb),
        jump(&sharp_img)
    );
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Photo,
        photo_id,
        decide(Action::Unblur, "", ""),
    )
    .await
    .unwrap();
    let again = gongzhi_domain::reports::photo_blob(&svc, &photo.uid, PhotoSize::Display)
        .await
        .unwrap()
        .unwrap()
        .bytes;
    assert_eq!(again, sharp);

    // Posting per address: the limit counts comments and proposals from one address,
    // whoever posts them.
    svc.limits.post_per_ip = 2;
    let from = |body: &str| NewComment {
        ip: "198.51.100.23".into(),
        ..say(body, None)
    };
    comments::post(&svc, Some(&author), on, from("一"))
        .await
        .unwrap();
    comments::post(&svc, Some(&other), on, from("二"))
        .await
        .unwrap();
    assert!(matches!(
        comments::post(&svc, Some(&moderator), on, from("三")).await,
        Err(Error::RateLimited { .. })
    ));
    comments::post(
        &svc,
        Some(&author),
        on,
        NewComment {
            ip: "198.51.100.24".into(),
            ..say("别处", None)
        },
    )
    .await
    .expect("another address");
}

async fn the_moderation_pages_work_over_http(app: &TestApp) {
    let svc = app.demo().await;
    let official = account(&svc, "official@demo.gongzhi.org").await;
    let moderator_me = account(&svc, "moderator@demo.gongzhi.org").await;
    let author = user(&svc, "页面作者", Role::Resident, None).await;
    let (_, proposal) = process_with_proposal(&svc, &official, &author).await;
    let c = comments::post(
        &svc,
        Some(&author),
        Subject::Proposal(proposal),
        say("一段不该出现的文字", None),
    )
    .await
    .unwrap();

    // A resident flags it over HTTP; a second flag by the same person is refused by name.
    let flagger = app
        .resident("flagger@example.org", "举报的人", "flagger-pass-2026")
        .await;
    let cid = c.to_string();
    let form = [
        ("kind", "comment"),
        ("id", cid.as_str()),
        ("reason", "abuse"),
        ("note", ""),
    ];
    let (status, body, _) = app.call(&flagger, "flag", &form).await;
    assert_eq!(
        (status, body.clone()),
        (200, serde_json::json!(false)),
        "{body}"
    );
    let (status, body, _) = app.call(&flagger, "flag", &form).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("already_flagged"), "{body}");

    // The queue page: moderators see the item; residents are refused.
    let moderator = app
        .logged_in("moderator@demo.gongzhi.org", "moderator-demo-2026")
        .await;
    let html = app.page(&moderator, "/moderation", "en").await;
    assert!(
        html.contains("Review queue") && html.contains("一段不该出现的文字"),
        "{}",
        html.chars().take(400).collect::<String>()
    );
    let html = app.page(&flagger, "/moderation", "zh-CN").await;
    assert!(!html.contains("一段不该出现的文字"));

    // Hidden over HTTP with a reason: the proposal page shows the tombstone, not the text.
    let (status, body, _) = app
        .call(
            &moderator,
            "moderate",
            &[
                ("kind", "comment"),
                ("id", cid.as_str()),
                ("action", "hide"),
                ("reason", "abuse"),
                ("note", "请文明"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let html = app
        .page(&flagger, &format!("/proposals/{proposal}"), "zh-CN")
        .await;
    assert!(
        html.contains("已被版主隐藏。原因：") && html.contains("辱骂、骚扰或威胁。请文明"),
        "{}",
        html.chars().take(400).collect::<String>()
    );
    assert!(!html.contains("一段不该出现的文字"));
    // The public log, for anyone: the action and the moderator, not the text.
    let html = app
        .page(&common::new_client(), "/moderation/log", "en")
        .await;
    assert!(
        html.contains("Public moderation log")
            && html.contains(&moderator_me.display_name)
            && html.contains("Abuse, harassment or threats"),
        "{}",
        html.chars().take(400).collect::<String>()
    );
    assert!(!html.contains("一段不该出现的文字"));

    // A suspended user posting over HTTP hears why and until when.
    let (status, _, _) = app
        .call(
            &moderator,
            "suspend",
            &[
                (
                    "user_id",
                    &account(&svc, "flagger@example.org").await.id.to_string(),
                ),
                ("reason", "spam"),
                ("days", "3"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let pid = proposal.to_string();
    let (status, body, _) = app
        .call(
            &flagger,
            "post_comment",
            &[
                ("kind", "proposal"),
                ("id", pid.as_str()),
                ("stance", "for"),
                ("body", "我还想说"),
            ],
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body.to_string().contains("Suspended") && body.to_string().contains("ends_at"),
        "{body}"
    );
}

async fn a_reports_text_leaves_lists_search_and_the_api_while_held_or_hidden(app: &TestApp) {
    let svc = app.demo().await;
    let moderator = account(&svc, "moderator@demo.gongzhi.org").await;
    let admin = account(&svc, "admin@demo.gongzhi.org").await;
    let reporter = user(&svc, "报告人", Role::Resident, None).await;
    let secret = format!("楼下王某某电话13800000000乱贴广告{}", std::process::id());
    let done = gongzhi_domain::reports::submit(
        &svc,
        gongzhi_domain::reports::Reporter {
            user: Some(&reporter),
            ip: "203.0.113.11",
            api_key: None,
        },
        gongzhi_domain::reports::NewReport {
            description: secret.clone(),
            ..report(Vec::new(), token())
        },
    )
    .await
    .unwrap();
    let id = done.id;
    assert!(found(&svc, id).await, "searchable while public");

    // Three flags hold the text: the report stays (it is a problem in public space) but
    // its words leave the page, the list, the search and the Open311 API.
    for i in 0..3 {
        let f = user(&svc, &format!("邻居{i}"), Role::Resident, None).await;
        flag(&svc, Some(&f), ItemKind::Report, id, "personal_data", "")
            .await
            .unwrap();
    }
    let r = gongzhi_domain::reports::get(&svc, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (r.description.as_str(), r.visibility),
        ("", Visibility::Held)
    );
    assert!(!found(&svc, id).await, "held text is not searchable");
    let page = gongzhi_domain::reports::list(&svc, &Default::default(), None, 50)
        .await
        .unwrap();
    let s = page
        .reports
        .iter()
        .find(|r| r.id == id)
        .expect("the report is still listed");
    assert!(s.text_withheld && s.excerpt.is_empty());
    let api =
        gongzhi_domain::open311::request(&svc, &id.to_string(), gongzhi_domain::model::Lang::Zh)
            .await
            .unwrap();
    assert_eq!(api.description, "");
    assert_eq!(
        gongzhi_domain::reports::own_text(&svc, id)
            .await
            .unwrap()
            .as_deref(),
        Some(secret.as_str())
    );

    // Hidden for personal data, with a tombstone; the reporter appeals; an admin restores.
    queue::act(
        &svc,
        Some(&moderator),
        ItemKind::Report,
        id,
        decide(Action::Hide, "personal_data", "含他人电话"),
    )
    .await
    .unwrap();
    let r = gongzhi_domain::reports::get(&svc, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        r.hidden,
        Some(HiddenWhy {
            reason: Reason::PersonalData,
            note: "含他人电话".into()
        })
    );
    assert!(r.description.is_empty());
    let json = serde_json::to_string(
        &gongzhi_domain::open311::request(&svc, &id.to_string(), gongzhi_domain::model::Lang::En)
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(!json.contains("13800000000"), "{json}");
    // Its page tells readers why, without the words.
    let html = app
        .page(&common::new_client(), &format!("/reports/{id}"), "zh-CN")
        .await;
    assert!(
        html.contains("问题描述已被版主隐藏。原因：") && html.contains("泄露个人信息。含他人电话"),
        "no tombstone on the report page"
    );
    assert!(!html.contains("13800000000"));
    appeals::appeal(
        &svc,
        Some(&reporter),
        ItemKind::Report,
        id,
        "电话是我自己的",
    )
    .await
    .unwrap();
    queue::act(
        &svc,
        Some(&admin),
        ItemKind::Report,
        id,
        decide(Action::Restore, "", ""),
    )
    .await
    .unwrap();
    let r = gongzhi_domain::reports::get(&svc, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (r.description.as_str(), r.visibility, r.hidden.clone()),
        (secret.as_str(), Visibility::Visible, None)
    );
    assert!(found(&svc, id).await, "searchable again");
}

/// Whether a search for the phone number in its text finds report `id`.
async fn found(svc: &Services, id: i64) -> bool {
    let search = gongzhi_domain::model::report::ReportFilter {
        q: Some("13800000000".into()),
        ..Default::default()
    };
    gongzhi_domain::reports::list(svc, &search, None, 50)
        .await
        .unwrap()
        .reports
        .iter()
        .any(|r| r.id == id)
}

import { test, expect, Page } from "@playwright/test";
import { ADMIN, OFFICIAL, RESIDENT, expectAccessible, logIn, newResident, openPlain } from "./helpers";

const MODERATOR = { email: "moderator@demo.gongzhi.org", password: "moderator-demo-2026" };

/** The city's local time (UTC+8) `minutes` from now, as a datetime-local field takes it. */
function local(minutes: number) {
  return new Date(Date.now() + (8 * 60 + minutes) * 60_000).toISOString().slice(0, 16);
}

/** The questions of a live page, top first. */
async function ranking(page: Page) {
  return page.locator("#live-questions > li .live-body").allInnerTexts();
}

test("a resident asks a department, review publishes it, the department answers and the asker rates it", async ({ browser }, info) => {
  test.setTimeout(240_000);
  const tag = `${info.project.name}-${Date.now()}`;
  const title = `青秀山停车场何时扩建？${tag}`;

  const asker = await newResident(browser, info, "asker", "问政的居民");
  const page = asker.page;
  await openPlain(page, "/ask");
  await expect(page.locator("h1")).toHaveText("网络问政");
  await page.getByRole("link", { name: "我要提问" }).click();
  await expect(page.locator("h1")).toHaveText("向部门提问");
  // Similar questions first: the demo has one about the night market.
  await page.getByLabel("问题标题").fill("民主路夜市油烟什么时候整治");
  // With the script, suggestions appear while typing; without it, on request.
  await expect(page.locator(".similar-live")).toContainText("民主路夜市油烟扰民");
  await page.getByRole("button", { name: "先看看有没有类似提问" }).click();
  await expect(page.locator(".similar")).toContainText("民主路夜市油烟扰民");
  // Bad input: the refused form names the field and keeps what was typed.
  await page.getByLabel("问题标题").fill("");
  await page.getByLabel("详细情况").fill(`节假日进山要排队一小时。${tag}`);
  await page.getByLabel("提问部门").selectOption({ label: "南宁市城市管理局" });
  await page.locator("#ask-form").evaluate((f: HTMLFormElement) => (f.noValidate = true));
  await page.getByRole("button", { name: "提交提问" }).click();
  await expect(page.locator("#f-title-error")).toContainText("请填写此项");
  await expect(page.getByLabel("详细情况")).toHaveValue(`节假日进山要排队一小时。${tag}`);
  await page.getByLabel("问题标题").fill(title);
  await page.getByRole("button", { name: "提交提问" }).click();
  await expect(page).toHaveURL(/\/questions\/\d+$/);
  const url = page.url();
  await expect(page.locator("h1")).toHaveText(title);
  await expect(page.locator(".notice")).toContainText("等待审核");
  await expectAccessible(page);

  // A moderator publishes it.
  const modCtx = await browser.newContext();
  const mod = await modCtx.newPage();
  await logIn(mod, MODERATOR.email, MODERATOR.password);
  await openPlain(mod, "/moderation");
  const item = mod.locator("li.queue-item", { hasText: title });
  await expect(item).toContainText("先审后发");
  await item.locator("summary", { hasText: "处理" }).click();
  await item.getByRole("radio", { name: "通过", exact: true }).check();
  await item.getByRole("button", { name: "执行" }).click();
  await expect(mod.locator("li.queue-item", { hasText: title })).toHaveCount(0);
  await openPlain(mod, `/ask?q=${encodeURIComponent(tag)}`);
  await expect(mod.locator(".question-row", { hasText: title })).toContainText("待答复");

  // The department's official answers in public.
  const offCtx = await browser.newContext();
  const off = await offCtx.newPage();
  await logIn(off, OFFICIAL.email, OFFICIAL.password);
  await off.goto(url, { waitUntil: "load" });
  await off.getByLabel("答复内容").fill(`已规划新增 **300** 个车位，明年春节前启用。（${tag}）`);
  await off.getByRole("button", { name: "发布答复" }).click();
  await expect(off.locator(".answer .markdown strong")).toHaveText("300");
  await expect(off.locator(".answer")).toContainText("按期答复");
  // …and attaches the plan as a PDF, which everyone can download.
  await off.locator("summary", { hasText: "附件：添加或删除" }).click();
  await off.getByLabel("文件", { exact: true }).setInputFiles({
    name: "停车场规划.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"),
  });
  await off.getByRole("button", { name: "上传附件" }).click();
  await expect(off.locator(".answer-files a", { hasText: "停车场规划.pdf" })).toBeVisible();

  // The asker rates it; the rating shows on the public page.
  await page.goto(url, { waitUntil: "load" });
  await expect(page.locator(".answer")).toContainText("明年春节前启用");
  const rating = page.locator(".rating-form");
  await rating.getByRole("radio", { name: "满意", exact: true }).first().check();
  await rating.getByLabel("评价意见（可选）").fill("答复及时");
  await rating.getByRole("button", { name: "提交评价" }).click();
  await expect(page.locator(".rating-line")).toContainText("满意");
  const readerCtx = await browser.newContext();
  const reader = await readerCtx.newPage();
  await reader.goto(url, { waitUntil: "load" });
  await expect(reader.locator(".rating-line")).toContainText("提问人评价：满意");
  await expect(reader.getByText("答复及时")).toHaveCount(0);
  const download = reader.waitForEvent("download");
  await reader.locator(".answer-files a", { hasText: "停车场规划.pdf" }).click();
  expect((await download).suggestedFilename()).toBe("停车场规划.pdf");
  await expectAccessible(reader);
  await openPlain(reader, "/departments");
  await expect(reader.locator("table.figures")).toContainText("南宁市城市管理局");
  await expectAccessible(reader);
  await Promise.all([asker.context.close(), modCtx.close(), offCtx.close(), readerCtx.close()]);
});

test("a live session: upvotes reorder another browser without reload, answers appear live, a dropped connection catches up", async ({ browser }, info) => {
  test.setTimeout(240_000);
  const tag = `${info.project.name}-${Date.now()}`;
  const sessionTitle = `城管局长在线访谈 ${tag}`;
  const first = `夜市油烟什么时候整治？${tag}`;
  const second = `共享单车能否划定停放区？${tag}`;

  // An admin schedules a session with the urban management bureau, live now.
  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await logIn(admin, ADMIN.email, ADMIN.password);
  await openPlain(admin, "/live");
  await admin.getByLabel("主题").fill(sessionTitle);
  await admin.getByLabel("提问部门").selectOption({ label: "南宁市城市管理局" });
  await admin.getByLabel("开始时间").fill(local(-5));
  await admin.getByLabel("结束时间").fill(local(60));
  await admin.getByRole("button", { name: "安排直播" }).click();
  await expect(admin).toHaveURL(/\/live\/\d+$/);
  const url = admin.url();
  await adminCtx.close();

  // Resident A asks two questions; resident B watches.
  const aCtx = await browser.newContext();
  const a = await aCtx.newPage();
  await logIn(a, RESIDENT.email, RESIDENT.password);
  await a.goto(url, { waitUntil: "load" });
  await expect(a.locator("#live-status")).toHaveText("实时更新中");
  await a.getByLabel("您的问题").fill(first);
  await a.getByRole("button", { name: "提问", exact: true }).click();
  await expect(a.locator("#live-questions")).toContainText(first);
  await a.getByLabel("您的问题").fill(second);
  await a.getByRole("button", { name: "提问", exact: true }).click();
  await expect(a.locator("#live-questions")).toContainText(second);

  const b = await newResident(browser, info, "watcher", "看直播的居民");
  const bp = b.page;
  await bp.goto(url, { waitUntil: "load" });
  await expect(bp.locator("#live-status")).toHaveText("实时更新中");
  expect(await ranking(bp)).toEqual([first, second]);
  await bp.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  await expectAccessible(bp);

  // A upvotes the second question: B's page reorders by itself.
  await a.locator("li.live-q", { hasText: second }).getByRole("button", { name: "想听答复" }).click();
  await expect(a.locator("li.live-q", { hasText: second }).getByRole("button", { name: "已投票" })).toBeVisible();
  await expect.poll(() => ranking(bp)).toEqual([second, first]);
  await expect(bp.locator("li.live-q", { hasText: second }).locator(".live-count")).toHaveText("1");

  // The official marks it and answers: both browsers see it live.
  const offCtx = await browser.newContext();
  const off = await offCtx.newPage();
  await logIn(off, OFFICIAL.email, OFFICIAL.password);
  await off.goto(url, { waitUntil: "load" });
  const mine = off.locator("li.live-q", { hasText: second });
  await mine.getByRole("button", { name: "标记为正在答复" }).click();
  await expect(bp.locator("li.live-q", { hasText: second })).toHaveClass(/live-answering/);
  await mine.getByLabel("答复").fill(`下月起在地铁口划定 **20** 个停放区。${tag}`);
  await mine.getByRole("button", { name: "发布答复" }).click();
  for (const p of [a, bp]) {
    const q = p.locator("li.live-q", { hasText: second });
    await expect(q.locator(".live-answer strong")).toHaveText("20");
    await expect(q).toHaveClass(/live-answered/);
  }

  // B's connection drops; meanwhile B votes for the first question and A does too; on
  // reconnecting, B catches up with what it missed.
  await bp.evaluate(() => (window as unknown as { gongzhiLive: { drop(): void } }).gongzhiLive.drop());
  await expect(bp.locator("#live-status")).toHaveText("连接中断，正在重新连接……");
  await a.locator("li.live-q", { hasText: first }).getByRole("button", { name: "想听答复" }).click();
  await expect(a.locator("li.live-q", { hasText: first }).getByRole("button", { name: "已投票" })).toBeVisible();
  await expect(bp.locator("#live-status")).toHaveText("实时更新中", { timeout: 15_000 });
  await expect(bp.locator("li.live-q", { hasText: first }).locator(".live-count")).toHaveText("1");
  await bp.locator("li.live-q", { hasText: first }).getByRole("button", { name: "想听答复" }).click();
  await expect.poll(() => ranking(bp)).toEqual([first, second]);
  await expect(a.locator("li.live-q", { hasText: first }).locator(".live-count")).toHaveText("2");
  expect(await bp.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await expectAccessible(bp);
  await Promise.all([aCtx.close(), b.context.close(), offCtx.close()]);
});

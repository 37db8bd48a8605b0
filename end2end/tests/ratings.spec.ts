import { test, expect, Page } from "@playwright/test";
import { openPlain, logIn, expectAccessible, DISPATCHER, OFFICIAL } from "./helpers";

/** The urban management bureau's figures this month on the results page. */
async function figures(page: Page) {
  await openPlain(page, "/results?period=this_month&department=cgj");
  const value = async (id: string) => Number(await page.locator(`#fig-${id} .figure-value`).innerText());
  // Notes read "done on time / done · 新发整改 opened" and "satisfied / rated".
  const note = async (id: string) => (await page.locator(`#fig-${id} .figure-note`).innerText()).match(/\d+/g)!.map(Number);
  const [, rectified, opened] = await note("rectified");
  const [satisfied, rated] = await note("satisfaction");
  return { received: await value("received"), closed: await value("closed"), rectified, opened, satisfied, rated };
}

const RESIDENT = { email: "resident@demo.gongzhi.org", password: "resident-demo-2026" };

/** Takes a workflow step on a case page (a plain form). */
async function step(page: Page, id: string, name: string, button: string, note?: string) {
  await openPlain(page, `/cases/${id}`);
  const form = page.locator(`form#step-${name}`);
  if (note) await form.locator("textarea").fill(note);
  if (name === "dispatch") await form.locator("select").selectOption({ label: "南宁市城市管理局" });
  await form.getByRole("button", { name: button }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${id}\\?done=${name}$`));
}

test("a resident rates a closed report 不满意, the case is rectified, and the resident rates it again", async ({ browser }, info) => {
  test.setTimeout(120_000);
  const tag = `${info.project.name}-${Date.now()}`;
  const description = `评价流程：人行道护栏被撞弯 ${tag}`;

  // A signed-in resident files a report with the plain form.
  const residentCtx = await browser.newContext();
  const resident = await residentCtx.newPage();
  const before = await figures(resident);
  await logIn(resident, RESIDENT.email, RESIDENT.password);
  await resident.goto("/reports/new");
  await expect(resident.locator("form[data-report-form][data-ready]")).toHaveCount(1);
  await resident.locator(".category-option label", { hasText: "乱涂乱画、小广告" }).click();
  await resident.locator("#f-lat").fill("22.8244");
  await resident.locator("#f-lon").fill("108.3853");
  await resident.locator("#f-description").fill(description);
  await resident.getByRole("button", { name: "提交" }).click();
  await expect(resident).toHaveURL(/\/reports\/\d+\?new=1$/);
  const id = resident.url().match(/\/reports\/(\d+)/)![1];

  // The city works it to 结案.
  const dispatcherCtx = await browser.newContext();
  const dispatcher = await dispatcherCtx.newPage();
  await logIn(dispatcher, DISPATCHER.email, DISPATCHER.password);
  const officialCtx = await browser.newContext();
  const official = await officialCtx.newPage();
  await logIn(official, OFFICIAL.email, OFFICIAL.password);
  await expect(async () => {
    await openPlain(dispatcher, `/cases/${id}`);
    await expect(dispatcher.locator(".badge-stage-new")).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await step(dispatcher, id, "accept", "受理");
  await step(dispatcher, id, "register", "立案");
  await step(dispatcher, id, "dispatch", "派遣", "请城管局处置");
  await step(official, id, "handle", "提交处置结果", "已清理");
  await step(dispatcher, id, "verify", "核查通过");
  await step(dispatcher, id, "close", "结案", "结案");

  // The resident rates it 不满意: the report goes back for rectification.
  await openPlain(resident, `/reports/${id}`);
  const form = resident.locator("section.rating-form");
  await expect(form.locator("h2")).toHaveText("评价办理结果");
  await form.getByRole("radio", { name: "不满意", exact: true }).first().check();
  await form.getByLabel("评价意见（可选）").fill("只清理了一半");
  await form.getByRole("button", { name: "提交评价" }).click();
  await expect(resident.locator(".report-meta .badge").first()).toHaveText("整改中");
  await expect(resident.locator(".report-ratings")).toContainText("不满意");
  await expect(resident.locator(".report-ratings")).toContainText("整改中");
  await expect(resident.locator("section.rating-form")).toHaveCount(0);
  await expectAccessible(resident);

  // Back with the department for another round: handled, checked and closed again.
  await expect(async () => {
    await openPlain(official, `/cases/${id}`);
    await expect(official.locator(".badge-stage-dispatched")).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(official.locator(".timeline")).toContainText("只清理了一半");
  await step(official, id, "handle", "提交处置结果", "已全部清理");
  await step(dispatcher, id, "verify", "核查通过");
  await step(dispatcher, id, "close", "结案", "整改完毕");

  // Asked to rate again, the resident rates the rectified report 满意.
  await openPlain(resident, `/reports/${id}`);
  await expect(resident.locator(".report-ratings")).toContainText("按期整改");
  const again = resident.locator("section.rating-form");
  await expect(again.locator("h2")).toHaveText("整改已办结，请再次评价");
  await again.getByRole("radio", { name: "满意", exact: true }).first().check();
  await again.getByRole("button", { name: "提交评价" }).click();
  await expect(resident.locator(".report-ratings li")).toHaveCount(2);
  await expect(resident.locator(".report-ratings li").nth(1)).toContainText("满意");

  // Anyone sees both rounds, without the resident's words in the rating.
  const readerCtx = await browser.newContext();
  const reader = await readerCtx.newPage();
  await openPlain(reader, `/reports/${id}`);
  await expect(reader.locator(".report-ratings li")).toHaveCount(2);
  await expect(reader.locator(".report-ratings")).not.toContainText("只清理了一半");
  await expect(reader.locator("section.rating-form")).toHaveCount(0);
  await expectAccessible(reader);

  // The results page shows the change: one more report received and closed, a rectification
  // sent back and done, one more rating of 基本满意 or better (the newest round counts). The
  // other project runs this test too, so counts may have grown by more than one.
  const after = await figures(reader);
  expect(after.received).toBeGreaterThanOrEqual(before.received + 1);
  expect(after.closed).toBeGreaterThanOrEqual(before.closed + 1);
  expect(after.opened).toBeGreaterThanOrEqual(before.opened + 1);
  expect(after.rectified).toBeGreaterThanOrEqual(before.rectified + 1);
  expect(after.satisfied).toBeGreaterThanOrEqual(before.satisfied + 1);
  expect(after.rated).toBeGreaterThanOrEqual(before.rated + 1);
  await expectAccessible(reader);
  // The count links to the list of what it counts, with this report in it.
  await reader.locator("#fig-received .figure-value").click();
  await expect(reader).toHaveURL(/\/reports\?from=.*department=cgj/);
  await expect(reader.locator(`[data-report-id="${id}"]`)).toHaveCount(1);
  // The satisfaction figure opens the ratings it counts: this report's newest round only.
  const shown = await figures(reader);
  await reader.locator("#fig-satisfaction .figure-value").click();
  await expect(reader).toHaveURL(/\/results\/ratings\?from=.*department=cgj/);
  // (The other project may rate in between: at least as many as the figure counted.)
  expect(Number(await reader.locator("#list-count strong").first().innerText())).toBeGreaterThanOrEqual(shown.rated);
  const rows = reader.locator(`tbody tr:has(a[href="/reports/${id}"])`);
  await expect(rows).toHaveCount(1);
  await expect(rows.locator("td").last()).toHaveText("2");
  await expectAccessible(reader);
  // The rectification figure opens the rectifications done, this report's among them.
  await figures(reader);
  await reader.locator("#fig-rectified .figure-value").click();
  await expect(reader).toHaveURL(/\/results\/rectifications\?from=.*by=done/);
  await expect(reader.locator(`tbody tr:has(a[href="/reports/${id}"])`)).toHaveCount(1);
  await expectAccessible(reader);
  await Promise.all([residentCtx.close(), dispatcherCtx.close(), officialCtx.close(), readerCtx.close()]);
});

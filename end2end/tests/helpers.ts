import { expect, Page, Browser, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const ADMIN = { email: "admin@demo.gongzhi.org", password: "admin-demo-2026" };

/** Opens a page and waits until the wasm has hydrated it (30 s: with two workers, axe
 * scans, two servers and a 1.8 MB wasm on two cores, 10 s and once even 20 s were not
 * enough; alone a page hydrates in about a second). */
export async function open(page: Page, path: string) {
  // What the browser said while loading: when a page never hydrates, the failure names why
  // (a panic in the wasm, a failed fetch) instead of only timing out.
  const said: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === "error" || m.type() === "warning") said.push(`console.${m.type()}: ${m.text()}`);
  };
  const onError = (e: Error) => said.push(`pageerror: ${e.message}`);
  const onFailed = (r: { url(): string; failure(): { errorText: string } | null }) =>
    said.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ""}`);
  page.on("console", onConsole);
  page.on("pageerror", onError);
  page.on("requestfailed", onFailed);
  // The document's response as the browser got it: its status, address after redirects,
  // and the CSP header the page was held to (an intermittent failure in CI was a page held to
  // the strict default instead of its own nonce policy; this says which response did that).
  let got = "(no response)";
  try {
    const res = await page.goto(path);
    if (res) {
      const headers = await res.allHeaders();
      const chain: string[] = [];
      for (let r = res.request().redirectedFrom(); r; r = r.redirectedFrom()) chain.unshift(r.url());
      got = `${res.status()} ${res.url()}${chain.length ? ` (redirected from ${chain.join(" → ")})` : ""}; ` +
        `content-security-policy: ${headers["content-security-policy"] ?? "(none)"}`;
    }
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 30_000 });
  } catch (e) {
    throw new Error(`${path} did not hydrate; the document: ${got}; the browser said:\n${said.join("\n") || "(nothing)"}\n${e}`);
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onError);
    page.off("requestfailed", onFailed);
  }
}

/** Opens one of the pages served as plain HTML without wasm (the report area). */
export async function openPlain(page: Page, path: string) {
  await page.goto(path, { waitUntil: "load" });
  await expect(page.locator("body[data-hydrated]")).toHaveCount(0);
}

/** An email address unique to this test and project. */
export function uniqueEmail(info: TestInfo, tag: string) {
  return `${tag}-${info.project.name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.cn`;
}

export async function logIn(page: Page, email: string, password: string) {
  await open(page, "/login");
  await page.locator("#f-email").fill(email);
  await page.locator("#f-password").fill(password);
  await page.locator("form.stack button[type=submit]").click();
  await expect(page).toHaveURL(/\/me$/);
}

/** Reads the newest link of `kind` (activate or reset) mailed to `email`, as the admin. */
export async function mailedLink(browser: Browser, email: string, kind: "activate" | "reset") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, ADMIN.email, ADMIN.password);
  await open(page, "/admin/outbox");
  const mail = page.locator("li.mail", { has: page.locator(".mail-to", { hasText: email }) }).first();
  const body = await mail.locator("pre.mail-body").innerText();
  await context.close();
  const match = body.match(new RegExp(`(/${kind}/[A-Za-z0-9_-]+)`));
  expect(match, `a ${kind} link in: ${body}`).not.toBeNull();
  return match![1];
}

/** A new resident, signed up and activated, signed in in a context of their own. */
export async function newResident(browser: Browser, info: TestInfo, tag: string, name: string) {
  const email = uniqueEmail(info, tag);
  const password = "南宁的春天很短很短";
  const context = await browser.newContext();
  const page = await context.newPage();
  await open(page, "/signup");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("显示名称").fill(name);
  await page.locator("#f-password").fill(password);
  await page.locator("#f-password_confirm").fill(password);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("heading", { name: "请查收邮件" })).toBeVisible();
  await open(page, await mailedLink(browser, email, "activate"));
  await page.getByRole("button", { name: "激活并登录" }).click();
  await expect(page).toHaveURL(/\/me$/);
  return { context, page };
}

/** No serious or critical accessibility violations on the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`)).toEqual([]);
}

/** A, the resident-facing instance chained to B (see start-server.sh). */
export const A_URL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1}`;

export const DISPATCHER = { email: "dispatcher@demo.gongzhi.org", password: "dispatcher-demo-2026" };
export const OFFICIAL = { email: "official@demo.gongzhi.org", password: "official-demo-2026" };
export const RESIDENT = { email: "resident@demo.gongzhi.org", password: "resident-demo-2026" };

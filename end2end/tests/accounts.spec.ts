import { test, expect } from "@playwright/test";
import { open, uniqueEmail, logIn, mailedLink, ADMIN } from "./helpers";

test("sign up, activate, log in, see my name, switch language, log out", async ({ page, browser }, info) => {
  const email = uniqueEmail(info, "new");
  const name = "黄小明";
  const password = "南宁的夏天很热很长";

  await open(page, "/signup");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("显示名称").fill(name);
  await page.locator("#f-password").fill(password);
  await page.locator("#f-password_confirm").fill(password);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("heading", { name: "请查收邮件" })).toBeVisible();

  const link = await mailedLink(browser, email, "activate");
  await open(page, link);
  await page.getByRole("button", { name: "激活并登录" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.locator("header .user-name")).toHaveText(name);

  await page.getByRole("button", { name: "退出登录" }).first().click();
  await expect(page.locator("header .user-name")).toHaveCount(0);

  await logIn(page, email, password);
  await expect(page.locator("header .user-name")).toHaveText(name);
  await expect(page.locator("dd.user-name")).toHaveText(name);

  await page.getByRole("button", { name: "切换语言" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "My account" })).toBeVisible();
  // The choice is remembered on the next page.
  await open(page, "/");
  await expect(page.getByRole("heading", { name: "Make the city better, together" })).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  await expect(page.locator("header .user-name")).toHaveCount(0);
});

test("bad input shows each field's error and keeps what was typed", async ({ page }, info) => {
  await open(page, "/signup");
  await page.locator("#f-email").fill("not-an-email");
  await page.locator("#f-display_name").fill("李华");
  await page.locator("#f-password").fill("short");
  await page.locator("#f-password_confirm").fill("different");
  await page.getByRole("button", { name: "注册" }).click();

  await expect(page.getByRole("alert").first()).toContainText("请修改标出的内容");
  await expect(page.locator("#f-email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#f-email-error")).toContainText("有效的邮箱地址");
  await expect(page.locator("#f-password-error")).toContainText("至少需要 8 个字符");
  await expect(page.locator("#f-password_confirm-error")).toContainText("不一致");
  await expect(page.locator("#f-display_name")).not.toHaveAttribute("aria-invalid", "true");
  // The error is tied to its field for screen readers.
  await expect(page.locator("#f-email")).toHaveAttribute("aria-describedby", /f-email-error/);
  // Nothing typed is lost.
  await expect(page.locator("#f-email")).toHaveValue("not-an-email");
  await expect(page.locator("#f-display_name")).toHaveValue("李华");
  await expect(page.locator("#f-password")).toHaveValue("short");

  // A wrong sign-in says so without telling which part was wrong.
  await open(page, "/login");
  await page.locator("#f-email").fill(uniqueEmail(info, "nobody"));
  await page.locator("#f-password").fill("whatever it is");
  await page.getByRole("button", { name: "登录" }).last().click();
  await expect(page.getByRole("alert").first()).toContainText("邮箱或密码不正确");
  await expect(page.locator("#f-password")).toHaveValue("whatever it is");
});

test("an admin changes a user's role and department", async ({ page, browser }, info) => {
  // A fresh resident to promote.
  const email = uniqueEmail(info, "promote");
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await open(p2, "/signup");
  await p2.locator("#f-email").fill(email);
  await p2.locator("#f-display_name").fill("Promote Me");
  await p2.locator("#f-password").fill("promote me please");
  await p2.locator("#f-password_confirm").fill("promote me please");
  await p2.getByRole("button", { name: "注册" }).click();
  await expect(p2.getByRole("heading", { name: "请查收邮件" })).toBeVisible();
  await other.close();

  await logIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "管理", exact: true }).click();
  await expect(page.getByRole("heading", { name: "用户与角色" })).toBeVisible();
  await page.getByLabel("按邮箱或名称搜索").fill(email);
  await page.getByRole("button", { name: "搜索" }).click();
  const row = page.locator(`li.user-row[data-email="${email}"]`);
  await expect(row).toBeVisible();

  // An official without a department is refused, with the reason next to the form.
  await row.getByLabel("角色").selectOption("official");
  await row.getByRole("button", { name: "保存" }).click();
  await expect(row.locator(".field-error")).toContainText("必须属于一个部门");

  await row.getByLabel("部门").selectOption({ label: "南宁市城市管理局" });
  await row.getByRole("button", { name: "保存" }).click();
  await expect(row.locator(".saved")).toHaveText("已保存");

  await page.reload();
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  const again = page.locator(`li.user-row[data-email="${email}"]`);
  await expect(again.getByLabel("角色")).toHaveValue("official");
});

test("log in works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await page.locator("#f-email").fill("resident@demo.gongzhi.org");
  await page.locator("#f-password").fill("resident-demo-2026");
  await page.locator("form.stack button[type=submit]").click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.locator("dd.user-name")).toHaveText("黄伟");
  await context.close();
});

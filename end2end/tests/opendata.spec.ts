import { test, expect } from "@playwright/test";
import { openPlain, expectAccessible } from "./helpers";

test("open data: the schema page lists the files, and every download opens", async ({ page }) => {
  await openPlain(page, "/open-data");
  await expect(page.locator("h1")).toHaveText("开放数据");
  await expect(page.locator("#licence")).toContainText("CC BY 4.0");
  await expectAccessible(page);

  // A CSV download arrives as a file with the header row first.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("#reports-schema a", { hasText: "reports.csv" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("gongzhi-reports.csv");
  const path = await download.path();
  const text = require("fs").readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  expect(text.split("\r\n")[0]).toBe(
    "id,category,category_name_zh,category_name_en,department,grid,status,description,address,lat,lon,supports,created_at,due_at,closed_at,closed_on_time",
  );
  expect(text.split("\r\n").length).toBeGreaterThan(10);

  // JSON and GeoJSON open in the browser and parse.
  for (const [file, list] of [
    ["reports.json", "data"],
    ["reports.geojson", "features"],
    ["questions.json", "data"],
    ["answers.json", "data"],
    ["ratings.json", "data"],
    ["results.json", "data"],
  ]) {
    const res = await page.request.get(`/open-data/${file}?department=cgj`);
    expect(res.status(), file).toBe(200);
    const body = await res.json();
    expect(Array.isArray(body[list]), file).toBe(true);
    expect(body.licence, file).toContain("CC BY");
  }

  // The results page links here, and its figures open their lists.
  await openPlain(page, "/results?period=all");
  await expect(page.locator("#figures .figure")).toHaveCount(10);
  await expect(page.locator("svg.chart-svg")).toHaveCount(3);
  await page.locator("#fig-closed .figure-value").click();
  await expect(page).toHaveURL(/\/reports\?status=closed/);
  await expect(page.locator(".report-item").first()).toBeVisible();
});

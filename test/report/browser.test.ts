import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHROMIUM_ARGS,
  ChromiumMissingError,
  chromiumPath,
  renderChartPng,
} from "../../src/report/browser.js";
import { renderReport } from "../../src/report/html.js";
import { barChart } from "../../src/report/svg.js";
import { runCli } from "../helpers/cli.js";
import { sampleReportData } from "./sample-data.js";

/**
 * Opens real reports in Debian's Chromium (driven by playwright-core, which downloads no browser).
 * Without /usr/bin/chromium the tests skip visibly on a workstation and fail in CI, where .ci/run
 * installs the package.
 */
const executablePath = chromiumPath();
const haveChromium = existsSync(executablePath);
const inCi = /^(1|true|yes)$/i.test(process.env.CI ?? "");

if (!haveChromium) {
  if (inCi)
    it("Chromium is installed (required in CI)", () => {
      throw new Error(`${executablePath} is missing: install Debian's chromium: apt-get install chromium`);
    });
  else
    console.warn(
      `SKIP report browser tests: ${executablePath} is missing (install Debian's chromium: apt-get install chromium)`,
    );
}

/** Reads width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The sample with one results cell whose printed form is known in advance. */
function reportData() {
  const data = sampleReportData();
  data.results!.rows[2].cells.hAcc = { mean: 0.589, lo: 0.57, hi: 0.608, n: 3 };
  return data;
}

describe.skipIf(!haveChromium)("report in headless Chromium", () => {
  let dir: string;
  let browser: Browser;
  let reportUrl: string;
  let html: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "rlev-report-browser-"));
    html = renderReport(reportData());
    const file = join(dir, "report.html");
    await writeFile(file, html);
    reportUrl = pathToFileURL(file).href;
    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("renders with no console errors, no page errors and no network requests", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      if (r.url() !== reportUrl) problems.push(`request: ${r.url()}`);
    });
    await page.goto(reportUrl, { waitUntil: "load" });

    // The results table: visible, one row per arm, in order, with the mean and its CI.
    const table = page.locator("table.results");
    expect(await table.isVisible()).toBe(true);
    const labels = await table.locator("tbody th.label").allInnerTexts();
    expect(labels.map((l) => l.trim())).toEqual(["Correctness", "Uniform scaling", "RLEV (α = 10)"]);
    const headers = (await table.locator("thead th").allInnerTexts()).map((h) => h.trim());
    expect(headers).toEqual([
      "Arm",
      "Acc",
      "H-Acc",
      "Length (tokens)",
      "Density",
      "Top 20%",
      "Bottom 20%",
      "n",
    ]);
    const rlevHAcc = table.locator("tbody tr").nth(2).locator("td").nth(1);
    expect(await rlevHAcc.locator(".mean").textContent()).toBe("58.9%");
    expect(await rlevHAcc.locator(".ci").textContent()).toBe("[57.0%, 60.8%]");
    expect(await rlevHAcc.locator(".ci").isVisible()).toBe(true);
    expect(await table.locator("tbody tr").nth(2).locator("td").last().textContent()).toBe("3");

    // Every chart has a real size on screen and parses as standalone SVG.
    const charts = page.locator("svg.rc-chart");
    expect(await charts.count()).toBe(8);
    for (const box of await charts.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()))) {
      expect(box.width).toBeGreaterThan(100);
      expect(box.height).toBeGreaterThan(100);
    }
    const parseErrors = await charts.evaluateAll((els) =>
      els.map(
        (e) =>
          new DOMParser().parseFromString(e.outerHTML, "image/svg+xml").getElementsByTagName("parsererror")
            .length,
      ),
    );
    expect(parseErrors).toEqual(new Array(8).fill(0));
    // Lines and bars were drawn, not just axes.
    expect(await page.locator("svg.rc-chart path.rc-line").count()).toBe(3 * 3 + 3 * 2);
    expect(await page.locator("svg.rc-chart g.rc-plot rect.rc-bar").count()).toBe(2 * 15);

    // Every claim shows its verdict in words.
    expect(await page.locator("li.claim .badge").allInnerTexts()).toEqual([
      "✓ Reproduced",
      "✓ Reproduced",
      "✓ Reproduced",
      "? Inconclusive",
      "– Not applicable",
      "✗ Not reproduced",
    ]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("switches to dark colours under prefers-color-scheme: dark", async () => {
    const page = await browser.newPage({ colorScheme: "dark" });
    await page.goto(reportUrl);
    const colours = await page.evaluate(() => ({
      body: getComputedStyle(document.body).backgroundColor,
      line: getComputedStyle(document.querySelector("path.rc-line.rc-s0")!).stroke,
      tick: getComputedStyle(document.querySelector("text.rc-tick")!).fill,
    }));
    // --bg #111318, dark palette slot 0 #5aa9f2, --muted #a3a9b5.
    expect(colours).toEqual({
      body: "rgb(17, 19, 24)",
      line: "rgb(90, 169, 242)",
      tick: "rgb(163, 169, 181)",
    });
    await page.close();
  });

  it("screenshots the key chart of a report, and a bare SVG, to PNG", async () => {
    const keyPng = join(dir, "key.png");
    const r = await renderChartPng(html, keyPng);
    const size = pngSize(await readFile(keyPng));
    // Device scale factor 2: twice the figure's CSS size (rounding may differ by a pixel).
    expect(Math.abs(size.width - 2 * r.width)).toBeLessThanOrEqual(2);
    expect(Math.abs(size.height - 2 * r.height)).toBeLessThanOrEqual(2);
    expect(r.width).toBeGreaterThan(400);

    const svgPng = join(dir, "bar.png");
    const svg = barChart({
      id: "b",
      title: "bars",
      width: 480,
      height: 300,
      categories: ["a", "b"],
      series: [{ name: "s", values: [{ mean: 1, lo: 0.5, hi: 1.5 }, { mean: 2 }] }],
    });
    await renderChartPng(svg, svgPng);
    // 480 × 300 chart plus 16 px padding on each side, at scale 2.
    expect(pngSize(await readFile(svgPng))).toEqual({ width: 1024, height: 664 });
  });

  it("rlev report --png writes the README chart", async () => {
    const input = join(dir, "data.json");
    await writeFile(input, JSON.stringify(reportData()));
    const png = join(dir, "cli-key.png");
    const r = await runCli(["report", "--input", input, "--output", join(dir, "cli.html"), "--png", png]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*cli-key\.png \(\d+×\d+ CSS px, \d+ KB\)/);
    expect(pngSize(await readFile(png)).width).toBeGreaterThan(800);
  });
});

describe("without Chromium", () => {
  it("says how to install it", async () => {
    const out = join(tmpdir(), "rlev-never-written.png");
    await expect(renderChartPng("<svg/>", out, { executablePath: "/nonexistent/chromium" })).rejects.toThrow(
      ChromiumMissingError,
    );
    await expect(renderChartPng("<svg/>", out, { executablePath: "/nonexistent/chromium" })).rejects.toThrow(
      "install Debian's chromium: apt-get install chromium",
    );
    expect(existsSync(out)).toBe(false);
  });
});

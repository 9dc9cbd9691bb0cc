import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { writeFileAtomic } from "../util/atomic.js";
import { RlevError } from "../util/errors.js";

/** Debian's chromium package; `RLEV_CHROMIUM` points elsewhere (e.g. another distribution's binary). */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/**
 * Flags for a quiet, offline, throw-away browser: no GPU, no sandbox (containers lack the namespaces
 * it needs), and none of the background traffic a fresh profile would start (updates, sync, QUIC).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export class ChromiumMissingError extends RlevError {
  constructor(path: string) {
    super(
      `Chromium not found at ${path}: install Debian's chromium: apt-get install chromium (or set RLEV_CHROMIUM to a Chromium binary)`,
      1,
    );
    this.name = "ChromiumMissingError";
  }
}

export function chromiumPath(): string {
  return process.env.RLEV_CHROMIUM || DEFAULT_CHROMIUM;
}

export interface BrowserOptions {
  executablePath?: string;
  colorScheme?: "light" | "dark";
  viewport?: { width: number; height: number };
  /** Device pixels per CSS pixel of screenshots (2 gives crisp README images). */
  deviceScaleFactor?: number;
}

/**
 * Runs `fn` in headless Chromium driven by playwright-core (which never downloads a browser), with a
 * fresh user-data directory that is removed afterwards, so no state leaks between runs.
 */
export async function withChromium<T>(
  fn: (context: BrowserContext) => Promise<T>,
  opts: BrowserOptions = {},
): Promise<T> {
  const executablePath = opts.executablePath ?? chromiumPath();
  if (!existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
  const { chromium } = await import("playwright-core");
  const userDataDir = await mkdtemp(join(tmpdir(), "rlev-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      colorScheme: opts.colorScheme ?? "light",
      viewport: opts.viewport ?? { width: 1100, height: 900 },
      deviceScaleFactor: opts.deviceScaleFactor ?? 2,
      offline: true,
    });
    try {
      return await fn(context);
    } finally {
      await context.close();
    }
  } finally {
    await rm(userDataDir, { recursive: true, force: true });
  }
}

function isSvg(text: string): boolean {
  const head = text.trimStart().slice(0, 200).toLowerCase();
  return head.startsWith("<svg") || (head.startsWith("<?xml") && head.includes("<svg"));
}

function standalonePage(svg: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;background:#fff}#chart{display:inline-block;padding:16px}#chart svg{display:block}</style></head><body><div id="chart">${svg}</div></body></html>`;
}

export interface PngResult {
  path: string;
  /** Size in CSS pixels (the PNG has deviceScaleFactor times as many). */
  width: number;
  height: number;
  bytes: number;
}

/**
 * Screenshots a chart to PNG (for a README). Takes either one SVG string (from svg.ts) or a whole
 * report (from `renderReport`), of which it shoots the key chart (`[data-key-chart]`, else the first
 * figure). The PNG is written atomically; light colour scheme unless asked otherwise.
 */
export async function renderChartPng(
  svgOrHtml: string,
  outPng: string,
  opts: BrowserOptions & { selector?: string } = {},
): Promise<PngResult> {
  const svg = isSvg(svgOrHtml);
  const html = svg ? standalonePage(svgOrHtml) : svgOrHtml;
  const selectors = opts.selector
    ? [opts.selector]
    : svg
      ? ["#chart"]
      : ["[data-key-chart]", "figure", "svg"];
  return withChromium(async (context) => {
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load" });
    for (const selector of selectors) {
      const el = await page.$(selector);
      if (!el) continue;
      const box = await el.boundingBox();
      const png = await el.screenshot({ type: "png", animations: "disabled" });
      await writeFileAtomic(outPng, png);
      return {
        path: outPng,
        width: Math.round(box?.width ?? 0),
        height: Math.round(box?.height ?? 0),
        bytes: png.length,
      };
    }
    throw new RlevError(`no chart to screenshot: nothing matches ${selectors.join(", ")}`, 1);
  }, opts);
}

/** Screenshots a whole HTML page (full height) to PNG, e.g. to look at a report without a desktop. */
export async function renderPagePng(
  html: string,
  outPng: string,
  opts: BrowserOptions = {},
): Promise<PngResult> {
  return withChromium(async (context) => {
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load" });
    const png = await page.screenshot({ type: "png", fullPage: true, animations: "disabled" });
    const size = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      height: document.documentElement.scrollHeight,
    }));
    await writeFileAtomic(outPng, png);
    return { path: outPng, ...size, bytes: png.length };
  }, opts);
}

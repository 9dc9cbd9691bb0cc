import { stat } from "node:fs/promises";
import { extname, join } from "node:path";
import {
  type GaokaoResultFile,
  gaokaoResultFiles,
  itemsFromGaokaoResults,
  readGaokaoResultFile,
} from "../data/importers/gaokao-results.js";
import type { Item } from "../data/item.js";
import { readItemsFromPath } from "../data/items-io.js";
import { writeJsonl } from "../data/jsonl.js";
import { writeFileAtomic } from "../util/atomic.js";
import { InputError, UsageError } from "../util/errors.js";
import { throttledProgress } from "../util/progress.js";
import { VerifierPool, type VerifierPoolStats } from "../verify/pool.js";
import type { Verdict, VerifyInput } from "../verify/types.js";
import { type GradedSavedRow, type GradeMetrics, summarizeGrades } from "./grade-metrics.js";
import { gradeSummaryMarkdown, writeGradeReport } from "./grade-report.js";
import { type GradingOptions, gradingInput, itemBlankPoints } from "./grading.js";
import { readSavedResponses, type SavedResponse } from "./saved-responses.js";
import { VerdictCache, verdictKey, verifierFingerprint } from "./verdict-cache.js";

/**
 * `rlev grade`: grade saved outputs of any model against value-labeled items — responses by item
 * id (JSONL or Parquet), or GAOKAO-Bench result files as the benchmark writes them — through the
 * verifier pool, and write graded.jsonl, metrics.json and report.html. Verdicts are kept in
 * `grade.cache.jsonl` as they come, so an interrupted run resumes without regrading.
 */
export interface GradeSavedOptions {
  /** Items (.jsonl/.parquet or a folder); optional for GAOKAO-Bench result files (built from them). */
  items?: string;
  /** Responses: .jsonl/.parquet, or a GAOKAO-Bench result file (.json) or a folder of them. */
  responses: string;
  out: string;
  grading?: GradingOptions;
  threads?: number;
  timeoutMs?: number;
  /** Bootstrap resamples for the CIs (0: none). */
  bootstrap?: number;
  progress?: boolean;
  command?: string;
}

export interface GradeSavedResult {
  metrics: GradeMetrics;
  rows: GradedSavedRow[];
  fromCache: number;
  pool: VerifierPoolStats;
  files: { graded: string; metrics: string; report: string; summary: string; cache: string };
}

interface Loaded {
  items: Map<string, Item>;
  responses: SavedResponse[];
  /** "jsonl" / "parquet" responses, or "gaokao-bench" result files. */
  format: "responses" | "gaokao-bench";
  model: string | null;
  itemsSource: string;
}

async function isGaokaoResults(path: string): Promise<boolean> {
  try {
    if ((await stat(path)).isDirectory()) return true;
  } catch {
    throw new InputError({ file: path }, "not found");
  }
  return extname(path).toLowerCase() === ".json";
}

async function readItemMap(path: string): Promise<Map<string, Item>> {
  const items = new Map<string, Item>();
  for await (const { item } of readItemsFromPath(path)) items.set(item.id, item);
  if (items.size === 0) throw new InputError({ file: path }, "no items");
  return items;
}

async function loadInputs(opts: GradeSavedOptions): Promise<Loaded> {
  if (await isGaokaoResults(opts.responses)) {
    const files: GaokaoResultFile[] = [];
    for (const f of await gaokaoResultFiles(opts.responses)) files.push(await readGaokaoResultFile(f));
    const responses: SavedResponse[] = files.flatMap((f) =>
      f.results.map((r) => ({
        id: r.id,
        sample: 0,
        response: r.response,
        length: null,
        given: r.benchmark,
        where: { file: r.file, row: r.row },
      })),
    );
    const items = opts.items
      ? await readItemMap(opts.items)
      : new Map(itemsFromGaokaoResults(files).map((it) => [it.id, it]));
    const models = [...new Set(files.map((f) => f.model).filter((m): m is string => m !== null))];
    return {
      items,
      responses,
      format: "gaokao-bench",
      model: models.join(", ") || null,
      itemsSource: opts.items ?? "the result files' own questions",
    };
  }
  if (!opts.items) throw new UsageError("--items FILE is needed with .jsonl/.parquet responses");
  const items = await readItemMap(opts.items);
  return {
    items,
    responses: await readSavedResponses(opts.responses),
    format: "responses",
    model: null,
    itemsSource: opts.items,
  };
}

function check(loaded: Loaded, opts: GradeSavedOptions): Item[] {
  const matched: Item[] = [];
  for (const r of loaded.responses) {
    const item = loaded.items.get(r.id);
    if (!item)
      throw new InputError(
        { ...r.where, field: loaded.format === "gaokao-bench" ? `example.${r.where.row}.index` : "id" },
        `no item "${r.id}" in ${opts.items ?? "the items"}`,
      );
    matched.push(item);
  }
  return matched;
}

/** The verdicts of all responses: from the cache where present, else through the pool in batches. */
async function gradeAll(
  inputs: readonly VerifyInput[],
  responses: readonly SavedResponse[],
  cache: VerdictCache,
  opts: GradeSavedOptions,
): Promise<{ verdicts: Verdict[]; fromCache: number; pool: VerifierPoolStats }> {
  const fp = await verifierFingerprint();
  const keys = inputs.map((input) => verdictKey(input, fp));
  const verdicts: Array<Verdict | undefined> = keys.map((k) => cache.get(k));
  const todo = verdicts.flatMap((v, i) => (v === undefined ? [i] : []));
  const fromCache = inputs.length - todo.length;
  const progress = throttledProgress("grade", inputs.length, opts.progress ?? false);
  const empty: VerifierPoolStats = { ok: 0, timeout: 0, unparseable: 0, crashed: 0, restarted: 0 };
  if (todo.length === 0) {
    progress.update(inputs.length, { cached: String(fromCache) });
    progress.stop();
    return { verdicts: verdicts as Verdict[], fromCache, pool: empty };
  }
  const pool = new VerifierPool({ threads: opts.threads, timeoutMs: opts.timeoutMs });
  let done = fromCache;
  try {
    progress.update(done, { cached: String(fromCache) });
    const chunk = 64;
    for (let start = 0; start < todo.length; start += chunk) {
      const batch = todo.slice(start, start + chunk);
      const out = await pool.verifyMany(batch.map((i) => inputs[i]));
      // A crash (a worker that died) is not a verdict on the response: it is graded again next time.
      await cache.putMany(
        batch
          .map((i, j) => ({
            key: keys[i],
            id: responses[i].id,
            sample: responses[i].sample,
            verdict: out[j],
          }))
          .filter((rec) => rec.verdict.reason !== "crash"),
      );
      batch.forEach((i, j) => {
        verdicts[i] = out[j];
      });
      done += batch.length;
      progress.update(done, { cached: String(fromCache) });
    }
    return { verdicts: verdicts as Verdict[], fromCache, pool: pool.stats() };
  } finally {
    progress.stop();
    await pool.close();
  }
}

/** One graded row of graded.jsonl. */
function gradedRow(item: Item, r: SavedResponse, v: Verdict): GradedSavedRow {
  const meta = item.meta ?? {};
  const str = (x: unknown) => (typeof x === "string" ? x : undefined);
  const row: GradedSavedRow = {
    id: item.id,
    sample: r.sample,
    value: item.value,
    points: item.points,
    score: v.score,
    // `rlev metrics` reads a partial score from `correct`.
    correct: v.score === 0 || v.score === 1 ? v.correct : v.score,
    pred: v.pred,
    reason: String(v.reason),
    length: r.length ?? Math.ceil(r.response.length / 4),
    lengthSource: r.length === null ? "chars/4" : "input",
    examId: item.examId,
    examTotal: item.examTotal,
    answerType: item.answerType,
    reference: Array.isArray(item.reference) ? item.reference.join(", ") : item.reference,
  };
  const subject = str(meta.subject);
  const questionType = str(meta.questionType);
  const keyword = str(meta.keyword);
  if (subject) row.subject = subject;
  if (questionType) row.questionType = questionType;
  if (keyword) row.keyword = keyword;
  if (item.difficulty !== undefined) row.difficulty = item.difficulty;
  const blanks = (v as Verdict & { blanks?: Array<{ pred: string | null; correct: boolean; score: number }> })
    .blanks;
  if (Array.isArray(blanks))
    row.blanks = blanks.map((b) => ({ pred: b.pred, correct: b.correct, score: b.score }));
  if (r.given) row.given = r.given;
  return row;
}

export async function gradeSaved(opts: GradeSavedOptions): Promise<GradeSavedResult> {
  const started = Date.now();
  const loaded = await loadInputs(opts);
  const items = check(loaded, opts);
  const inputs = loaded.responses.map((r, i) =>
    gradingInput(
      {
        reference: items[i].reference,
        answerType: items[i].answerType,
        blankPoints: itemBlankPoints(items[i].meta),
      },
      r.response,
      opts.grading,
    ),
  );
  const cachePath = join(opts.out, "grade.cache.jsonl");
  const cache = await VerdictCache.open(cachePath);
  let graded: Awaited<ReturnType<typeof gradeAll>>;
  try {
    graded = await gradeAll(inputs, loaded.responses, cache, opts);
  } finally {
    await cache.close();
  }
  const rows = loaded.responses.map((r, i) => gradedRow(items[i], r, graded.verdicts[i]));
  const responseOf = new Map(loaded.responses.map((r) => [`${r.id}\u0000${r.sample}`, r.response]));
  const metrics = summarizeGrades(rows, { bootstrap: opts.bootstrap ?? 1000 });
  const wallTimeS = (Date.now() - started) / 1000;
  const files = {
    graded: join(opts.out, "graded.jsonl"),
    metrics: join(opts.out, "metrics.json"),
    report: join(opts.out, "report.html"),
    summary: join(opts.out, "summary.md"),
    cache: cachePath,
  };
  const header = {
    responses: opts.responses,
    items: loaded.itemsSource,
    format: loaded.format,
    model: loaded.model,
    grading: {
      multiSelect: opts.grading?.multiSelect ?? "strict",
      approximate: opts.grading?.approximate ?? false,
      blankPoints: opts.grading?.blankPoints ?? null,
    },
    verdictsFromCache: graded.fromCache,
    pool: graded.pool,
  };
  await writeJsonl(files.graded, rows);
  await writeFileAtomic(files.metrics, `${JSON.stringify({ ...header, ...metrics }, null, 2)}\n`);
  await writeFileAtomic(
    files.summary,
    gradeSummaryMarkdown(metrics, { command: opts.command, model: loaded.model, responses: opts.responses }),
  );
  await writeGradeReport(files.report, {
    metrics,
    rows,
    responseOf: (row) => responseOf.get(`${row.id}\u0000${row.sample}`) ?? "",
    title: `Graded outputs${loaded.model ? `: ${loaded.model}` : ""}`,
    subtitle: `${metrics.items} items, ${metrics.responses} responses from ${opts.responses}; items from ${loaded.itemsSource}`,
    run: {
      command: opts.command,
      wallTimeS,
      date: new Date().toISOString(),
      extra: {
        "multi-select rule": header.grading.multiSelect,
        "approximate decimals": header.grading.approximate ? "accepted" : "rejected for exact references",
      },
    },
  });
  return { metrics, rows, fromCache: graded.fromCache, pool: graded.pool, files };
}

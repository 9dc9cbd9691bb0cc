import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResponseCache } from "../../src/client/cache.js";
import { ClientConfigSchema } from "../../src/config/client.js";
import { type Item, ItemSchema } from "../../src/data/item.js";
import { runEndpointEval } from "../../src/eval/endpoint.js";
import { EmbeddedPolicy } from "../../src/model/embedded-policy.js";
import { Tokenizer } from "../../src/model/tokenizer.js";
import { startPolicyServer } from "../../src/serve/policy-server.js";
import { Rng } from "../../src/util/rng.js";
import { FakeOpenAI, type Fault } from "../client/fake-openai.js";
import { repoRoot, runCli, sharedData, skipWithoutSharedData } from "../helpers/cli.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlev-epeval-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Math items "What is a+b?" (the fake answers a+b, wrong when a+b is a multiple of 5) and two free-text items. */
function makeItems(n: number): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < n; i++) {
    const a = i;
    const b = (i * 7) % 11;
    items.push(
      ItemSchema.parse({
        id: `m${i}`,
        prompt: `What is ${a}+${b}?`,
        reference: String(a + b),
        answerType: "number",
        examId: "e",
        points: 1 + (i % 4),
        examTotal: 100,
        value: (1 + (i % 4)) / 100,
        split: "test",
      }),
    );
  }
  for (const [k, ref] of ["Rayleigh scattering", "photosynthesis"].entries())
    items.push(
      ItemSchema.parse({
        id: `t${k}`,
        prompt: `Explain phenomenon ${k}.`,
        reference: ref,
        answerType: "free_text",
        examId: "e",
        points: 5,
        examTotal: 100,
        value: 0.05,
        split: "test",
      }),
    );
  return items;
}

/** Whether the fake gets an item right: math when a+b is not a multiple of 5; text t0 yes, t1 no. */
function fakeCorrect(item: Item): boolean {
  if (item.id === "t0") return true;
  if (item.id === "t1") return false;
  return Number(item.reference) % 5 !== 0;
}

/** Replies for the free-text items and the judge (CORRECT when the response contains the reference). */
function textReplies(prompt: string): string | undefined {
  if (prompt.startsWith("Explain phenomenon 0")) return "The sky is blue because of Rayleigh scattering.";
  if (prompt.startsWith("Explain phenomenon 1")) return "Plants breathe.";
  const ref = /Reference answer:\n([\s\S]*?)\n\nStudent's response:/.exec(prompt)?.[1];
  const resp = /Student's response:\n([\s\S]*?)\n\nDoes the student/.exec(prompt)?.[1];
  if (ref !== undefined && resp !== undefined) return resp.includes(ref) ? "CORRECT" : "INCORRECT";
  return undefined;
}

async function writeItemsFile(items: Item[], name: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${items.map((i) => JSON.stringify(i)).join("\n")}\n`);
  return path;
}

function checkGraded(rows: Array<{ id: string; correct: boolean | number }>, items: Item[]) {
  expect(rows.map((r) => r.id).sort()).toEqual(items.map((i) => i.id).sort());
  const byId = new Map(items.map((i) => [i.id, i]));
  for (const r of rows) expect(r.correct, r.id).toBe(fakeCorrect(byId.get(r.id)!));
}

describe("runEndpointEval", () => {
  it("evaluates through faults and a server restart: one right verdict per item, metrics, report", async () => {
    const items = makeItems(40);
    const data = await writeItemsFile(items, "items.jsonl");
    const rng = new Rng(5);
    const faults: Fault[] = ["500", "429", "drop", "truncate", "slow", "503-retry-after"];
    const fake = new FakeOpenAI({
      plan: () => (rng.next() < 0.25 ? rng.pick(faults) : "ok"),
      slowMs: 600,
      reply: textReplies,
    });
    await fake.start();
    const out = join(dir, "run1");
    const client = ClientConfigSchema.parse({
      concurrency: 6,
      timeoutMs: 250,
      retries: 40,
      backoffBaseMs: 2,
      backoffMaxMs: 20,
      judge: { model: "judge" },
    });
    // Restart the server (same port) while the run is going.
    const restart = setTimeout(() => fake.stop().then(() => fake.start(fake.port)), 150);
    try {
      const r = await runEndpointEval({ endpoint: fake.url, model: "fake", data, out, client, bootstrap: 0 });
      expect(r.rows).toBe(42);
      const rows = (await readFile(r.files.graded, "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      checkGraded(rows, items);
      expect(rows.find((x) => x.id === "t0").verifier).toBe("judge:judge");
      // Acc by hand: a+b over i = 0..39 with b = 7i mod 11; count the multiples of 5 among the sums.
      let wrong = 1; // t1
      for (let i = 0; i < 40; i++) if ((i + ((i * 7) % 11)) % 5 === 0) wrong++;
      const metrics = JSON.parse(await readFile(r.files.metrics, "utf8"));
      expect(metrics.summary.metrics.acc.estimate).toBeCloseTo((42 - wrong) / 42, 12);
      expect(metrics.summary.items).toBe(42);
      expect((await stat(r.files.report)).size).toBeGreaterThan(1000);
      expect(await readFile(r.files.report, "utf8")).toContain("<svg");
    } finally {
      clearTimeout(restart);
      await fake.stop().catch(() => {});
    }
  });

  it("runs a full evaluation against rlev serve policy (a real embedded model)", async () => {
    const tokenizer = Tokenizer.fromAlphabet("0123456789+?A ");
    const policy = await EmbeddedPolicy.create(
      { vocabSize: tokenizer.vocabSize, dModel: 16, nLayers: 1, nHeads: 2, dMlp: 32, contextLength: 32 },
      2,
      { tokenizer, threads: 1 },
    );
    const server = await startPolicyServer({
      policy,
      tokenizer,
      contextLength: 32,
      modelName: "tiny",
      maxBatch: 16,
    });
    try {
      const items = Array.from({ length: 12 }, (_, i) =>
        ItemSchema.parse({
          id: `p${i}`,
          prompt: `${i % 10}+${(i * 3) % 10}?`,
          reference: String(((i % 10) + ((i * 3) % 10)) % 10),
          answerType: "number",
          examId: "e",
          points: 1,
          examTotal: 12,
          value: 1 / 12,
        }),
      );
      const data = await writeItemsFile(items, "tiny.jsonl");
      const out = join(dir, "policy-run");
      const client = ClientConfigSchema.parse({ api: "completions", maxTokens: 8, concurrency: 4 });
      const r = await runEndpointEval({
        endpoint: server.url,
        model: "tiny",
        data,
        out,
        client,
        bootstrap: 0,
      });
      expect(r.rows).toBe(12);
      const rows = (await readFile(r.files.graded, "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(rows.map((x) => x.id)).toEqual(items.map((i) => i.id));
      for (const row of rows) {
        expect(row.lengthSource).toBe("usage");
        expect(row.length).toBeLessThanOrEqual(8);
      }
      // A second run answers from the cache: identical verdicts.
      const again = await runEndpointEval({
        endpoint: server.url,
        model: "tiny",
        data,
        out,
        client,
        bootstrap: 0,
      });
      expect(again.fromCache).toBe(12);
      expect(again.summary.metrics.acc.estimate).toBe(r.summary.metrics.acc.estimate);
    } finally {
      await server.close();
    }
  });
});

describe("rlev eval --endpoint (CLI), killed at random points and resumed", () => {
  it("ends with exactly one result per item: none lost, none duplicated, none mis-scored", async () => {
    const items = makeItems(60);
    const data = await writeItemsFile(items, "kill.jsonl");
    const fake = new FakeOpenAI({ delayMs: 15, reply: textReplies });
    await fake.start();
    const out = join(dir, "killed");
    const rng = new Rng(99);
    const args = [
      "--import",
      "tsx",
      join(repoRoot, "src/cli/run-main.ts"),
      "eval",
      "--endpoint",
      fake.url,
      "--model",
      "fake",
      "--data",
      data,
      "--out",
      out,
      "--set",
      "client.concurrency=4",
      "client.judge.model=judge",
      "eval.bootstrap=0",
    ];
    let kills = 0;
    let code: number | null = null;
    try {
      for (let attempt = 0; attempt < 25; attempt++) {
        const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
        // Kill after a random time, unless it finishes first; later attempts get longer.
        const timer = setTimeout(() => child.kill("SIGKILL"), 800 + rng.int(700) + attempt * 200);
        code = await exited;
        clearTimeout(timer);
        if (code === 0) break;
        expect(code, stderr).toBeNull();
        kills++;
      }
    } finally {
      await fake.stop();
    }
    expect(code).toBe(0);
    expect(kills).toBeGreaterThan(0);
    const rows = (await readFile(join(out, "graded.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(62);
    checkGraded(rows, items);
    const cache = await ResponseCache.open(join(out, "responses.cache.jsonl"));
    expect(cache.duplicateLines).toBe(0);
    // 62 model replies + 2 judge verdicts.
    expect(cache.size).toBe(64);
    await cache.close();
    // Only requests cut in flight were asked twice: at most `concurrency` per kill.
    expect(fake.okReplies).toBeLessThanOrEqual(64 + kills * 4 + kills);
  }, 240_000); // Many CLI starts: under a loaded machine (the whole suite) 60 s is not enough.
});

describe("rlev eval --endpoint --prompt-style gaokao-bench", () => {
  const PREFIX_SINGLE = "请你做一道数学选择题\n【答案】 ... <eoa>\n题目如下：";
  const PREFIX_MULTI = "请你做一道物理选择题。\n【答案】 AB <eoa>\n";
  const promptFile = async () => {
    const file = join(dir, "Obj_Prompt.json");
    await writeFile(
      file,
      JSON.stringify({
        examples: [
          {
            type: "single_choice",
            keyword: "2010-2022_Math_I_MCQs",
            prefix_prompt: PREFIX_SINGLE,
            comment: "",
          },
          { type: "multi_choice", keyword: "2010-2022_Physics_MCQs", prefix_prompt: PREFIX_MULTI },
        ],
      }),
    );
    return file;
  };
  const gaokaoItem = (keyword: string, index: number, reference: string, answerType: string) =>
    ItemSchema.parse({
      id: `gaokao/${keyword}/${index}`,
      prompt: `  ${index + 1}. (5 分) 下列哪个正确（ ）\nA. 甲 B. 乙 C. 丙 D. 丁  \n`,
      reference,
      answerType,
      examId: "2015|新课标I|数学(理)",
      points: 5,
      examTotal: 150,
      value: 5 / 150,
      split: "test",
      meta: { keyword },
    });

  it("sends the benchmark's prompt of each item's keyword as it does: system = instruction, user = question stripped + newline", async () => {
    const { gaokaoBenchJobs, readGaokaoPrompts } = await import("../../src/eval/gaokao-prompts.js");
    const prompts = await readGaokaoPrompts([await promptFile()]);
    const items = [
      gaokaoItem("2010-2022_Math_I_MCQs", 0, "B", "single_choice"),
      gaokaoItem("2010-2022_Physics_MCQs", 1, "BD", "multi_choice"),
    ];
    const settings = {
      api: "chat" as const,
      model: "m",
      systemPrompt: "ignored",
      promptTemplate: "ignored {prompt}",
      temperature: 0,
      topP: 1,
      maxTokens: 100,
      seed: null,
    };
    const chat = gaokaoBenchJobs(items, 1, settings, prompts);
    expect(chat.map((j) => (j.request as { messages: unknown }).messages)).toEqual([
      [
        { role: "system", content: PREFIX_SINGLE },
        { role: "user", content: `1. (5 分) 下列哪个正确（ ）\nA. 甲 B. 乙 C. 丙 D. 丁\n` },
      ],
      [
        { role: "system", content: PREFIX_MULTI },
        { role: "user", content: `2. (5 分) 下列哪个正确（ ）\nA. 甲 B. 乙 C. 丙 D. 丁\n` },
      ],
    ]);
    const completions = gaokaoBenchJobs(items, 2, { ...settings, api: "completions" }, prompts);
    expect(completions.map((j) => [j.itemId, j.sample])).toEqual([
      [items[0].id, 0],
      [items[0].id, 1],
      [items[1].id, 0],
      [items[1].id, 1],
    ]);
    expect((completions[0].request as { prompt: string }).prompt).toBe(
      `${PREFIX_SINGLE}1. (5 分) 下列哪个正确（ ）\nA. 甲 B. 乙 C. 丙 D. 丁\n`,
    );
    const other = gaokaoItem("2010-2022_History_MCQs", 0, "A", "single_choice");
    expect(() => gaokaoBenchJobs([other], 1, settings, prompts)).toThrow(
      /no benchmark prompt for 2010-2022_History_MCQs/,
    );
  });

  it("runs end to end over HTTP with the benchmark's prompts and grades the replies", async () => {
    const items = [
      gaokaoItem("2010-2022_Math_I_MCQs", 0, "B", "single_choice"),
      gaokaoItem("2010-2022_Math_I_MCQs", 1, "C", "single_choice"),
      gaokaoItem("2010-2022_Physics_MCQs", 2, "BD", "multi_choice"),
    ];
    const data = await writeItemsFile(items, "gaokao-items.jsonl");
    // The fake answers B to everything: right, wrong, a correct strict subset of BD.
    const fake = new FakeOpenAI({ reply: () => "乙符合题意。The answer is B." });
    await fake.start();
    try {
      const out = join(dir, "gaokao-bench-run");
      const client = ClientConfigSchema.parse({ concurrency: 2 });
      const r = await runEndpointEval({
        endpoint: fake.url,
        model: "fake",
        data,
        out,
        client,
        bootstrap: 0,
        promptStyle: "gaokao-bench",
        promptFiles: [await promptFile()],
        grading: { multiSelect: "half" },
        verifyThreads: 1,
      });
      expect(r.rows).toBe(3);
      const systems = (fake.bodies as Array<{ messages: Array<{ role: string; content: string }> }>).map(
        (b) => b.messages[0],
      );
      expect(systems.map((m) => [m.role, m.content]).sort()).toEqual(
        [
          ["system", PREFIX_SINGLE],
          ["system", PREFIX_SINGLE],
          ["system", PREFIX_MULTI],
        ].sort(),
      );
      const rows = (await readFile(r.files.graded, "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(rows.map((x) => x.correct)).toEqual([true, false, 0.5]);
      const metrics = JSON.parse(await readFile(r.files.metrics, "utf8"));
      expect(metrics.promptStyle).toBe("gaokao-bench");
      expect(metrics.grading).toEqual({ multiSelect: "half", approximate: false });
    } finally {
      await fake.stop();
    }
  });

  it.skipIf(skipWithoutSharedData("GAOKAO-Bench prompt files"))(
    "the benchmark's prompt files hold one prompt for every keyword of the raw data",
    async () => {
      const { readGaokaoPrompts } = await import("../../src/eval/gaokao-prompts.js");
      const folder = join(sharedData, "real_outputs/gaokao_bench_gpt4");
      const prompts = await readGaokaoPrompts([
        join(folder, "Obj_Prompt.json"),
        join(folder, "Sub_Prompt.json"),
      ]);
      const raw = join(sharedData, "gaokao_bench/raw");
      const keywords: string[] = [];
      for (const sub of ["Objective_Questions", "Subjective_Questions"])
        for (const name of await readdir(join(raw, sub)))
          keywords.push(JSON.parse(await readFile(join(raw, sub, name), "utf8")).keywords);
      expect(keywords).toHaveLength(32);
      expect(keywords.filter((k) => !prompts.has(k))).toEqual([]);
      expect(prompts.get("2010-2022_Math_I_MCQs")?.prefixPrompt).toContain("【答案】");
    },
  );
});

describe("rlev eval --endpoint: prompt-style and grading options on the command line", () => {
  it("refuses an unknown style, gaokao-bench without prompt files, and an unknown multi-select rule", async () => {
    const data = await writeItemsFile(makeItems(2), "cli-items.jsonl");
    const base = [
      "eval",
      "--endpoint",
      "http://127.0.0.1:9",
      "--model",
      "m",
      "--data",
      data,
      "--out",
      join(dir, "cli-out"),
    ];
    const style = await runCli([...base, "--prompt-style", "fancy"]);
    expect(style.code).toBe(2);
    expect(style.stderr).toMatch(/--prompt-style must be one of plain, gaokao-bench \(got "fancy"\)/);
    const noFiles = await runCli([...base, "--prompt-style", "gaokao-bench"]);
    expect(noFiles.code).toBe(2);
    expect(noFiles.stderr).toMatch(/--prompt-style gaokao-bench needs --prompt-file/);
    const rule = await runCli([...base, "--multi-select", "most"]);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/--multi-select must be one of strict, half/);
  });
});

import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientConfigSchema } from "../../src/config/client.js";
import {
  gaokaoResultFiles,
  itemsFromGaokaoResults,
  readGaokaoResultFile,
} from "../../src/data/importers/gaokao-results.js";
import { runEndpointEval } from "../../src/eval/endpoint.js";
import { FakeOpenAI } from "../client/fake-openai.js";
import { repoRoot, runCli, sharedData, skipWithoutSharedData } from "../helpers/cli.js";

/**
 * One verifier everywhere: GPT-4's real GAOKAO-Bench answers replayed through `POST /get_reward`
 * of a live `rlev serve reward` (a child process on 127.0.0.1) in OpenRLHF's request shape — query
 * = chat-templated prompt + response + end token, prompts, labels = item ids — give per sample
 * `scores = score` and `rewards = s(x)·score` (RLEV, s = 1 + min(10·v, 1)), where `score` is what
 * `rlev grade` gives the same responses to the same items under the same options; `rlev verify`
 * and `rlev eval --endpoint` (the replies served by a fake OpenAI server) give the same scores.
 */

const folder = join(sharedData, "real_outputs/gaokao_bench_gpt4");
const skip = skipWithoutSharedData("replaying GPT-4's GAOKAO-Bench outputs through the reward server");
const chat = (q: string) =>
  `<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n${q}<|im_end|>\n<|im_start|>assistant\n`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlev-replay-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function spawnServer(args: string[]) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "src/cli/run-main.ts"), "serve", "reward", "--port", "0", ...args],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (d) => {
      stderr += d;
      const m = /listening on (http:\/\/[^\s/]+)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, url, exited };
}

describe.skipIf(skip)(
  "real outputs through POST /get_reward, rlev grade, rlev verify and rlev eval --endpoint",
  () => {
    it("gives every sample the score rlev grade gives it (reward = s(x)·score), and so do rlev verify and rlev eval", async () => {
      const files = [];
      for (const f of await gaokaoResultFiles(folder)) files.push(await readGaokaoResultFile(f));
      const items = itemsFromGaokaoResults(files);
      const byId = new Map(items.map((it) => [it.id, it]));
      const data = join(dir, "items.jsonl");
      await writeFile(data, `${items.map((it) => JSON.stringify(it)).join("\n")}\n`);

      const out = join(dir, "grade");
      const graded = await runCli(
        [
          "grade",
          "--responses",
          folder,
          "--out",
          out,
          "--multi-select",
          "six-three-zero",
          "--bootstrap",
          "0",
        ],
        { timeoutMs: 300_000 },
      );
      expect(graded.code, graded.stderr).toBe(0);
      const rows: Array<{ id: string; score: number }> = (await readFile(join(out, "graded.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      const gradeScore = new Map(rows.map((r) => [r.id, r.score]));
      expect(gradeScore.size).toBe(512);

      const s = spawnServer(["--data", data, "--multi-select", "six-three-zero"]);
      try {
        const url = await s.url;
        const samples = files.flatMap((f) => f.results);
        let compared = 0;
        let partial = 0;
        for (let start = 0; start < samples.length; start += 64) {
          const batch = samples.slice(start, start + 64);
          const prompts = batch.map((r) => chat(byId.get(r.id)!.prompt));
          const res = await fetch(`${url}/get_reward`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              query: batch.map((r, i) => `${prompts[i]}${r.response}<|im_end|>`),
              prompts,
              labels: batch.map((r) => r.id),
            }),
          });
          expect(res.status).toBe(200);
          const json = (await res.json()) as { rewards: number[]; scores: number[] };
          batch.forEach((r, i) => {
            const want = gradeScore.get(r.id)!;
            const v = byId.get(r.id)!.value;
            expect(json.scores[i], r.id).toBe(want);
            expect(json.rewards[i], r.id).toBeCloseTo((1 + Math.min(10 * v, 1)) * want, 12);
            compared++;
            if (want > 0 && want < 1) partial++;
          });
        }
        expect(compared).toBe(512);
        // The multi-blank and multi-select items make some scores partial: the check covers them too.
        expect(partial).toBeGreaterThan(0);
      } finally {
        s.child.kill("SIGTERM");
        await s.exited;
      }

      // rlev verify on the same (reference, response, answer type) gives the same scores.
      const samples = files.flatMap((f) => f.results);
      const cases = join(dir, "cases.jsonl");
      await writeFile(
        cases,
        `${samples
          .map((r) => {
            const it = byId.get(r.id)!;
            return JSON.stringify({
              id: r.id,
              reference: it.reference,
              response: r.response,
              type: it.answerType,
            });
          })
          .join("\n")}\n`,
      );
      const verdicts = join(dir, "verdicts.jsonl");
      const v = await runCli(
        ["verify", "--input", cases, "--output", verdicts, "--multi-select", "six-three-zero"],
        {
          timeoutMs: 300_000,
        },
      );
      expect(v.code, v.stderr).toBe(0);
      const verifyScores = (await readFile(verdicts, "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { id: string; score: number });
      expect(verifyScores).toHaveLength(512);
      for (const x of verifyScores) expect(x.score, x.id).toBe(gradeScore.get(x.id));

      // rlev eval --endpoint, the model's replies served over HTTP, gives the same scores too.
      const replyOf = new Map(samples.map((r) => [r.id, r.response]));
      const evalItems = join(dir, "eval-items.jsonl");
      // The id leads the prompt so that the fake model can answer each item with GPT-4's reply.
      await writeFile(
        evalItems,
        `${items.map((it) => JSON.stringify({ ...it, prompt: `${it.id}\n${it.prompt}` })).join("\n")}\n`,
      );
      const fake = new FakeOpenAI({ reply: (prompt) => replyOf.get(prompt.split("\n")[0]) });
      await fake.start();
      try {
        const r = await runEndpointEval({
          endpoint: fake.url,
          model: "gpt-4-0314 (replayed)",
          data: evalItems,
          out: join(dir, "eval"),
          client: ClientConfigSchema.parse({ concurrency: 8 }),
          bootstrap: 0,
          grading: { multiSelect: "six-three-zero" },
        });
        expect(r.rows).toBe(512);
        const evalRows = (await readFile(r.files.graded, "utf8"))
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { id: string; correct: boolean | number; response: string });
        for (const row of evalRows) {
          expect(row.response).toBe(replyOf.get(row.id));
          const score = typeof row.correct === "boolean" ? Number(row.correct) : row.correct;
          expect(score, row.id).toBe(gradeScore.get(row.id));
        }
      } finally {
        await fake.stop();
      }
    }, 600_000);
  },
);

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cacheKey, canonicalJson, ResponseCache } from "../../src/client/cache.js";
import { generateAll, jobsFor, type PromptSettings } from "../../src/client/generate.js";
import { backoffDelay, EndpointError, OpenAIClient, retryAfterMs } from "../../src/client/openai.js";
import { Rng } from "../../src/util/rng.js";
import { expectedSum, FakeOpenAI, type Fault, fakeAnswer } from "./fake-openai.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlev-client-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const fakes: FakeOpenAI[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.stop().catch(() => {})));
});

async function fake(opts: ConstructorParameters<typeof FakeOpenAI>[0] = {}) {
  const f = new FakeOpenAI(opts);
  await f.start();
  fakes.push(f);
  return f;
}

function client(url: string, over: Partial<ConstructorParameters<typeof OpenAIClient>[0]> = {}) {
  return new OpenAIClient({
    baseUrl: url,
    timeoutMs: 5_000,
    retries: 6,
    backoffBaseMs: 1,
    backoffMaxMs: 20,
    random: () => 0.5,
    ...over,
  });
}

const settings: PromptSettings = {
  api: "chat",
  model: "fake-model",
  systemPrompt: null,
  promptTemplate: null,
  temperature: 0,
  topP: 1,
  maxTokens: 64,
  seed: null,
};

describe("retry timing", () => {
  it("reads Retry-After in seconds, as a date, and retry-after-ms", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:07 GMT" }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(retryAfterMs(new Headers({}), now)).toBeNull();
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeNull();
  });

  it("backs off exponentially with full jitter, capped, unless the server says when", () => {
    const policy = { timeoutMs: 1, retries: 5, backoffBaseMs: 500, backoffMaxMs: 30_000 };
    // random = 1 gives the cap of the jitter range: min(30000, 500 * 2^attempt).
    expect(backoffDelay(0, policy, () => 1, null)).toBe(500);
    expect(backoffDelay(3, policy, () => 1, null)).toBe(4000);
    expect(backoffDelay(10, policy, () => 1, null)).toBe(30_000);
    expect(backoffDelay(3, policy, () => 0.25, null)).toBe(1000);
    expect(backoffDelay(3, policy, () => 1, 1234)).toBe(1234);
  });
});

describe("OpenAIClient against a loopback server", () => {
  it("parses chat and completion replies and lists models", async () => {
    const f = await fake();
    const c = client(f.url);
    const chat = await c.generate({
      api: "chat",
      model: "m",
      messages: [{ role: "user", content: "What is 2+3?" }],
      params: { temperature: 0, top_p: 1, max_tokens: 8 },
    });
    // 2+3 = 5 is a multiple of 5, so the fake answers 6.
    expect(chat).toEqual({
      text: "Adding gives \\boxed{6}",
      finishReason: "stop",
      completionTokens: 7,
      promptTokens: 5,
    });
    const comp = await client(`${f.url}/v1/`).generate({
      api: "completions",
      model: "m",
      prompt: "What is 2+2?",
      params: { temperature: 0, top_p: 1, max_tokens: 8 },
    });
    expect(comp.text).toBe("Adding gives \\boxed{4}");
    expect(await c.models()).toEqual(["fake-model"]);
  });

  it.each<Fault>(["500", "429", "503-retry-after", "drop", "truncate", "bad-json", "slow"])(
    "recovers from %s by retrying",
    async (fault) => {
      const f = await fake({ plan: (n) => (n < 2 ? fault : "ok"), slowMs: 1_500 });
      const retries: string[] = [];
      const c = client(f.url, { timeoutMs: 300, onRetry: (r) => retries.push(r.reason) });
      const g = await c.generate({
        api: "chat",
        model: "m",
        messages: [{ role: "user", content: "What is 1+1?" }],
        params: { temperature: 0, top_p: 1, max_tokens: 8 },
      });
      expect(g.text).toBe("Adding gives \\boxed{2}");
      expect(retries).toHaveLength(2);
    },
  );

  it("does not retry a 400 and reports the server's message", async () => {
    const f = await fake({ plan: () => "400" });
    const c = client(f.url);
    const err = await c
      .generate({
        api: "chat",
        model: "m",
        messages: [{ role: "user", content: "x" }],
        params: { temperature: 0, top_p: 1, max_tokens: 8 },
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(EndpointError);
    expect(err.message).toMatch(/HTTP 400: bad request: unknown model/);
    expect(f.requests).toBe(1);
  });

  it("gives up after the configured retries", async () => {
    const f = await fake({ plan: () => "500" });
    const err = await client(f.url, { retries: 2 })
      .generate({
        api: "chat",
        model: "m",
        messages: [{ role: "user", content: "x" }],
        params: { temperature: 0, top_p: 1, max_tokens: 8 },
      })
      .catch((e) => e);
    expect(err.message).toMatch(/failed after 3 tries: HTTP 500: internal/);
    expect(f.requests).toBe(3);
  });
});

describe("response cache", () => {
  it("keys ignore object key order but not content", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string())), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        return canonicalJson(obj) === canonicalJson(reversed);
      }),
    );
    const req = {
      api: "chat" as const,
      model: "m",
      messages: [{ role: "user" as const, content: "a" }],
      params: { temperature: 0, top_p: 1, max_tokens: 8 },
    };
    expect(cacheKey(req, 0)).toBe(
      cacheKey({ ...req, params: { max_tokens: 8, top_p: 1, temperature: 0 } }, 0),
    );
    expect(cacheKey(req, 0)).not.toBe(cacheKey(req, 1));
    expect(cacheKey(req, 0)).not.toBe(cacheKey({ ...req, model: "m2" }, 0));
    expect(cacheKey(req, 0)).not.toBe(cacheKey({ ...req, params: { ...req.params, temperature: 0.7 } }, 0));
  });

  it("ignores a torn last line, fences it, and keeps the first of duplicate keys", async () => {
    const path = join(dir, "torn.cache.jsonl");
    const rec = (key: string, text: string) =>
      JSON.stringify({
        key,
        itemId: key,
        sample: 0,
        model: "m",
        generation: { text, finishReason: "stop", completionTokens: 1, promptTokens: 1 },
        at: "t",
      });
    await writeFile(
      path,
      `${rec("a", "first")}\n${rec("a", "second")}\n${rec("b", "bee")}\n${rec("c", "cee").slice(0, 30)}`,
    );
    const cache = await ResponseCache.open(path);
    expect(cache.size).toBe(2);
    expect(cache.get("a")?.generation.text).toBe("first");
    expect(cache.get("c")).toBeUndefined();
    expect(cache.duplicateLines).toBe(1);
    await cache.put(JSON.parse(rec("c", "cee")));
    await cache.close();
    const again = await ResponseCache.open(path);
    expect(again.size).toBe(3);
    expect(again.get("c")?.generation.text).toBe("cee");
    expect(again.skippedLines).toBe(1);
    const lines = (await readFile(path, "utf8")).split("\n");
    expect(lines.at(-1)).toBe("");
  });
});

describe("generateAll", () => {
  const items = Array.from({ length: 60 }, (_, i) => ({
    id: `q${i}`,
    prompt: `What is ${i}+${(i * 7) % 13}?`,
  }));

  it("gets exactly one right reply per job through random faults and a server restart", async () => {
    const rng = new Rng(7);
    const faults: Fault[] = ["500", "429", "drop", "truncate", "slow", "bad-json", "503-retry-after"];
    const f = await fake({ plan: () => (rng.next() < 0.3 ? rng.pick(faults) : "ok"), slowMs: 800 });
    const cache = await ResponseCache.open(join(dir, "faults.cache.jsonl"));
    const c = client(f.url, { timeoutMs: 250, retries: 30 });
    let restarted = false;
    const jobs = jobsFor(items, 2, settings);
    const results = await generateAll(jobs, {
      client: c,
      cache,
      concurrency: 8,
      onProgress: ({ done }) => {
        if (!restarted && done >= 40) {
          restarted = true;
          // Restart the server on the same port mid-run: connections in flight are cut.
          f.stop().then(() => f.start(f.port));
        }
      },
    });
    await cache.close();
    expect(restarted).toBe(true);
    expect(results).toHaveLength(120);
    jobs.forEach((job, i) => {
      const sum = expectedSum(items[Math.floor(i / 2)].prompt)!;
      expect(job.itemId).toBe(items[Math.floor(i / 2)].id);
      expect(results[i].text).toBe(`Adding gives \\boxed{${fakeAnswer(sum)}}`);
    });
    const reopened = await ResponseCache.open(cache.path);
    expect(reopened.size).toBe(120);
    expect(reopened.duplicateLines).toBe(0);
  });

  it("resumes after interruptions at random points without asking again for what it has", async () => {
    const f = await fake();
    const path = join(dir, "resume.cache.jsonl");
    const jobs = jobsFor(items, 1, settings);
    const rng = new Rng(11);
    let finished = false;
    for (let round = 0; round < 20 && !finished; round++) {
      const cache = await ResponseCache.open(path);
      const ac = new AbortController();
      const stopAfter = 1 + rng.int(15);
      let fresh = 0;
      try {
        await generateAll(jobs, {
          client: client(f.url),
          cache,
          concurrency: 4,
          signal: ac.signal,
          onProgress: (p) => {
            fresh = p.fresh;
            if (fresh >= stopAfter) ac.abort(new Error("interrupted"));
          },
        });
        finished = true;
      } catch (err) {
        expect((err as Error).message).toBe("interrupted");
      }
      await cache.close();
    }
    expect(finished).toBe(true);
    const cache = await ResponseCache.open(path);
    expect(cache.size).toBe(60);
    expect(cache.duplicateLines).toBe(0);
    // Only the requests that were cut in flight by an interruption are asked twice.
    const results = await generateAll(jobs, { client: client(f.url), cache, concurrency: 4 });
    for (let i = 0; i < results.length; i++)
      expect(results[i].text).toBe(`Adding gives \\boxed{${fakeAnswer(expectedSum(items[i].prompt)!)}}`);
    const before = f.requests;
    await generateAll(jobs, { client: client(f.url), cache, concurrency: 4 });
    expect(f.requests).toBe(before);
    await cache.close();
  });
});

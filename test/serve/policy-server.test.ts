import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAIClient } from "../../src/client/openai.js";
import { EmbeddedPolicy } from "../../src/model/embedded-policy.js";
import { Tokenizer } from "../../src/model/tokenizer.js";
import type { RunningServer } from "../../src/serve/http.js";
import { startPolicyServer } from "../../src/serve/policy-server.js";

// A real (randomly initialized, tiny) embedded policy behind the OpenAI API.
const tokenizer = Tokenizer.fromAlphabet("0123456789+?A ");
let policy: EmbeddedPolicy;
let server: RunningServer;
const CONTEXT = 32;

beforeAll(async () => {
  policy = await EmbeddedPolicy.create(
    { vocabSize: tokenizer.vocabSize, dModel: 16, nLayers: 1, nHeads: 2, dMlp: 32, contextLength: CONTEXT },
    1,
    { tokenizer, threads: 1 },
  );
  server = await startPolicyServer({
    policy,
    tokenizer,
    contextLength: CONTEXT,
    modelName: "tiny",
    maxBatch: 16,
    seed: 3,
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function post(path: string, body: unknown) {
  const r = await fetch(`${server.url}${path}`, { method: "POST", body: JSON.stringify(body) });
  return { status: r.status, json: await r.json() };
}

describe("rlev serve policy (OpenAI API over the embedded model)", () => {
  it("lists the model", async () => {
    const r = await fetch(`${server.url}/v1/models`);
    const j = await r.json();
    expect(j.object).toBe("list");
    expect(j.data.map((m: { id: string }) => m.id)).toEqual(["tiny"]);
  });

  it("completes with per-token logprobs that line up with the text", async () => {
    const { status, json } = await post("/v1/completions", {
      model: "tiny",
      prompt: "3+5?",
      max_tokens: 6,
      temperature: 0,
      logprobs: 1,
    });
    expect(status).toBe(200);
    expect(json.object).toBe("text_completion");
    const c = json.choices[0];
    expect(["stop", "length"]).toContain(c.finish_reason);
    expect(c.logprobs.tokens.join("")).toBe(c.text);
    expect(c.logprobs.token_logprobs).toHaveLength(c.logprobs.tokens.length);
    for (const lp of c.logprobs.token_logprobs) expect(lp).toBeLessThanOrEqual(0);
    expect(c.logprobs.text_offset[0]).toBe(0);
    expect(json.usage.prompt_tokens).toBe(4);
    expect(json.usage.completion_tokens).toBeLessThanOrEqual(6);
    expect(json.usage.total_tokens).toBe(json.usage.prompt_tokens + json.usage.completion_tokens);
    if (c.finish_reason === "length") expect(json.usage.completion_tokens).toBe(6);
  });

  it("is deterministic under greedy decoding, also when requests are batched together", async () => {
    const body = { model: "tiny", prompt: "1+2+3?", max_tokens: 8, temperature: 0 };
    const alone = await post("/v1/completions", body);
    const together = await Promise.all([
      post("/v1/completions", body),
      post("/v1/completions", { ...body, prompt: "9+9?" }),
      post("/v1/completions", body),
    ]);
    expect(together[0].json.choices[0].text).toBe(alone.json.choices[0].text);
    expect(together[2].json.choices[0].text).toBe(alone.json.choices[0].text);
  });

  it("reproduces a seeded sample", async () => {
    const body = { model: "tiny", prompt: "4+4?", max_tokens: 8, temperature: 1, seed: 42, n: 3 };
    const a = await post("/v1/completions", body);
    const b = await post("/v1/completions", body);
    expect(a.json.choices.map((c: { text: string }) => c.text)).toEqual(
      b.json.choices.map((c: { text: string }) => c.text),
    );
    expect(a.json.choices).toHaveLength(3);
  });

  it("serves chat completions with logprobs, and the rlev client reads them", async () => {
    const client = new OpenAIClient({
      baseUrl: server.url,
      timeoutMs: 30_000,
      retries: 0,
      backoffBaseMs: 1,
      backoffMaxMs: 1,
    });
    const g = await client.generate({
      api: "chat",
      model: "tiny",
      messages: [{ role: "user", content: "2+2?" }],
      params: { temperature: 0, top_p: 1, max_tokens: 5, logprobs: true },
    });
    expect(g.logprobs).toBeDefined();
    expect(g.logprobs!.length).toBeLessThanOrEqual(5);
    expect(g.completionTokens).toBeGreaterThanOrEqual(g.logprobs!.length);
  });

  it("caps a completion at the context length", async () => {
    const { json } = await post("/v1/completions", {
      model: "tiny",
      prompt: "1+1+1+1+1+1+1+1+1+1?",
      max_tokens: 500,
      temperature: 0,
    });
    // 20 prompt tokens leave 12 in a 32-token context.
    expect(json.usage.completion_tokens).toBeLessThanOrEqual(CONTEXT - 20);
  });

  it("applies stop sequences", async () => {
    const free = await post("/v1/completions", {
      model: "tiny",
      prompt: "5+5?",
      max_tokens: 10,
      temperature: 0,
    });
    const text: string = free.json.choices[0].text;
    if (text.length >= 2) {
      const stop = text[1];
      const cut = await post("/v1/completions", {
        model: "tiny",
        prompt: "5+5?",
        max_tokens: 10,
        temperature: 0,
        stop: [stop],
      });
      expect(cut.json.choices[0].text).toBe(text.slice(0, text.indexOf(stop)));
      expect(cut.json.choices[0].finish_reason).toBe("stop");
    }
  });

  it.each([
    [{ model: "other", prompt: "1?" }, 404, /does not exist/],
    [{ model: "tiny", prompt: "hello" }, 400, /cannot tokenize "h"/],
    [{ model: "tiny" }, 400, /"prompt"/],
    [{ model: "tiny", prompt: "1?", temperature: -1 }, 400, /"temperature"/],
    [{ model: "tiny", prompt: "1?", stream: true }, 400, /"stream"/],
    [{ model: "tiny", prompt: "1".repeat(40) }, 400, /context length is 32/],
  ])("rejects %j with %d", async (body, status, message) => {
    const r = await post("/v1/completions", body);
    expect(r.status).toBe(status);
    expect(r.json.error.message).toMatch(message);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResponseCache } from "../../src/client/cache.js";
import { endpointJudge } from "../../src/client/judge.js";
import { OpenAIClient } from "../../src/client/openai.js";
import {
  DEFAULT_JUDGE_PROMPT,
  judgePrompt,
  makeJudgeVerifier,
  parseJudgeReply,
} from "../../src/verify/judge.js";
import { FakeOpenAI } from "./fake-openai.js";

let dir: string;
let judgeServer: FakeOpenAI;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlev-judge-"));
  // A fake judge: CORRECT when the student's response contains the reference, else INCORRECT.
  judgeServer = new FakeOpenAI({
    reply: (prompt) => {
      const ref = /Reference answer:\n([\s\S]*?)\n\nStudent's response:/.exec(prompt)?.[1];
      const resp = /Student's response:\n([\s\S]*?)\n\nDoes the student/.exec(prompt)?.[1];
      if (ref === undefined || resp === undefined) return "??";
      return resp.includes(ref) ? "CORRECT" : "<think>let me see</think>INCORRECT";
    },
    plan: (n) => (n === 0 ? "500" : "ok"),
  });
  await judgeServer.start();
});
afterAll(async () => {
  await judgeServer.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("LLM-as-judge verifier", () => {
  it.each([
    ["CORRECT", "correct"],
    ["INCORRECT", "incorrect"],
    ["<think>It looks correct at first</think>\nINCORRECT", "incorrect"],
    ["The answer is correct.", "correct"],
    ["Not correct", "incorrect"],
    ["Yes", "correct"],
    ["No.", "incorrect"],
    ["I am unsure", "unclear"],
  ])("reads %j as %s", (reply, decision) => {
    expect(parseJudgeReply(reply)).toBe(decision);
  });

  it("fills the template once, leaving braces in the texts alone", () => {
    const p = judgePrompt("Q={question} R={reference} S={response}", "what is {response}?", ["a", "b"], "x");
    expect(p).toBe("Q=what is {response}? R=a; b S=x");
    expect(DEFAULT_JUDGE_PROMPT).toContain("CORRECT or INCORRECT");
  });

  it("asks through the injected generate, with the filled prompt and the item judged", async () => {
    const asked: Array<{ prompt: string; itemId: string; sample: number }> = [];
    const judge = makeJudgeVerifier({
      model: "m",
      prompt: "R={reference} S={response}",
      maxResponseChars: 3,
      generate: async (prompt, about) => {
        asked.push({ prompt, ...about });
        return "I cannot tell";
      },
    });
    const v = await judge.verify({ reference: "42", response: "so 42", itemId: "q7", sample: 2 } as never);
    expect(judge.name).toBe("judge:m");
    expect(asked).toEqual([{ prompt: "R=42 S=… 42", itemId: "q7", sample: 2 }]);
    expect(v).toMatchObject({ correct: false, score: 0, reason: "judge_unclear", method: "judge" });
  });

  it("judges over the endpoint client (retrying a 500) and caches its verdicts", async () => {
    const cache = await ResponseCache.open(join(dir, "judge.cache.jsonl"));
    const client = new OpenAIClient({
      baseUrl: judgeServer.url,
      timeoutMs: 5000,
      retries: 3,
      backoffBaseMs: 1,
      backoffMaxMs: 5,
    });
    const judge = makeJudgeVerifier({
      model: "judge-72b",
      generate: endpointJudge({ client, model: "judge-72b", cache }),
    });
    const input = {
      question: "Why is the sky blue?",
      reference: "Rayleigh scattering",
      response: "Because of Rayleigh scattering of sunlight.",
      answerType: "free_text" as const,
    };
    const yes = await judge.verify(input);
    expect(yes).toMatchObject({ correct: true, score: 1, reason: "equal", method: "judge" });
    const no = await judge.verify({ ...input, response: "Because the ocean reflects it." });
    expect(no).toMatchObject({ correct: false, score: 0, reason: "not_equal" });
    const asked = judgeServer.requests;
    const again = await judge.verify(input);
    expect(again.correct).toBe(true);
    expect(judgeServer.requests).toBe(asked);
    await cache.close();
    const reopened = await ResponseCache.open(join(dir, "judge.cache.jsonl"));
    expect(reopened.size).toBe(2);
    await reopened.close();
  });
});

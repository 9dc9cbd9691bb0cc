// OpenRLHF-style requests for the reward-server benchmark, shared by bench/server.ts and the load
// client process.
import type { LoadRequest } from "../../src/serve/load-test.js";

const SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";
const chat = (q: string) =>
  `<|im_start|>system\n${SYSTEM}<|im_end|>\n<|im_start|>user\n${q}<|im_end|>\n<|im_start|>assistant\n`;

/** An OpenRLHF-style request of `k` samples of one prompt; the check recomputes s(x) of docs/method.md#rlev-reward by hand. */
export function rewardRequest(c: number, i: number, k: number): LoadRequest {
  const a = (c * 13 + i) % 97;
  const b = (c + i * 7) % 89;
  const v = [0.01, 0.02, 0.05, 0.2][(c + i) % 4];
  const p = chat(
    `Natalia sold clips to ${a} of her friends and then ${b} more. How many clips did she sell?`,
  );
  const right = Array.from({ length: k }, (_, j) => (i + j) % 3 !== 0);
  const body = JSON.stringify({
    query: right.map(
      (ok) =>
        `${p}She sold ${a} + ${b} = ${ok ? a + b : a + b + 1} clips.\n\\boxed{${ok ? a + b : a + b + 1}}<|im_end|>`,
    ),
    prompts: right.map(() => p),
    labels: right.map(() => JSON.stringify({ reference: String(a + b), value: v, answerType: "number" })),
  });
  return {
    body,
    check(status, text) {
      if (status !== 200) return `status ${status}`;
      const j = JSON.parse(text);
      for (let s = 0; s < k; s++) {
        // RLEV reward with α = 10 (the server's default): 1 + min(10·v, 1) when right, else 0.
        const want = right[s] ? 1 + Math.min(10 * v, 1) : 0;
        if (Math.abs(j.rewards[s] - want) > 1e-9) return `reward ${j.rewards[s]} != ${want}`;
      }
      return null;
    },
  };
}

/** A request the server must refuse with 400 (truncated JSON, or mismatched list lengths). */
export function malformed(i: number): LoadRequest {
  if (i % 2 === 0) return { body: '{"query": ["x"', check: (s) => (s === 400 ? null : `want 400, got ${s}`) };
  return {
    body: JSON.stringify({ query: ["a", "b"], prompts: ["a"], labels: ["1", "2"] }),
    check: (s) => (s === 400 ? null : `want 400, got ${s}`),
  };
}

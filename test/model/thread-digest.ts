/**
 * Child process of threads.test.ts: runs supervised steps, log-probs and sampling on a fresh engine
 * with the thread count of argv[2] and prints a SHA-256 digest of every result as JSON. With two
 * threads it splits every kernel (inlineBelowMicros 0), the most work the worker thread can get.
 * argv[3] = "no-fma" starts the engine without fused multiply-add.
 */
import { createHash } from "node:crypto";
import { EmbeddedPolicy } from "../../src/model/embedded-policy.js";
import { engineInfo, initEngine } from "../../src/model/engine.js";
import { packSequences, randomSequences } from "./helpers.js";

const threads = Number(process.argv[2]);
await initEngine({ threads, inlineBelowMicros: 0, fusedMultiplyAdd: process.argv[3] !== "no-fma" });
const policy = await EmbeddedPolicy.create(
  { vocabSize: 32, dModel: 64, nLayers: 2, nHeads: 4, dMlp: 256, contextLength: 48 },
  7,
);
const digest = createHash("sha256");
const add = (a: Float32Array) => digest.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
const batch = packSequences(randomSequences(32, 40, 32, 5));
const lossMask = new Float32Array(batch.tokens.length).fill(1);
const losses: number[] = [];
for (let i = 0; i < 3; i++) {
  const stats = await policy.supervisedStep({ ...batch, lossMask }, 3e-3);
  add(Float32Array.of(stats.loss, stats.grad_norm));
  losses.push(stats.loss);
}
add(await policy.logprobs(batch));
const out = await policy.sample(randomSequences(48, 6, 32, 9), {
  maxNewTokens: 24,
  temperature: 1,
  topP: 1,
  seed: 3,
});
for (const lp of out.logprobs) add(lp);
for (const p of out.eosProbs) add(p);
const params = await policy.hostParams();
for (const name of [...params.keys()].sort()) add(params.get(name)!);
policy.dispose();
console.log(
  JSON.stringify({
    threads,
    workerThreads: engineInfo()?.workerThreads,
    fusedMultiplyAdd: engineInfo()?.fusedMultiplyAdd,
    losses,
    digest: digest.digest("hex"),
  }),
);
process.exit(0);

import type { Array as JArray, OwnedFunction } from "@jax-js/jax";
import type { ModelConfig } from "../config/model.js";
import { Rng } from "../util/rng.js";
import { type Buckets, DEFAULT_BUCKETS, roundUp } from "./batch.js";
import { jax } from "./engine.js";
import type { Params } from "./params.js";
import type { SampleOptions, SampleResult } from "./policy.js";
import { EOS_ID, PAD_ID } from "./tokenizer.js";
import {
  type DecodeInputs,
  emptyRecent,
  flushRecent,
  forwardDecode,
  forwardSequence,
  type KvCache,
  RECENT_SLOTS,
} from "./transformer.js";

/**
 * Batched generation with a KV cache. The prompts go through the model in ONE prefill pass
 * (right-padded, each row at its own positions 0..len−1); each decoding step then feeds one token
 * per row at that row's own next position, so rows of different prompt lengths advance together
 * without left padding and every position matches what `logprobs` sees for the same sequence.
 * The cache is a main part the steps only read plus a small recent buffer they write, flushed into
 * the main part every RECENT_SLOTS steps (see transformer.ts: jax-js has no in-place update).
 *
 * Sampling happens on the host from the untempered log-softmax that the engine returns each step
 * ([rows × vocab] floats): the log-prob of the chosen token under the untempered policy (PPO's old
 * log-prob) and π(EOS) come for free, and a seeded `Rng` makes samples reproducible. Decoding
 * stops as soon as every row has emitted EOS.
 */

type PrefillFn = OwnedFunction<
  (params: Params, tokens: JArray, prevTokens: JArray, lastIndex: JArray, slots: JArray) => [JArray, KvCache]
>;
type DecodeFn = OwnedFunction<
  (params: Params, main: KvCache, recent: KvCache, inputs: DecodeInputs) => [JArray, KvCache]
>;
type FlushFn = OwnedFunction<(main: KvCache, recent: KvCache, blockStart: JArray, slots: JArray) => KvCache>;

/**
 * Step of the main cache's growth. Each decoding step reads every slot of the main cache (a
 * memory-bound pass), so the cache holds only the positions written so far, growing at flushes,
 * instead of the final size from the start. Sizes stay congruent to the final size modulo this
 * step, a multiple of 4, so every key keeps its index modulo 4 in the [main | recent] scores and
 * the softmax's 4-lane sums add the same terms in the same order: the slots left out hold only
 * masked keys, exact zeros after the exponential. Sampled tokens and log-probs are bit-identical
 * to a full-size cache.
 */
export const CACHE_STAGE = 16;

/** Main-cache slots for positions below `need`: the fewest ≥ need in steps of CACHE_STAGE below `slots`. */
export function cacheStage(need: number, slots: number): number {
  return slots - CACHE_STAGE * Math.floor((slots - Math.min(need, slots)) / CACHE_STAGE);
}

/** One pass of rows [lo, hi) of a batch, padded to B rows, with its decoding state. */
interface Pass {
  lo: number;
  hi: number;
  B: number;
  /** This step's log-softmax [B × vocab] on the host, until its tokens are drawn. */
  logSoftmax: Float32Array | null;
  /** The cache, until every row of the pass has ended. */
  main: KvCache | null;
  recent: KvCache | null;
  blockStart: Int32Array;
}

export class Sampler {
  private readonly prefillFn: PrefillFn;
  private readonly decodeFn: DecodeFn;
  private readonly flushFn: FlushFn;

  /**
   * @param rowsPerPass the most rows the engine decodes at once; a larger batch runs as several
   *   passes in lockstep with an identical result. Smaller passes lower the peak of jax-js's wasm
   *   heap, which never shrinks and reuses a freed buffer only for an allocation of the same size.
   * @param growCache grow the main cache with the decoded positions (`cacheStage`); false keeps it
   *   at its final size from the prefill on (the slower reference the tests compare against).
   */
  constructor(
    private readonly model: ModelConfig,
    private readonly buckets: Buckets = DEFAULT_BUCKETS,
    private readonly rowsPerPass = Number.POSITIVE_INFINITY,
    private readonly growCache = true,
  ) {
    if (!(rowsPerPass >= 1)) throw new RangeError(`rowsPerPass must be at least 1, got ${rowsPerPass}`);
    const { numpy: np, nn, jit } = jax();
    const V = model.vocabSize;
    // `slots` only carries the cache size in its shape (a static size, so each size traces once).
    this.prefillFn = jit(
      (params: Params, tokens: JArray, prevTokens: JArray, lastIndex: JArray, slots: JArray) => {
        const [B, T] = tokens.shape;
        const cacheSlots = slots.shape[0];
        slots.dispose();
        const { logits, cache } = forwardSequence(params, { tokens, prevTokens }, B, T, model, cacheSlots);
        // Each row's logits at its last prompt position: Σ_t onehot(last)[b, t] · logits[b, t, :].
        const pick = nn.oneHot(lastIndex, T).astype(np.float32).reshape([B, T, 1]);
        const last = logits.reshape([B, T, V]).mul(pick).sum(1);
        return [nn.logSoftmax(last, -1), cache!] as [JArray, KvCache];
      },
    ) as unknown as PrefillFn;
    this.decodeFn = jit((params: Params, main: KvCache, recent: KvCache, inputs: DecodeInputs) => {
      const B = inputs.tokens.shape[0];
      const out = forwardDecode(params, inputs, main, recent, B, model);
      jax().tree.dispose(main);
      return [nn.logSoftmax(out.logits, -1), out.recent] as [JArray, KvCache];
    }) as unknown as DecodeFn;
    this.flushFn = jit((main: KvCache, recent: KvCache, blockStart: JArray, slots: JArray) => {
      const cacheSlots = slots.shape[0];
      slots.dispose();
      return flushRecent(main, recent, blockStart, blockStart.shape[0], cacheSlots);
    }) as unknown as FlushFn;
  }

  /** Generates continuations of `prompts` (token ids, no EOS) with the weights `params` (not consumed). */
  async sample(params: Params, prompts: number[][], options: SampleOptions): Promise<SampleResult> {
    const { numpy: np, tree } = jax();
    const { model } = this;
    const V = model.vocabSize;
    const C = model.contextLength;
    const n = prompts.length;
    if (n === 0) return { tokens: [], logprobs: [], eosProbs: [], finished: [] };
    if (!(options.maxNewTokens >= 1)) throw new RangeError("maxNewTokens must be at least 1");
    if (!(options.temperature >= 0)) throw new RangeError("temperature must be >= 0");
    if (!(options.topP > 0 && options.topP <= 1)) throw new RangeError("topP must be in (0, 1]");
    let maxLen = 0;
    prompts.forEach((p, i) => {
      if (p.length === 0) throw new RangeError(`prompt ${i} is empty`);
      if (p.length >= C)
        throw new RangeError(
          `prompt ${i} has ${p.length} tokens; the context length ${C} leaves no room to generate`,
        );
      for (const id of p)
        if (!Number.isInteger(id) || id < 0 || id >= V)
          throw new RangeError(`prompt ${i} has token ${id} outside the vocabulary (size ${V})`);
      maxLen = Math.max(maxLen, p.length);
    });
    const P = Math.min(C, roundUp(maxLen, this.buckets.seq));
    // Cache slots: as many as the longest row can use, bucketed (every decoding step reads every
    // slot and each flush rewrites them, so unused slots cost time); the main cache starts with
    // those the prompts fill and grows at flushes (`cacheStage`).
    const slots = Math.max(P, Math.min(C, roundUp(maxLen + options.maxNewTokens, this.buckets.seq)));
    const stage = (need: number) => (this.growCache ? cacheStage(need, slots) : slots);
    const i32 = (a: Int32Array, shape: number[]) => np.array(a, { dtype: np.int32 }).reshape(shape);
    const S = RECENT_SLOTS;

    const rng = new Rng(options.seed);
    const out: number[][] = Array.from({ length: n }, () => []);
    const lps: number[][] = Array.from({ length: n }, () => []);
    const eos: number[][] = Array.from({ length: n }, () => []);
    const finished = new Array<boolean>(n).fill(false);
    const done = new Array<boolean>(n).fill(false);
    const lengths = prompts.map((p) => p.length);
    const lastToken = new Int32Array(n);
    const prevToken = Int32Array.from(prompts, (p) => p[p.length - 1]);
    const probs = new Float64Array(V);
    let step = 0;

    // Rows run in passes of at most `rowsPerPass`, all at the whole batch's P and cache size, in
    // lockstep: each decoding step runs every pass, then draws the tokens of all rows in row order
    // from one Rng, so the result is the one-pass result (rows never interact in the model). Each
    // pass is read back before the next starts: jax-js frees a call's intermediate buffers only
    // once its kernels run, and the next pass can then reuse them.
    const passes: Pass[] = [];
    try {
      for (let lo = 0; lo < n; lo += this.rowsPerPass) {
        const hi = Math.min(n, lo + this.rowsPerPass);
        const B = roundUp(hi - lo, this.buckets.batch);
        const tokens = new Int32Array(B * P).fill(PAD_ID);
        const prev = new Int32Array(B * P).fill(PAD_ID);
        const lastIndex = new Int32Array(B);
        for (let r = 0; r < hi - lo; r++) {
          const p = prompts[lo + r];
          for (let t = 0; t < p.length; t++) {
            tokens[r * P + t] = p[t];
            if (t + 1 < P) prev[r * P + t + 1] = p[t];
          }
          lastIndex[r] = p.length - 1;
        }
        const [lsm, main] = this.prefillFn(
          tree.ref(params),
          i32(tokens, [B, P]),
          i32(prev, [B, P]),
          i32(lastIndex, [B]),
          np.zeros([stage(P)]),
        );
        const pass: Pass = { lo, hi, B, logSoftmax: null, main, recent: null, blockStart: new Int32Array(B) };
        passes.push(pass);
        pass.recent = emptyRecent(B, model, S);
        pass.logSoftmax = (await lsm.data()) as Float32Array;
      }

      for (;;) {
        for (const pass of passes) {
          const logSoftmax = pass.logSoftmax;
          if (!logSoftmax) continue;
          pass.logSoftmax = null;
          for (let b = pass.lo; b < pass.hi; b++) {
            if (done[b]) continue;
            const r = b - pass.lo;
            const row = logSoftmax.subarray(r * V, (r + 1) * V);
            const tok = sampleToken(row, options.temperature, options.topP, rng, probs);
            out[b].push(tok);
            lps[b].push(row[tok]);
            eos[b].push(Math.exp(row[EOS_ID]));
            lastToken[b] = tok;
            if (tok === EOS_ID) {
              finished[b] = true;
              done[b] = true;
            } else if (out[b].length >= options.maxNewTokens || lengths[b] + out[b].length >= slots)
              done[b] = true;
          }
        }
        if (done.every(Boolean)) break;
        const slot = step % S;
        for (const pass of passes) {
          if (!pass.main || !pass.recent) continue;
          if (done.slice(pass.lo, pass.hi).every(Boolean)) {
            // Every row of this pass has ended: its cache is not needed again.
            tree.dispose(pass.main);
            tree.dispose(pass.recent);
            pass.main = pass.recent = null;
            continue;
          }
          // Feed each row's newest token at its own next position (finished rows feed PAD, unused).
          if (slot === 0 && step > 0)
            // The flushed block ends below maxLen + step: the cache grows to hold it.
            pass.main = this.flushFn(
              pass.main,
              tree.ref(pass.recent),
              i32(pass.blockStart, [pass.B]),
              np.zeros([stage(maxLen + step)]),
            );
          const feed = new Int32Array(pass.B).fill(PAD_ID);
          const feedPrev = new Int32Array(pass.B).fill(PAD_ID);
          const positions = new Int32Array(pass.B);
          for (let b = pass.lo; b < pass.hi; b++) {
            const r = b - pass.lo;
            const k = out[b].length;
            feed[r] = done[b] ? PAD_ID : lastToken[b];
            feedPrev[r] = done[b] ? PAD_ID : k >= 2 ? out[b][k - 2] : prevToken[b];
            positions[r] = Math.min(slots - 1, lengths[b] + k - 1);
            if (slot === 0) pass.blockStart[r] = lengths[b] + step;
          }
          const recentSlot = new Float32Array(S);
          recentSlot[slot] = 1;
          const recentBias = new Float32Array(S);
          for (let j = slot + 1; j < S; j++) recentBias[j] = -1e9;
          const [lsm, recent] = this.decodeFn(tree.ref(params), tree.ref(pass.main), pass.recent, {
            tokens: i32(feed, [pass.B]),
            prevTokens: i32(feedPrev, [pass.B]),
            positions: i32(positions, [pass.B]),
            blockStart: i32(pass.blockStart, [pass.B]),
            recentSlot: np.array(recentSlot),
            recentBias: np.array(recentBias),
          });
          pass.recent = recent;
          pass.logSoftmax = (await lsm.data()) as Float32Array;
        }
        step++;
      }
    } finally {
      for (const pass of passes) {
        if (pass.main) tree.dispose(pass.main);
        if (pass.recent) tree.dispose(pass.recent);
      }
    }
    return {
      tokens: out,
      logprobs: lps.map((a) => Float32Array.from(a)),
      eosProbs: eos.map((a) => Float32Array.from(a)),
      finished,
    };
  }

  dispose(): void {
    this.prefillFn.dispose();
    this.decodeFn.dispose();
    this.flushFn.dispose();
  }
}

/**
 * Draws a token from one row of untempered log-probs: greedy (argmax, lowest id on ties) when
 * temperature is 0, else from softmax(logp / temperature) restricted to the smallest set of most
 * likely tokens whose mass reaches topP (nucleus sampling). One uniform draw per call.
 */
export function sampleToken(
  logp: ArrayLike<number>,
  temperature: number,
  topP: number,
  rng: Rng,
  scratch: Float64Array = new Float64Array(logp.length),
): number {
  const V = logp.length;
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < V; i++) if (logp[i] > logp[best]) best = i;
    return best;
  }
  let max = -Infinity;
  for (let i = 0; i < V; i++) max = Math.max(max, logp[i]);
  let total = 0;
  for (let i = 0; i < V; i++) {
    scratch[i] = Math.exp((logp[i] - max) / temperature);
    total += scratch[i];
  }
  const u = rng.next();
  if (topP >= 1) {
    let acc = 0;
    for (let i = 0; i < V; i++) {
      acc += scratch[i] / total;
      if (u < acc) return i;
    }
    return lastPositive(scratch);
  }
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => scratch[b] - scratch[a] || a - b);
  let kept = 0;
  let mass = 0;
  while (kept < V && mass < topP * total) mass += scratch[order[kept++]];
  let acc = 0;
  for (let k = 0; k < kept; k++) {
    acc += scratch[order[k]] / mass;
    if (u < acc) return order[k];
  }
  return order[kept - 1];
}

function lastPositive(p: Float64Array): number {
  for (let i = p.length - 1; i >= 0; i--) if (p[i] > 0) return i;
  return 0;
}

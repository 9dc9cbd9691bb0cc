import type { Array as JArray } from "@jax-js/jax";
import type { ModelConfig } from "../config/model.js";
import { jax } from "./engine.js";
import type { Block, LayerNorm, Params } from "./params.js";

/**
 * A small decoder-only transformer in nanoGPT's spirit: token embedding (+ an embedding of the
 * previous token when `tokenShift` is on) + learned positions or rotary attention, pre-LayerNorm
 * blocks of causal multi-head attention and a GELU MLP, a final LayerNorm and an untied head.
 *
 * jax-js consumes every array passed to an operation (including the receiver of a method call);
 * `.ref` keeps a reference for one more use. Activations are kept 2-D ([rows, dModel]) so every
 * projection is one plain matmul.
 */

// ---------------------------------------------------------------------------------------------
// Building blocks. Each function consumes its array arguments (jax-js convention).

function layerNorm(x: JArray, p: LayerNorm, eps: number): JArray {
  const { numpy: np } = jax();
  const mean = x.ref.mean(-1, { keepdims: true });
  const centered = x.sub(mean);
  const variance = np.square(centered.ref).mean(-1, { keepdims: true });
  const normed = centered.mul(np.reciprocal(np.sqrt(variance.add(eps))));
  return normed.mul(p.g).add(p.b);
}

/** x [rows, in] @ w [in, out] + b. */
function linear(x: JArray, w: JArray, b: JArray): JArray {
  const { numpy: np } = jax();
  return np.matmul(x, w).add(b);
}

/** Embeds tokens [rows] (int32) with a table [vocab, dModel] as one-hot @ table (cheap at small vocab; a plain matmul gradient). */
function embed(tokens: JArray, table: JArray, vocab: number): JArray {
  const { numpy: np, nn } = jax();
  return np.matmul(nn.oneHot(tokens, vocab).astype(np.float32), table);
}

/** Rotary tables for positions [rows] (int32): cos, sin of shape [rows, headDim/2]. */
function rotaryTables(positions: JArray, cfg: ModelConfig): [JArray, JArray] {
  const { numpy: np } = jax();
  const half = cfg.dModel / cfg.nHeads / 2;
  const invFreq = new Float32Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = cfg.ropeBase ** (-i / half);
  const angles = positions
    .astype(np.float32)
    .reshape([-1, 1])
    .mul(np.array(invFreq).reshape([1, half]));
  return [np.cos(angles.ref), np.sin(angles)];
}

/**
 * Rotates x [B, H, T, dh] by per-(row, position) angles: cos/sin [B, 1, T, dh/2] (GPT-NeoX halves).
 */
function applyRotary(x: JArray, cos: JArray, sin: JArray, headDim: number): JArray {
  const { numpy: np } = jax();
  const half = headDim / 2;
  const x1 = x.ref.slice([], [], [], [0, half]);
  const x2 = x.slice([], [], [], [half, headDim]);
  const r1 = x1.ref.mul(cos.ref).sub(x2.ref.mul(sin.ref));
  const r2 = x2.mul(cos).add(x1.mul(sin));
  return np.concatenate([r1, r2], -1);
}

/** Splits fused qkv [B·T, 3D] into q, k, v of shape [B, H, T, dh]. */
/**
 * Queries, keys and values [B, H, T, dh] of h [B·T, D]: three matmuls against column slices of
 * the fused weight. (Slicing the weights, not the [B·T, 3D] product, keeps the backward pass
 * from padding and summing three activation-sized gradients.)
 */
function projectQkv(
  h: JArray,
  w: JArray,
  b: JArray,
  B: number,
  T: number,
  cfg: ModelConfig,
): [JArray, JArray, JArray] {
  const { numpy: np } = jax();
  const D = cfg.dModel;
  const H = cfg.nHeads;
  const dh = D / H;
  const out: JArray[] = [];
  for (let i = 0; i < 3; i++) {
    const wi = i < 2 ? w.ref.slice([], [i * D, (i + 1) * D]) : w.slice([], [2 * D, 3 * D]);
    const bi = i < 2 ? b.ref.slice([i * D, (i + 1) * D]) : b.slice([2 * D, 3 * D]);
    const hi = i < 2 ? h.ref : h;
    out.push(np.matmul(hi, wi).add(bi).reshape([B, T, H, dh]).transpose([0, 2, 1, 3]));
  }
  return [out[0], out[1], out[2]];
}

function mergeHeads(x: JArray, B: number, T: number, cfg: ModelConfig): JArray {
  return x.transpose([0, 2, 1, 3]).reshape([B * T, cfg.dModel]);
}

/** softmax(q kᵀ / sqrt(dh) + bias) v for q [B,H,Tq,dh], k/v [B,H,Tk,dh], additive bias broadcastable to [B,H,Tq,Tk]. */
function attention(q: JArray, k: JArray, v: JArray, bias: JArray, headDim: number): JArray {
  const { numpy: np, nn } = jax();
  const scores = np
    .matmul(q, k.transpose([0, 1, 3, 2]))
    .mul(1 / Math.sqrt(headDim))
    .add(bias);
  return np.matmul(nn.softmax(scores, -1), v);
}

/** Additive causal mask [T, T]: 0 where key ≤ query, −1e9 above the diagonal. */
function causalBias(T: number): JArray {
  const { numpy: np } = jax();
  return np
    .tril(np.ones([T, T]))
    .sub(1)
    .mul(1e9);
}

function activation(x: JArray, kind: ModelConfig["activation"]): JArray {
  const { nn } = jax();
  if (kind === "relu") return nn.relu(x);
  if (kind === "gelu_tanh") return nn.gelu(x);
  return x.ref.mul(nn.sigmoid(x.mul(1.702)));
}

function mlp(x: JArray, p: Block, cfg: ModelConfig): JArray {
  return linear(activation(linear(x, p.w1, p.b1), cfg.activation), p.w2, p.b2);
}

/** Input embedding of rows [N] with previous tokens and positions (all int32 [N]). */
function embedInputs(
  p: Params,
  tokens: JArray,
  prevTokens: JArray | null,
  positions: JArray | null,
  cfg: ModelConfig,
): JArray {
  let x = embed(tokens, p.wte, cfg.vocabSize);
  if (cfg.tokenShift) {
    if (!prevTokens || !p.wshift) throw new Error("token shift needs prevTokens and wshift");
    x = x.add(embed(prevTokens, p.wshift, cfg.vocabSize));
  } else prevTokens?.dispose();
  if (cfg.positions === "learned") {
    if (!positions || !p.wpe) throw new Error("learned positions need positions and wpe");
    x = x.add(embed(positions, p.wpe, cfg.contextLength));
  } else positions?.dispose();
  return x;
}

// ---------------------------------------------------------------------------------------------
// Whole-sequence forward (training, log-probs, prompt prefill).

export interface SequenceInputs {
  /** [B, T] int32 token ids (right-padded). */
  tokens: JArray;
  /** [B, T] int32: the token before each position (PAD at position 0); used with token shift. */
  prevTokens: JArray;
}

/** Per layer: keys and values [B, H, C, dh] for the C = contextLength cache slots (a type alias: jax-js pytrees need one). */
export type KvCache = {
  k: JArray[];
  v: JArray[];
};

/**
 * Logits [B·T, vocab] for every position of a batch of sequences at positions 0..T−1. With
 * `cacheSlots` (≥ T), also returns each layer's keys and values padded to that many slots (the
 * prompt prefill of the sampler).
 */
export function forwardSequence(
  p: Params,
  inputs: SequenceInputs,
  B: number,
  T: number,
  cfg: ModelConfig,
  cacheSlots = 0,
): { logits: JArray; cache: KvCache | null } {
  const { numpy: np } = jax();
  const H = cfg.nHeads;
  const dh = cfg.dModel / H;
  const withCache = cacheSlots > 0;
  const C = cacheSlots;
  const positionsRow = np.arange(T).astype(np.int32);
  const positions = np.broadcastTo(positionsRow.ref.reshape([1, T]), [B, T]).reshape([B * T]);
  let x = embedInputs(
    p,
    inputs.tokens.reshape([B * T]),
    inputs.prevTokens.reshape([B * T]),
    cfg.positions === "learned" ? positions.ref : null,
    cfg,
  );
  positions.dispose();
  let rope: [JArray, JArray] | null = null;
  if (cfg.positions === "rotary") {
    const [cos, sin] = rotaryTables(positionsRow.ref, cfg);
    rope = [cos.reshape([1, 1, T, dh / 2]), sin.reshape([1, 1, T, dh / 2])];
  }
  positionsRow.dispose();
  const bias = causalBias(T);
  const cache: KvCache | null = withCache ? { k: [], v: [] } : null;
  for (const blk of p.blocks) {
    const h = layerNorm(x.ref, blk.ln1, cfg.layerNormEps);
    let [q, k, v] = projectQkv(h, blk.wqkv, blk.bqkv, B, T, cfg);
    if (rope) {
      q = applyRotary(q, rope[0].ref, rope[1].ref, dh);
      k = applyRotary(k, rope[0].ref, rope[1].ref, dh);
    }
    if (cache) {
      const padding: [number, number][] = [
        [0, 0],
        [0, 0],
        [0, C - T],
        [0, 0],
      ];
      cache.k.push(np.pad(k.ref, padding));
      cache.v.push(np.pad(v.ref, padding));
    }
    const att = mergeHeads(attention(q, k, v, bias.ref, dh), B, T, cfg);
    x = x.add(linear(att, blk.wo, blk.bo));
    x = x.add(mlp(layerNorm(x.ref, blk.ln2, cfg.layerNormEps), blk, cfg));
  }
  bias.dispose();
  if (rope) {
    rope[0].dispose();
    rope[1].dispose();
  }
  const logits = np.matmul(layerNorm(x, p.lnf, cfg.layerNormEps), p.head);
  return { logits, cache };
}

// ---------------------------------------------------------------------------------------------
// Decoding with a KV cache.
//
// jax-js has no in-place update, so writing one key into a cache of C slots rewrites all C slots.
// The cache is therefore split in two: the main cache [B, H, C, dh] (prompt keys from the prefill
// plus flushed generated keys, indexed by each row's absolute position) is only read by a decoding
// step; each step writes its key into a small recent buffer [B, H, S, dh] (slot = step mod S, the
// same for every row), and every S steps `flushRecent` scatters the buffer into the main cache at
// each row's positions. Per step that costs S slots instead of C.

export interface DecodeInputs {
  /** [B] int32: the token fed at this step. */
  tokens: JArray;
  /** [B] int32: the token before it (token shift). */
  prevTokens: JArray;
  /** [B] int32: each row's position of this token (rows advance independently). */
  positions: JArray;
  /** [B] int32: each row's first position held in the recent buffer (main-cache keys below it are valid). */
  blockStart: JArray;
  /** [S] float: one-hot of this step's recent slot. */
  recentSlot: JArray;
  /** [S] float: additive mask of the recent slots, 0 up to this step's slot, −1e9 after it. */
  recentBias: JArray;
}

/** The S-slot recent buffer size of the decoding cache. */
export const RECENT_SLOTS = 8;

/**
 * Logits [B, vocab] for one new token per row at its own position. Attends to the main-cache keys
 * before each row's block start and to the recent-buffer slots up to this step's (its own key
 * included); returns the updated recent buffer. The main cache is read, not consumed.
 */
export function forwardDecode(
  p: Params,
  inputs: DecodeInputs,
  main: KvCache,
  recent: KvCache,
  B: number,
  cfg: ModelConfig,
): { logits: JArray; recent: KvCache } {
  const { numpy: np } = jax();
  const H = cfg.nHeads;
  const dh = cfg.dModel / H;
  const C = main.k[0].shape[2];
  const S = recent.k[0].shape[2];
  const pos = inputs.positions;
  let x = embedInputs(p, inputs.tokens, inputs.prevTokens, cfg.positions === "learned" ? pos.ref : null, cfg);
  // Additive masks: main slots < blockStart [B, 1, 1, C]; recent slots ≤ this step's slot [1, 1, 1, S].
  const mainBias = np
    .less(np.arange(C).astype(np.int32).reshape([1, C]), inputs.blockStart.reshape([B, 1]))
    .astype(np.float32)
    .sub(1)
    .mul(1e9)
    .reshape([B, 1, 1, C]);
  const recentVisible = inputs.recentBias.reshape([1, 1, 1, S]);
  const slot = inputs.recentSlot.astype(np.bool).reshape([1, 1, S, 1]);
  let rope: [JArray, JArray] | null = null;
  if (cfg.positions === "rotary") {
    const [cos, sin] = rotaryTables(pos.ref, cfg);
    rope = [cos.reshape([B, 1, 1, dh / 2]), sin.reshape([B, 1, 1, dh / 2])];
  }
  pos.dispose();
  const next: KvCache = { k: [], v: [] };
  p.blocks.forEach((blk, l) => {
    const h = layerNorm(x.ref, blk.ln1, cfg.layerNormEps);
    let [q, k, v] = projectQkv(h, blk.wqkv, blk.bqkv, B, 1, cfg);
    if (rope) {
      q = applyRotary(q, rope[0].ref, rope[1].ref, dh);
      k = applyRotary(k, rope[0].ref, rope[1].ref, dh);
    }
    const rk = np.where(slot.ref, k, recent.k[l]);
    const rv = np.where(slot.ref, v, recent.v[l]);
    next.k.push(rk.ref);
    next.v.push(rv.ref);
    // softmax over [main | recent] scores, then the two weighted sums.
    const scale = 1 / Math.sqrt(dh);
    const sMain = np
      .matmul(q.ref, main.k[l].ref.transpose([0, 1, 3, 2]))
      .mul(scale)
      .add(mainBias.ref);
    const sRecent = np
      .matmul(q, rk.transpose([0, 1, 3, 2]))
      .mul(scale)
      .add(recentVisible.ref);
    // nn.softmax's arithmetic, with the concatenation built twice: each copy fuses into the one
    // kernel that reads it (max, exp) instead of being stored by a kernel of its own.
    const scoreMax = np.concatenate([sMain.ref, sRecent.ref], -1).max(-1, { keepdims: true });
    const unnormalized = np.exp(np.concatenate([sMain, sRecent], -1).sub(scoreMax));
    const probs = unnormalized.ref.div(unnormalized.sum(-1, { keepdims: true }));
    const pMain = probs.ref.slice([], [], [], [0, C]);
    const pRecent = probs.slice([], [], [], [C, C + S]);
    const out = np.matmul(pMain, main.v[l].ref).add(np.matmul(pRecent, rv));
    // [B, H, 1, dh] is already [B, D] in memory: a reshape, not mergeHeads' transposing copy.
    x = x.add(linear(out.reshape([B, cfg.dModel]), blk.wo, blk.bo));
    x = x.add(mlp(layerNorm(x.ref, blk.ln2, cfg.layerNormEps), blk, cfg));
  });
  slot.dispose();
  mainBias.dispose();
  recentVisible.dispose();
  if (rope) {
    rope[0].dispose();
    rope[1].dispose();
  }
  const logits = np.matmul(layerNorm(x, p.lnf, cfg.layerNormEps), p.head);
  return { logits, recent: next };
}

/** An empty recent buffer for `B` rows. */
export function emptyRecent(B: number, cfg: ModelConfig, slots = RECENT_SLOTS): KvCache {
  const { numpy: np } = jax();
  const shape = [B, cfg.nHeads, slots, cfg.dModel / cfg.nHeads];
  const k: JArray[] = [];
  const v: JArray[] = [];
  for (let l = 0; l < cfg.nLayers; l++) {
    k.push(np.zeros(shape));
    v.push(np.zeros(shape));
  }
  return { k, v };
}

/**
 * Writes the recent buffer into the main cache: slot s of row b goes to position blockStart[b] + s
 * (a one-hot scatter as a matmul, then one `where`). With `slots` larger than the main cache, the
 * cache first grows to that many slots (zeros: masked until written). Consumes both caches and
 * blockStart.
 */
export function flushRecent(
  main: KvCache,
  recent: KvCache,
  blockStart: JArray,
  B: number,
  slots = main.k[0].shape[2],
): KvCache {
  const { numpy: np } = jax();
  const grow = slots - main.k[0].shape[2];
  if (grow < 0) throw new RangeError(`the cache cannot shrink (${main.k[0].shape[2]} → ${slots} slots)`);
  if (grow > 0) {
    const padding: [number, number][] = [
      [0, 0],
      [0, 0],
      [0, grow],
      [0, 0],
    ];
    main = { k: main.k.map((k) => np.pad(k, padding)), v: main.v.map((v) => np.pad(v, padding)) };
  }
  const C = slots;
  const S = recent.k[0].shape[2];
  // scatter[b, 0, c, s] = 1 where c = blockStart[b] + s.
  const target = blockStart.reshape([B, 1, 1]).add(np.arange(S).astype(np.int32).reshape([1, 1, S]));
  const scatter = np
    .equal(np.arange(C).astype(np.int32).reshape([1, C, 1]), target)
    .astype(np.float32)
    .reshape([B, 1, C, S]);
  const written = scatter.ref.sum(-1, { keepdims: true }).astype(np.bool);
  const out: KvCache = { k: [], v: [] };
  for (let l = 0; l < main.k.length; l++) {
    out.k.push(np.where(written.ref, np.matmul(scatter.ref, recent.k[l]), main.k[l]));
    out.v.push(np.where(written.ref, np.matmul(scatter.ref, recent.v[l]), main.v[l]));
  }
  scatter.dispose();
  written.dispose();
  return out;
}

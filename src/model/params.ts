import type { Array as JArray } from "@jax-js/jax";
import type { ModelConfig } from "../config/model.js";
import { Rng } from "../util/rng.js";
import { jax } from "./engine.js";

/**
 * The parameters of the transformer (transformer.ts): their names, shapes and initialization, the
 * tree they form, and their copies on the host and on the engine.
 */

export type LayerNorm = { g: JArray; b: JArray };
export type Block = {
  ln1: LayerNorm;
  /** Fused query/key/value projection [dModel, 3·dModel], columns q | k | v, heads contiguous. */
  wqkv: JArray;
  bqkv: JArray;
  wo: JArray;
  bo: JArray;
  ln2: LayerNorm;
  w1: JArray;
  b1: JArray;
  w2: JArray;
  b2: JArray;
};
export type Params = {
  /** Token embedding [vocab, dModel]. */
  wte: JArray;
  /** Previous-token embedding [vocab, dModel] (token shift), when enabled. */
  wshift?: JArray;
  /** Learned positions [context, dModel], when positions = "learned". */
  wpe?: JArray;
  blocks: Block[];
  lnf: LayerNorm;
  /** Output head [dModel, vocab]. */
  head: JArray;
};

/** One named weight: its shape and how it is initialized. */
export interface ParamSpec {
  name: string;
  shape: number[];
  init: "normal" | "zeros" | "ones";
  std: number;
  /** Matrices get weight decay; biases, LayerNorm and embeddings do not. */
  decay: boolean;
}

/** Every weight of a model with this configuration, in a fixed order (checkpoints and init use it). */
export function paramSpecs(cfg: ModelConfig): ParamSpec[] {
  const { vocabSize: V, dModel: D, dMlp: F, contextLength: C, initStd: std } = cfg;
  const residualStd = std / Math.sqrt(2 * cfg.nLayers);
  const specs: ParamSpec[] = [{ name: "wte", shape: [V, D], init: "normal", std, decay: false }];
  if (cfg.tokenShift) specs.push({ name: "wshift", shape: [V, D], init: "normal", std, decay: false });
  if (cfg.positions === "learned")
    specs.push({ name: "wpe", shape: [C, D], init: "normal", std, decay: false });
  const ln = (name: string): ParamSpec[] => [
    { name: `${name}.g`, shape: [D], init: "ones", std: 0, decay: false },
    { name: `${name}.b`, shape: [D], init: "zeros", std: 0, decay: false },
  ];
  for (let l = 0; l < cfg.nLayers; l++) {
    const p = `blocks.${l}`;
    specs.push(
      ...ln(`${p}.ln1`),
      { name: `${p}.wqkv`, shape: [D, 3 * D], init: "normal", std, decay: true },
      { name: `${p}.bqkv`, shape: [3 * D], init: "zeros", std: 0, decay: false },
      { name: `${p}.wo`, shape: [D, D], init: "normal", std: residualStd, decay: true },
      { name: `${p}.bo`, shape: [D], init: "zeros", std: 0, decay: false },
      ...ln(`${p}.ln2`),
      { name: `${p}.w1`, shape: [D, F], init: "normal", std, decay: true },
      { name: `${p}.b1`, shape: [F], init: "zeros", std: 0, decay: false },
      { name: `${p}.w2`, shape: [F, D], init: "normal", std: residualStd, decay: true },
      { name: `${p}.b2`, shape: [D], init: "zeros", std: 0, decay: false },
    );
  }
  specs.push(...ln("lnf"), { name: "head", shape: [D, V], init: "normal", std, decay: true });
  return specs;
}

export function countParams(cfg: ModelConfig): number {
  return paramSpecs(cfg).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

/** Host copies of the weights by name (what checkpoints store). */
export type HostParams = Map<string, Float32Array>;

/** Deterministic initial weights from a seed (plain TypeScript RNG, so identical on any engine). */
export function initHostParams(cfg: ModelConfig, seed: number): HostParams {
  const rng = new Rng(seed);
  const out: HostParams = new Map();
  for (const spec of paramSpecs(cfg)) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (spec.init === "ones") data.fill(1);
    else if (spec.init === "normal") for (let i = 0; i < n; i++) data[i] = rng.normal() * spec.std;
    out.set(spec.name, data);
  }
  return out;
}

/** Builds the params pytree from named leaves (`leaf(name, shape)`), following `paramSpecs`. */
export function buildParams<T>(cfg: ModelConfig, leaf: (spec: ParamSpec) => T): ParamsOf<T> {
  const byName = new Map(paramSpecs(cfg).map((s) => [s.name, s]));
  const get = (name: string): T => leaf(byName.get(name)!);
  const ln = (name: string) => ({ g: get(`${name}.g`), b: get(`${name}.b`) });
  const blocks = [];
  for (let l = 0; l < cfg.nLayers; l++) {
    const p = `blocks.${l}`;
    blocks.push({
      ln1: ln(`${p}.ln1`),
      wqkv: get(`${p}.wqkv`),
      bqkv: get(`${p}.bqkv`),
      wo: get(`${p}.wo`),
      bo: get(`${p}.bo`),
      ln2: ln(`${p}.ln2`),
      w1: get(`${p}.w1`),
      b1: get(`${p}.b1`),
      w2: get(`${p}.w2`),
      b2: get(`${p}.b2`),
    });
  }
  const tree: ParamsOf<T> = { wte: get("wte"), blocks, lnf: ln("lnf"), head: get("head") };
  if (cfg.tokenShift) tree.wshift = get("wshift");
  if (cfg.positions === "learned") tree.wpe = get("wpe");
  return tree;
}

/** The params tree shape over any leaf type (device arrays, host arrays, decay flags). */
export type ParamsOf<T> = {
  wte: T;
  wshift?: T;
  wpe?: T;
  blocks: {
    ln1: { g: T; b: T };
    wqkv: T;
    bqkv: T;
    wo: T;
    bo: T;
    ln2: { g: T; b: T };
    w1: T;
    b1: T;
    w2: T;
    b2: T;
  }[];
  lnf: { g: T; b: T };
  head: T;
};

/** Leaves of a params tree with their names, in `paramSpecs` order. */
export function namedLeaves<T>(cfg: ModelConfig, tree: ParamsOf<T>): [string, T][] {
  const out: [string, T][] = [];
  const lookup = (name: string): T => {
    let node: unknown = tree;
    for (const key of name.split(".")) node = (node as Record<string, unknown>)[key];
    return node as T;
  };
  for (const spec of paramSpecs(cfg)) out.push([spec.name, lookup(spec.name)]);
  return out;
}

/** Uploads host weights to the engine. */
export function paramsToDevice(cfg: ModelConfig, host: HostParams): Params {
  const { numpy: np } = jax();
  return buildParams(cfg, (spec) => {
    const data = host.get(spec.name);
    if (!data) throw new Error(`missing weight "${spec.name}"`);
    return np.array(data, { dtype: np.float32 }).reshape(spec.shape);
  }) as Params;
}

/** Downloads the weights (the tree is not consumed). */
export async function paramsToHost(cfg: ModelConfig, params: Params): Promise<HostParams> {
  const out: HostParams = new Map();
  for (const [name, arr] of namedLeaves(cfg, params as ParamsOf<JArray>)) {
    out.set(name, new Float32Array((await arr.ref.data()) as Float32Array));
  }
  return out;
}

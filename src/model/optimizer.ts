import type { Array as JArray } from "@jax-js/jax";
import type { ModelConfig, OptimizerConfig } from "../config/model.js";
import { jax } from "./engine.js";
import { buildParams, type Params, type ParamsOf, paramSpecs } from "./params.js";

/**
 * AdamW over the params pytree, written to run inside the jitted training step: the learning rate
 * and the bias corrections arrive as array inputs (so a new value never re-traces), gradients are
 * clipped by their global norm, and a non-finite loss or gradient leaves params and moments
 * unchanged (the step reports it as skipped).
 */

export type AdamState = { m: Params; v: Params };

/** Per-step scalars of the update, passed to the jitted step as a Float32Array (see `adamScalars`). */
export const ADAM_SCALARS = 3;

/**
 * [lr, 1 − β1^t, 1 − β2^t] for update number t (1-based). Bias corrections are computed on the
 * host because t only advances when an update is applied.
 */
export function adamScalars(lr: number, t: number, cfg: OptimizerConfig): number[] {
  return [lr, 1 - cfg.beta1 ** t, 1 - cfg.beta2 ** t];
}

/** Zero first and second moments shaped like the params. */
export function initAdamState(model: ModelConfig): AdamState {
  const { numpy: np } = jax();
  const zeros = () => buildParams(model, (spec) => np.zeros(spec.shape)) as Params;
  return { m: zeros(), v: zeros() };
}

/** Which leaves get weight decay (matrices only), as a tree of booleans parallel to the params. */
export function decayMask(model: ModelConfig): ParamsOf<boolean> {
  const decay = new Map(paramSpecs(model).map((s) => [s.name, s.decay]));
  return buildParams(model, (spec) => decay.get(spec.name)!);
}

export interface AdamwResult {
  params: Params;
  state: AdamState;
  /** Global gradient norm before clipping (scalar). */
  gradNorm: JArray;
  /** 1 when the update was applied, 0 when skipped for a non-finite loss or gradient (scalar). */
  applied: JArray;
}

/**
 * One AdamW update (inside a traced function). Consumes params, grads, state, loss and scalars.
 * `scalars` = [lr, 1 − β1^t, 1 − β2^t] (`adamScalars`).
 */
export function adamwUpdate(
  params: Params,
  grads: Params,
  state: AdamState,
  loss: JArray,
  scalars: JArray,
  model: ModelConfig,
  cfg: OptimizerConfig,
): AdamwResult {
  const { numpy: np, tree } = jax();
  const lr = scalars.ref.slice(0);
  const bc1 = scalars.ref.slice(1);
  const bc2 = scalars.slice(2);

  const gLeaves = tree.leaves(grads) as JArray[];
  let sq: JArray = np.zeros([]);
  for (const g of gLeaves) sq = sq.add(np.square(g.ref).sum());
  const gradNorm = np.sqrt(sq);
  // finite(loss + norm) is false for any NaN/Inf in the loss or in any gradient entry.
  const ok = np.isfinite(loss.add(gradNorm.ref));
  const scale =
    cfg.gradClip > 0 ? np.minimum(np.reciprocal(gradNorm.ref.add(1e-6)).mul(cfg.gradClip), 1) : np.ones([]);
  // Where the update is skipped the gradient may hold NaN; zero it so the moments stay finite.
  const gScale = np.where(ok.ref, scale, 0);

  const [pLeaves, treedef] = tree.flatten(params) as [JArray[], unknown];
  const mLeaves = tree.leaves(state.m) as JArray[];
  const vLeaves = tree.leaves(state.v) as JArray[];
  const decay = tree.leaves(decayMask(model)) as unknown as boolean[];
  const newP: JArray[] = [];
  const newM: JArray[] = [];
  const newV: JArray[] = [];
  for (let i = 0; i < pLeaves.length; i++) {
    const p = pLeaves[i];
    const g = np.where(ok.ref, gLeaves[i], 0).mul(gScale.ref);
    const m = mLeaves[i].ref.mul(cfg.beta1).add(g.ref.mul(1 - cfg.beta1));
    const v = vLeaves[i].ref.mul(cfg.beta2).add(np.square(g).mul(1 - cfg.beta2));
    const mHat = m.ref.div(bc1.ref);
    const vHat = v.ref.div(bc2.ref);
    let delta = mHat.div(np.sqrt(vHat).add(cfg.eps));
    if (decay[i] && cfg.weightDecay > 0) delta = delta.add(p.ref.mul(cfg.weightDecay));
    const updated = p.ref.sub(delta.mul(lr.ref));
    newP.push(np.where(ok.ref, updated, p));
    newM.push(np.where(ok.ref, m, mLeaves[i]));
    newV.push(np.where(ok.ref, v, vLeaves[i]));
  }
  lr.dispose();
  bc1.dispose();
  bc2.dispose();
  gScale.dispose();
  const unflatten = (leaves: JArray[]) => tree.unflatten(treedef as never, leaves) as unknown as Params;
  return {
    params: unflatten(newP),
    state: { m: unflatten(newM), v: unflatten(newV) },
    gradNorm,
    applied: ok.astype(np.float32),
  };
}

/**
 * The PyTorch peer (bench/peer.ts, bench/support/torch_peer.py) computes the engine's training step:
 * from the same weights and batch, the first two losses and gradient norms agree on a tiny model.
 * Skipped, visibly, where no python3 with torch is installed (Debian: python3-torch).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  firstStepsDifference,
  PEER_TOLERANCE,
  runTorchPeer,
  torchPython,
  writePeerInit,
} from "../../bench/peer.js";
import { referenceTrainStep } from "../../bench/support/reference.js";
import { ModelConfigSchema } from "../../src/config/model.js";
import { initEngine } from "../../src/model/engine.js";

const python = torchPython();
const TINY = ModelConfigSchema.parse({
  vocabSize: 16,
  dModel: 32,
  nLayers: 2,
  nHeads: 2,
  dMlp: 64,
  contextLength: 16,
  positions: "learned",
  tokenShift: false,
});
const B = 4;
const T = 16;

describe.skipIf(!python)("PyTorch peer (needs python3 with torch)", () => {
  let dir = "";
  const engine: { loss: number; gradNorm: number }[] = [];

  beforeAll(async () => {
    await initEngine({ threads: 1 });
    const train = referenceTrainStep(TINY, B, T);
    for (let t = 1; t <= 2; t++) {
      const s = await train.stepStats(t);
      engine.push({ loss: s[0], gradNorm: s[1] });
    }
    train.dispose();
    dir = mkdtempSync(join(tmpdir(), "rlev-peer-test-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const peer = async (edit?: (manifest: { model: { layerNormEps: number } }) => void) => {
    writePeerInit(dir, TINY, { B, T }, engine, { rows: 2, promptLength: 4, newTokens: 3 });
    if (edit) {
      const path = join(dir, "batch.json");
      const manifest = JSON.parse(readFileSync(path, "utf8"));
      edit(manifest);
      writeFileSync(path, JSON.stringify(manifest));
    }
    return runTorchPeer(python!, dir, 1, ["--steps", "0", "--sample-reps", "0"]);
  };

  it("agrees with the engine's first two steps within the benchmark's tolerance", async () => {
    const torch = await peer();
    expect(torch.first).toHaveLength(2);
    expect(engine[1].loss).not.toBe(engine[0].loss); // the second step runs after an update
    expect(firstStepsDifference(engine, torch.first)).toBeLessThanOrEqual(PEER_TOLERANCE);
    // OpenMP must not spin against OpenBLAS's threads (docs/performance.md#pytorch-peer).
    expect(torch.ompWaitPolicy).toBe(process.env.OMP_WAIT_POLICY ?? "PASSIVE");
  });

  it("notices a model that differs (layer-norm epsilon 0.1 instead of 1e-5)", async () => {
    const torch = await peer((m) => {
      m.model.layerNormEps = 0.1;
    });
    expect(firstStepsDifference(engine, torch.first)).toBeGreaterThan(PEER_TOLERANCE);
  });
});

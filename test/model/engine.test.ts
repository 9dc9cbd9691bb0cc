import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { describe, expect, it } from "vitest";
import { EmbeddedPolicy } from "../../src/model/embedded-policy.js";
import { engineInfo, initEngine } from "../../src/model/engine.js";
import { packSequences, randomSequences } from "./helpers.js";

/** CPU seconds of each thread of this process (Linux /proc), keyed by thread id. */
function threadCpuSeconds(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      // Fields after the parenthesized name: state is field 3, utime 14 and stime 15 (clock ticks).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return out;
}

const hasProc = (() => {
  try {
    readdirSync("/proc/self/task");
    return true;
  } catch {
    return false;
  }
})();

describe("engine", () => {
  it("initializes once and returns the same module", async () => {
    const a = await initEngine({ threads: 2 });
    const b = await initEngine({ threads: 1 });
    expect(b).toBe(a);
    expect(engineInfo()?.threads).toBe(2);
    expect(a.defaultDevice()).toBe("wasm");
  });

  it("rejects options that are not finite numbers >= 0, naming the option", async () => {
    await expect(initEngine({ spinPolls: Number.NaN })).rejects.toThrow(
      /spinPolls must be a finite number >= 0, got NaN/,
    );
    await expect(initEngine({ inlineBelowMicros: -1 })).rejects.toThrow(/inlineBelowMicros .* got -1/);
    await expect(initEngine({ threads: Number.POSITIVE_INFINITY })).rejects.toThrow(
      /threads .* got Infinity/,
    );
    expect(engineInfo()?.threads).toBe(2);
  });

  // Both cores: the worker thread does a large share of the CPU work of a training step (a ratio
  // of CPU times, which holds on a busy machine), and, when the machine has a spare core, the
  // process burns clearly more CPU time than wall time.
  it.skipIf(availableParallelism() < 2 || !hasProc)("uses both cores during a training step", async () => {
    await initEngine({ threads: 2 });
    const p = await EmbeddedPolicy.create(
      { vocabSize: 32, dModel: 128, nLayers: 2, nHeads: 4, dMlp: 512, contextLength: 64 },
      1,
    );
    try {
      const batch = packSequences(randomSequences(32, 64, 32, 3));
      const lossMask = new Float32Array(batch.tokens.length).fill(1);
      await p.supervisedStep({ ...batch, lossMask }, 1e-3); // compile outside the measurement
      const load = loadavg()[0];
      const threads0 = threadCpuSeconds();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let steps = 0;
      while (performance.now() - t0 < 2500 || steps < 3) {
        await p.supervisedStep({ ...batch, lossMask }, 1e-3);
        steps++;
      }
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const threads1 = threadCpuSeconds();
      let mainCpu = 0;
      let otherCpu = 0;
      for (const [tid, sec] of threads1) {
        const d = sec - (threads0.get(tid) ?? 0);
        if (tid === process.pid) mainCpu += d;
        else otherCpu += d;
      }
      const share = otherCpu / (mainCpu + otherCpu);
      const ratio = (cpu.user + cpu.system) / 1e6 / wall;
      const detail = `worker share ${share.toFixed(2)}, cpu/wall ${ratio.toFixed(2)}, ${steps} steps, load ${load.toFixed(1)}`;
      expect(engineInfo()!.workerThreads).toBeGreaterThanOrEqual(1);
      expect(share, detail).toBeGreaterThan(0.3);
      if (load < availableParallelism() - 1) expect(ratio, detail).toBeGreaterThan(1.3);
      else console.warn(`cpu/wall not asserted: the machine is busy (${detail})`);
    } finally {
      p.dispose();
    }
  });
});

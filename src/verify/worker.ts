// Worker thread of VerifierPool: verifies batches of inputs, posting one result per item in order
// so that the pool can time each item separately.
import { parentPort } from "node:worker_threads";
import { warmUpPrecise } from "./math/precise.js";
import type { VerifyInput } from "./types.js";
import { verifyAnswer } from "./verifiers.js";

export interface WorkerTask {
  id: number;
  input: VerifyInput;
}
export type WorkerMessage = { ready: true } | { id: number; verdict: ReturnType<typeof verifyAnswer> };

const port = parentPort;
if (port) {
  // Load the high-precision library now, so that its first use is not charged to an item's time limit.
  warmUpPrecise();
  port.on("message", (tasks: WorkerTask[]) => {
    for (const t of tasks)
      port.postMessage({ id: t.id, verdict: verifyAnswer(t.input) } satisfies WorkerMessage);
  });
  port.postMessage({ ready: true } satisfies WorkerMessage);
}

import { createProgress, type ProgressReporter } from "../train/progress.js";

/**
 * The shared progress reporter (a bar on a terminal, plain lines otherwise), throttled so that
 * plain-line output stays readable: at most one update a second, plus the last one.
 */
export function throttledProgress(label: string, total: number, enabled: boolean): ProgressReporter {
  if (!enabled || total === 0) return { update() {}, stop() {} };
  const inner = createProgress(label, total, 0);
  let last = 0;
  return {
    update(done, fields) {
      const now = Date.now();
      if (done < total && now - last < 1000) return;
      last = now;
      inner.update(done, fields);
    },
    stop: () => inner.stop(),
  };
}

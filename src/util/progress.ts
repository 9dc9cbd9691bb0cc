import cliProgress from "cli-progress";

export interface ProgressReporter {
  /** Reports that `done` of `total` steps are finished, with a few named figures. */
  update(done: number, fields: Record<string, string>): void;
  stop(): void;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, "0")}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/**
 * A progress bar with ETA on a terminal (cli-progress), plain lines otherwise (logs, CI, pipes).
 * The ETA counts only steps run by this process, so a resumed run estimates from its own pace.
 */
export function createProgress(
  label: string,
  total: number,
  start: number,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  const began = Date.now();
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} |{bar}| {value}/{total} | {elapsed} elapsed | ETA {eta_own} | {info}`,
        barsize: 24,
        hideCursor: true,
        stream,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, start, { info: "", eta_own: "?", elapsed: "0s" });
    return {
      update(done, fields) {
        const elapsed = (Date.now() - began) / 1000;
        const rate = (done - start) / elapsed;
        bar.update(done, {
          info: Object.entries(fields)
            .map(([k, v]) => `${k} ${v}`)
            .join(" "),
          eta_own: rate > 0 ? formatDuration((total - done) / rate) : "?",
          elapsed: formatDuration(elapsed),
        });
      },
      stop: () => bar.stop(),
    };
  }
  let lastLine = 0;
  return {
    update(done, fields) {
      // Plain lines go to logs: at most one per 5 s, plus the last step.
      if (Date.now() - lastLine < 5000 && done < total) return;
      lastLine = Date.now();
      const elapsed = (Date.now() - began) / 1000;
      const rate = (done - start) / elapsed;
      const eta = rate > 0 ? formatDuration((total - done) / rate) : "?";
      const info = Object.entries(fields)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      stream.write(`${label} ${done}/${total} ${info} elapsed=${formatDuration(elapsed)} eta=${eta}\n`);
    },
    stop() {},
  };
}

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

import { spawn, spawnSync } from "node:child_process";
import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.js";
import { readResults } from "../../src/experiment/results-file.js";
import { parseShard } from "../../src/experiment/shard.js";
import { repoRoot } from "../helpers/cli.js";
import { tempDir } from "../train/tiny.js";
import { tinyShared } from "./fixtures.js";

/**
 * examples/cluster/slurm.sh and k8s-indexed-job.yaml: their rlev command lines use only real
 * options of `rlev experiment`, and run as written they prepare, run and merge a tiny grid
 * (slurm.sh through a stand-in `sbatch` that runs each job, array tasks with SLURM's variables;
 * the manifest's container scripts in pod order, with Kubernetes' JOB_COMPLETION_INDEX).
 */

const slurmFile = join(repoRoot, "examples/cluster/slurm.sh");
const k8sFile = join(repoRoot, "examples/cluster/k8s-indexed-job.yaml");
// The CLI from source; tsx by path, as the scripts run in a work folder without node_modules.
const RLEV_FROM_SOURCE = `${process.execPath} --import ${join(repoRoot, "node_modules/tsx/dist/loader.mjs")} ${join(repoRoot, "src/cli/run-main.ts")}`;

function experimentCommand(): Command {
  const cmd = buildProgram().commands.find((c) => c.name() === "experiment");
  if (!cmd) throw new Error("no experiment command");
  return cmd;
}

/** The `rlev experiment …` invocations in a text (up to a shell separator or quote). */
function rlevLines(text: string): string[][] {
  const re = /(?:\$RLEV|node bin\/rlev\.js) experiment ([^;&|"\n]*)/g;
  return [...text.matchAll(re)].map((m) => m[1].trim().split(/\s+/));
}

/** Checks every --option is one of the command's, and that options taking a value get one. */
function checkAgainstCli(args: string[]) {
  const opts = experimentCommand().options;
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith("--")) continue;
    const opt = opts.find((o) => o.long === args[i]);
    expect(opt, `${args[i]} is not an option of rlev experiment`).toBeDefined();
    if (opt?.required || opt?.optional) {
      expect(args[i + 1], `${args[i]} needs a value`).toBeDefined();
      expect(args[i + 1].startsWith("--"), `${args[i]} needs a value`).toBe(false);
    }
  }
}

/** A work folder laid out like the repository: configs/experiment.json is a tiny grid. */
async function tinyWorkdir(name: string): Promise<string> {
  const work = join(await tempDir(`rlev-cluster-${name}-`), "rlev");
  await mkdir(join(work, "configs"), { recursive: true });
  await mkdir(join(work, "results", "experiment"), { recursive: true });
  // The runs' child processes load tsx from the working folder's node_modules, as in a checkout.
  await symlink(join(repoRoot, "node_modules"), join(work, "node_modules"));
  await writeFile(
    join(work, "configs", "experiment.json"),
    JSON.stringify({
      results: join(work, "results", "experiment", "results.jsonl"),
      out: join(work, "runs"),
      report: join(work, "results", "experiment", "report.html"),
      png: join(work, "results", "experiment", "key.png"),
      jobs: 1,
      seeds: [1, 2],
      config: tinyShared,
      sizes: { tiny: { warmup: { checkpoint: join(work, "warm", "tiny"), seed: 0, threads: 1 } } },
      grids: [{ name: "main", size: ["tiny"], estimator: ["rloo"], reward: ["correctness", "rlev"] }],
    }),
  );
  return work;
}

function bash(script: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn("bash", script, { cwd, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * A stand-in for sbatch: records its arguments, runs --wrap at once (an --array=a-b job once per
 * task, with SLURM_ARRAY_TASK_ID/_MIN/_COUNT), fails like a failed job, prints a job id.
 */
const FAKE_SBATCH = `#!/usr/bin/env bash
set -euo pipefail
log="$SBATCH_LOG"; touch "$log"; n=$(( $(wc -l < "$log") + 100 ))
wrap=""; array=""; args=()
for a in "$@"; do args+=("$a"); done
for ((i = 0; i < \${#args[@]}; i++)); do
  case "\${args[i]}" in
    --wrap) wrap="\${args[i+1]}" ;;
    --array=*) array="\${args[i]#--array=}" ;;
  esac
done
printf '%s\\n' "$(printf '%q ' "$@")" >> "$log"
if [ -n "$array" ]; then
  lo=\${array%-*}; hi=\${array#*-}
  for ((t = lo; t <= hi; t++)); do
    SLURM_ARRAY_TASK_ID=$t SLURM_ARRAY_TASK_MIN=$lo SLURM_ARRAY_TASK_COUNT=$((hi - lo + 1)) bash -c "$wrap" >&2
  done
else
  bash -c "$wrap" >&2
fi
echo "$n"
`;

describe("examples/cluster: command lines match the CLI", () => {
  it("slurm.sh and the Kubernetes manifest use only real rlev experiment options, all three stages", async () => {
    for (const file of [slurmFile, k8sFile]) {
      const lines = rlevLines(await readFile(file, "utf8"));
      const flags = lines.map((l) =>
        l.find((a) => ["--prepare", "--shard", "--merge", "--report"].includes(a)),
      );
      expect(flags, file).toEqual(["--prepare", "--shard", "--merge", "--report"]);
      for (const l of lines) checkAgainstCli(l);
    }
    expect(() => checkAgainstCli(["--config", "x", "--shards", "3"])).toThrow("--shards is not an option");
  });

  it("the manifest is an Indexed Job whose completions match --shard k8s/n and the merge's count", async () => {
    const text = await readFile(k8sFile, "utf8");
    const docs = text.split(/^---$/m);
    expect(docs).toHaveLength(3);
    expect(docs.map((d) => /^kind: (\w+)$/m.exec(d)?.[1])).toEqual(["Job", "Job", "Job"]);
    expect(docs[1]).toMatch(/^ {2}completionMode: Indexed$/m);
    const completions = Number(/^ {2}completions: (\d+)$/m.exec(docs[1])?.[1]);
    expect(Number(/^ {2}parallelism: (\d+)$/m.exec(docs[1])?.[1])).toBe(completions);
    const spec = /--shard (k8s\/\d+)/.exec(docs[1])?.[1] ?? "";
    expect(parseShard(spec, { JOB_COMPLETION_INDEX: String(completions - 1) })).toEqual({
      index: completions - 1,
      count: completions,
    });
    expect(docs[2]).toContain(`[ "\${#m[@]}" -eq ${completions} ]`);
    // When python3 has PyYAML, the whole file must also load as YAML (three Job objects).
    const yaml = spawnSync("python3", [
      "-c",
      "import sys, yaml; print(len([d for d in yaml.safe_load_all(open(sys.argv[1])) if d['kind'] == 'Job']))",
      k8sFile,
    ]);
    if (yaml.status === 0) expect(yaml.stdout.toString().trim()).toBe("3");
    else console.warn("SKIP YAML load of the Kubernetes manifest: python3 has no PyYAML");
  });
});

describe("examples/cluster, run as written on a tiny grid", () => {
  it("slurm.sh: prepare, a 3-task array, merge and report; 4 of 4 runs merged", async () => {
    const work = await tinyWorkdir("slurm");
    const bin = join(work, "..", "bin");
    await mkdir(bin);
    await writeFile(join(bin, "sbatch"), FAKE_SBATCH);
    await chmod(join(bin, "sbatch"), 0o755);
    const log = join(work, "..", "sbatch.log");
    const r = await bash([slurmFile], work, {
      PATH: `${bin}:${process.env.PATH}`,
      SBATCH_LOG: log,
      SHARDS: "3",
      CPUS: "1",
      RLEV: RLEV_FROM_SOURCE,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("submitted: prepare 100, grid 101 (array 0-2), merge 102");
    const calls = (await readFile(log, "utf8")).trim().split("\n");
    expect(calls).toHaveLength(3);
    expect(calls[1]).toContain("--dependency=afterok:100");
    expect(calls[1]).toContain("--array=0-2");
    expect(calls[2]).toContain("--dependency=afterok:101");
    const merged = await readResults(join(work, "results", "experiment", "results.jsonl"));
    expect(merged.records.map((x) => `${x.cell} ${x.seed}`).sort()).toEqual([
      "tiny/rloo/correctness 1",
      "tiny/rloo/correctness 2",
      "tiny/rloo/rlev 1",
      "tiny/rloo/rlev 2",
    ]);
    expect(r.stderr).toContain("shard 2 of 3: 1 of 4 runs");
    expect(r.stderr).toMatch(/4 of 4 runs finished/);
  }, 600_000);

  it("k8s-indexed-job.yaml: the three Jobs' scripts in order, every index of the Indexed Job", async () => {
    const work = await tinyWorkdir("k8s");
    const text = await readFile(k8sFile, "utf8");
    // The container scripts (folded `args` blocks and the init containers' one-liners).
    const docs = text.split(/^---$/m);
    const script = (doc: string) => {
      const m = /args:\n\s+- >-\n((?:\s{14}.*\n?)+)/.exec(doc);
      return (m?.[1] ?? "")
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .join(" ")
        .replaceAll("node bin/rlev.js", RLEV_FROM_SOURCE);
    };
    const waitFor = (doc: string) =>
      /- (shopt -s nullglob; until .*)$/m.exec(doc)?.[1] ?? /"(until \[ -f .*?)"\]/.exec(doc)?.[1];
    const completions = Number(/^ {2}completions: (\d+)$/m.exec(docs[1])?.[1]);
    const prep = await bash(["-c", script(docs[0])], work, {});
    expect(prep.code, prep.stderr).toBe(0);
    for (let i = 0; i < completions; i++) {
      const wait = await bash(["-c", waitFor(docs[1]) ?? "false"], work, {});
      expect(wait.code).toBe(0);
      const pod = await bash(["-c", script(docs[1])], work, { JOB_COMPLETION_INDEX: String(i) });
      expect(pod.code, pod.stderr).toBe(0);
    }
    const wait = await bash(["-c", waitFor(docs[2]) ?? "false"], work, {});
    expect(wait.code).toBe(0);
    const merge = await bash(["-c", script(docs[2])], work, {});
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stdout).toContain(`merged 4 record(s) from ${completions} file(s)`);
    expect(merge.stdout).toContain("4 of 4 runs finished");
  }, 600_000);
});

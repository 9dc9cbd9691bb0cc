/**
 * Capacity probe (issue 14): can the policy represent a value-conditioned rule at all? A supervised
 * warm-up on the decisive task whose worked/direct choice follows `sft.workedRule` (work iff the
 * section's stake s(x)·0.9 beats the length price λ·(2k + 1)), then the share of held-out questions
 * whose worked choice matches the rule, greedy and sampled (temperature 1), with P(worked | value,
 * difficulty). If the model learns the rule, a missing value effect after RL is a learning-signal
 * problem, not a capacity one.
 *
 *   npx tsx scripts/capacity-probe.ts [--name base] [--steps 300] [--samples 4] [--set model.dModel=256 ...]
 *
 * Writes results/decisive/probe/<name>.json and .md (from the run; the warm-up lands in runs/probe/).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { parseConfig, parseOverrides } from "../src/config/index.js";
import { sampleAndGrade } from "../src/eval/grade.js";
import { loadExperimentConfig, mergeConfig } from "../src/experiment/config.js";
import { valueSensitivity } from "../src/experiment/sensitivity.js";
import { ensureWarmup } from "../src/experiment/warmup.js";
import { EmbeddedPolicy } from "../src/model/embedded-policy.js";
import { generateExams } from "../src/task/exams.js";
import { workedShareFor } from "../src/train/sft.js";

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const sets: string[] = [];
for (let i = 0; i < args.length; i++)
  if (args[i] === "--set") while (args[i + 1] && !args[i + 1].startsWith("--")) sets.push(args[++i]);
const name = opt("name", "base");
const samples = Number(opt("samples", "4"));
const steps = Number(opt("steps", "300"));

const exp = await loadExperimentConfig(opt("config", "configs/decisive.json"));
const size = exp.sizes.base;
const lengthCost = parseConfig(exp.config).reward.lengthCost;
const config = parseConfig(
  mergeConfig(
    exp.config,
    size.set,
    { sft: { steps, workedRule: { lengthCost } } },
    parseOverrides(sets),
    { seed: 0 },
    { engine: { threads: 2 } },
  ),
  "capacity probe",
);
const started = Date.now();
const warm = await ensureWarmup({
  name: `probe-${name}`,
  checkpoint: `checkpoints/warmup/probe-${name}`,
  config,
  rebuildRoot: "runs/probe",
  log: (m) => console.log(m),
});
const test = generateExams(config.task).test.slice(0, config.train.evalItems);
const policy = await EmbeddedPolicy.fromCheckpoint(warm.checkpoint, { threads: 2 });
const codec = policy.tokenizer!;
const rule = (i: (typeof test)[number]) => workedShareFor(config.sft, i.difficulty, i.value) === 1;
const grade = async (temperature: number, n: number) => {
  const items = test.flatMap((i) => Array.from({ length: n }, () => i));
  const { rows } = await sampleAndGrade(policy, items, codec, {
    maxNewTokens: config.train.maxNewTokens,
    batchSize: config.eval.batchSize,
    temperature,
    seed: 12345,
  });
  const agree = rows.filter((r, j) => r.worked === rule(items[j])).length / rows.length;
  // Agreement where the rule depends on the section (k where the two sections' best actions differ).
  const split = rows.filter((_, j) => {
    const k = items[j].difficulty!;
    return workedShareFor(config.sft, k, 0.02) !== workedShareFor(config.sft, k, 0.18);
  });
  const splitAgree =
    split.filter((r) => r.worked === workedShareFor(config.sft, r.difficulty, r.value) > 0).length /
    split.length;
  return {
    agree,
    splitAgree,
    acc: rows.filter((r) => r.correct).length / rows.length,
    sens: valueSensitivity(rows, n, temperature),
  };
};
const greedy = await grade(0, 1);
const sampled = await grade(1, samples);
policy.dispose();
const out = {
  format: "rlev-capacity-probe",
  name,
  command: `npx tsx scripts/capacity-probe.ts ${args.join(" ")}`.trim(),
  model: config.model,
  sft: config.sft,
  warmup: { checkpoint: warm.checkpoint, sha256: warm.digest, source: warm.source },
  heldOut: test.length,
  greedy: {
    ruleAgreement: greedy.agree,
    ruleAgreementWhereSectionDecides: greedy.splitAgree,
    acc: greedy.acc,
    ...greedy.sens,
  },
  sampled: {
    ruleAgreement: sampled.agree,
    ruleAgreementWhereSectionDecides: sampled.splitAgree,
    acc: sampled.acc,
    ...sampled.sens,
  },
  wallSeconds: (Date.now() - started) / 1000,
  finishedAt: new Date().toISOString(),
};
mkdirSync("results/decisive/probe", { recursive: true });
writeFileSync(`results/decisive/probe/${name}.json`, `${JSON.stringify(out, null, 1)}\n`);
const pct = (x: number) => (100 * x).toFixed(1);
const md = [
  `# Capacity probe: ${name} (${config.model.nLayers} × ${config.model.dModel}), ${config.sft.steps} supervised steps`,
  "",
  `Command: \`${out.command}\` (${out.finishedAt}, ${out.wallSeconds.toFixed(0)} s). Rule: worked iff s(x)·0.9 > ${lengthCost}·(2k + 1).`,
  "",
  `Rule agreement on ${test.length} held-out questions: greedy ${pct(greedy.agree)}% (where the section decides: ${pct(greedy.splitAgree)}%), sampled ×${samples} ${pct(sampled.agree)}% (${pct(sampled.splitAgree)}%).`,
  "",
  "| k | rule: worked at v = 0.02 / 0.18 | greedy P(worked) v = 0.02 / 0.18 | sampled P(worked) v = 0.02 / 0.18 |",
  "|---|---|---|---|",
  ...[1, 2, 3, 4, 5, 6, 7].map((k) => {
    const cell = (s: typeof greedy.sens, v: number) =>
      s.cells.find((c) => c.difficulty === k && Math.abs(c.value - v) < 1e-9);
    const f = (s: typeof greedy.sens) =>
      `${pct(cell(s, 0.02)?.worked ?? Number.NaN)} / ${pct(cell(s, 0.18)?.worked ?? Number.NaN)}`;
    return `| ${k} | ${workedShareFor(config.sft, k, 0.02)} / ${workedShareFor(config.sft, k, 0.18)} | ${f(greedy.sens)} | ${f(sampled.sens)} |`;
  }),
  "",
];
writeFileSync(`results/decisive/probe/${name}.md`, md.join("\n"));
console.log(md.join("\n"));

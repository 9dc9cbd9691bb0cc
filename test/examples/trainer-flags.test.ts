import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

/**
 * The trainers' option names the examples use, as read in the trainers' sources (see each
 * example's README for the file and commit): a renamed or misspelt flag in an example fails here.
 */

// OpenRLHF openrlhf/cli/train_ppo_ray.py, the dotted-flag parser (the flags train_rlev.sh uses).
const OPENRLHF_FLAGS = new Set([
  "--ref.num_nodes",
  "--ref.num_gpus_per_node",
  "--actor.num_nodes",
  "--actor.num_gpus_per_node",
  "--vllm.num_engines",
  "--vllm.tensor_parallel_size",
  "--vllm.gpu_memory_utilization",
  "--vllm.enable_sleep",
  "--train.colocate_all",
  "--ds.enable_sleep",
  "--actor.model_name_or_path",
  "--reward.remote_url",
  "--ckpt.output_dir",
  "--data.prompt_dataset",
  "--data.input_key",
  "--data.label_key",
  "--data.apply_chat_template",
  "--algo.advantage.estimator",
  "--rollout.n_samples_per_prompt",
  "--rollout.batch_size",
  "--train.batch_size",
  "--rollout.micro_batch_size",
  "--train.micro_batch_size",
  "--data.max_len",
  "--rollout.max_new_tokens",
  "--train.max_epochs",
  "--train.num_episodes",
  "--actor.adam.lr",
  "--algo.kl.init_coef",
  "--rollout.temperature",
  "--algo.dynamic_filtering_enable",
  "--algo.dynamic_filtering_range",
  "--ds.zero_stage",
  "--ds.param_dtype",
  "--actor.gradient_checkpointing_enable",
  "--ds.attn_implementation",
]);
const OPENRLHF_ESTIMATORS = ["gae", "reinforce", "rloo", "reinforce_baseline", "group_norm", "dr_grpo"];

// verl verl/trainer/config/reward/reward.yaml and the algorithm section.
const VERL_KEYS = new Set([
  "reward.custom_reward_function.path",
  "reward.custom_reward_function.name",
  "reward.reward_manager.name",
  "reward.num_workers",
  "algorithm.adv_estimator",
  "algorithm.norm_adv_by_std_in_grpo",
  "actor_rollout_ref.rollout.n",
  "data.train_files",
  "data.val_files",
]);

describe("trainer option names in the examples", () => {
  it("examples/openrlhf/train_rlev.sh uses only OpenRLHF's dotted flags, with a value-keeping estimator", async () => {
    const script = await readFile(join(repoRoot, "examples/openrlhf/train_rlev.sh"), "utf8");
    const command = script.slice(script.indexOf("python3 -m openrlhf.cli.train_ppo_ray"));
    const flags = [...command.matchAll(/(?<=\s)--[\w.]+/g)].map((m) => m[0]);
    expect(flags.length).toBeGreaterThan(30);
    expect(flags.filter((f) => !OPENRLHF_FLAGS.has(f))).toEqual([]);
    const estimator = /ESTIMATOR=\$\{ESTIMATOR:-(\w+)\}/.exec(script)?.[1];
    expect(OPENRLHF_ESTIMATORS).toContain(estimator);
    expect(estimator).not.toBe("group_norm");
  });

  it("the verl README's command uses verl's reward.* keys", async () => {
    const readme = await readFile(join(repoRoot, "examples/verl/README.md"), "utf8");
    const block = /```bash\n\s*(python3 -m verl\.trainer\.main_ppo[\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const keys = [...block.matchAll(/([\w.]+)=/g)].map((m) => m[1]);
    expect(keys).toContain("reward.custom_reward_function.path");
    expect(keys.filter((k) => !VERL_KEYS.has(k))).toEqual([]);
    expect(block).toContain("reward.custom_reward_function.path=examples/verl/rlev_reward.py");
  });
});

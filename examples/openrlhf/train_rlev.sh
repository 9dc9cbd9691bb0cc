#!/usr/bin/env bash
# RLOO with the RLEV reward in OpenRLHF >= 0.10.2 (dotted flags), Qwen2.5-7B-Instruct in the
# paper's setting: one epoch, lr 5e-7, 128 prompts × 8 samples per rollout, 1024-token responses.
# Flags checked against OpenRLHF's openrlhf/cli/train_ppo_ray.py (the dotted-flag parser; see
# README.md in this folder). Run from the repository root on a Ray cluster with 8 GPUs, after
# starting the reward server:
#   rlev serve reward --port 5000 --set reward.kind=rlev --set reward.alpha=10 --estimator rloo
# Why RLOO: s(x) is the same for the 8 samples of a prompt; group_norm (GRPO) divides each group by
# its own std and cancels it. rloo, reinforce_baseline, dr_grpo and reinforce keep it.
set -euo pipefail
REWARD_URL=${REWARD_URL:-http://127.0.0.1:5000/get_reward}
MODEL=${MODEL:-Qwen/Qwen2.5-7B-Instruct}
ESTIMATOR=${ESTIMATOR:-rloo}

python3 -m openrlhf.cli.train_ppo_ray \
  --ref.num_nodes 1 --ref.num_gpus_per_node 8 \
  --actor.num_nodes 1 --actor.num_gpus_per_node 8 \
  --vllm.num_engines 4 --vllm.tensor_parallel_size 2 --vllm.gpu_memory_utilization 0.5 \
  --train.colocate_all --vllm.enable_sleep --ds.enable_sleep \
  --actor.model_name_or_path "$MODEL" \
  --reward.remote_url "$REWARD_URL" \
  --ckpt.output_dir checkpoints/rlev-rloo \
  --data.prompt_dataset data/train.jsonl --data.input_key input --data.label_key label \
  --data.apply_chat_template \
  --algo.advantage.estimator "$ESTIMATOR" --rollout.n_samples_per_prompt 8 \
  --rollout.batch_size 128 --train.batch_size 1024 \
  --rollout.micro_batch_size 8 --train.micro_batch_size 4 \
  --data.max_len 2048 --rollout.max_new_tokens 1024 \
  --train.max_epochs 1 --train.num_episodes 1 \
  --actor.adam.lr 5e-7 --algo.kl.init_coef 0.001 \
  --rollout.temperature 1.0 \
  --algo.dynamic_filtering_enable --algo.dynamic_filtering_range 0.01 0.99 \
  --ds.zero_stage 3 --ds.param_dtype bf16 --actor.gradient_checkpointing_enable \
  --ds.attn_implementation flash_attention_2

#!/usr/bin/env bash
# RLOO with the RLEV reward in OpenRLHF (Qwen2.5-7B-Instruct, the paper's setting: one epoch,
# lr 5e-7, rollout batch 128, 1024-token prompt and response limits). Run from the repository root
# on a Ray cluster; start the reward server first (see README.md in this folder).
set -euo pipefail
REWARD_URL=${REWARD_URL:-http://127.0.0.1:5000/get_reward}
MODEL=${MODEL:-Qwen/Qwen2.5-7B-Instruct}

python3 -m openrlhf.cli.train_ppo_ray \
  --ref_num_nodes 1 --ref_num_gpus_per_node 8 \
  --actor_num_nodes 1 --actor_num_gpus_per_node 8 \
  --vllm_num_engines 4 --vllm_tensor_parallel_size 2 \
  --colocate_all_models \
  --pretrain "$MODEL" \
  --remote_rm_url "$REWARD_URL" \
  --save_path checkpoints/rlev-rloo \
  --prompt_data data/train.jsonl --input_key input --label_key label --apply_chat_template \
  --advantage_estimator rloo --n_samples_per_prompt 8 \
  --rollout_batch_size 128 --train_batch_size 1024 --micro_train_batch_size 4 \
  --micro_rollout_batch_size 8 \
  --prompt_max_len 1024 --generate_max_len 1024 \
  --max_epochs 1 --num_episodes 1 \
  --actor_learning_rate 5e-7 --init_kl_coef 0.001 \
  --temperature 1.0 \
  --zero_stage 3 --bf16 --gradient_checkpointing \
  --flash_attn

"""GRPO-family training in TRL with the RLEV reward from `rlev serve reward`.

    rlev export verl --input items.jsonl --split train --output data/train.jsonl
    rlev serve reward --port 5000 --set reward.kind=rlev --set reward.alpha=10 --estimator drgrpo &
    python3 examples/trl/train_grpo.py --data data/train.jsonl --model Qwen/Qwen2.5-0.5B-Instruct

Needs `pip install trl datasets` (TRL with GRPOConfig.scale_rewards taking "group" / "batch" /
"none"). The estimator: TRL's default scale_rewards="group" divides each group's rewards by the
group's std, and s(x) is the same for every completion of a prompt, so it cancels and RLEV trains
exactly like correctness-only. "none" (Dr. GRPO: centre on the group mean only) or "batch" (one
std for the whole batch) keep s(x) as a per-prompt weight; this script uses "none".
"""
import argparse
import os
import sys

from datasets import load_dataset
from trl import GRPOConfig, GRPOTrainer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rlev_reward import rlev_correct, rlev_reward  # noqa: E402


def flatten(row):
    # `rlev export verl` rows: chat prompt in `prompt`; value, label and answer type in extra_info.
    extra = row["extra_info"]
    return {
        "value": float(extra["value"]),
        "reference": row["reward_model"]["ground_truth"],
        "answer_type": extra["answer_type"],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="rows written by `rlev export verl --output <file>.jsonl`")
    ap.add_argument("--model", default="Qwen/Qwen2.5-0.5B-Instruct")
    ap.add_argument("--output-dir", default="checkpoints/trl-rlev")
    ap.add_argument("--scale-rewards", default="none", choices=["none", "batch", "group"])
    args = ap.parse_args()
    if args.scale_rewards == "group":
        print(
            "warning: scale_rewards=group divides each group by its std, so the value cancels and RLEV "
            "trains like correctness-only; use none or batch",
            file=sys.stderr,
        )

    data = load_dataset("json", data_files=args.data, split="train")
    # The label columns reach the reward functions; the verl-only columns are dropped.
    data = data.map(flatten, remove_columns=["data_source", "ability", "reward_model", "extra_info"])

    config = GRPOConfig(
        output_dir=args.output_dir,
        scale_rewards=args.scale_rewards,
        num_generations=8,
        max_completion_length=1024,
        learning_rate=5e-7,
        per_device_train_batch_size=8,
        num_train_epochs=1,
        # rlev_correct is logged (rewards/rlev_correct/mean = accuracy) but not trained on.
        reward_weights=[1.0, 0.0],
        logging_steps=1,
        bf16=True,
    )
    trainer = GRPOTrainer(
        model=args.model,
        reward_funcs=[rlev_reward, rlev_correct],
        args=config,
        train_dataset=data,
    )
    trainer.train()
    trainer.save_model(args.output_dir)


if __name__ == "__main__":
    main()

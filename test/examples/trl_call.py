"""Calls examples/trl/rlev_reward.py's reward functions as TRL's GRPOTrainer does:
f(prompts=..., completions=..., completion_ids=..., **reward_kwargs), where reward_kwargs are the
dataset's other columns, one entry per completion, plus trainer_state (huggingface/trl
trl/trainer/grpo_trainer.py, `_calculate_rewards`). Conversational completions are lists of
{"role": "assistant", "content": ...}. argv: a JSON object {prompts, completions, columns}.
Prints {"rewards", "correct"}; the module's log line goes to stderr."""
import json
import logging
import os
import sys

logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "trl"))
from rlev_reward import rlev_correct, rlev_reward  # noqa: E402

batch = json.loads(sys.argv[1])
prompts = batch["prompts"]
completions = [[{"role": "assistant", "content": c}] for c in batch["completions"]]
completion_ids = [[ord(ch) % 997 for ch in c] for c in batch["completions"]]
reward_kwargs = dict(batch["columns"])
reward_kwargs["trainer_state"] = None
rewards = rlev_reward(prompts=prompts, completions=completions, completion_ids=completion_ids, **reward_kwargs)
correct = rlev_correct(prompts=prompts, completions=completions, completion_ids=completion_ids, **reward_kwargs)
print(json.dumps({"rewards": rewards, "correct": correct}))

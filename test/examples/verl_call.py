"""Calls examples/verl/rlev_reward.py's compute_score exactly as verl's NaiveRewardManager does
(verl-project/verl verl/experimental/reward_loop/reward_manager/naive.py, commit 247f1ac2):
keyword arguments, extra_info from the row with num_turns and rollout_reward_scores added, and
reward_router_address / reward_model_tokenizer only when a reward router runs.
argv: the rows file (JSONL from `rlev export verl`), then a JSON list of [row index, response,
with_router]. Prints the results as a JSON list."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "verl"))
from rlev_reward import compute_score  # noqa: E402

rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
calls = json.loads(sys.argv[2])
out = []
for index, response_str, with_router in calls:
    row = rows[index]
    data_source = row["data_source"]
    ground_truth = row["reward_model"]["ground_truth"]
    extra_info = dict(row.get("extra_info", {}))
    extra_info["num_turns"] = None
    extra_info["rollout_reward_scores"] = {}
    extra_reward_kwargs = {"reward_router_address": "127.0.0.1:1", "reward_model_tokenizer": None} if with_router else {}
    result = compute_score(
        data_source=data_source,
        solution_str=response_str,
        ground_truth=ground_truth,
        extra_info=extra_info,
        **extra_reward_kwargs,
    )
    # verl: score = result["score"]; every key goes to reward_extra_info (logged).
    score = result["score"] if isinstance(result, dict) else result
    out.append({"reward_score": score, "reward_extra_info": result})
print(json.dumps(out))

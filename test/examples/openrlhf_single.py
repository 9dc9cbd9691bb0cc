"""Sends reward requests as OpenRLHF's SingleTurnAgentExecutor does (openrlhf/utils/agent.py,
`_fetch_rewards_via_http`): one sample per request, {"query": [query], "prompts": [prompt],
"labels": [label]}, query = the decoded prompt + response tokens with special tokens kept, 180 s
timeout, raise_for_status, 5 tries. OpenRLHF posts with aiohttp; `requests` sends the same JSON.
The prompt is the row's chat `input` through Qwen2.5's chat template (add_generation_prompt=True),
as OpenRLHF's --data.apply_chat_template renders it.
argv: URL, rows file (JSONL from `rlev export openrlhf --chat`), JSON list of [row index, response].
Prints, per request, {"rewards", "scores", "extra_logs"} as OpenRLHF reads them."""
import json
import sys
import time

import requests


def qwen_chat(messages):
    text = ""
    if messages[0]["role"] != "system":
        text += "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
    for m in messages:
        text += "<|im_start|>%s\n%s<|im_end|>\n" % (m["role"], m["content"])
    return text + "<|im_start|>assistant\n"


def post(url, data, try_max_times=5):
    for _ in range(try_max_times):
        try:
            response = requests.post(url, json=data, timeout=180)
            response.raise_for_status()
            return response.json()
        except requests.RequestException as e:
            print("Request error, please check: %s" % e, file=sys.stderr)
        time.sleep(1)
    raise RuntimeError("Request error for %d times" % try_max_times)


url, rows_file, calls = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
rows = [json.loads(line) for line in open(rows_file, encoding="utf-8") if line.strip()]
out = []
for index, response in calls:
    row = rows[index]
    prompt = qwen_chat(row["input"])
    query = prompt + response + "<|im_end|>"
    info = post(url, {"query": [query], "prompts": [prompt], "labels": [row["label"]]})
    score = info.get("scores")
    if score is None:
        score = info.get("rewards")
    out.append({"reward": info.get("rewards"), "scores": score, "extra_logs": info.get("extra_logs") or {}})
print(json.dumps(out))

"""TRL reward functions that score completions with `rlev serve reward` over HTTP.

    from rlev_reward import rlev_reward, rlev_correct
    GRPOTrainer(..., reward_funcs=[rlev_reward, rlev_correct],
                args=GRPOConfig(reward_weights=[1.0, 0.0], scale_rewards="none", ...))

TRL's GRPOTrainer calls each reward function as
    f(prompts=..., completions=..., completion_ids=..., **columns)
where `columns` are the dataset's other columns, one entry per completion (plus trainer_state in
recent TRL). The dataset needs a `value` column (the item's value v in (0, 1]) and a `reference`
column; `answer_type` is optional (default "math"). Rows written by `rlev export verl` work too:
their `extra_info` carries the same fields.

rlev_reward returns r = s(x)·correct (s(x) = 1 + min(α·v, 1), α set on the server); rlev_correct
returns the 0/1 correctness of the same answers (one server call serves both), so that with
reward_weights [1.0, 0.0] TRL logs accuracy next to the reward without training on it. Each call
also logs the batch's mean value, scale and accuracy through the `rlev_reward` logger.

Environment: RLEV_REWARD_URL (default http://127.0.0.1:5000/get_reward), RLEV_SERVE_TOKEN.
Only the standard library is used.
"""
import json
import logging
import os
import time
import urllib.error
import urllib.request

REWARD_URL = os.environ.get("RLEV_REWARD_URL", "http://127.0.0.1:5000/get_reward")
TOKEN = os.environ.get("RLEV_SERVE_TOKEN")
TRIES = 5
TIMEOUT_S = 180

logger = logging.getLogger("rlev_reward")

# The last server reply, keyed by the batch it scored: rlev_correct reuses rlev_reward's call.
_last = {"key": None, "reply": None}


def _text(completion):
    # Conversational datasets give [{"role": "assistant", "content": ...}]; standard ones a string.
    if isinstance(completion, str):
        return completion
    return "".join(m.get("content", "") for m in completion if m.get("role") == "assistant")


def _labels(n, value=None, reference=None, answer_type=None, extra_info=None):
    labels = []
    for i in range(n):
        if value is not None and reference is not None:
            ref = reference[i]
            kind = answer_type[i] if answer_type is not None else "math"
            labels.append(json.dumps({"reference": ref, "value": float(value[i]), "answerType": kind}))
        elif extra_info is not None and extra_info[i].get("label"):
            labels.append(extra_info[i]["label"])
        else:
            raise ValueError("rlev_reward needs `value` and `reference` columns (or verl rows' `extra_info`)")
    return labels


def _post(payload):
    body = json.dumps(payload).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if TOKEN:
        headers["Authorization"] = "Bearer " + TOKEN
    last = None
    for attempt in range(TRIES):
        try:
            req = urllib.request.Request(REWARD_URL, data=body, headers=headers, method="POST")
            with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            if 400 <= e.code < 500 and e.code not in (408, 429):
                raise RuntimeError("rlev reward server refused the request: %s" % e.read().decode("utf-8", "replace"))
            last = e
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            last = e
        time.sleep(min(30.0, 0.5 * 2 ** attempt))
    raise RuntimeError("rlev reward server unreachable after %d tries: %s" % (TRIES, last))


def _score(completions, value=None, reference=None, answer_type=None, extra_info=None):
    texts = [_text(c) for c in completions]
    labels = _labels(len(texts), value, reference, answer_type, extra_info)
    key = (tuple(texts), tuple(labels))
    if _last["key"] == key:
        return _last["reply"]
    # The completion alone is verified: prompts are empty, so the whole query is the response.
    reply = _post({"query": texts, "prompts": [""] * len(texts), "labels": labels})
    logs = reply.get("extra_logs") or {}
    n = max(1, len(texts))
    logger.info(
        "rlev batch: n=%d mean_value=%.6f mean_scale=%.6f accuracy=%.6f mean_reward=%.6f",
        len(texts),
        sum(logs.get("value", [0.0])) / n,
        sum(logs.get("scale", [0.0])) / n,
        sum(reply["scores"]) / n,
        sum(reply["rewards"]) / n,
    )
    _last["key"], _last["reply"] = key, reply
    return reply


def rlev_reward(prompts, completions, completion_ids=None, value=None, reference=None, answer_type=None, extra_info=None, **kwargs):
    """RLEV reward s(x)·correct of each completion."""
    return [float(r) for r in _score(completions, value, reference, answer_type, extra_info)["rewards"]]


def rlev_correct(prompts, completions, completion_ids=None, value=None, reference=None, answer_type=None, extra_info=None, **kwargs):
    """0/1 correctness of each completion (log it with reward weight 0)."""
    return [float(s) for s in _score(completions, value, reference, answer_type, extra_info)["scores"]]

"""verl reward hook that scores responses with `rlev serve reward` over HTTP.

Use in verl >= 0.7 (the `reward.*` namespace):
    reward.custom_reward_function.path=examples/verl/rlev_reward.py
    reward.custom_reward_function.name=compute_score
(verl < 0.7 spells them custom_reward_function.path / custom_reward_function.name at the top level.)

verl's reward manager calls, per response,
    compute_score(data_source=..., solution_str=..., ground_truth=..., extra_info=...)
with keyword arguments (plus reward_router_address / reward_model_tokenizer when a reward router
runs). The row's extra_info.label (written by `rlev export verl`) carries the reference, the value
and the answer type, so the server needs no dataset. Environment:
    RLEV_REWARD_URL   default http://127.0.0.1:5000/get_reward
    RLEV_SERVE_TOKEN  bearer token, if the server was started with one
Only the standard library is used. Retries: 5 tries, 180 s timeout each, as OpenRLHF does.
"""
import json
import os
import time
import urllib.error
import urllib.request

REWARD_URL = os.environ.get("RLEV_REWARD_URL", "http://127.0.0.1:5000/get_reward")
TOKEN = os.environ.get("RLEV_SERVE_TOKEN")
TRIES = 5
TIMEOUT_S = 180


def _label(ground_truth, extra_info):
    extra_info = extra_info or {}
    if extra_info.get("label"):
        return extra_info["label"]
    value = extra_info.get("value")
    if value is None:
        raise ValueError("extra_info has neither 'label' nor 'value': export the data with `rlev export verl`")
    return json.dumps({"reference": ground_truth, "value": float(value), "answerType": extra_info.get("answer_type", "math")})


def _post(payload):
    body = json.dumps(payload).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if TOKEN:
        headers["Authorization"] = "Bearer " + TOKEN
    last = None
    for attempt in range(TRIES):
        try:
            req = urllib.request.Request(REWARD_URL + "?preds=1", data=body, headers=headers, method="POST")
            with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            # 4xx other than 408/429 will not get better by retrying: the label or request is wrong.
            if 400 <= e.code < 500 and e.code not in (408, 429):
                raise RuntimeError("rlev reward server refused the request: %s" % e.read().decode("utf-8", "replace"))
            last = e
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            last = e
        time.sleep(min(30.0, 0.5 * 2 ** attempt))
    raise RuntimeError("rlev reward server unreachable after %d tries: %s" % (TRIES, last))


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """Returns {"score": s(x)*correct, "acc": 0/1, "value": v, "scale": s(x), "pred": answer}.

    verl trains on "score" and logs every other key (reward_extra_info), so the value and the
    scale appear next to the accuracy in verl's metrics.
    """
    out = _post({"query": solution_str, "prompts": "", "labels": _label(ground_truth, extra_info)})
    logs = out.get("extra_logs") or {}
    return {
        "score": float(out["rewards"]),
        "acc": float(out["scores"]),
        "value": float(logs.get("value", 0.0)),
        "scale": float(logs.get("scale", 0.0)),
        "pred": out.get("preds") or "",
    }

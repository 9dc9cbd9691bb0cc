"""Sends reward requests to a server exactly as OpenRLHF's remote_rm_utils does
(requests.post(url, json={"query", "prompts", "labels"}, headers={"Content-Type": "application/json"},
timeout=180), up to 5 tries) and prints the JSON reply. Argument: URL; stdin: the data dict as JSON."""
import json
import sys
import time

import requests


def request_api_wrapper(url, data, try_max_times=5):
    headers = {"Content-Type": "application/json"}
    for _ in range(try_max_times):
        try:
            response = requests.post(url=url, json=data, headers=headers, timeout=180)
            response.raise_for_status()
            return response.json()
        except requests.RequestException as e:
            print(f"Request error, please check: {e}", file=sys.stderr)
        time.sleep(1)
    raise Exception(f"Request error for {try_max_times} times")


if __name__ == "__main__":
    data = json.load(sys.stdin)
    print(json.dumps(request_api_wrapper(sys.argv[1], data)))

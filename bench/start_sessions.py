#!/usr/bin/env python3
"""Starts one session per license key (read from stdin), in parallel; prints "token key" lines."""
import json
import os
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

BASE = os.environ["BASE_URL"]
API_KEY = os.environ["API_KEY"]
WORKERS = int(os.environ.get("START_WORKERS", "16"))


def start(item):
    i, key = item
    body = json.dumps({"license_key": key, "machine_id": f"bench-{i}",
                       "hardware_hash": f"bench-hw-{i}", "version": "1.0.0"}).encode()
    request = urllib.request.Request(BASE + "/api/license/session/start", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-API-Key": API_KEY})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["session_token"], key


keys = [line.strip() for line in sys.stdin if line.strip()]
with ThreadPoolExecutor(WORKERS) as pool:
    for token, key in pool.map(start, enumerate(keys)):
        print(token, key)

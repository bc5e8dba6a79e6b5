"""Bench `load_api`: the REST `ask` of app.py under a light load generator in its own process.

Beside it, the chain's own CPU per request: the same questions through Assistant.ask in this process,
so `server_cpu_ms_per_request / chain_cpu_ms_per_request` is what serving over HTTP costs on top.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from assistant.answer.chain import Assistant

ROOT = Path(__file__).resolve().parents[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def chain_cpu_ms(bot: Assistant, questions: list[str]) -> float:
    """CPU per Assistant.ask on these questions, in this process (onnxruntime's threads included)."""
    for q in questions[:10]:
        bot.ask(q)
    started = time.process_time()
    for q in questions:
        bot.ask(q)
    return round(1000 * (time.process_time() - started) / len(questions), 2)


def bench_load_api(
    data_dir: Path, bot: Assistant, questions: list[str], *, connections: int, seconds: float
) -> dict[str, Any]:
    """`connections` keep-alive connections posting /api/v1/ask for `seconds`, rate limit off."""
    from evals.chroma_server import start_app, stop_process, wait_until_up

    proc, port = start_app(data_dir)
    url = f"http://127.0.0.1:{port}/api/v1/ask"
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(questions, fh)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/v1/health", proc, name="app.py", timeout=120)
        for q in questions[:20]:  # warm: the first requests load what the chain caches
            request = urllib.request.Request(
                url, data=json.dumps({"question": q}).encode(), headers={"Content-Type": "application/json"}
            )
            urllib.request.urlopen(request, timeout=30).read()
        before = _cpu_seconds(proc.pid)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "evals.loadgen",
                "--url",
                url,
                "--questions",
                fh.name,
                "--connections",
                str(connections),
                "--seconds",
                str(seconds),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=os.environ | {"PYTHONPATH": str(ROOT)},
            timeout=seconds + 120,
            check=True,
        )
        server_cpu = _cpu_seconds(proc.pid) - before
    finally:
        stop_process(proc, timeout=30)
        Path(fh.name).unlink(missing_ok=True)
    result: dict[str, Any] = json.loads(done.stdout)
    requests = max(int(result["requests"]), 1)
    result["server_cpu_ms_per_request"] = round(1000 * server_cpu / requests, 2)
    # the chain alone, on the same questions, measured right after on the now quiet machine
    result["chain_cpu_ms_per_request"] = chain_cpu_ms(bot, questions)
    result["server_to_chain_cpu"] = round(
        result["server_cpu_ms_per_request"] / max(result["chain_cpu_ms_per_request"], 1e-6), 2
    )
    return result

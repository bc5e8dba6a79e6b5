"""`python -m evals.loadgen`: a light HTTP load generator for the REST `ask`, run in its own process.

N keep-alive connections (asyncio + aiohttp), each posting one question after another for a fixed time,
so the load costs little CPU next to the server it measures. Prints one JSON object: requests, errors,
latency percentiles and the generator's own CPU per request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

DECISIONS = (b'"decision":"answer"', b'"decision":"refuse"', b'"decision":"escalate"')


async def run(url: str, questions: list[str], *, connections: int, seconds: float) -> dict[str, Any]:
    """Closed loop: each connection sends its next request as soon as the last answer arrived."""
    import aiohttp

    bodies = [json.dumps({"question": q}).encode() for q in questions]
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors = 0
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=connections)
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        stop_at = time.perf_counter() + seconds

        async def worker(seed: int) -> None:
            nonlocal errors
            rnd = random.Random(seed)
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                try:
                    async with session.post(url, data=rnd.choice(bodies), headers=headers) as reply:
                        data = await reply.read()
                        status = str(reply.status)
                        ok = reply.status == 200 and any(d in data for d in DECISIONS)
                except (aiohttp.ClientError, TimeoutError) as exc:  # counted; the run goes on
                    status, ok = type(exc).__name__, False
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
                errors += 0 if ok else 1

        began = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(connections)))
        elapsed = time.perf_counter() - began
    usage = resource.getrusage(resource.RUSAGE_SELF)
    n = len(latencies)
    return {
        "connections": connections,
        "seconds": round(elapsed, 1),
        "requests": n,
        "errors": errors,
        "statuses": statuses,
        "throughput_rps": round(n / elapsed, 1),
        "p50_ms": round(float(np.percentile(latencies, 50)), 2) if n else 0.0,
        "p95_ms": round(float(np.percentile(latencies, 95)), 2) if n else 0.0,
        "client_cpu_ms_per_request": round(1000 * (usage.ru_utime + usage.ru_stime) / max(n, 1), 2),
    }


def main(argv: list[str]) -> int:
    """Parse arguments, run the load, print the JSON result."""
    parser = argparse.ArgumentParser(prog="python -m evals.loadgen", description=__doc__)
    parser.add_argument(
        "--url", required=True, help="the REST ask endpoint, e.g. http://127.0.0.1:7860/api/v1/ask"
    )
    parser.add_argument("--questions", type=Path, required=True, help="JSON list of questions")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args(argv)
    questions = json.loads(args.questions.read_text(encoding="utf-8"))
    result = asyncio.run(run(args.url, questions, connections=args.connections, seconds=args.seconds))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

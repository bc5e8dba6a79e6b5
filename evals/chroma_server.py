"""Start and stop a `chroma run` server on loopback for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path


class ChromaServer:
    """A `chroma run` process on 127.0.0.1 with its own data folder."""

    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port = path, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> ChromaServer:
        exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        self.proc = subprocess.Popen(
            [exe, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(f"{self.url}/api/v2/heartbeat", self.proc, name="chroma run", timeout=timeout)
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        stop_process(self.proc, timeout=10)


def wait_until_up(
    url: str, proc: subprocess.Popen[bytes], *, name: str, timeout: float, log: Callable[[], str] = lambda: ""
) -> None:
    """Poll `url` until it answers; fail early, with the process's log, if the process exits."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited at start {log()}".strip())
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not come up within {timeout:.0f} s")


def stop_process(proc: subprocess.Popen[bytes] | None, *, timeout: float) -> None:
    """Terminate, then kill if it will not go."""
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def free_port() -> int:
    """An unused TCP port on loopback."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(data_dir: Path) -> tuple[subprocess.Popen[bytes], int]:
    """app.py on a free loopback port over `data_dir`, rate limit off (the load benches); (process, port)."""
    root = Path(__file__).resolve().parents[1]
    port = free_port()
    env = os.environ | {
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_RATE_LIMIT_PER_MIN": "0",
        "PYTHONPATH": str(root),
    }
    proc = subprocess.Popen(
        [sys.executable, str(root / "app.py"), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, port

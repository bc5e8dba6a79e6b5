"""Start `python app.py` on loopback with its own data dir and a hash-embedder index."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from evals.chroma_server import stop_process, wait_until_up

ROOT = Path(__file__).resolve().parents[1]


class AppServer:
    """A real app.py process; stopped by stop()."""

    def __init__(self, data_dir: Path, port: int, **env: str) -> None:
        self.data_dir, self.port = data_dir, port
        self.url = f"http://127.0.0.1:{port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        self.env.update(
            {
                "ASSISTANT_DATA_DIR": str(data_dir),
                "ASSISTANT_EMBEDDING_MODEL": "hash",
                "ASSISTANT_CORPUS_DIR": str(ROOT / "corpus"),
                "HF_HUB_OFFLINE": "1",
                "PYTHONPATH": str(ROOT),
            }
        )
        self.env.update(env)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir.parent / f"app-{port}.log"

    def ingest(self) -> None:
        subprocess.run(
            [sys.executable, str(ROOT / "ingest.py")],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self, timeout: float = 90) -> AppServer:
        with self.log.open("wb") as fh:
            self.proc = subprocess.Popen(
                [sys.executable, str(ROOT / "app.py"), "--port", str(self.port)],
                env=self.env,
                stdout=fh,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_up(
                self.url + "/", self.proc, name="app.py", timeout=timeout, log=lambda: self.output()[-2000:]
            )
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        stop_process(self.proc, timeout=15)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextmanager
def running_app(data_dir: Path, **env: str) -> Iterator[AppServer]:
    """Ingest the corpus into data_dir, serve app.py on a free loopback port, stop it afterwards."""
    from evals.chroma_server import free_port

    srv = AppServer(data_dir, free_port(), **env)
    srv.ingest()
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()

"""Shared fixtures: a temp data dir and corpus, the tiny hash embedder, ASSISTANT_* pointed at them."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def assistant_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own data dir and a copy of the real corpus, with the hash embedder."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for key in list(os.environ):
        if key.startswith("ASSISTANT_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_EMBEDDING_MODEL", "hash")
    from assistant.config import get_settings

    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture
def settings():  # type: ignore[no-untyped-def]
    from assistant.config import get_settings

    return get_settings()


@pytest.fixture
def built(settings):  # type: ignore[no-untyped-def]
    """An index of the real corpus built with the hash embedder, and an Assistant on it."""
    from assistant.answer.chain import Assistant
    from assistant.ingest.pipeline import run_ingest

    run_ingest(settings)
    return Assistant(settings)


@pytest.fixture(scope="session")
def real_assistant(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The real model and corpus (marked tests only): built once per session."""
    from assistant.answer.chain import Assistant
    from assistant.config import Settings
    from assistant.ingest.pipeline import run_ingest

    data = tmp_path_factory.mktemp("real-data")
    settings = Settings(data_dir=data, corpus_dir=ROOT / "corpus", embedding_model="bundled")
    run_ingest(settings)
    return Assistant(settings)


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_env(**extra: str) -> dict[str, str]:
    """Environment for a subprocess: this test's ASSISTANT_* settings plus extras."""
    env = {k: v for k, v in os.environ.items()}
    env.update(extra)
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture(scope="session")
def postgres():  # type: ignore[no-untyped-def]
    """A real PostgreSQL on loopback for the whole session (Debian's `postgresql`; `make test` installs it)."""
    from tests.postgres import PostgresServer, postgres_bin

    bindir = postgres_bin()
    if bindir is None:
        message = "PostgreSQL is not installed (/usr/lib/postgresql/*/bin): `make test` installs Debian's postgresql"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing database is a failure, never a silent skip
        pytest.skip(message)
    server = PostgresServer(bindir).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def database(request, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh, empty database of each kind: a SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return tmp_path / "fb.sqlite3"
    return request.getfixturevalue("postgres").new_database()

"""Ingest: incremental updates, bad input, exit codes, crash safety."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.answer.chain import Assistant
from assistant.index.store import make_store
from assistant.ingest.pipeline import run_ingest
from tests.conftest import DATA, ROOT, run_env


def _ingest_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "ingest.py"), *args],
        capture_output=True,
        text=True,
        env=run_env(**env),
        timeout=120,
    )


def _chunk_ids(settings) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    manifest = make_store(settings).read_manifest()
    assert manifest
    return {src: info["chunk_ids"] for src, info in manifest["documents"].items()}


def test_second_run_changes_nothing(settings) -> None:  # type: ignore[no-untyped-def]
    first = _ingest_cli("--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert set(report) >= {
        "documents",
        "chunks",
        "added",
        "updated",
        "removed",
        "unchanged",
        "failed",
        "seconds",
    }
    assert (report["documents"], report["added"]) == (1, 1) and report["chunks"] > 10
    second = json.loads(_ingest_cli("--json").stdout)
    assert (second["added"], second["updated"], second["removed"], second["unchanged"]) == (0, 0, 0, 1)
    assert second["generation"] == report["generation"]


def test_bad_files_are_listed_and_the_rest_is_ingested(settings, assistant_env: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = settings.corpus_dir
    (corpus / "broken.pdf").write_bytes(os.urandom(4096))
    (corpus / "empty.txt").write_text("")
    (corpus / "latin1.txt").write_bytes("Caf\xe9 au lait and knee pain.".encode("latin-1"))
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    result = _ingest_cli("--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    failed = {f["path"]: f["error"] for f in report["failed"]}
    assert set(failed) == {"broken.pdf", "empty.txt", "latin1.txt"}
    assert (
        "PDF" in failed["broken.pdf"] and "empty" in failed["empty.txt"] and "UTF-8" in failed["latin1.txt"]
    )
    assert "Traceback" not in result.stderr
    assert "notes.docx" in result.stderr  # skipped with a warning, not a failure
    answer = Assistant(settings).ask("How do I do a glute bridge?")
    assert answer.decision == "answer" and "Lift your hips" in answer.answer


def test_oversized_file_is_rejected(settings, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    (settings.corpus_dir / "big.txt").write_text("Knee words. " * 300_000)
    result = _ingest_cli("--json", ASSISTANT_MAX_FILE_MB="1")
    assert result.returncode == 1
    assert "limit" in json.loads(result.stdout)["failed"][0]["error"]


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_missing_or_empty_corpus_is_a_usage_error(settings, tmp_path: Path, make: str) -> None:  # type: ignore[no-untyped-def]
    run_ingest(settings)
    before = make_store(settings).read_manifest()
    corpus = tmp_path / "nothing"
    if make == "empty":
        corpus.mkdir()
    result = _ingest_cli("--corpus", str(corpus))
    assert result.returncode == 2
    assert "error:" in result.stderr and "Traceback" not in result.stderr
    assert make_store(settings).read_manifest() == before


def test_bad_setting_is_a_usage_error() -> None:
    result = _ingest_cli(ASSISTANT_CHROMA_URL="not-a-url")
    assert result.returncode == 2 and "ASSISTANT_CHROMA_URL" in result.stderr


def test_editing_one_document_changes_only_its_chunks(settings) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(DATA / "tiny" / "braces.md", settings.corpus_dir / "braces.md")
    run_ingest(settings)
    before = _chunk_ids(settings)
    path = settings.corpus_dir / "braces.md"
    path.write_text(path.read_text().replace("light compression", "gentle compression"))
    report = run_ingest(settings)
    after = _chunk_ids(settings)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 0, 1)
    assert after["muscle-imbalance-and-knee-pain.md"] == before["muscle-imbalance-and-knee-pain.md"]
    changed = set(after["braces.md"]) ^ set(before["braces.md"])
    assert len(changed) == 2  # the one chunk that held the sentence: old id out, new id in
    assert report.chunks_embedded == 1
    path.unlink()
    report = run_ingest(settings)
    assert report.removed == 1 and set(_chunk_ids(settings)) == {"muscle-imbalance-and-knee-pain.md"}
    answer = Assistant(settings).ask("What does a knee sleeve give?")
    assert all(c.source != "braces.md" for c in answer.citations)


def test_model_change_rebuilds_instead_of_mixing(settings, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    first = run_ingest(settings)
    manifest = make_store(settings).read_manifest()
    assert manifest and manifest["model"] == "hash-256" and "hash-256" in manifest["collection"]
    manifest["model"] = "another-model"
    make_store(settings).write_manifest(manifest)
    second = run_ingest(settings)
    assert second.changed and second.chunks_embedded == first.chunks


def test_rebuild_keeps_the_generation_an_app_may_still_serve(settings) -> None:  # type: ignore[no-untyped-def]
    run_ingest(settings)
    first = make_store(settings).read_manifest()
    run_ingest(settings, rebuild=True)
    generations = sorted(p.name for p in settings.index_dir.iterdir() if p.name.startswith("g-"))
    assert first and first["generation"] in generations and len(generations) == 2
    run_ingest(settings, rebuild=True)  # the oldest one goes once two newer ones exist
    assert first["generation"] not in [p.name for p in settings.index_dir.iterdir()]

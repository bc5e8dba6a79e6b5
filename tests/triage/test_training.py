"""`python -m evals train` writes artefacts that load for their own model and descriptions only."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.triage.classifier import load_escalation_model, load_scope_model
from tests.conftest import ROOT


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_train_writes_artefacts_tied_to_the_embedding_model(built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from evals.train import train, train_escalation

    rows = [
        json.loads(line) for line in (ROOT / "evals/questions/realistic/train.jsonl").read_text().splitlines()
    ]
    # a small, balanced slice keeps this fast; the real artefacts come from the whole train split
    small = [r for r in rows if r["expect"] == "answer"][:12] + [r for r in rows if r["expect"] == "refuse"][
        :12
    ]
    small += [r for r in rows if r["expect"] == "escalate"][:12]
    train_file = _write(tmp_path / "train.jsonl", small)
    dev_file = _write(tmp_path / "dev.jsonl", small[::2])
    scope = train([train_file], [dev_file], tmp_path / "scope.json")
    escalation = train_escalation([train_file], [dev_file], tmp_path / "escalation.json")
    assert scope["model"] == escalation["model"] == built.embedder.name == "hash-256"
    assert load_scope_model("hash-256", tmp_path / "scope.json") is not None
    assert load_scope_model("all-MiniLM-L6-v2", tmp_path / "scope.json") is None
    key = built.guard.flags.key
    assert load_escalation_model("hash-256", key, tmp_path / "escalation.json") is not None
    assert load_escalation_model("hash-256", "other-descriptions", tmp_path / "escalation.json") is None
    # the threshold is chosen on writer-held-out folds for at most 1% added false alarms there
    assert 0.0 <= escalation["cross_validated_false_alarms"] <= 0.01 or escalation["threshold"] == 0.99
    assert escalation["cross_validated_recall"] >= escalation["cross_validated_recall_rules_alone"]

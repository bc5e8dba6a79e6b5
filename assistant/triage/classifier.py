"""Triage stage: a small learned decision where the scope rules run out.

Logistic regression over the embedding of the asked sentences plus the rule features (is the focus
covered, how many named things are missing, how close the best passage is, is the product named). It is
trained by `python -m evals train` on the realistic train split, its threshold chosen on dev, and stored
as data/scope_classifier.json with the data it came from. It only decides answer vs refuse for
messages the guard let through: red flags stay with the rules, which it can never overrule.
The weights belong to one embedding model; with any other model the rules decide alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.triage.scope import Answerability

ARTEFACT = Path(__file__).with_name("data") / "scope_classifier.json"
FEATURES = ("rule_answerable", "missing", "coverage", "best_dense", "not_covered", "product", "units")


def scope_features(
    asked_vectors: Sequence[np.ndarray], check: Answerability, *, not_covered: int, product: bool, units: int
) -> np.ndarray:
    """One row: the mean unit vector of the asked sentences, then the rule features in FEATURES order."""
    mean = np.mean(np.asarray(asked_vectors, dtype=np.float32), axis=0)
    mean = mean / max(float(np.linalg.norm(mean)), 1e-9)
    extra = [
        1.0 if check.answerable else 0.0,
        float(min(len(check.missing), 3)),
        float(check.coverage),
        float(check.best_dense),
        float(min(not_covered, 3)),
        1.0 if product else 0.0,
        math.log1p(units),
    ]
    return np.concatenate([mean, np.asarray(extra, dtype=np.float32)])


@dataclass(frozen=True)
class ScopeModel:
    """Weights, threshold and provenance of the trained classifier."""

    model: str
    coef: np.ndarray
    intercept: float
    threshold: float
    trained_on: str

    def p_answer(self, row: np.ndarray) -> float:
        """Probability that the message should be answered."""
        z = float(row @ self.coef) + self.intercept
        return 1.0 / (1.0 + math.exp(-z))


def load_scope_model(embedder_name: str, path: Path = ARTEFACT) -> ScopeModel | None:
    """The stored classifier when it was trained with this embedding model, else None (rules decide)."""
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("model") != embedder_name or raw.get("features") != list(FEATURES):
        return None
    return ScopeModel(
        model=raw["model"],
        coef=np.asarray(raw["coef"], dtype=np.float32),
        intercept=float(raw["intercept"]),
        threshold=float(raw["threshold"]),
        trained_on=str(raw.get("trained_on", "")),
    )

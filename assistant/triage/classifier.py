"""Triage stage: small learned decisions where the rules run out (scope, and an escalation head).

Logistic regression over the embedding of the asked sentences plus the rule features (is the focus
covered, how many named things are missing, how close the best passage is, is the product named). It is
trained by `python -m evals train` on the realistic train split, its threshold chosen on dev, and stored
as data/scope_classifier.json with the data it came from. It only decides answer vs refuse for
messages the guard let through: red flags stay with the rules, which it can never overrule.
The escalation head (data/escalation_classifier.json) only adds escalations the rules missed, from the
situation sentences' similarity to the red-flag descriptions; its threshold is chosen on dev for almost no
false alarms. The weights belong to one embedding model; with any other model the rules decide alone.
"""

from __future__ import annotations

import hashlib
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
class LinearHead:
    """Weights, threshold and provenance of one trained logistic regression (scope or escalation)."""

    model: str
    coef: np.ndarray
    intercept: float
    threshold: float
    trained_on: str

    def probability(self, row: np.ndarray) -> float:
        """Probability of the positive class (answer; for the escalation head, escalate)."""
        z = float(row @ self.coef) + self.intercept
        return 1.0 / (1.0 + math.exp(-z))


def _load(path: Path, **expected: object) -> LinearHead | None:
    """The artefact at path when every expected field matches (model, features, descriptions), else None."""
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    if any(raw.get(key) != value for key, value in expected.items()):
        return None
    return LinearHead(
        model=raw["model"],
        coef=np.asarray(raw["coef"], dtype=np.float32),
        intercept=float(raw["intercept"]),
        threshold=float(raw["threshold"]),
        trained_on=str(raw.get("trained_on", "")),
    )


def load_scope_model(embedder_name: str, path: Path = ARTEFACT) -> LinearHead | None:
    """The stored classifier when it was trained with this embedding model, else None (rules decide)."""
    return _load(path, model=embedder_name, features=list(FEATURES))


ESCALATION_ARTEFACT = Path(__file__).with_name("data") / "escalation_classifier.json"


def escalation_features(
    situation_vectors: Sequence[np.ndarray], red: np.ndarray, benign: np.ndarray
) -> np.ndarray:
    """One row: per red-flag description the best similarity over the situation sentences, the best
    margin over benign descriptions, the sentence count, and the sentences' mean vector."""
    dim = red.shape[1]
    if not situation_vectors:
        return np.zeros(red.shape[0] + 2 + dim, dtype=np.float32)
    v = np.asarray(situation_vectors, dtype=np.float32)
    sims = v @ red.T
    margin = float((sims.max(axis=1) - (v @ benign.T).max(axis=1)).max())
    mean = v.mean(axis=0)
    mean = mean / max(float(np.linalg.norm(mean)), 1e-9)
    return np.concatenate([sims.max(axis=0), [margin, len(v) / 10], mean]).astype(np.float32)


def descriptions_key(texts: Sequence[str]) -> str:
    """A fingerprint of the red-flag descriptions: the escalation weights belong to exactly these."""
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]


def load_escalation_model(
    embedder_name: str, key: str, path: Path = ESCALATION_ARTEFACT
) -> LinearHead | None:
    """The stored escalation head for this model and these descriptions, else None (rules alone)."""
    return _load(path, model=embedder_name, descriptions=key)

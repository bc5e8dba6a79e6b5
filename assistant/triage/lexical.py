"""Triage stage, word heads: a learned reading of the message's own words where rules and embeddings run out.

The embedding model puts indirect self-harm ("written the letters, sorted the will"), clinical shorthand
("completely NWB") and many lay tellings far from every red-flag description, and a hand rule catches one
wording at a time. Two logistic regressions over the message's words and word pairs (TF-IDF), trained on
many writers' messages, learn which words carry danger across their phrasings: one for any emergency, one
for self-harm (which decides the crisis reply). They share one vocabulary. `python -m evals train` fits
them with one writer per cross-validation fold and stores data/word_heads.json; the heads only add
escalations the rules missed, in messages that tell someone's situation, and never overrule the rules.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ARTEFACT = Path(__file__).with_name("data") / "word_heads.json"
TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # scikit-learn's default, given to it explicitly: training and use agree
TOKEN = re.compile(TOKEN_PATTERN)
MIN_WORDS = 10
AGREE = 0.5  # the emergency head's least probability for a self-harm reading


def terms(text: str) -> list[str]:
    """Lower-cased words of two or more letters, then each pair of neighbouring words."""
    tokens = TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


@dataclass(frozen=True)
class WordHeads:
    """Vocabulary, inverse document frequencies, and two heads' weights and thresholds."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # rows: any emergency, self-harm
    intercept: np.ndarray
    thresholds: tuple[float, float]
    trained_on: str

    def probabilities(self, text: str) -> tuple[float, float]:
        """(p emergency, p self-harm) for one message: sublinear tf x idf, l2-normalised, as in training."""
        counts = Counter(self.vocabulary[t] for t in terms(text) if t in self.vocabulary)
        z = self.intercept.astype(np.float64)
        if counts:
            index = np.fromiter(counts.keys(), dtype=np.int64)
            values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[index]
            values /= max(float(np.linalg.norm(values)), 1e-12)
            z = z + self.coef[:, index] @ values
        emergency, self_harm = (1.0 / (1.0 + math.exp(-float(v))) for v in z)
        return emergency, self_harm

    def read(self, text: str) -> tuple[str, float]:
        """('self_harm' | 'emergency' | '', probability) at the stored thresholds; self-harm is asked first.

        A message of a few words is too little for a reading by word weights ("what's the point of foam
        rolling" leans on "point"); short messages are left to the rules."""
        if len(TOKEN.findall(text)) < MIN_WORDS:
            return "", 0.0
        emergency, self_harm = self.probabilities(text)
        # self-harm needs the emergency head to lean the same way: "made my peace with never running
        # again" leans on words of farewell, but nothing in it reads as danger
        if self_harm >= self.thresholds[1] and emergency >= AGREE:
            return "self_harm", self_harm
        if emergency >= self.thresholds[0]:
            return "emergency", emergency
        return "", max(emergency, self_harm)


def load_word_heads(path: Path = ARTEFACT) -> WordHeads | None:
    """The stored heads, or None when there are none (the rules and the embedding head decide alone)."""
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    words = raw["vocabulary"]
    return WordHeads(
        vocabulary={w: i for i, w in enumerate(words)},
        idf=np.asarray(raw["idf"], dtype=np.float64),
        coef=np.asarray([raw["coef_emergency"], raw["coef_self_harm"]], dtype=np.float64),
        intercept=np.asarray([raw["intercept_emergency"], raw["intercept_self_harm"]], dtype=np.float64),
        thresholds=(float(raw["threshold_emergency"]), float(raw["threshold_self_harm"])),
        trained_on=str(raw.get("trained_on", "")),
    )

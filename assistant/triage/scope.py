"""Stage 6, answerability: do the passages actually answer the question, or is it out of scope?

Similarity alone cannot tell: with this model an unrelated painkiller's dose scores 0.66 against the
best sentence while "What's PFPS?" scores 0.31. So the question's specific terms must be covered by the
corpus, and similarity only rules out questions that share nothing with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.index.knowledge import KnowledgeBase
from assistant.text import GENERIC, STOPWORDS, TypoIndex, stem, words
from assistant.triage import rules as R
from assistant.types import Passage

# Calibrated on evals/questions/dev.jsonl (bundled model): far off-topic questions stayed below 0.22;
# questions made only of generic words ("why does my knee hurt?") need a closer passage.
MIN_DENSE = 0.22
MIN_DENSE_WITHOUT_OVERLAP = 0.40


@dataclass(frozen=True)
class Answerability:
    """The verdict, the terms the corpus lacks, and the evidence used."""

    answerable: bool
    missing: tuple[str, ...]
    coverage: float
    best_dense: float
    reason: str


@lru_cache(maxsize=1)
def common_words() -> TypoIndex:
    """Whole words of the embedding model's vocabulary: everyday English, not rare names."""
    try:
        from assistant.index.embedder import bundled_model_path

        lines = (Path(bundled_model_path()) / "vocab.txt").read_text().split()
    except (ImportError, OSError):
        lines = []
    return TypoIndex(w for w in lines if w.isalpha() and w.isascii() and len(w) > 2)


def key_terms(question: str) -> list[str]:
    """Words of the question that carry its topic (no stop words, no 'knee'/'pain')."""
    out = []
    for w in words(question):
        if w in STOPWORDS or w in GENERIC or len(w) < 3 or w.isdigit():
            continue
        out.append(w)
    return list(dict.fromkeys(out))


def assess(kb: KnowledgeBase, question: str, passages: list[Passage]) -> Answerability:
    """Answerable when the specific terms are in the corpus and the passages are near the question."""
    terms = key_terms(question)
    tokens = words(question)
    # Hyphenated or two-word names ("x-ray", "fish oil") are split by the tokenizer; rejoin them.
    for a, b in zip(tokens, tokens[1:], strict=False):
        for joined in (f"{a}-{b}", f"{a}{b}"):
            if joined in R.NEAR_DOMAIN_TERMS and not kb.is_known(joined):
                return Answerability(
                    False,
                    (joined,),
                    0.0,
                    max((p.dense for p in passages), default=0.0),
                    f"not in the source: {joined}",
                )
    missing, covered = [], 0
    vocab = common_words()
    for term in terms:
        mapped = R.SYNONYMS.get(term, term).split()  # a synonym may be a phrase: "physical therapist"
        if (
            kb.is_known(term)
            or kb.is_known(stem(term))
            or all(kb.is_known(m) or kb.is_known(stem(m)) for m in mapped)
        ):
            covered += 1
            continue
        specific = term in R.NEAR_DOMAIN_TERMS or (len(term) >= 5 and vocab.match(term) is None)
        if specific and term not in R.SYNONYMS:
            missing.append(term)
    coverage = covered / len(terms) if terms else 0.0
    best = max((p.dense for p in passages), default=0.0)
    if missing:
        return Answerability(
            False, tuple(missing), coverage, best, f"not in the source: {', '.join(missing)}"
        )
    if not passages:
        return Answerability(False, (), coverage, best, "the index returned no passages")
    if terms and covered == 0:
        return Answerability(False, (), coverage, best, "shares no key term with the source")
    if coverage < 0.5 and best < MIN_DENSE:
        return Answerability(
            False, (), coverage, best, f"no passage is close to the question (best {best:.2f})"
        )
    if not terms and best < MIN_DENSE_WITHOUT_OVERLAP:
        return Answerability(False, (), coverage, best, f"names nothing the source covers (best {best:.2f})")
    return Answerability(True, (), coverage, best, f"terms covered {coverage:.0%}, best passage {best:.2f}")

"""Stage 8, verify: keep only LLM sentences that the passage they cite supports."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.ingest.chunking import split_sentences
from assistant.text import content_terms
from assistant.types import Chunk

_MARK = re.compile(r"\[(\d{1,3})\]")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")
_NUMBER_WORDS = {
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "twice",
    "double",
}
# A sentence is supported when most of its content words are in the cited passage and it means the
# same as one of the passage's sentences. Tested in tests/test_verify.py on hand-made pairs.
MIN_TERM_COVERAGE = 0.75
MIN_COSINE = 0.60


@dataclass(frozen=True)
class Checked:
    """An answer sentence, the passages it cites, and whether it is supported."""

    text: str
    cites: tuple[int, ...]
    supported: bool
    why: str


def term_coverage(sentence: str, passage: str) -> float:
    """Share of the sentence's content words (stemmed) that occur in the passage."""
    terms = set(content_terms(_MARK.sub("", sentence)))
    if not terms:
        return 1.0
    return len(terms & set(content_terms(passage))) / len(terms)


def numbers_match(sentence: str, passage: str) -> bool:
    """Every number (digits or number words) in the sentence also occurs in the passage."""
    body = _MARK.sub("", sentence).lower()
    nums = set(_NUMBER.findall(body)) | {w for w in re.findall(r"[a-z]+", body) if w in _NUMBER_WORDS}
    text = passage.lower()
    return all(re.search(rf"\b{re.escape(n)}\b", text) for n in nums)


def check_sentence(
    sentence: str,
    cited: list[Chunk],
    embed: Callable[[list[str]], np.ndarray] | None,
    unit_vectors: list[np.ndarray],
) -> tuple[bool, str]:
    """Supported when some cited passage covers its words, its numbers and (if embeddings) its meaning."""
    for chunk, vecs in zip(cited, unit_vectors, strict=True):
        coverage = term_coverage(sentence, chunk.text)
        if coverage < MIN_TERM_COVERAGE:
            continue
        if not numbers_match(sentence, chunk.text):
            continue
        if embed is not None and len(vecs):
            cosine = float(np.max(vecs @ embed([_MARK.sub("", sentence)])[0]))
            if cosine < MIN_COSINE:
                continue
        return True, f"supported by {chunk.section_label} (terms {coverage:.0%})"
    return False, "not supported by the cited passage"


def verify_answer(
    text: str,
    passages: list[Chunk],
    unit_vectors: list[np.ndarray],
    embed: Callable[[list[str]], np.ndarray] | None,
) -> list[Checked]:
    """Split an LLM answer into sentences and check each against the passages it cites."""
    out = []
    for sentence in split_sentences(" ".join(text.split())):
        cites = tuple(sorted({int(n) for n in _MARK.findall(sentence)}))
        valid = tuple(n for n in cites if 1 <= n <= len(passages))
        clean = _MARK.sub("", sentence).strip()
        if not valid:
            why = "cites a passage that does not exist" if cites else "cites nothing"
            out.append(Checked(clean, valid, False, why))
            continue
        ok, why = check_sentence(
            clean, [passages[n - 1] for n in valid], embed, [unit_vectors[n - 1] for n in valid]
        )
        out.append(Checked(clean, valid, ok, why))
    return out

"""Stage 5, retrieve: dense (Chroma, cosine) and lexical (BM25) search fused by reciprocal rank."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from assistant.index.knowledge import KnowledgeBase, lexical_tokens
from assistant.text import STOPWORDS, content_terms, stem, words
from assistant.triage import rules as R
from assistant.triage.scope import common_words
from assistant.types import Passage

FOLLOW_UP_WEIGHT = 0.5  # the new message leads; the previous question only fills in what 'them' means

RRF_K = 60  # the usual constant: damps the head of each list so neither retriever dominates
CANDIDATES = 20
ROLE_VOTE = 0.5 / (RRF_K + 1)  # half a first place in one list, for a passage whose role fits the intent

_FOLLOW_UP = re.compile(
    r"^\s*(and|also|what about|how about|but|so|then|ok(ay)?|same|more|another|why|how come|and if)\b|"
    r"\b(them|they|those|these|that|this|it|its|ones?|there|which one|the first|the second|the last|more)\b",
    re.IGNORECASE,
)


def is_follow_up(question: str, history: Sequence[dict[str, str]]) -> bool:
    """A short message that leans on the previous turn ('and how do I stretch them?')."""
    if not any(turn.get("role") == "user" for turn in history):
        return False
    terms = content_terms(question)
    return (len(terms) <= 4 and bool(_FOLLOW_UP.search(question))) or len(terms) <= 1


def previous_question(question: str, history: Sequence[dict[str, str]]) -> str:
    """The earlier user turn a follow-up leans on, or '' when the message stands alone."""
    if not is_follow_up(question, history):
        return ""
    return next((t.get("content", "") for t in reversed(history) if t.get("role") == "user"), "")


def correct_and_expand(kb: KnowledgeBase, text: str) -> tuple[str, str]:
    """(typo-corrected text, corrected text plus the corpus's words for everyday synonyms)."""
    corrected, extra = text, []
    for w in dict.fromkeys(words(text)):
        if w in STOPWORDS:
            continue
        if w in R.SYNONYMS:
            extra.append(R.SYNONYMS[w])
        elif w not in kb.vocabulary and stem(w) not in kb.vocabulary and w not in common_words().words:
            fix = kb.typos.match(w)  # "streches" -> "stretches"; a real word ("bridge") is left alone
            if fix and fix != w:
                corrected = re.sub(rf"\b{re.escape(w)}\b", fix, corrected, flags=re.IGNORECASE)
    return corrected, " ".join([corrected, *extra])


def blend(vector: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """Unit vector leaning toward the new message."""
    mixed = vector + FOLLOW_UP_WEIGHT * previous
    return mixed / max(float(np.linalg.norm(mixed)), 1e-9)


def retrieve(
    kb: KnowledgeBase,
    query: str,
    vector: np.ndarray,
    *,
    k: int,
    seller: bool = True,
    prefer: tuple[str, ...] = (),
    pattern: tuple[int, int] | None = None,
    asked: str = "",
) -> list[Passage]:
    """Top-k passages with their dense, lexical and fused scores (`pattern`: see with_story).

    Three ranked lists fused by reciprocal rank: chunks by dense similarity, chunks by their best
    sentence's similarity (all sentence vectors are in memory), and BM25. With `seller` False the
    seller's passages are left out: a question about stairs is never answered from the advert. A
    passage holding sentences of a `prefer`red role (remedies for "what can I do?") gains a vote.
    """
    dense_hits = kb.dense(vector, CANDIDATES)
    lexical = kb.bm25.scores(lexical_tokens(query))
    top = (
        np.argpartition(-lexical, CANDIDATES)[:CANDIDATES]
        if len(lexical) > CANDIDATES
        else np.arange(len(lexical))
    )
    lexical_order = [int(i) for i in sorted(top, key=lambda i: -lexical[i]) if lexical[i] > 0]
    among = [i for i, _ in dense_hits] + lexical_order
    sentence_hits = kb.sentence_dense(vector, CANDIDATES, among)
    fused: dict[int, float] = {}
    for rank, (idx, _) in enumerate(dense_hits):
        fused[idx] = fused.get(idx, 0.0) + 1.0 / (RRF_K + rank + 1)
    for rank, (idx, _) in enumerate(sentence_hits):
        fused[idx] = fused.get(idx, 0.0) + 1.0 / (RRF_K + rank + 1)
    for rank, idx in enumerate(lexical_order):
        fused[idx] = fused.get(idx, 0.0) + 1.0 / (RRF_K + rank + 1)
    for rank, idx in enumerate(_title_hits(kb, asked)):
        fused[idx] = fused.get(idx, 0.0) + 1.0 / (RRF_K + rank + 1)
    if not seller:
        fused = {i: f for i, f in fused.items() if not kb.chunks[i].promotional}
    if prefer:
        for i in fused:
            roles = kb.chunks[i].roles
            if any(r in roles for r in prefer[:2]):
                fused[i] += ROLE_VOTE
    dense_score = dict(dense_hits)
    missing = [i for i in fused if i not in dense_score]
    if missing:  # lexical-only hits still get a true cosine for the staff view and the composer
        chunk_vecs = np.stack([kb.unit_vectors[i].mean(axis=0) for i in missing])
        for i, s in zip(missing, chunk_vecs @ vector, strict=True):
            dense_score[i] = float(s)
    order = sorted(fused, key=lambda i: (-fused[i], -dense_score.get(i, 0.0)))[:k]
    found = [
        Passage(
            chunk=kb.chunks[i],
            dense=round(float(dense_score.get(i, 0.0)), 4),
            lexical=round(float(lexical[i]), 4),
            fused=round(fused[i], 5),
            rank=r + 1,
        )
        for r, i in enumerate(order)
    ]
    return with_story(kb, found, pattern)


_UNTITLED = frozenset({"knee", "knees", "pain", "muscle", "muscles", "imbalance", "imbalances", "joint"})
_UNTITLED_STEMS = frozenset(stem(w) for w in _UNTITLED)


def _title_hits(kb: KnowledgeBase, asked: str) -> list[int]:
    """Chunks whose section title names what the asked sentences name ("anything about knee supports?" ->
    "Knee Braces or Support"), most shared words first: a fourth ranked list, so that a question naming a
    section's own topic finds it inside a long story."""
    said = words(asked)
    wanted = {stem(w) for w in said if w not in STOPWORDS and w not in _UNTITLED and len(w) > 2}
    wanted |= {stem(m) for w in said if w in R.SYNONYMS for m in R.SYNONYMS[w].split()}
    wanted -= _UNTITLED_STEMS
    if not wanted:
        return []
    shared = [(n, i) for i, title in enumerate(kb.title_terms) if (n := len(title & wanted))]
    return [i for _, i in sorted(shared, key=lambda t: (-t[0], t[1]))]


def unit_mean(vectors: Sequence[np.ndarray | None]) -> np.ndarray | None:
    """Normalised mean of the given sentence vectors, or None when there are none."""
    present = [v for v in vectors if v is not None]
    if not present:
        return None
    mean = np.mean(np.asarray(present, dtype=np.float32), axis=0)
    return np.asarray(mean / max(float(np.linalg.norm(mean)), 1e-9), dtype=np.float32)


_GENERIC = frozenset({"overview", "definition"})


def with_story(kb: KnowledgeBase, passages: list[Passage], match: tuple[int, int] | None) -> list[Passage]:
    """The article's symptom pattern the person describes (compose.story_match) takes the place of a general
    passage (overview or definition only) in the top three: a why or what-is question told with a story
    ("a dull ache by the end of a shift on my feet, is it a muscle thing?") is answered there. On the
    tuned splits this brought the answer into the top three for 10 messages and out of it for 3."""
    if match is None or len(passages) < 3:
        return passages
    chunk = kb.chunks[match[0]]
    top = passages[:3]
    generic = [i for i, p in enumerate(top) if p.chunk.roles and set(p.chunk.roles) <= _GENERIC]
    if any(p.chunk.id == chunk.id for p in top) or not generic:
        return passages
    at = generic[-1]
    found = next((p for p in passages if p.chunk.id == chunk.id), None)
    moved = found or replace(passages[at], chunk=chunk)
    general = passages[at]  # steps down to fourth; the other two keep their places
    rest = [p for p in passages if p.chunk.id not in (chunk.id, general.chunk.id)]
    ordered = [*rest[:at], moved, *rest[at:2], general, *rest[2:]][: len(passages)]
    return [replace(p, rank=n + 1) for n, p in enumerate(ordered)]

"""Stage 7, compose: which sentences of the passages to quote.

Sentences are scored against the question with their stored embeddings plus word overlap and the roles the
question's intent prefers, de-duplicated by maximal marginal relevance within a word budget; a message
asking several questions gets a point for each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.intent import Intent, kind_of
from assistant.index.knowledge import KnowledgeBase
from assistant.ingest.roles import item_label
from assistant.text import content_terms
from assistant.types import Chunk, Passage

MAX_UNITS = 5  # quoted points, at most
WORD_BUDGET = 110  # words of quoted points; the best point is always kept, whatever its length
ROLE_BONUS = (0.12, 0.08, 0.05)  # a sentence whose role fits the intent: first, second, third preferred role
# a kind whose answer is one section's own words (the stated dose, the cautions): its sentences lead even
# when the product's name makes every sentence of the seller's part look as close
NARROW = {"dose": 0.25, "safety": 0.2}
RELATIVE_FLOOR = 0.72  # keep sentences scoring at least this share of the best one
MMR_LAMBDA = 0.75  # relevance vs. novelty; 0.75 keeps near-duplicates ("Key Benefits" vs "Why it helps") out
DUPLICATE_COSINE = 0.92
# an item labelled as an instruction ("What to do:") for a what-to-do or unclassified question (tuned splits:
# must_include 0.857 -> 0.867; the same bonus for named exercises too lowered it, so they do not get it)
INSTRUCTION_BONUS = 0.05
ACTING = ("remedy", "howto", "general")
_INSTRUCTION = re.compile(r"\b(what to do|tips?|advice|how to|instructions?)\b", re.I)
COVER = 1.0  # an asked question counts as answered by a point scoring this share of its own best
_CALL_TO_ACTION = re.compile(
    r"\b(order|buy|purchase|shop)\b|\btoday\b|feel the difference|^support your knees", re.I
)


@dataclass(frozen=True)
class Unit:
    """One candidate sentence (or whole list item) with where it came from."""

    chunk: Chunk
    index: int
    text: str
    vector: np.ndarray
    score: float

    @property
    def role(self) -> str:
        """What the sentence is for ('' for chunks from before roles existed)."""
        return self.chunk.roles[self.index] if self.index < len(self.chunk.roles) else ""


def candidate_units(
    kb: KnowledgeBase,
    question: str,
    vector: np.ndarray,
    passages: list[Passage],
    intent: Intent | None = None,
) -> list[Unit]:
    """Score every sentence of the passages; calls to action and list lead-ins are never candidates.

    A sentence whose role fits the question's intent (remedies for what-to-do, causes for why) gains a
    bonus; for a how-to question, a named step whose name the question uses gains the most.
    """
    preferred = intent.preferred if intent else ()
    q_terms = set(content_terms(question))
    # Rare words decide more than common ones: 'dosage' (one section) outweighs the product's name (all of them).
    weight = {t: kb.bm25.term_weight(t) for t in q_terms}
    total = sum(weight.values()) or 1.0
    out = []
    for p in passages:
        row = kb.by_id[p.chunk.id]
        vecs = kb.unit_vectors[row]
        sims = vecs @ vector
        # A heading names what its sentences are about ("Recommended Dosage" over "Take three capsules").
        heading = kb.heading_terms[row]
        roles = p.chunk.roles
        for j, text in enumerate(p.chunk.units):
            role = roles[j] if j < len(roles) else ""
            if _CALL_TO_ACTION.search(text) or role == "lead_in" or text.rstrip().endswith(":"):
                continue  # a lead-in ("...in several ways:") is never quoted without its list
            overlap = sum(weight[t] for t in q_terms & (kb.unit_terms[row][j] | heading)) / total
            # The passage score lends context to list items ("Symptoms: ...") that name no topic themselves.
            score = 0.55 * float(sims[j]) + 0.25 * p.dense + 0.20 * overlap
            if role in preferred:
                score += ROLE_BONUS[min(preferred.index(role), len(ROLE_BONUS) - 1)]
                score += NARROW.get(role, 0.0) if intent and role in intent.kinds else 0.0
            if intent and intent.kind in ACTING and _INSTRUCTION.search(item_label(text)):
                score += INSTRUCTION_BONUS  # a section's own "What to do:" is its concrete advice
            if intent and role == "step":
                # a named step the question names ("what exercise for the hamstrings?" -> Hamstring Curls),
                # weighted by how rare the shared words are, most of all for a how-to question
                label = set(content_terms(item_label(text)))
                named = sum(kb.bm25.term_weight(t) for t in label & q_terms)
                share = named / max(sum(kb.bm25.term_weight(t) for t in label), 1e-9)
                score += (0.15 if intent.kind == "howto" else 0.08) * share
            out.append(Unit(p.chunk, j, text, vecs[j], score))
    return out


def select(
    units: list[Unit],
    *,
    limit: int = MAX_UNITS,
    budget: int = WORD_BUDGET,
    first: str = "",
) -> list[Unit]:
    """Maximal marginal relevance over units above a floor relative to the best, within a word budget.

    `first`: the id of the passage ranked first; its best sentence is always among the points.
    """
    lead = max((u for u in units if u.chunk.id == first), key=lambda u: u.score, default=None)
    if not units:
        return []
    ranked = sorted(units, key=lambda u: (-u.score, u.chunk.position, u.index))
    floor = ranked[0].score * RELATIVE_FLOOR
    pool = [u for u in ranked if u.score >= floor]
    chosen = [pool.pop(0)]
    if lead is not None and lead.chunk.id != chosen[0].chunk.id:
        # the passage retrieval ranked first speaks too: its best sentence is quoted (fusion of three
        # searches is a better judge of the passage than one sentence's score is)
        if lead in pool:
            pool.remove(lead)
        if _words(chosen[0].text) + _words(lead.text) <= budget:
            chosen.append(lead)
    while pool and len(chosen) < limit:

        def mmr(u: Unit) -> float:
            redundancy = max(float(u.vector @ c.vector) for c in chosen)
            return MMR_LAMBDA * u.score - (1 - MMR_LAMBDA) * redundancy

        best = max(pool, key=mmr)
        pool.remove(best)
        if sum(_words(c.text) for c in chosen) + _words(best.text) > budget:
            continue  # too long for what is left; a shorter point may still fit
        if max(float(best.vector @ c.vector) for c in chosen) < DUPLICATE_COSINE:
            chosen.append(best)
    return chosen


def cover_asks(
    kb: KnowledgeBase,
    chosen: list[Unit],
    asks: Sequence[tuple[str, np.ndarray]],
    passages: list[Passage],
    intent: Intent | None,
    budget: int,
) -> list[Unit]:
    """A message asking several questions gets a point for each ("why is it worse on uneven ground? and
    how should I line my knees up?": a cause and a what-to-do point, not two causes).

    Each asked sentence scores the sentences alone, with the roles its own kind prefers; when no chosen
    point comes within COVER of its best, its best replaces the last-chosen points it needs room for.
    """
    if len(asks) < 2:
        return chosen
    seller = bool(intent and intent.seller)
    for text, vector in asks:
        units = candidate_units(kb, text, vector, passages, Intent((kind_of(text, seller),), seller))
        if not units:
            continue
        best = max(units, key=lambda u: (u.score, -u.chunk.position, -u.index))
        have = {(c.chunk.id, c.index) for c in chosen}
        if max((u.score for u in units if (u.chunk.id, u.index) in have), default=0.0) >= COVER * best.score:
            continue
        while len(chosen) > 1 and (
            len(chosen) >= MAX_UNITS or sum(_words(c.text) for c in [*chosen, best]) > budget
        ):
            chosen = chosen[:-1]
        chosen = [*chosen, best]
    return chosen


def _words(text: str) -> int:
    return len(text.split())

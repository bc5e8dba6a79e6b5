"""Stage 7, compose (extractive): answer with verbatim sentences of the passages, each cited.

Deterministic: the same question and index give the same answer. Sentences are scored against the
question with their stored embeddings plus word overlap, de-duplicated by MMR, put back in source
order and grouped under their sections. Seller claims are attributed and carry the supplement
disclaimer; a dose never appears without the source's own cautions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant import messages as M
from assistant.answer.intent import Intent
from assistant.index.knowledge import KnowledgeBase
from assistant.ingest.roles import heading_title, item_label
from assistant.text import content_terms
from assistant.types import Chunk, Citation, Passage

MAX_UNITS = 5  # quoted points, at most
WORD_BUDGET = 110  # words of quoted points; the best point is always kept, whatever its length
SELLER_BUDGET = 80
ROLE_BONUS = (0.12, 0.08, 0.05)  # a sentence whose role fits the intent: first, second, third preferred role
# a kind whose answer is one section's own words (the stated dose, the cautions): its sentences lead even
# when the product's name makes every sentence of the seller's part look as close
NARROW = {"dose": 0.25, "safety": 0.2}
RELATIVE_FLOOR = 0.72  # keep sentences scoring at least this share of the best one
MMR_LAMBDA = 0.75  # relevance vs. novelty; 0.75 keeps near-duplicates ("Key Benefits" vs "Why it helps") out
DUPLICATE_COSINE = 0.92
# a story sentence this close to one of the article's "Symptoms:" items describes that pattern (tuned splits:
# at 0.55 the item's section held the expected evidence for 23 of the 38 answers that missed it)
STORY_MATCH = 0.55
STORY_KINDS = ("cause", "general", "definition", "symptom")
_CALL_TO_ACTION = re.compile(
    r"\b(order|buy|purchase|shop)\b|\btoday\b|feel the difference|^support your knees", re.I
)
_DOSE = re.compile(r"\b(capsules?|tablets?|pills?|dose|dosage|mg|daily)\b", re.I)
_SAFETY_CLAIM = re.compile(r"\b(safe|side effects?|adverse)\b", re.I)
_CAUTION = re.compile(r"pregnan|medication|allerg|healthcare provider", re.I)


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
    units: list[Unit], *, limit: int = MAX_UNITS, budget: int = WORD_BUDGET, first: str = ""
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


def _words(text: str) -> int:
    return len(text.split())


def story_match(
    kb: KnowledgeBase, story: Sequence[np.ndarray] | None, intent: Intent | None
) -> tuple[int, int] | None:
    """(chunk row, sentence) of the article's symptom pattern closest to what the person describes, for a
    why / what-is-this question; None when no story sentence is within STORY_MATCH of one.

    A story ("a dull ache by the end of a ten-hour shift on my feet ... what causes that?") often matches one
    of the article's "Symptoms:" items better than its question matches anything; that item's section is the
    answer.
    """
    if not story or intent is None or intent.kind not in STORY_KINDS or intent.seller:
        return None
    rows = kb.role_rows.get("symptom", [])
    if not rows:
        return None
    sims = np.stack([kb.unit_vectors[i][j] for i, j in rows]) @ np.stack(list(story)).T
    best = int(np.argmax(sims.max(axis=1)))
    return rows[best] if float(sims[best].max()) >= STORY_MATCH else None


def story_point(kb: KnowledgeBase, story: Sequence[np.ndarray] | None, intent: Intent | None) -> list[Unit]:
    """The matched symptom pattern as a point: for a why question its "How it affects the knee" sentence,
    otherwise the symptom itself."""
    match = story_match(kb, story, intent)
    if match is None or intent is None:
        return []
    row, index = match
    chunk = kb.chunks[row]
    if intent.kind == "cause" and "cause" in chunk.roles:
        index = chunk.roles.index("cause")
    return [Unit(chunk, index, chunk.units[index], kb.unit_vectors[row][index], 0.0)]


def add_story_point(chosen: list[Unit], extra: list[Unit]) -> list[Unit]:
    """The matched symptom pattern joins the points unless its passage is quoted already."""
    if not extra or any(u.chunk.id == extra[0].chunk.id for u in chosen):
        return chosen
    return [*chosen[: MAX_UNITS - 1], *extra]


def add_referral(kb: KnowledgeBase, chosen: list[Unit], intent: Intent | None) -> list[Unit]:
    """A what-to-do answer ends with the source's own advice to see a professional when pain persists."""
    if not chosen or intent is None or intent.kind not in ("remedy", "howto"):
        return chosen
    if any(u.role == "referral" for u in chosen):
        return chosen
    sources = {u.chunk.source for u in chosen}
    for i, chunk in enumerate(kb.chunks):
        if chunk.source in sources and "referral" in chunk.roles:
            j = chunk.roles.index("referral")
            kept = chosen if len(chosen) < MAX_UNITS else chosen[: MAX_UNITS - 1]
            return [*kept, Unit(chunk, j, chunk.units[j], kb.unit_vectors[i][j], 0.0)]
    return chosen


def add_cautions(kb: KnowledgeBase, chosen: list[Unit], *, asked_safety: bool = False) -> list[Unit]:
    """A dose or safety claim from a promotional passage travels with the same document's cautions, and
    so does any of the seller's text given to someone asking whether it is safe for them."""
    promotional = [u for u in chosen if u.chunk.promotional]
    if not promotional or not (
        asked_safety or any(_DOSE.search(u.text) or _SAFETY_CLAIM.search(u.text) for u in promotional)
    ):
        return chosen
    have = {(u.chunk.id, u.index) for u in chosen}
    sources = {u.chunk.source for u in chosen if u.chunk.promotional}
    extra = []
    for i, chunk in enumerate(kb.chunks):
        if chunk.source not in sources:
            continue
        for j, text in enumerate(chunk.units):
            if _CAUTION.search(text) and (chunk.id, j) not in have:
                extra.append(Unit(chunk, j, text, kb.unit_vectors[i][j], 0.0))
    return chosen + extra


def render(
    chosen: list[Unit], passages: list[Passage], notices: tuple[str, ...]
) -> tuple[str, list[Citation], bool]:
    """Markdown answer, its citations and whether seller claims are included."""
    chosen = sorted(chosen, key=lambda u: (u.chunk.source, u.chunk.position, u.index))
    numbers: dict[str, int] = {}
    for u in chosen:
        numbers.setdefault(u.chunk.id, len(numbers) + 1)
    first = chosen[0].chunk
    date = f", {first.published}" if first.published else ""
    lines = [M.OPENING.format(title=first.title, publisher=first.publisher or "unknown publisher", date=date)]
    lines += [f"_{n}_" for n in notices]
    promotional = False  # one attribution line heads the seller's block
    current: tuple[str, ...] | None = None
    for u in chosen:
        if u.chunk.section != current:
            current = u.chunk.section
            lines.append("")
            if u.chunk.promotional and not promotional:
                promotional = True
                lines.append(
                    M.SELLER_ATTRIBUTION.format(
                        publisher=u.chunk.publisher or "the publisher",
                        product=u.chunk.seller_of or "the product",
                    )
                )
            lines.append(f"**{heading_title(u.chunk.section[-1]) if u.chunk.section else u.chunk.title}**")
        lines.append(f"- {u.text} [{numbers[u.chunk.id]}]")
    if promotional and any(_DOSE.search(u.text) for u in chosen if u.chunk.promotional):
        lines += ["", f"_{M.DOSE_NOTE}_"]
    if promotional:
        lines += ["", f"> {M.SUPPLEMENT_DISCLAIMER}"]
    by_id = {u.chunk.id: u.chunk for u in chosen}
    citations = [
        Citation(n, c.source, c.title, c.section_label, c.text, c.promotional)
        for cid, n in numbers.items()
        for c in [by_id[cid]]
    ]
    return "\n".join(lines).strip(), citations, promotional


def compose(
    kb: KnowledgeBase,
    question: str,
    vector: np.ndarray,
    passages: list[Passage],
    notices: tuple[str, ...] = (),
    intent: Intent | None = None,
    story: Sequence[np.ndarray] | None = None,
) -> tuple[str, list[Citation], bool]:
    """The extractive answer: select by intent, add the story's symptom pattern, the referral and cautions,
    render. `story`: vectors of the sentences telling the person's situation."""
    # the seller's text comes with attribution, cautions and notes: fewer of its own words fit
    budget = SELLER_BUDGET if intent is not None and intent.seller else WORD_BUDGET
    first = passages[0].chunk.id if passages else ""
    chosen = select(candidate_units(kb, question, vector, passages, intent), budget=budget, first=first)
    chosen = add_story_point(chosen, story_point(kb, story, intent))
    asked_safety = intent is not None and "safety" in intent.kinds
    chosen = add_cautions(kb, add_referral(kb, chosen, intent), asked_safety=asked_safety)
    if not chosen:
        return "", [], False
    return render(chosen, passages, notices)

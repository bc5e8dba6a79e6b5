"""Stage 7, compose (extractive): answer with verbatim sentences of the passages, each cited.

Deterministic: the same question and index give the same answer. The points chosen (points.py) join
the story's symptom pattern, the source's referral and cautions, are put back in source order and
grouped under their sections. Seller claims are attributed and carry the supplement
disclaimer; a dose never appears without the source's own cautions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from assistant import messages as M
from assistant.answer.intent import Intent
from assistant.answer.points import MAX_UNITS, WORD_BUDGET, Unit, candidate_units, cover_asks, select
from assistant.index.knowledge import KnowledgeBase
from assistant.ingest.roles import heading_title
from assistant.types import Citation, Passage

SELLER_BUDGET = 80
# a story sentence this close to one of the article's "Symptoms:" items describes that pattern (tuned splits:
# at 0.55 the item's section held the expected evidence for 23 of the 38 answers that missed it)
STORY_MATCH = 0.55
STORY_KINDS = ("cause", "general", "definition", "symptom")
_DOSE = re.compile(r"\b(capsules?|tablets?|pills?|dose|dosage|mg|daily)\b", re.I)
_SAFETY_CLAIM = re.compile(r"\b(safe|side effects?|adverse)\b", re.I)
_CAUTION = re.compile(r"pregnan|medication|allerg|healthcare provider", re.I)


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
    if not chosen or intent is None or intent.kind not in ("remedy", "exercise", "howto"):
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
    asks: Sequence[tuple[str, np.ndarray]] = (),
) -> tuple[str, list[Citation], bool]:
    """The extractive answer: select by intent, add the story's symptom pattern, the referral and cautions,
    render. `story`: vectors of the sentences telling the person's situation; `asks`: the asked sentences
    with their vectors."""
    # the seller's text comes with attribution, cautions and notes: fewer of its own words fit
    budget = SELLER_BUDGET if intent is not None and intent.seller else WORD_BUDGET
    first = passages[0].chunk.id if passages else ""
    chosen = select(candidate_units(kb, question, vector, passages, intent), budget=budget, first=first)
    chosen = cover_asks(kb, chosen, asks, passages, intent, budget)
    chosen = add_story_point(chosen, story_point(kb, story, intent))
    asked_safety = intent is not None and "safety" in intent.kinds
    chosen = add_cautions(kb, add_referral(kb, chosen, intent), asked_safety=asked_safety)
    if not chosen:
        return "", [], False
    return render(chosen, passages, notices)

"""Triage stage, red-flag signs: sets of concepts that must all appear, in any order (and, where the
category says so, near each other). data/concepts.yaml names the concepts, data/red_flag_signs.yaml the signs.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.triage import rules as R

Sign = tuple[str, ...]  # concept names


def _signs() -> dict[str, tuple[int, list[Sign]]]:
    """Red-flag signs as concept sets, validated: category -> (near, signs).

    near > 0: the concepts must match within that many characters of each other ("my foot is blue", not
    "the Blue Mountains ... my feet").
    """
    concepts = {
        name: re.compile(rx, re.IGNORECASE) for name, rx in R.load("concepts.yaml")["concepts"].items()
    }
    out: dict[str, tuple[int, list[Sign]]] = {}
    for cat, entry in R.load("red_flag_signs.yaml").items():
        unknown = {c for sign in entry["signs"] for c in sign} - set(concepts)
        if unknown:
            raise ValueError(f"red_flag_signs.yaml: {cat} names unknown concepts {sorted(unknown)}")
        R.URGENCY.setdefault(cat, entry["urgency"])
        out[cat] = (int(entry.get("near", 0)), [tuple(sign) for sign in entry["signs"]])
    CONCEPTS.update(concepts)
    return out


@lru_cache(maxsize=8192)
def concept_hits(low: str) -> frozenset[str]:
    """Names of the concepts that match the (lower-cased) text: computed once per sentence (the negation
    reading asks for the same sentence's hits again, so they are cached)."""
    return frozenset(name for name, rx in CONCEPTS.items() if rx.search(low))


def categories(low: str, hits: frozenset[str], *, near_signs: bool = True) -> list[str]:
    """Categories with a sign that holds. Signs that need nearness are checked on `low` itself, and only
    when near_signs (a pair of sentences joins hits from both, so nearness cannot be judged there)."""
    found = []
    for cat, (near, cat_signs) in SIGNS.items():
        if near and not near_signs:
            continue
        if any(set(sign) <= hits and (not near or sign_holds(low, sign, near)) for sign in cat_signs):
            found.append(cat)
    return found


def sign_holds(text: str, sign: Sign, near: int) -> bool:
    """Every concept matches text; with near > 0, some match of each lies within `near` characters."""
    patterns = [CONCEPTS[name] for name in sign]
    if not near:
        return all(c.search(text) for c in patterns)
    spans = [[m.start() for m in c.finditer(text)] for c in patterns]
    if not all(spans):
        return False
    return any(all(any(abs(q - p) <= near for q in other) for other in spans[1:]) for p in spans[0])


CONCEPTS: dict[str, re.Pattern[str]] = {}
# category -> (near, signs); a sign holds when every one of its concepts matches, in any order
SIGNS = _signs()


# Red-flag categories, most urgent first: when a message shows several, the reply is for the first.
ORDER = [
    "self_harm",
    "breathing",
    "clot_lungs",
    "chest",
    "stroke",
    "allergy",
    "poisoning",
    "bleeding",
    "collapse",
    "gi_bleed",
    "abdomen",
    "headache",
    "head_injury",
    "limb",
    "travel_clot",
    "cannot_bear_weight",
    "deformity",
    "infection",
    "haemarthrosis",
    "circulation",
    "dvt",
    "locked",
    "giving_way",
    "severe",
    "night_pain",
]


def severity(category: str) -> int:
    """Rank of a red-flag category (0 is the most urgent); unknown ones come last."""
    return ORDER.index(category) if category in ORDER else len(ORDER)

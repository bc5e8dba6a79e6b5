"""Triage stage, red-flag signs: sets of concepts that must all appear, in any order (and, where the
category says so, near each other). data/concepts.yaml names the concepts, data/red_flag_signs.yaml the signs.
"""

from __future__ import annotations

import re

from assistant.triage import rules as R

Sign = tuple[re.Pattern[str], ...]


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
        out[cat] = (int(entry.get("near", 0)), [tuple(concepts[c] for c in sign) for sign in entry["signs"]])
    return out


def sign_holds(text: str, concepts: Sign, near: int) -> bool:
    """Every concept matches text; with near > 0, some match of each lies within `near` characters."""
    if not near:
        return all(c.search(text) for c in concepts)
    spans = [[m.start() for m in c.finditer(text)] for c in concepts]
    if not all(spans):
        return False
    return any(all(any(abs(q - p) <= near for q in other) for other in spans[1:]) for p in spans[0])


# category -> (near, signs); a sign holds when every one of its concepts matches, in any order
SIGNS = _signs()

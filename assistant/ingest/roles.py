"""Roles of sentences, recorded at ingest: what each sentence of a document is for.

A general mechanism, not one article's strings. Two signals:
- the section's heading path: a heading about causes ("How X leads to Y", "Common causes"), symptoms,
  remedies ("How to address", "Exercises", "Stretching", "Treatment"), a definition ("What is X?");
  inside a seller's part, the product, its dose and its safety;
- a labelled list item ("Symptoms: ...", "What to do: ...", "How it affects the knee: ...") takes the
  role its label names; an item whose label names none ("Glute Bridges: Lie on your back...") is a named
  step of its section (an exercise, a stretch), role `step`.
A sentence that ends with a colon introduces a list (`lead_in`); a sentence that sends the reader to a
professional inside a remedies section is `referral`.
"""

from __future__ import annotations

import re

ROLES = (
    "overview",
    "definition",
    "cause",
    "symptom",
    "remedy",
    "step",
    "referral",
    "lead_in",
    "product",
    "dose",
    "safety",
)

# heading and label words -> role; the first matching rule wins, so specific ones come first
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dose", re.compile(r"\b(dos(e|age|ing)|how (much|many) to take|directions for use)\b", re.I)),
    ("safety", re.compile(r"\b(safety|side[- ]effects?|warnings?|cautions?|precautions?|risks of)\b", re.I)),
    ("symptom", re.compile(r"\b(symptoms?|signs?|what it feels like|how it feels)\b", re.I)),
    (
        "remedy",
        re.compile(
            r"\b(what to do|how to (address|treat|fix|relieve|manage|prevent|improve)|treat(ment|ing)?|"
            r"remed(y|ies)|relie(f|ve)|self[- ]care|exercises?|stretch(es|ing)?|strengthen(ing)?|"
            r"rolling|release|correct(ing)?|braces?|supports?|consult|therap(y|ist)|rehab\w*|tips?|"
            r"advice|prevention|manag(e|ing|ement))\b",
            re.I,
        ),
    ),
    ("definition", re.compile(r"^\s*(what (is|are)|definition|overview|about)\b", re.I)),
    (
        "cause",
        re.compile(
            r"\b(causes?|leads? to|contribut\w*|how (it|they|this) affects?|affects?|why|mechanism|"
            r"risk factors?|imbalances?)\b",
            re.I,
        ),
    ),
)
_GENERIC_LABEL = re.compile(r"\b(what to do|tips?|advice|how to|instructions?|steps?)\b", re.I)
_NUMBERING = re.compile(r"^\s*(\d+[.)]|[ivx]+[.)]|[a-z][.)])\s+", re.I)
_LABEL = re.compile(r"^([^:.!?]{2,48}):\s+\S")
_PROFESSIONAL = re.compile(
    r"\b(physical therapist|physiotherapist|physio|doctor|physician|GP|clinician|health ?care provider|"
    r"specialist|professional)\b",
    re.I,
)


def heading_title(heading: str) -> str:
    """A heading as a short plain title: no numbering, no trailing colon ('1. Strengthening Exercises')."""
    return _NUMBERING.sub("", heading).strip().rstrip(":").strip()


def item_label(unit: str) -> str:
    """The label of a labelled list item ('Glute Bridges' in 'Glute Bridges: Lie on your back...'), or ''."""
    match = _LABEL.match(unit)
    return match.group(1).strip() if match and len(match.group(1).split()) <= 6 else ""


def _match(text: str) -> str:
    for role, pattern in _RULES:
        if pattern.search(text):
            return role
    return ""


def section_role(section: tuple[str, ...], title: str, promotional: bool) -> str:
    """The role of a section from its heading path, most specific heading first."""
    headings = [heading_title(h) for h in section if h and h != title]
    if promotional:
        specific = next((r for h in reversed(headings) for r in [_match(h)] if r in ("dose", "safety")), "")
        return specific or "product"
    for h in reversed(headings):
        role = _match(h)
        if role:
            return role
    return "overview"


def unit_role(unit: str, section: tuple[str, ...], title: str, promotional: bool) -> str:
    """The role of one sentence or list item."""
    base = section_role(section, title, promotional)
    if unit.rstrip().endswith(":"):
        return "lead_in"
    if promotional:
        return base
    label = item_label(unit)
    role = base
    if label:
        named = _match(label)
        if base == "remedy":  # a named exercise or stretch, unless the label is a generic instruction
            role = "remedy" if _GENERIC_LABEL.search(label) else "step"
        elif named:
            role = named
    if role == "remedy" and _PROFESSIONAL.search(unit):
        return "referral"
    return role


def unit_roles(
    units: tuple[str, ...], section: tuple[str, ...], title: str, promotional: bool
) -> tuple[str, ...]:
    """Roles of a chunk's units, in order."""
    return tuple(unit_role(u, section, title, promotional) for u in units)

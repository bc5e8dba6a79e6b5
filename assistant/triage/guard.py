"""Stage 4, guard: before retrieval, catch red flags, misuse and requests the assistant must not serve."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant import messages as M
from assistant.text import STOPWORDS, normalize, words
from assistant.triage import rules as R
from assistant.triage.situation import Roles
from assistant.triage.situation import roles as situation_roles
from assistant.types import GuardVerdict

# Cosine thresholds for the semantic checks, calibrated on evals/questions/dev.jsonl with the bundled
# model (see evals/README.md). Red flags are set low: in dev, in-scope questions peaked at 0.55.
RED_FLAG_THRESHOLD = 0.62
BENIGN_MARGIN = 0.05
INJECTION_THRESHOLD = 0.72
_SCRIPT = re.compile(r"<\s*(script|style)\b.*?(<\s*/\s*\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]{0,200}>")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(\s*(?:javascript|data|vbscript):[^)]*\)", re.IGNORECASE)
_B64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
_SPACED = re.compile(r"\b(?:[A-Za-z][ .\-_]){4,}[A-Za-z]\b")


@dataclass(frozen=True)
class Unit:
    """One sentence of the message, what it is about, and its embedding (None when not embedded)."""

    text: str
    roles: Roles
    vector: np.ndarray | None


@dataclass(frozen=True)
class Prepared:
    """The user's message made safe to process, with notices for the reply."""

    text: str
    notices: tuple[str, ...]
    had_markup: bool


def prepare(raw: str, *, max_chars: int) -> Prepared:
    """Normalise, cut over-long input, and strip markup (it is data, never rendered or obeyed)."""
    notices: list[str] = []
    text = normalize(raw or "")
    if len(text) > max_chars:
        text = text[:max_chars]
        notices.append(M.TRUNCATED_NOTE.format(limit=max_chars))
    stripped = _MD_LINK.sub(r"\1", _MD_IMAGE.sub(" ", _TAG.sub(" ", _SCRIPT.sub(" ", text))))
    stripped = re.sub(r"\s+", " ", stripped).strip()
    return Prepared(stripped, tuple(notices), stripped != text)


def variants(text: str) -> list[str]:
    """The text plus decoded forms an attacker might hide instructions in (base64, spaced letters)."""
    out = [text]
    for blob in _B64.findall(text):
        try:
            decoded = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if decoded.isprintable():
            out.append(decoded)
    if _SPACED.search(text):  # "i g n o r e   y o u r   r u l e s" -> "ignore your rules"
        joined = re.sub(r"(?<=\b[A-Za-z])[ .\-_](?=[A-Za-z]\b)", "", text)
        out.append(re.sub(r"\s+", " ", joined))
    leet = text.translate(str.maketrans("013457@$", "oleastas"))
    if leet != text:
        out.append(leet)
    return out


class Guard:
    """Rules plus semantic similarity to red-flag and misuse descriptions."""

    def __init__(self, embed_many: Callable[[list[str]], np.ndarray]) -> None:
        self._labels: list[str] = []
        texts: list[str] = []
        for category, descriptions in R.RED_FLAG_DESCRIPTIONS.items():
            self._labels += [category] * len(descriptions)
            texts += descriptions
        self._red_vectors = embed_many(texts)
        self._injection_vectors = embed_many(R.INJECTION_DESCRIPTIONS)
        self._benign_vectors = embed_many(R.BENIGN_DESCRIPTIONS)

    def rule_hits(self, text: str) -> list[str]:
        """Red-flag categories whose rules match this text (lower-cased inside)."""
        low = text.lower().replace("’", "'")
        found = [cat for cat, (_, patterns) in R.RED_FLAGS.items() if any(p.search(low) for p in patterns)]
        if R.JOINT_SIGN.search(low) and R.SYSTEMIC.search(low):
            found.append("infection")
        if R.CALF.search(low) and R.BREATH.search(low):
            found.append("clot_lungs")
        elif R.BREATH.search(low):
            found.append("chest")
        elif (
            R.CALF.search(low)
            and R.CALF_SIGN.search(low)
            and not re.search(r"\bstretch|\bexercis|\braise|\bfoam|\broll", low)
        ):
            found.append("dvt")
        for cat, parts in R.TOGETHER.items():
            if all(p.search(low) for p in parts):
                found.append(cat)
        if (
            R.INJURY.search(low)
            and re.search(r"\b(swell|swollen|swelled|balloon|puff)\w*", low)
            and re.search(
                r"\b(fast|quick|quickly|straight away|right away|immediately|instantly|within (an|a few|one|two|\d+) (hour|min)|huge|massive)",
                low,
            )
        ):
            found.append("haemarthrosis")
        return found

    def semantic(self, vector: np.ndarray) -> tuple[str, float, float]:
        """(closest red-flag category, its similarity, similarity of the closest benign description)."""
        sims = self._red_vectors @ vector
        best = int(np.argmax(sims))
        return self._labels[best], float(sims[best]), float(np.max(self._benign_vectors @ vector))

    def red_flag(self, text: str, vector: np.ndarray | None, units: Sequence[Unit] = ()) -> tuple[str, str]:
        """Return (category, how it was found) for the most urgent red flag, or ('', '').

        Every unit (sentence), every pair of neighbouring units and the whole message are checked, so a sign
        in the middle of a long story is not diluted. A unit that is a general information request or a
        settled past event does not escalate ("what are the signs of a clot?", "a DVT in 2019, now fine").
        """
        units = list(units) or [Unit(text, situation_roles(text), None)]
        found: list[tuple[str, str]] = []
        for i, unit in enumerate(units):
            if unit.roles.situation:
                found += [(cat, f"rule, sentence {i + 1}") for cat in self.rule_hits(unit.text)]
            if i + 1 < len(units) and (unit.roles.situation or units[i + 1].roles.situation):
                if not (unit.roles.info_request or units[i + 1].roles.info_request):
                    pair = f"{unit.text} {units[i + 1].text}"
                    found += [(cat, f"rule, sentences {i + 1}-{i + 2}") for cat in self.rule_hits(pair)]
        if (
            len(units) > 2
            and not any(u.roles.info_request for u in units)
            and any(u.roles.situation for u in units)
        ):
            found += [(cat, "rule, whole message") for cat in self.rule_hits(text)]
        if found:
            return min(found, key=lambda f: _severity(f[0]))
        candidates = [(u.vector, f"sentence {i + 1}") for i, u in enumerate(units) if u.roles.situation]
        if vector is not None and any(u.roles.situation for u in units):
            candidates.append((vector, "whole message"))
        best: tuple[str, float, str] = ("", 0.0, "")
        for vec, where in candidates:
            if vec is None:
                continue
            category, sim, benign = self.semantic(vec)
            if sim >= RED_FLAG_THRESHOLD and sim >= benign + BENIGN_MARGIN and sim > best[1]:
                best = (category, sim, where)
        if best[0]:
            return best[0], f"similar to a red-flag description ({best[1]:.2f}, {best[2]})"
        return "", ""

    def check(
        self, prepared: Prepared, vector: np.ndarray | None, units: Sequence[Unit] = ()
    ) -> GuardVerdict:
        """Decide pass / refuse / escalate for one message."""
        text, notices = prepared.text, prepared.notices
        if _mostly_non_latin(text):
            return GuardVerdict("refuse", "language", "message is not in English", text, notices)
        if not text or not words(text):
            reason = "message had only markup" if prepared.had_markup else "empty message"
            return GuardVerdict("refuse", "empty", reason, text, notices)
        scan = variants(text)
        for candidate in scan:
            if candidate is text:
                category, how = self.red_flag(text, vector, units)
            else:
                category, how = self.red_flag(candidate, None)
            if category:
                return GuardVerdict(
                    "escalate", category, f"red flag: {category} ({how})", text, notices, R.URGENCY[category]
                )
        if any(
            R.INJECTION.search(c) or R.COMPACT_INJECTION.search(re.sub(r"[^a-z]", "", c.lower()))
            for c in scan
        ):
            return GuardVerdict(
                "refuse", "injection", "instruction or role-play attempt (rule)", text, notices
            )
        if vector is not None and float(np.max(self._injection_vectors @ vector)) >= INJECTION_THRESHOLD:
            return GuardVerdict(
                "refuse", "injection", "instruction or role-play attempt (similarity)", text, notices
            )
        if R.OFF_TOPIC_TASK.search(text):
            return GuardVerdict("refuse", "off_topic_task", "request for an unrelated task", text, notices)
        if R.BUYING.search(text):
            return GuardVerdict("refuse", "buying", "buying advice requested", text, notices)
        low = set(words(text))
        drugs = sorted(t for t in low if t in R.NEAR_DOMAIN_TERMS and t not in R.SYNONYMS)
        if R.DOSE_WORDS.search(text) and drugs and not low & {"regenerix"}:
            return GuardVerdict(
                "refuse", "other_dose", f"dose of {', '.join(drugs)} (not in the source)", text, notices
            )
        extra: list[str] = []
        category = "question"
        if R.DOSE_WORDS.search(text) and R.PERSONAL_DOSE.search(text):
            extra.append(M.PERSONAL_DOSE.strip())
            category = "personal_dose"
        if R.DIAGNOSIS.search(text):
            extra.append(M.DIAGNOSIS_NOTE)
            category = "diagnosis"
        return GuardVerdict("pass", category, "no red flag or misuse found", text, notices + tuple(extra))


_ORDER = [
    "self_harm",
    "breathing",
    "clot_lungs",
    "chest",
    "stroke",
    "allergy",
    "bleeding",
    "collapse",
    "gi_bleed",
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
    "severe",
    "night_pain",
]


def _severity(category: str) -> int:
    return _ORDER.index(category) if category in _ORDER else len(_ORDER)


def _mostly_non_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if ch.isascii())
    return latin / len(letters) < 0.5


def looks_not_english(text: str) -> bool:
    """Latin-script text that is probably another language ("me duele la rodilla cuando subo...").

    Used only to word a refusal that answerability already made, so a wrong guess costs nothing.
    English, even broken or typo-ridden, is full of function words and everyday words.
    """
    from assistant.triage.scope import common_words

    vocab = common_words()
    tokens = words(text)
    candidates = [w for w in tokens if len(w) >= 4 and w not in STOPWORDS and w.isalpha()]
    if not vocab.words or len(tokens) < 6 or len(candidates) < 3:
        return False
    function_share = sum(w in STOPWORDS for w in tokens) / len(tokens)
    exact = sum(w in vocab.words for w in candidates) / len(candidates)
    near = sum(w in R.NEAR_DOMAIN_TERMS or vocab.match(w) is not None for w in candidates) / len(candidates)
    return (function_share < 0.1 and exact < 0.45) or near < 0.4


def escalation_message(verdict: GuardVerdict) -> str:
    """Lead with where to get help now; nothing comes before it."""
    head = {"crisis": M.CRISIS, "emergency": M.EMERGENCY, "same_day": M.SAME_DAY}[
        verdict.urgency or "emergency"
    ]
    why = M.ESCALATION_REASONS.get(verdict.category, "")
    parts = [head] + ([why] if why else []) + [M.ESCALATION_CLOSE]
    return "\n\n".join(parts)

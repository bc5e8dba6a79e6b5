"""Triage stage, guard: before retrieval, escalate red flags and refuse misuse the assistant must not serve."""

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
from assistant.triage.products import changed_dose, comparison, other_supplement
from assistant.triage.redflags import RedFlags, Unit
from assistant.triage.scope import key_terms
from assistant.triage.segment import is_question, split_units
from assistant.triage.situation import roles as situation_roles
from assistant.types import GuardVerdict

# Cosine thresholds for the semantic checks, calibrated on evals/questions/dev.jsonl with the bundled
# model (see evals/README.md). Red flags are set low: in dev, in-scope questions peaked at 0.55.
INJECTION_THRESHOLD = 0.72
_SCRIPT = re.compile(r"<\s*(script|style)\b.*?(<\s*/\s*\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]{0,200}>")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(\s*(?:javascript|data|vbscript):[^)]*\)", re.IGNORECASE)
_B64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
_SPACED = re.compile(r"\b(?:[A-Za-z][ .\-_]){4,}[A-Za-z]\b")


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
    # spaces collapse; line breaks stay, so list items and log lines remain units of their own
    stripped = re.sub(r"[^\S\n]+", " ", stripped)
    stripped = re.sub(r" *\n[\s]*", "\n", stripped).strip()
    stripped = _apply_corrections(stripped)
    return Prepared(stripped, tuple(notices), stripped != re.sub(r"[^\S\n]+", " ", text).strip())


# a texter's own correction of an autocorrected word: "*calf not cafe", "* knee not knew"
_CORRECTION = re.compile(r"(?:^|\n|\s)\*\s*([a-z]{2,20})\s+not\s+([a-z]{2,20})\b", re.IGNORECASE)


def _apply_corrections(text: str) -> str:
    """Put the word the writer meant where autocorrect put another ("my right cafe is swollen ... *calf
    not cafe"), so the sign reads as written; the correction itself stays."""
    for meant, typed in _CORRECTION.findall(text):
        text = re.sub(rf"\b{re.escape(typed)}\b", meant, text, flags=re.IGNORECASE)
    return text


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
    # leetspeak ("k1ll mys3lf"): only words with a digit or symbol inside letters are decoded, so a story
    # that merely mentions "54M", "5k" or "C25K" is not checked a second time as a whole
    for table in (_LEET, _LEET_I):  # "1" stands for "l" or for "i"
        leet = _LEET_WORD.sub(lambda m, t=table: m.group(0).translate(t), text)  # type: ignore[misc]
        if leet != text:
            out.append(leet)
    return out


_LEET = str.maketrans("013457@$", "oleastas")
_LEET_I = str.maketrans("013457@$", "oieastas")
_LEET_WORD = re.compile(r"\b[\w@$]*[a-z][013457@$]+[a-z][\w@$]*\b", re.IGNORECASE)  # a digit inside letters


class Guard:
    """Red flags first (redflags.py), then misuse: injection, unrelated tasks, buying, other doses."""

    def __init__(self, embed_many: Callable[[list[str]], np.ndarray]) -> None:
        self.flags = RedFlags(embed_many)
        self._injection_vectors = embed_many(R.INJECTION_DESCRIPTIONS)

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
        injection = any(
            R.INJECTION.search(c) or R.COMPACT_INJECTION.search(re.sub(r"[^a-z]", "", c.lower()))
            for c in scan
        )
        for candidate in scan:
            if candidate is text:
                # the rules still escalate inside an injection attempt; the learned net stands aside there
                category, how = self.flags.find(text, vector, units, learned=not injection)
            else:
                # a decoded variant is read sentence by sentence too: as one unit, a long letter's
                # words would meet across paragraphs ("U3A" decoded made a whole letter one sentence)
                parts = split_units(candidate)
                category, how = self.flags.find(
                    candidate, None, [Unit(t, situation_roles(t), None) for t in parts]
                )
            if category:
                return GuardVerdict(
                    "escalate",
                    category,
                    f"red flag: {category} ({how})",
                    text,
                    notices,
                    R.URGENCY.get(category, "emergency"),
                )
        if injection:
            return GuardVerdict(
                "refuse", "injection", "instruction or role-play attempt (rule)", text, notices
            )
        if vector is not None and float(np.max(self._injection_vectors @ vector)) >= INJECTION_THRESHOLD:
            return GuardVerdict(
                "refuse", "injection", "instruction or role-play attempt (similarity)", text, notices
            )
        texts = [u.text for u in units]
        asked_at = [i for i, t in enumerate(texts) if is_question(t)]
        if _asks_about_emergencies(units, asked_at, self.flags):
            return GuardVerdict(
                "refuse", "emergency_info", "general question about an emergency sign", text, notices
            )
        # Buying advice, other medicines' doses and unrelated tasks are refused; when the message also asks
        # something else, only the sentences that ask for them are set aside and named as not covered.
        asked = [texts[i] for i in asked_at] or [text]
        before = {texts[i]: texts[i - 1] for i in asked_at if i > 0}
        aside: dict[str, str] = {}
        if R.OFF_TOPIC_TASK.search(text):
            # a task asked for ("write me a poem", "any good lentil recipes?"), not one told of in the story
            # ("my mum keeps sending me soup recipes")
            tasks = [t for t in texts if R.OFF_TOPIC_TASK.search(t) and (t in asked or _REQUEST.match(t))]
            if len(texts) <= 1 or not [t for t in asked if t not in tasks]:
                return GuardVerdict(
                    "refuse", "off_topic_task", "request for an unrelated task", text, notices
                )
            aside = dict.fromkeys(tasks, "an unrelated task")
        for part in asked:
            if R.BUYING.search(part):
                what = " ".join(t for t in key_terms(part) if t not in _BUY_WORDS)
                aside[part] = f"buying advice ({what})" if what else "buying advice"
            elif label := (
                _other_dose(part, before.get(part, ""))
                or changed_dose(part, text)
                or comparison(part, text)
                or (other_supplement(part, text, before.get(part, "")) if asked_at else "")
            ):
                aside[part] = label
        if aside and all(part in aside for part in asked):
            labels = sorted(set(aside.values()))
            category = "buying" if all(v.startswith("buying") for v in labels) else "other_dose"
            reason = (
                "buying advice requested"
                if category == "buying"
                else f"{'; '.join(labels)} (not in the source)"
            )
            return GuardVerdict("refuse", category, reason, text, notices)
        extra: list[str] = []
        category = "question"
        if R.DOSE_WORDS.search(text) and R.PERSONAL_DOSE.search(text):
            extra.append(M.PERSONAL_DOSE.strip())
            category = "personal_dose"
        if R.DIAGNOSIS.search(text):
            extra.append(M.DIAGNOSIS_NOTE)
            category = "diagnosis"
        return GuardVerdict(
            "pass",
            category,
            "no red flag or misuse found",
            text,
            notices + tuple(extra),
            set_aside=tuple(aside.items()),
        )


def _asks_about_emergencies(units: Sequence[Unit], asked: list[int], flags: RedFlags) -> bool:
    """Every asking sentence (`asked`: their indexes) is a general question, and one of them (or the sentence
    before it) names a red-flag sign: "how do you know if a kneecap has dislocated?"."""
    if not asked or not all(units[i].roles.info_request for i in asked):
        return False
    near = {j for i in asked for j in (i - 1, i) if j >= 0}
    # a settled past event beside the question is background ("fainted once in 1998, never since. what
    # causes a dull ache after my shift?"), not what the question asks about
    return any(flags.rule_hits(units[j].text) for j in near if not units[j].roles.past or j in asked)


_BUY_WORDS = frozenset("buy buying order purchase get which brand size worth money price cost".split())


_REQUEST = re.compile(
    r"^\W*(?:(?:and|also|plus|oh|ps)\W+)?(?:please |pls |can you |could you |would you )?(?:write|create|generate|"
    r"compose|draft|code|translate|solve|calculate|compute|give me|tell me|find me|send me|help me with|do my)\b",
    re.I,
)
_PRODUCT_WORDS = re.compile(r"\b(capsules?|caps|regen\w*|supplements?|the gold)\b", re.I)
_REFERS_TO_NAMED = re.compile(r"\b(each|it|them|these|those|they|that|this|both|either)\b", re.I)


def _other_dose(text: str, before: str = "") -> str:
    """'dose of ibuprofen' when text asks how much of a medicine other than the source's product.

    "How much of each can I take?" names its medicines in the sentence before: those count too, and so do
    they for a question that names nothing ("Can I take Advil alongside it, and how many a day?").
    """
    low = set(words(text))
    elliptic = not (low & R.NEAR_DOMAIN_TERMS) and not _PRODUCT_WORDS.search(text)
    if (_REFERS_TO_NAMED.search(text) or elliptic) and before:
        low |= set(words(before))
    drugs = sorted(t for t in low if t in R.NEAR_DOMAIN_TERMS and t not in R.SYNONYMS)
    if R.DOSE_WORDS.search(text) and drugs and not low & {"regenerix"}:
        return f"dose of {', '.join(drugs)}"
    return ""


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

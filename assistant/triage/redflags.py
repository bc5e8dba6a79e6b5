"""Triage stage, red flags: signs that need help now, found sentence by sentence, in situations only.

Rules come first (rules.py patterns, general_red_flags.yaml, concept-set signs in red_flag_signs.yaml);
similarity to red-flag descriptions catches paraphrases. Patterns err toward escalating: a false alarm
costs a user a moment, a missed emergency costs far more.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.triage import rules as R
from assistant.triage import signs as S
from assistant.triage.classifier import LinearHead, descriptions_key, escalation_features
from assistant.triage.lexical import WordHeads
from assistant.triage.reading import advises as _advises
from assistant.triage.reading import drop_negated as drop_negated
from assistant.triage.reading import for_word_heads
from assistant.triage.reading import low as _low
from assistant.triage.reading import negates as _negates
from assistant.triage.segment import HEADER
from assistant.triage.situation import (
    Roles,
    assessed_not_injured,
    no_current_case,
    resolved,
    retracted,
    settled_by_later,
    speaks_of_own_body,
    strangers_told,
    told_as_new,
)
from assistant.triage.situation import roles as situation_roles

# Cosine thresholds for the semantic checks, calibrated on evals/questions/dev.jsonl with the bundled
# model (see evals/README.md). Red flags are set low: in dev, in-scope questions peaked at 0.55.
RED_FLAG_THRESHOLD = 0.62
BENIGN_MARGIN = 0.05
# One sentence is compared with the descriptions more often than a whole message, and the model cannot
# read negation ("not hot, not red"): on train + dev the rules caught every sentence-level sign and the
# similarity check at 0.62 only added false alarms, so sentences need a closer match.
SENTENCE_THRESHOLD = 0.72
WHOLE_MESSAGE_UNITS = 4
# Slow signs (a lump, pain at night, a bone that sticks out) that a clinician has already named, in a
# message telling no fresh injury, are not new: "diagnosed with Osgood-Schlatter, the bony bump".
ASSESSED_SLOW = frozenset({"night_pain", "deformity"})


@dataclass(frozen=True)
class Unit:
    """One sentence of the message, what it is about, and its embedding (None when not embedded)."""

    text: str
    roles: Roles
    vector: np.ndarray | None


class RedFlags:
    """Rules plus semantic similarity to red-flag descriptions, with a margin over benign ones."""

    def __init__(self, embed_many: Callable[[list[str]], np.ndarray]) -> None:
        self._labels: list[str] = []
        texts: list[str] = []
        for category, descriptions in R.RED_FLAG_DESCRIPTIONS.items():
            self._labels += [category] * len(descriptions)
            texts += descriptions
        self._red_vectors = embed_many(texts)
        self.key = descriptions_key(texts)
        self.learned: LinearHead | None = None  # the escalation head, attached when it fits the model
        self.words: WordHeads | None = None  # the word heads (any embedding model), attached at start-up
        self._benign_vectors = embed_many(R.BENIGN_DESCRIPTIONS)
        # one alternation per category: one scan of the text instead of one per pattern (measured ~2x faster)
        self._patterns = {
            cat: re.compile("|".join(f"(?:{p.pattern})" for p in rxs), re.IGNORECASE)
            for cat, (_, rxs) in R.RED_FLAGS.items()
        }

    def rule_hits(
        self,
        text: str,
        *,
        signs: bool = True,
        hits: frozenset[str] | None = None,
        patterns: bool = True,
        near_signs: bool = True,
        low: str | None = None,
    ) -> list[str]:
        """Red-flag categories whose rules match this text (lower-cased inside).

        signs: also the concept-set signs, which only make sense within a sentence or two (over a whole
        story "black" and "poo" may be far apart and unrelated). hits: concept hits already known. patterns
        and near_signs: off for a pair of sentences, whose sentences were checked for them one by one. low:
        the text as the rules read it (_low), when already computed.
        """
        low = _low(text) if low is None else low
        found = [cat for cat, rx in self._patterns.items() if rx.search(low)] if patterns else []
        if signs:
            found += S.categories(low, S.concept_hits(low) if hits is None else hits, near_signs=near_signs)
        if R.JOINT_SIGN.search(low) and R.SYSTEMIC.search(low):
            found.append("infection")
        if R.CALF.search(low) and R.BREATH.search(low):
            found.append("clot_lungs")
        elif R.BREATH.search(low):
            found.append("chest")
        elif (
            R.CALF.search(low)
            and R.CALF_SIGN.search(low)
            and not re.search(
                r"\bstretch|\bexercis|\braise|\bfoam|\broll|\bmachine|\bcurls?\b|\bextension|\bworkout", low
            )
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

    def find(
        self, text: str, vector: np.ndarray | None, units: Sequence[Unit] = (), *, learned: bool = True
    ) -> tuple[str, str]:
        """Return (category, how it was found) for the most urgent red flag, or ('', '').

        Every unit (sentence), every pair of neighbouring units and the whole message are checked, so a sign
        in the middle of a long story is not diluted. A unit that is a general information request or a
        settled past event does not escalate ("what are the signs of a clot?", "a DVT in 2019, now fine").
        """
        units = list(units) or [Unit(text, situation_roles(text), None)]
        told = strangers_told([u.text for u in units], [u.roles for u in units])
        units = [Unit(u.text, r, u.vector) for u, r in zip(units, told, strict=True)]
        if (
            len(units) > 1
            and HEADER.match(units[0].text)
            and not units[0].roles.personal
            and not any(u.roles.situation for u in units[1:])
        ):
            # "Subject: compartment syndrome?" over "what does it mean, saw it on TV": a subject line names the
            # topic; it tells a situation when it names someone or the message under it tells one ("Subject:
            # chest pain" over "what should I do")
            units[0] = _as_info(units[0])
        found: list[tuple[str, str]] = []
        if no_current_case(text):
            # "nobody is unwell, it's for our noticeboard": only a sentence about someone's own body can
            # still escalate, and self-harm signs always can
            found += [
                ("self_harm", f"rule, sentence {i + 1}")
                for i, u in enumerate(units)
                if "self_harm" in self.rule_hits(u.text)
            ]
            units = [u if speaks_of_own_body(u.text) else _as_info(u) for u in units]
            learned = False
        settled = settled_by_later([u.text for u in units])
        if any(settled):
            units = [_as_past(u) if s else u for u, s in zip(units, settled, strict=True)]
        lows = [_low(u.text) for u in units]
        hits = [S.concept_hits(low) for low in lows]  # once per sentence, reused by its pairs
        # "I literally cannot walk lol. (I can, I'm walking to the kettle.)": a sentence taken back by
        # itself or by the next one keeps only its self-harm signs
        back = [retracted(u.text) for u in units]
        taken_back = [back[i] or (i + 1 < len(units) and back[i + 1]) for i in range(len(units))]
        for i, unit in enumerate(units):
            if unit.roles.situation:
                found += [
                    (cat, f"rule, sentence {i + 1}")
                    for cat in self.rule_hits(unit.text, hits=hits[i], low=lows[i])
                    if cat == "self_harm" or not taken_back[i]
                ]
            # a sign told across two sentences: both tell the present situation (a settled past or a
            # general question beside it is not half of a sign)
            if i + 1 < len(units) and unit.roles.situation and units[i + 1].roles.situation:
                pair = f"{unit.text} {units[i + 1].text}"
                both = hits[i] | hits[i + 1]
                found += [
                    (cat, f"rule, sentences {i + 1}-{i + 2}")
                    for cat in self.rule_hits(pair, hits=both, patterns=False, near_signs=False)
                    if cat == "self_harm" or not (taken_back[i] or taken_back[i + 1])
                ]
        if any(taken_back):
            units = [
                _as_info(u) if t and u.roles.situation else u for u, t in zip(units, taken_back, strict=True)
            ]
        # the whole message joins signs told in separate sentences of a short message; over a long story
        # unrelated words would meet ("fell" in one paragraph, "swollen" three paragraphs later)
        if (
            2 < len(units) <= WHOLE_MESSAGE_UNITS
            and not any(u.roles.info_request for u in units)
            and any(u.roles.situation for u in units)
        ):
            now = " ".join(u.text for u in units if u.roles.situation)
            found += [(cat, "rule, whole message") for cat in self.rule_hits(now, signs=False)]
        if found and assessed_not_injured(text):
            # a slow sign a clinician already named is not new, unless its sentence tells a change since
            # (or the sentence before it: "for two months it pains me in a different way. It wakes me ...")
            new = {n for i, u in enumerate(units) if told_as_new(u.text) for n in (i + 1, i + 2)}
            found = [
                f
                for f in found
                if f[0] not in ASSESSED_SLOW or new & {int(n) for n in re.findall(r"\d+", f[1])}
            ]
        if found:
            return min(found, key=lambda f: S.severity(f[0]))
        # advice about what to do if a sign appears ("if your calf swells, go to A&E") reads as the sign
        # and a sentence that ends its own event ("could not get my breath back, then fine") is not read
        # by similarity either: the model cannot read "then fine"
        units = [_as_info(u) if _advises(u.text) or resolved(u.text) else u for u in units]
        # a sentence negating a sign ("my calf is normal, no swelling there") reads as that sign to the model, and a
        # long story's mean vector drifts toward whatever it mentions: both are left to the rules
        # (the whole message too: "no swelling, nothing hot, both calves just tight" is not a clot)
        plain = [u.roles.situation and not _negates(u.text) for u in units]
        candidates = [
            (u.vector, f"sentence {i + 1}", SENTENCE_THRESHOLD) for i, u in enumerate(units) if plain[i]
        ]
        now_vectors = [u.vector for u, p in zip(units, plain, strict=True) if p and u.vector is not None]
        if vector is not None and all(u.vector is None for u in units) and any(plain):
            now_vectors = [vector] * len(units)  # called with the message's vector only (no sentence vectors)
        if vector is not None and len(units) <= WHOLE_MESSAGE_UNITS and now_vectors:
            # the message as it is now: a settled past or a general question in it is left out
            if len(now_vectors) < len(units):
                mean = np.mean(np.asarray(now_vectors, dtype=np.float32), axis=0)
                vector = mean / max(float(np.linalg.norm(mean)), 1e-9)
            candidates.append((vector, "whole message", RED_FLAG_THRESHOLD))
        best: tuple[str, float, str] = ("", 0.0, "")
        for vec, where, threshold in candidates:
            if vec is None:
                continue
            category, sim, benign = self.semantic(vec)
            if sim >= threshold and sim >= benign + BENIGN_MARGIN and sim > best[1]:
                best = (category, sim, where)
        if best[0]:
            return best[0], f"similar to a red-flag description ({best[1]:.2f}, {best[2]})"
        return self._learned(units, text) if learned else ("", "")

    def _learned(self, units: Sequence[Unit], text: str) -> tuple[str, str]:
        """The learned heads, for a message telling someone's situation: red-flag wording the rules and the
        single closest description missed (embedding head), then the message's own words (word heads)."""
        vectors = situation_vectors(units)
        if not vectors:
            return "", ""
        if self.learned is not None:
            p = self.learned.probability(
                escalation_features(vectors, self._red_vectors, self._benign_vectors)
            )
            if p >= self.learned.threshold:
                closest = max((self.semantic(v) for v in vectors), key=lambda s: s[1])
                return closest[0], f"learned escalation model ({p:.2f}; closest description: {closest[0]})"
        kind, p = self.words.read(for_word_heads(text)) if self.words is not None else ("", 0.0)
        if kind == "self_harm":
            return "self_harm", f"learned word model (self-harm {p:.2f})"
        if kind:
            # the words tell that it is urgent, not which sign it is: the reply names none ("urgent")
            return "urgent", f"learned word model ({p:.2f})"
        return "", ""

    def features(self, units: Sequence[Unit]) -> np.ndarray:
        """The escalation head's feature row for these units (training uses it)."""
        return escalation_features(situation_vectors(units), self._red_vectors, self._benign_vectors)


def _as_info(unit: Unit) -> Unit:
    r = unit.roles
    return Unit(unit.text, Roles(r.personal, r.relative, True, r.past), unit.vector)


def _as_past(unit: Unit) -> Unit:
    r = unit.roles
    return Unit(unit.text, Roles(r.personal, r.relative, r.info_request, True), unit.vector)


def situation_vectors(units: Sequence[Unit]) -> list[np.ndarray]:
    """Vectors of the sentences that tell someone's present situation."""
    return [u.vector for u in units if u.roles.situation and u.vector is not None]

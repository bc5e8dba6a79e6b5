"""Triage stage, topic: what a message asks and about what, judged on its asked sentences.

The story around a question gives it words ("she has pain when kneeling ... which exercise?") and sometimes
its topic ("my GP says I have bursitis. Which stretches would help?"); a condition mentioned as background
("I take metformin for diabetes. My knee hurts on the stairs.") does not. Answerability of the words
themselves is scope.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.index.knowledge import KnowledgeBase
from assistant.triage.entities import conditions, find_entities
from assistant.triage.scope import PRODUCT, key_terms, missing_terms
from assistant.triage.segment import is_question, is_sign_off, sentences_of

# A question about whether the thing named just before works or is safe: "does it really work?",
# "is that safe for him?", "are they worth it?" ("what can I do about it?" is not one).
_REFERS_BACK = re.compile(
    r"\b(it|this|that|they|them|these|those|this one|that one|which( ones?)?|which of (them|these|those))\b.{0,25}\b(work|works|working|worked|help|helps|"
    r"effective|safe|worth|waste|good for|bad for|dangerous|cure|cures|heal|heals|legit|scam|do anything|"
    r"do any good|make a difference|any good|any use)\b",
    re.I,
)


@dataclass(frozen=True)
class MessageScope:
    """What to search for, what the corpus lacks, and which asked parts it does not cover."""

    focus: str
    missing: tuple[str, ...]
    not_covered: tuple[str, ...]
    units: tuple[int, ...] = ()  # the units the focus is made of


def _unit_missing(kb: KnowledgeBase, unit: str) -> list[str]:
    """What an asked unit names that the corpus lacks. Short sentences merged into it are story, judged
    leniently (named conditions and medicines only): "Half marathon is trail. why would that be" asks the
    second; "ACL reconstruction 8 months ago. When can I play?" is about the reconstruction; "...my warm
    up? Salamat po!" closes a letter in any language."""
    sentences = sentences_of(unit)
    asking = [s for s in sentences if is_question(s)]
    if not asking or len(asking) == len(sentences):
        return missing_terms(kb, unit, strict=True)
    told = " ".join(s for s in sentences if s not in asking)
    named = conditions(missing_terms(kb, told, strict=False))
    return list(dict.fromkeys(missing_terms(kb, " ".join(asking), strict=True) + named))


def message_scope(kb: KnowledgeBase, units: list[str], asked: list[int]) -> MessageScope:
    """Judge scope on what is asked, not on every word of the story.

    Each asking unit is checked strictly; the story only for named conditions. When some asked parts are
    covered and others are not, the covered ones are answered and the rest named in `not_covered`.
    """
    covered: list[int] = []
    uncovered: list[str] = []
    named: list[str] = []  # conditions the question just before named, which the source lacks
    for i in asked:
        miss = _unit_missing(kb, units[i])
        if miss:
            uncovered += miss
            named = conditions(miss)
        elif named and _IT_AS_SUBJECT.search(units[i]):
            # "what is compartment syndrome? ... Can it happen after a knee injury?": still that condition
            continue
        else:
            covered.append(i)
            named = []
    story = [i for i in range(len(units)) if i not in asked and not is_sign_off(units[i])]
    generic = all(not key_terms(units[i]) for i in covered) if covered else False
    uncovered = list(dict.fromkeys(uncovered))

    def scope(indexes: list[int], missing: list[str], not_covered: list[str]) -> MessageScope:
        return MessageScope(
            " ".join(units[i] for i in indexes), tuple(missing), tuple(not_covered), tuple(indexes)
        )

    if not covered:
        return scope(asked, uncovered, [])
    if conditions(uncovered) and not any(_BODY.search(units[i]) or PRODUCT.search(units[i]) for i in covered):
        # "How do I prevent DVT on a flight? Any exercises I can do in the seat?": the covered question names
        # nothing of its own, so it asks about the condition the other question named
        return scope(asked, uncovered, [])
    if generic:
        # "what should I do?" takes its topic from the story: a named condition there is the topic when
        # it is the person's problem (see _story_topic), not when it is background to a knee story
        topic = _story_topic(kb, units, story[-3:]) if not uncovered else None
        if topic:
            return scope(list(range(len(units))), topic[1], [])
        return scope(sorted(story[-3:] + covered), [], uncovered)
    # A specific question still leans on the story just before it ("she has pain when kneeling ...
    # which exercise can she do?"): those sentences join the search, judged leniently (named things only).
    context = [i for i in story if i < covered[0]][-2:]
    context_missing = missing_terms(kb, " ".join(units[i] for i in context), strict=False) if context else []
    pointing = [i for i in covered if _REFERS_BACK.search(units[i]) and not _BODY.search(units[i])]
    if context_missing and pointing and not uncovered:
        rest = [
            i
            for i in covered
            if i > pointing[-1] and any(_BODY.search(units[j]) for j in range(pointing[-1] + 1, i + 1))
        ]
        if not rest:
            # "does it really work?" after naming glucosamine asks about glucosamine
            return scope(sorted(context + covered), context_missing, [])
        # "...a mini-stroke years ago; she asks 'will it be safe with my history'. Her problem now is her
        # knees: what exercises would help?": the later knee questions are answered, the condition named
        covered, uncovered = rest, list(context_missing)
        context = [i for i in story if pointing[-1] < i < covered[0]][-2:]
        context_missing = []
    topic = _story_topic(kb, units, [i for i in story if i < covered[0]][-3:])
    if (
        topic
        and not uncovered
        and not any(_BODY.search(units[i]) or PRODUCT.search(units[i]) for i in covered)
    ):
        # "my GP says I have bursitis. Which stretches would help?" asks about the bursitis: a question that
        # names no body part takes its topic from the nearest sentence of the story that has one, and a
        # condition the article lacks is that topic when it is the person's problem, not background
        # ("I take metformin for diabetes. My knee hurts on the stairs. What can I do?" is about the knee)
        index, names = topic
        return scope(sorted({index, *covered}), names, [])
    back = next((i for i in covered if _POINTS_BACK.search(units[i])), None)
    if topic and not uncovered and back is not None:
        # "... 'wear and tear' in both knees. Is that the same as muscle imbalance, what can be done about it?"
        # (unless the story just before that question is about the body: "rheumatoid, in remission. My calves
        # are tight ... tight calves can affect the knee. Is that in your article?")
        if back == covered[0] or _story_topic(kb, units, [i for i in story if i < back][-3:]):
            index, names = topic
            return scope(sorted({index, *covered}), names, [])
    if context and not context_missing:
        return scope(sorted(context + covered), [], uncovered)
    # the nearest story sentences that name nothing the corpus lacks still give the question its words
    # ("I have epilepsy. My physio wants me to do glute bridges. How exactly do you do one?")
    # ("my friend who does pilates told me to do glute bridges. How do u do them?": the exercise a how-to
    # question points back to is its topic, whatever else its sentence names, unless it names a condition)
    clean: list[int] = []
    for i in reversed(context):
        miss = missing_terms(kb, units[i], strict=False)
        a_condition = any(e.kind == "condition" for m in miss for e in find_entities(m))
        if miss and (i != context[-1] or a_condition or not _PRONOUN.search(units[covered[0]])):
            break
        clean.insert(0, i)
    return scope(sorted(clean + covered), [], uncovered)


def _story_topic(kb: KnowledgeBase, units: list[str], before: list[int]) -> tuple[int, list[str]] | None:
    """(sentence, conditions) when the nearest story sentence with a topic names a condition the corpus
    lacks as the person's problem; None when that sentence is about the body the article covers."""
    story_body = any(_BODY.search(units[i]) for i in before)
    for i in reversed(before):
        named = conditions(missing_terms(kb, units[i], strict=False))
        body = bool(_BODY.search(units[i]))
        if named and (_TIED.search(units[i]) or _DIAGNOSED.search(units[i]) or not story_body):
            return i, named
        if body:
            return None
    return None


# a question whose subject is the thing named before it: "can it happen after...", "how would someone know
# if they had it", "does that run in families"
_IT_AS_SUBJECT = re.compile(
    r"\b(can|could|does|do|is|would|will|might|may)\s+(it|this|that|they)\b(?!\s+(be|feel) (my|his|her))"
    r"(?!\s+(a thing|normal|possible|true|common|likely|ok|okay|safe|worth|bad|good|better|best|that|because)\b)|"
    r"\b(had|have|has|get|gets|got|spot|recogni[sz]e|treat|prevent|cure)\s+(it|this|that)\s*\??\s*$",
    re.I,
)
# "how do u do them?", "doing it right?": a how-to question about the exercise named just before
_PRONOUN = re.compile(
    r"\b(do|doing|perform|performing|(walk|talk|take) (me|us) through|show (me|us)( how to do)?) "
    r"(them|it|those|these|that one|this one|one)\b",
    re.I,
)
# The body the article is about: a question naming one of these keeps its own topic.
_BODY = re.compile(
    r"\b(knees?|kneecaps?|patella\w*|quad\w*|hamstrings?|glutes?|bum|buttocks?|hips?|thighs?|calf|calves|shins?|"
    r"tibialis|it band|ankles?|muscles?)\b",
    re.I,
)
# A condition placed in the knee or named by a clinician is the person's problem: "gout in my knee",
# "knee bursitis", "wear and tear in both knees", "the GP says I have ...", "diagnosed with ...".
_TIED = re.compile(
    r"\b(in|of|on|behind|around|under|below|above) (my|his|her|their|both|the|our|each|one|either) (\w+ )?knees?\b|"
    r"\bknees? (\w+ )?(bursitis|arthritis|osteoarthritis|gout|cyst|tear|effusion)\b",
    re.I,
)
_DIAGNOSED = re.compile(
    r"\b(diagnos\w*|(gp|doctor|dr|physio|consultant|specialist|surgeon|x-?ray|scan|mri)\b.{0,30}\b(says?|said|told|thinks?|showed?|shows|found|confirmed)|(i|he|she|they|we)('ve| have| has|'s) (got )?(been told|been diagnosed))\b",
    re.I,
)
# "is that the same as ...", "what can be done about it": the question points back at what was named
_POINTS_BACK = re.compile(
    r"\b(is|are|was) (that|it|this|they)\b|\b(about|for|with|from|treat|fix|cure|reverse|help) (it|that|this|them)\b",
    re.I,
)


def asks_seller_facts(
    intent: Any, text: str, missing: tuple[str, ...], set_aside: tuple[Any, ...] = ()
) -> bool:
    """The product is named and its facts are asked (dose, safety, what it is or claims), whatever else the
    story says; nothing set aside, nothing missing but medicines, whose only answer is the source's own
    caution to consult a healthcare provider."""
    from assistant.triage.products import wants_unstated_dose
    from assistant.triage.rules import BUYING

    if set_aside or not (intent and intent.seller and PRODUCT.search(text)):
        return False
    if BUYING.search(text) or wants_unstated_dose(text):
        return False
    if not set(intent.kinds) & {"dose", "safety", "product"}:
        return False
    return all(any(e.kind == "drug" for e in find_entities(m)) for m in missing)

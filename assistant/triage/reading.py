"""Triage stage, reading: what of a sentence the red-flag rules should read.

A negated sign ("no swelling, not hot or red") is not a sign; a body part said to be normal carries none;
a clinician's advice about what to do *if* a sign appears ("come back if the calf swells") describes no sign.
"""

from __future__ import annotations

import re

from assistant.triage import signs as S
from assistant.triage.situation import SAID_NORMAL as _SAID_NORMAL
from assistant.triage.situation import without_safety_net

# "no swelling", "not hot or red", "without fever": a negated sign is not a sign. Words after which the
# negation is part of the sign itself ("not able to", "never wake up", "no way out") are kept.
_NEGATED = re.compile(
    r"\b(?:no|not|without|never|nor|zero|nothing)\s+(?!(?:able|stop|stopping|slowing|wake|waking|be|being|want|wanting|"
    r"see|point|hope|reason|way|future|longer|more|himself|herself|myself|getting|going|responding|me|him|her|us|them|"
    r"trying|dieting|any dieting|any diet|any trying|any effort|any reason|any warning|warning|explanation|obvious reason|apparent reason|let|lets|letting|ease|easing|easing off|settle|settling|"
    r"go away|goes away|going away|move|moving|straighten|straightening|bend|bending|unbend|unlock|budge|bear|bearing|put|"
    r"take|stand|standing|walk|walking|feel|feeling|lift|breathe|breathing|speak|talk|to|catch|get|come|react|reacting|respond|there|here|around|missed|be missed)\b)"
    r"(?:any\s+|real\s+|much\s+|obvious\s+|visible\s+|once\s+|ever\s+|even\s+|actually\s+|really\s+)?[a-z'-]+(?:\s+(?:or|and|,)\s+(?:no\s+|any\s+)?[a-z'-]+)*"
)


# "it isn't red, isn't hot", "I don't have a temperature": the same in contracted forms, for sign words
# only ("if I wasn't in it", "he isn't well", "I don't feel well" are signs themselves)
_SIGN_WORD = (
    r"(?:red|hot|warm|swollen|swelling|puffy|bruised|numb|cold|blue|pale|grey|tingly|tingling|fever|feverish|"
    r"temperature|shivery|sweaty|painful|sore|tender|lumpy|deformed|wonky|locked|stuck|bleeding|dizzy|faint|"
    r"breathless|hard|tight|throbbing|discoloured|discolored|pins and needles)"
)
_NEGATED_SHORT = re.compile(
    r"\b(?:isn'?t|aren'?t|wasn'?t|weren'?t|(?:does|do|did|has|have|had)n'?t\s+(?:have|has|got|get|look|looks|seem|seems|show|shows))"
    rf"\s+(?:(?:a|an|any|very|really|too|at all|got)\s+)?{_SIGN_WORD}\b"
    rf"(?:\s*(?:or|and|,|nor)\s+(?:(?:a|an|any|very|really|too)\s+)?{_SIGN_WORD}\b)*"
)


# "the calf was checked for a clot (negative)", "a DVT was ruled out": what was checked and cleared
_CLEARED = re.compile(
    r"\b((the|my|his|her) [a-z]+ (was|were|got) (also )?)?(checked|tested|scanned|examined|looked at) for [a-z' ]{1,30}"
    r"\(?(negative|clear|nothing found|all clear)\)?|\b[a-z']+( [a-z']+)? (was|were|has been|have been|got) ruled out\b"
)


# "foam rolling every night", "my stretches each evening": a routine at night is not pain at night
_ROUTINE = re.compile(
    r"\b(foam[- ]?roll\w*|foam roller|stretch\w*|exercis\w*|routine|icing|ice packs?|rehab|bands?|yoga|bridges|"
    r"clamshells|physio)\b[^.,;]{0,25}?\b(every|each|most) (single )?(nights?|evenings?)\b"
)


# "knees tucked up to my chest", "hugging my legs to my chest": a posture, not a chest symptom
_POSTURE = re.compile(
    r"\b(knees?|legs?|thighs?|feet)\b[^.,;]{0,25}?\b(up )?(to|into|against|towards) (my|his|her|their|the) chest\b"
)


# "the chest strap ... I had it so tight across my chest I could barely breathe": the kit, not the body
_KIT = re.compile(
    r"\b(chest strap|heart rate (monitor|strap)|hrm|sports bra|wetsuit|binder|harness|backpack strap|seat ?belt)\b"
    r"[^.;]{0,80}|\b(had|wore|wearing|put|pulled|strapped|done|did|fastened|tied|do) (it|them|that|the \w+)( up)? "
    r"(so |too |really |way too |far too )?tight\b[^.;]{0,60}"
)


# "I keep reading about stress fractures", "I read that bone cancer starts around the knee": what someone read
# or heard about, up to the end of its clause, tells no sign of theirs
_READ_ABOUT = re.compile(
    r"\b(read|reading|reads|googl\w*|looked up|looking up|heard|hearing|learn\w*|researching|researched|searching)\s+"
    r"(about|up on|into|that|stories|articles|posts)\b"
    # up to the end of the clause, or to where the writer turns to themselves ("..., mine is swollen")
    r"(?:(?!\b(?:and|but|so|now|then|mine|my|his|her|i'?m|i am|i have|i've)\b)[^.,;!?]){0,80}"
)


# "I took my tablets this morning": someone's own routine dose (not "took all my tablets", "the whole packet")
_ROUTINE_DOSE = re.compile(
    r"\b(took|take|taken|taking|swallowed|had|have) (my|his|her) (usual |normal |morning |evening |daily |regular )?"
    r"(tablets|pills|meds|medication|medicines?|inhaler)\b(?! (all|at once|together|in one go))"
    r"( (this|last|every|each) (morning|evening|night)| as usual| with (breakfast|dinner|tea|food))?"
)


def for_word_heads(text: str) -> str:
    """What the word heads read (raw words): the text without what its writer read or heard about, and
    without a routine dose of their own medicine ("took my tablets this morning")."""
    return _ROUTINE_DOSE.sub(" ", _READ_ABOUT.sub(" ", text.lower().replace("’", "'")))


def drop_negated(low: str) -> str:
    """The text with negated words removed: 'no swelling, not hot or red' -> ', '."""
    low = _READ_ABOUT.sub(" ", low)
    low = _ROUTINE.sub(" ", _CLEARED.sub(" ", _NEGATED_SHORT.sub(" ", _NEGATED.sub(" ", low))))
    low = _KIT.sub(" ", _POSTURE.sub(" ", low))
    return _SAID_NORMAL.sub(" ", low)


def low(text: str) -> str:
    """Lower-cased text the rules read: clinicians' safety-net advice and negated signs left out."""
    return drop_negated(without_safety_net(text.lower().replace("’", "'")))


def advises(text: str) -> bool:
    """The sentence holds advice about what to do if a sign appears."""
    low = text.lower().replace("’", "'")
    return without_safety_net(low) != low


def negates(text: str) -> bool:
    """The sentence negates a sign ("no swelling there", "not hot"): some sign word is in the negated part."""
    low = text.lower().replace("’", "'")
    kept = drop_negated(low)
    return kept != low and bool(S.concept_hits(low) - S.concept_hits(kept))

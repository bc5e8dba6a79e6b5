"""Triage stage: split a message into units (sentences) and find the ones that ask something.

People run sentences together ("stairs.My knee"), write without full stops, put the question first, last,
in the middle or nowhere. Triage looks at every unit so a red flag inside a long story is not diluted, and
judges scope on the units that ask, not on every word of the story.
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? (also "?!", "...") followed by a space or a capital, or at a line break.
_BOUNDARY = re.compile(
    r"(?<=[.!?])(?:\s+|(?=[A-Z]))(?=\S)|\s*\n+\s*"
    r"|(?<=[\U0001F300-\U0001FAFF\u2600-\u27BF])\s+(?=\S)"  # an emoji ends a texted sentence: "dont panic 😊 just"
)
# Very long run-ons are cut further at clause joints so one unit stays about one thought.
_CLAUSE = re.compile(
    r"\s*(?:[;:]|,\s*(?=(?:and|but|so|also|plus|then|now|btw|anyway)\b)|\s-\s"
    r"|\s(?=(?:and|but|so|also) (?:i|i'm|im|my|now|then|he|she|it|his|her|the)\b)"
    # dictated messages: spoken fillers and a question started mid-flow ("... um anyway so how do I")
    r"|\s(?:um+|uh+|erm+|anyway|anyways|so yeah|you know)\b[,.]?(?=\s)"
    r"|\s(?=(?:so|and|but|or) (?:how|what|which|why|where|when|is|are|can|could|should|do|does|would|will)\b))\s*",
    re.I,
)
# spoken fillers in a dictated message mark where one thought ends ("... after the shops um anyway so what's")
_FILLER = re.compile(
    r"\s+(?:um+|uh+|erm+)\b[,.]?\s+(?:anyway\b[,.]?\s*)?"
    # "... whenever it's bad so firstly what's a good exercise": the story turns into a question
    r"|\s+(?=so (?:firstly |first |secondly |then |basically )?(?:what|what's|whats|how|which|can|could|should|"
    r"is|are|do|does|would)\b)",
    re.I,
)
MAX_UNIT_WORDS = 40
MIN_UNIT_WORDS = 6
MAX_UNITS = 48  # a 4,000-character message has about this many sentences; more are merged into the last

_QUESTION_START = re.compile(
    r"^\s*(?:\W*)(?:(?:\d{1,2}|[a-d])[.)]\s*)?"  # a numbered list item: "1) what's a good stretch"
    r"(?:(?:so|and|n|&|plus|or|but|ok|okay|um+|uh+|well|also|anyway|then|hi|hey|hello|firstly|secondly|"
    r"in the meantime|meanwhile)[,\s]+)*"
    # ("When I went to the GP she said..." tells; "when should I..." asks)
    r"(what|whats|what's|wat|wot|how|why|(?:when|where)(?=\s+(?:do|does|did|should|can|could|is|are|will|would|"
    r"might|must|to|i can|can i)\b)|which|who|whom|whose|is|are|am|was|were|do|does|did|"
    # ("Had a DVT in 2019." tells; "Have you seen...", "Has it torn?" ask)
    r"can|could|should|would|will|shall|may|might|must|(?:have|has|had)(?=\s+(?:you|u|i|anyone|anybody|he|she|"
    r"they|we|it|there)\b)|any|anyone|anybody|pls|please|plz|"
    r"kindly|tell me|explain|help|advice|advise|suggest|recommend|wondering|i wonder|is it|is there)\b(?!['’]t)",
    re.I,
)
_ASKING = re.compile(
    r"\?|\b(any (advice|tips|ideas|suggestions|help|thoughts)|what (should|can|do) (i|we|he|she|they)|"
    r"what to do|how (do|can|should) (i|we|he|she|they)|please (help|advise|suggest|tell)|help (me|pls|please)|"
    r"i (want|need|would like) to know|(i('m| am)|just) (wondering|asking)|kindly (advise|suggest|help|tell)|"
    r"is it (ok|okay|safe|normal|bad)|should i|can i|could i|tips (for|on)|recommend|"
    r"what \w+( \w+)? (would|will|could|can|should|might) (help|work))\b",
    re.I,
)


# "what's a good stretch, and which shoes should I buy": two questions in one sentence are two units
_SECOND_QUESTION = re.compile(
    r",?\s+(?:and|also|plus|&|n|\+)(?:\s+(?:also|then|secondly|finally))?\s+"
    # ("...and is it normal?" asks; "...reviews her every year and is very pleased" tells)
    r"(?=(?:what|which|how|why)\b|(?:is|are|do|does|can|could|should|will|would)\s+(?:it|this|that|there|i|you|u|he|"
    r"she|we|they|my|your|his|her|their|the|a|an|these|those|one|\d+\w*)\b)",
    re.I,
)


# "...crossed the line fine walking normal today what should I foam roll": a question begun mid-sentence,
# without punctuation, after a story; the story before it is a unit of its own (at least LATE_STORY words)
_LATE_QUESTION = re.compile(
    r"\s+(?=(?:what|how)\s+(?:should|can|could|do|does|would|will|to|kind|sort|type|else|exercises?|stretch\w*|"
    r"much|many|long|often)\b|why\s+(?:does|do|is|are|would|did|can'?t|won'?t)\b|"
    r"which\s+(?:exercises?|stretch\w*|kind|type|muscles?)\b)",  # "which would you get?" points back
    re.I,
)
LATE_STORY = 6


# ...unless it points back into the story ("they kept saying compartment syndrome what does that mean")
_REFERS_TO_STORY = re.compile(r"\b(that|it|this|they|them|those|these|one|ones)\b", re.I)


def _late_question(sentence: str) -> list[str]:
    starts = [
        m.start()
        for m in _LATE_QUESTION.finditer(sentence)
        if not _REFERS_TO_STORY.search(" ".join(sentence[m.start() :].split()[:5]))
    ]
    start = next((i for i in starts if len(sentence[:i].split()) >= LATE_STORY), None)
    if start is None or sentence[:start].rstrip()[-1:] in ",;:-(":
        return [sentence]
    return [sentence[:start].strip(), sentence[start:].strip()]


# "(a) how do I do glute bridges, (b) how many mg of ibuprofen?": lettered or numbered items are units
_NEXT_ITEM = re.compile(r"[,;]?\s+(?=(?:\([b-e]\)|[2-5]\))\s)")


def split_units(text: str) -> list[str]:
    """Sentences of the message, long run-ons cut at clause joints; never empty for non-empty text."""
    units: list[str] = []
    sentences = [
        piece
        for s in _BOUNDARY.split(text.strip())
        for item in _NEXT_ITEM.split(s)
        for part in _SECOND_QUESTION.split(item)
        for chunk in _FILLER.split(part)
        for piece in _late_question(chunk)
    ]
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        if len(sentence.split()) <= MAX_UNIT_WORDS:
            units.append(sentence)
            continue
        units.extend(part for part in _split_long(sentence) if part)
    units = _merge_short(units)
    if len(units) > MAX_UNITS:
        units = units[: MAX_UNITS - 1] + [" ".join(units[MAX_UNITS - 1 :])]
    return units or ([text.strip()] if text.strip() else [])


# a subject line ("Subject: knee question", "RE: pain behind knee") is a unit of its own
HEADER = re.compile(r"^\W*(subject|title|re|fw|fwd|topic)\s*:", re.I)
_ITEM = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z]{3}:)\s+", re.I)  # "- ...", "2) ...", "mon: ..."


# "Kind regards, Thandi" ends a letter: its own unit, never part of the question before it (a name is not a topic)
_SIGN_OFF = re.compile(
    r"^\W*(?:(?:kind|best|warm|warmest|many|with)\s+)?(?:regards|wishes|thanks|thank you|cheers|blessings?)\b|"
    r"^\W*(?:thanks?|thank you|thx|ty|cheers|sincerely|yours|love|god bless|ta)\b[\s,!.]*(?:\w+\W*){0,3}$",
    re.I,
)


def is_sign_off(unit: str) -> bool:
    """The unit only closes a letter ("Kind regards, Thandi", "thanks x")."""
    return bool(_SIGN_OFF.match(unit)) and len(unit.split()) < MIN_UNIT_WORDS


def _merge_short(units: list[str]) -> list[str]:
    """Greetings and fragments ("Hi all.", "I am 45F.") join the next unit: fewer units to embed."""
    out: list[str] = []
    carry = ""
    for unit in units:
        if carry and (_ITEM.match(unit) or HEADER.match(carry)):
            out.append(
                carry
            )  # a list item or log line stands alone: "- foam roller" is not "- left calf ..."
            carry = ""
        unit = f"{carry} {unit}".strip() if carry else unit
        if (
            len(unit.split()) < MIN_UNIT_WORDS
            and not is_question(unit)
            and not _ITEM.match(unit)
            and not HEADER.match(unit)
        ):
            carry = unit
            continue
        carry = ""
        out.append(unit)
    if carry and out and not is_sign_off(carry):
        out[-1] = f"{out[-1]} {carry}"
    elif carry:
        out.append(carry)
    return out


def _split_long(sentence: str) -> list[str]:
    parts = [p.strip() for p in _CLAUSE.split(sentence) if p and p.strip()]
    out: list[str] = []
    for part in parts:
        words = part.split()
        # still too long (no punctuation at all): fixed windows that overlap a little
        step = MAX_UNIT_WORDS - 8
        if len(words) > MAX_UNIT_WORDS:
            out.extend(" ".join(words[i : i + MAX_UNIT_WORDS]) for i in range(0, len(words) - 8, step))
        else:
            out.append(part)
    return out


# a question that begins after a comma or a joining word, with no question mark ("my knee hurts when I squat in
# PE, what exercises help with that", "and separately what's the best way to foam roll my calves")
_CLAUSE_QUESTION = re.compile(
    r"(?:[,;:]\s+|\b(?:and|also|but|so|plus)\s+(?:\w+ly\s+)?)(?:(?:what|how)\s+(?:should|can|could|do|does|"
    r"would|will|exercises?|stretch\w*|much|many|long|often)\b|why\s+(?:does|do|is|are|would|did)\b|"
    r"which\s+(?:exercises?|stretch\w*|kind|type|muscles?)\b|what(?:'s|s| is| are) the (?:best|right|proper|"
    r"correct|safest|easiest)\b)",
    re.I,
)


def sentences_of(unit: str) -> list[str]:
    """The sentences short ones were merged into a unit from ("He's on a statin. Is glucosamine worth it")."""
    return re.split(r"(?<=[.!?])\s+", unit.strip())


def is_question(unit: str) -> bool:
    """The unit asks something: a question mark, a question word first, or a request for advice."""
    # a short sentence joined to the question after it ("He's on a statin. Is glucosamine worth it")
    later = sentences_of(unit)[1:]
    return bool(
        _ASKING.search(unit)
        or _QUESTION_START.match(unit)
        or any(_QUESTION_START.match(p) for p in later)
        or _CLAUSE_QUESTION.search(unit)
    )


def question_indexes(units: list[str]) -> list[int]:
    """Indexes of the units that ask; when none does ("knee hurts after runs. help"), the last two units."""
    asked = [i for i, u in enumerate(units) if is_question(u)]
    if asked:
        return asked
    return list(range(max(0, len(units) - 2), len(units)))

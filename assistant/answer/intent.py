"""What kind of answer a question wants, read from its question sentences and focus (not the story).

Kinds: `howto` (how to do a named exercise or stretch), `exercise` (which exercises or stretches), `remedy`
(what to do: self-care, exercises, stretches, when to see a professional), `cause` (why, how something leads
to pain), `symptom`, `definition` (what something is), `dose`, `safety`, `product` (the supplement, its claims, nutrition),
and `general` when none is clear. Each kind prefers sentences of some roles (assistant/ingest/roles.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Roles an answer of each kind should be built from, best first.
PREFERRED: dict[str, tuple[str, ...]] = {
    "howto": ("step", "remedy"),
    "remedy": ("remedy", "step", "referral"),
    "exercise": ("step", "remedy", "referral"),
    "cause": ("cause", "symptom", "definition"),
    "symptom": ("symptom",),
    "definition": ("definition", "overview"),
    "dose": ("dose", "safety"),
    "safety": ("safety",),
    "product": ("product", "dose", "safety"),
    "general": (),
}
SELLER_KINDS = ("dose", "safety", "product")

# a pill, unless it is the person's own medicine ("my pills", "her pills", "a water pill", "sleeping pills") or
# the contraceptive ("the pill")
_OWN = (
    r"(?<!\bmy )(?<!\bher )(?<!\bhis )(?<!\btheir )(?<!\bwater )(?<!\bsleeping )(?<!\bpressure )(?<!\bheart )"
    r"(?<!\bthyroid )(?<!\bcholesterol )(?<!\bdiet )(?<!\bcontrol )(?<!\bpain )(?<!\bmorning )(?<!\bnight )"
)
_PILLS = rf"{_OWN}(?<!\bthe )\bpill\b|{_OWN}\bpills\b"
_WANTS_SELLER = re.compile(
    r"supplement|nutrition|nutrient|\bdiet\b(?!\s*(plan|chart|sheet|to lose))|\bfoods?\b|\beat(ing)?\b|vitamin|collagen|hyaluronic|turmeric|"
    rf"ginger|frankincense|regen[ei]?r[ie]?x|capsule|\bcaps\b|{_PILLS}|ingredient|\bproduct\b|\bthe gold\b|this stuff",
    re.I,
)
_PRODUCT_NAMED = re.compile(
    rf"supplement|regen[ei]?r[ie]?x|capsule|\bcaps\b|{_PILLS}|\bproduct\b|\bthe gold\b|this stuff", re.I
)
_POINTS = re.compile(r"\b(it|this|that|them|these|they|those)\b", re.I)
_MAY_TAKE = re.compile(
    r"\b(can|could|should|may|is it (ok|okay|alright|fine) (for \w+ )?to)\s+(i|she|he|they|we|you|my \w+)?\s*"
    r"(keep )?(take|taking|use|using|give|have|start|try)\b",
    re.I,
)
_SITUATION_CAUTION = re.compile(
    r"pregnan|expecting|breast ?feed|nursing|\bmeds\b|medications?|medicines?|tablets|prescri|\bon (warfarin|"
    r"metformin|\w+statin)|allerg",
    re.I,
)
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "dose",
        re.compile(
            r"\b(dos(e|es|age|ing)|how (much|many)\b.{0,40}\b(take|have|swallow|per day|a day|daily))\b",
            re.I,
        ),
    ),
    (
        "safety",
        re.compile(
            r"\b(safe|safety(?! (shoes|boots|glasses|gear|equipment|officer|harness|rep))|side[- ]?effects?|pregnan\w*|breast ?feeding|interact\w*|allerg\w*|"
            r"with (my )?(other )?(medications?|meds|tablets)|alongside|along with|together with|"
            r"combined? with|mix(ed|ing)? (it |them )?with|while (on|taking)|(ok|okay|fine|alright) together|"
            r"together(?=\s*\?)|at the same time|(ok|okay|fine|alright) (to take )?with)\b",
            re.I,
        ),
    ),
    (
        "howto",
        re.compile(
            r"\bhow (exactly |actually )?(do|should|can|would) (i|you|u|ya|we|one) (exactly |actually )?(do|perform|get into|start)\b|\bhow to (do|perform)\b|"
            r"\b(right|correct|proper|best|safe) way to (do|squat|lunge|stretch|lift|kneel|bend|stand)\b|"
            r"\b(proper|correct|right|good) (form|technique|way to do)\b|\b(form|technique) (for|of|on)\b|"
            r"\bsteps? (for|of|to)\b|\binstructions?\b|\bwalk me through\b|\bform[- ]?wise\b|"
            r"\b(am i|i'?m|are we|is (he|she)) doing (it )?wrong\b|\bmy (form|technique)\b",
            re.I,
        ),
    ),
    (
        "symptom",
        re.compile(
            r"\b(symptoms?|signs?)\b|\bwhat (does|do|would|will) .{0,40}\bfeel like\b|\bhow (do|would|can) (i|you) (know|tell)\b",
            re.I,
        ),
    ),
    (
        "cause",
        re.compile(
            r"\bwhy(s|'s)?\b|\bcaus\w*|\breasons?\b|\bhow (does|do|can|could|would|is|are) .{0,60}\b"
            r"(lead|cause|affect|contribut|link|relat|connect|result)\w*|\bwhat makes\b|\bbecause of\b|"
            r"\bto blame\b|\bresponsible\b|\bculprit\b|\bwhere does .{0,20}come from\b",
            re.I,
        ),
    ),
    (
        # "which exercise can she do for the hamstrings?": the named exercises and stretches themselves
        "exercise",
        re.compile(
            # ("which muscles should I stretch?" asks for the muscles)
            r"\b(which|what|any|good|best|simple|easy|some|recommend\w*|suggest\w*)(\s+(?!muscles?\b)[\w'-]+){0,4}?"
            r"\s+(exercises?|stretch(es)?|workouts?|moves)\b|\bhow (can|do|should|could) (i|we|he|she|they|you) "
            r"strengthen\b",
            re.I,
        ),
    ),
    (
        "remedy",
        re.compile(
            r"\bwhat (can|should|could|do|would) (i|we|you|he|she|they|one|my \w+) (do|try)\b|\bwhat to do\b|"
            r"\b(help|helps|fix|relieve|relief|ease|reduce|treat|manage|prevent|improve|stop|get rid|"
            r"strengthen\w*|stretch\w*|exercises?|workouts?|routine|rehab\w*|foam roll\w*|brace|sleeve|"
            r"physio\w*|physical therap\w*|tips?|advice|recommend\w*|best way|anything i can|"
            # what a thing is for: "would one of those be any use, what is it supposed to do?"
            r"(any|of) use|worth it|(supposed|meant) to do|do (any|much) good|sort(ing)? (it |this |that )?out|"
            r"approach|deal with|correct (it|this|that|them|the|my|his|her)|work on|add (to|in|into)|"
            r"(change|include) (in|into|to) (my|his|her|the))\b",
            re.I,
        ),
    ),
    (
        "definition",
        re.compile(
            r"\bwhat(?:'s|s| is| are)\b|\bmean(s|ing)?\b|\bdefin\w*|\bexplain\b|\btell me about\b", re.I
        ),
    ),
)


@dataclass(frozen=True)
class Intent:
    """The kinds of answer wanted (one per asked sentence, first asked first) and whether the seller's
    text may answer them."""

    kinds: tuple[str, ...]
    seller: bool

    @property
    def kind(self) -> str:
        """The first kind asked."""
        return self.kinds[0] if self.kinds else "general"

    @property
    def preferred(self) -> tuple[str, ...]:
        """Roles of the sentences that answer these kinds, interleaved best first."""
        lists = [PREFERRED[k] for k in self.kinds]
        merged: dict[str, None] = {}
        for depth in range(max((len(x) for x in lists), default=0)):
            for roles in lists:
                if depth < len(roles):
                    merged.setdefault(roles[depth], None)
        return tuple(merged)


def kind_of(sentence: str, seller: bool) -> str:
    """The kind of answer one asked sentence wants."""
    kind = next((k for k, pattern in _RULES if pattern.search(sentence)), "general")
    if kind == "safety" and not seller and not re.search(r"\b(it|this|that|them|these)\b", sentence, re.I):
        kind = "remedy"  # "is squatting safe?" asks about an exercise, not the supplement's safety section
    if seller and kind in ("general", "definition", "remedy", "exercise", "cause"):
        kind = "product"
    return kind


# "is that OK while she's pregnant?", "can she take them with her tablets?": asks whether taking something
# is safe, so a product named anywhere earlier in the message is what "that" is
_SAFE_TO_TAKE = re.compile(
    r"\b(ok|okay|alright|fine|safe|harmful|dangerous|risky)\b.{0,40}\b(pregnan\w*|expecting|breast ?feed\w*|nursing|"
    r"with (my|her|his|the)|while|alongside|if (i|she|he|we))|\b(take|taking|give|giving) (it|them|these|those|that)\b",
    re.I,
)


def detect(
    sentences: str | list[str], context: str = "", message: str = "", others: list[str] | None = None
) -> Intent:
    """The intent of the asked sentences; `context` (the focus with the story just before it, the previous
    question) only tells whether the seller's product is what is asked about ("is it safe with my tablets?").

    `others`: asked sentences outside the focus (a part the source does not cover, such as the medicine in
    "is it ok to take with the metformin?"); they count only when they ask about the product itself.
    """
    asked = [sentences] if isinstance(sentences, str) else list(sentences)
    named = bool(_PRODUCT_NAMED.search(message))
    asked += [
        s
        for s in others or []
        if _PRODUCT_NAMED.search(s) or (named and _POINTS.search(s) and _SAFE_TO_TAKE.search(s))
    ]
    # the story decides only when the question points back at a product it names ("is it safe for me?"
    # after "my mum bought Regenerix"); "my mum says it's from eating ice cream" does not make a
    # question about a wobbly knee a question about the supplement
    seller = (
        any(_WANTS_SELLER.search(s) for s in asked)
        or (bool(_PRODUCT_NAMED.search(context)) and any(_POINTS.search(s) for s in asked))
        or (
            bool(_PRODUCT_NAMED.search(message))
            and any(_POINTS.search(s) and _SAFE_TO_TAKE.search(s) for s in asked)
        )
    )
    kinds = tuple(dict.fromkeys(kind_of(s, seller) for s in asked if s.strip()))
    if (
        seller
        and "safety" not in kinds
        and (
            any(_MAY_TAKE.search(s) for s in asked) or _SITUATION_CAUTION.search(" ".join([*asked, context]))
        )
    ):
        # "can I take it?" from someone pregnant or on other tablets asks whether it is safe for them
        kinds = ("safety", *kinds)
    if len(kinds) > 1 and "general" in kinds:
        kinds = tuple(k for k in kinds if k != "general")
    # "...is it ok while pregnant? or should I just ask someone?": the specific question leads
    kinds = tuple(sorted(kinds, key=lambda k: k == "product"))
    return Intent(kinds or ("general",), seller or "dose" in kinds)

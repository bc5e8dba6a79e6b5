"""Triage stage, products: asked parts about products that the source does not answer.

The source states one adult dose of its seller's supplement, with cautions. A dose for a child, a changed
dose ("half", "double", "a bigger dose for worse pain") and an opinion comparing it with other products are
not in it: those asked parts are set aside and named, the rest of the message is answered.
"""

from __future__ import annotations

import re

from assistant.triage import rules as R
from assistant.triage.entities import conditions, find_entities
from assistant.triage.segment import sentences_of

# A dose the source does not state: for a child (the product's dose is for adults), or changed ("half a
# dose", "double it", "a bigger dose for worse pain"). The source's own dose for an adult is answered.
_CHILD = re.compile(
    r"\b(kid|kids|child|children|baby|toddler|little one|my boy|my girl)\b|"
    r"\b(son|daughter|grandson|granddaughter|nephew|niece|boy|girl|he|she)('s| is| was| aged| age|,)? (only |just |about )?(1[0-7]|[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)( |-)?(years?|yrs?|yo|y/o)\b(?! ago)|"
    r"\b(1[0-7]|[1-9])( |-)?(years?|yrs?|yo|y/o)( |-)?old\b|\b(son|daughter)\b \((1[0-7]|[1-9])\)|"
    r"\b(son|daughter|boy|girl|grandson|granddaughter|kid|child)('s| is| was| aged| age|,) (only |just )?(1[0-7]|[1-9])\b|"
    r"\b(teenage|teenager|teen|pre-?teen|schoolboy|schoolgirl)\b",
    re.I,
)
_CHANGED_DOSE = re.compile(
    r"\b(half|halve|double|triple|extra|bigger|higher|stronger|larger) (a |the |my |his |her )?(\w+ )?(dose|dosage|amount|capsules?)\b|"
    r"\b(dose|dosage)\b.{0,20}\b(double|doubled|halved|increased|higher|bigger)\b|"
    r"\bmore than (the )?(recommended|stated|label|two|2)\b|\bopen the capsules?\b",
    re.I,
)
# more a day than the source's most (four): "up to 6 a day", "8 capsules a day", "6 Regenerix a day"
_MORE_THAN_STATED = re.compile(
    r"\b([5-9]|1\d|five|six|seven|eight|nine|ten|twelve) (of (the|my|those|these) )?(regen\w* (gold )?)?"
    r"(capsules?|caps|pills|a day|per day|daily)\b",
    re.I,
)


_THIRD_PERSON = re.compile(r"\b(he|she|him|her|his|they|them|their)\b", re.I)
_PRODUCT_NAMED = re.compile(r"\b(regen[ei]?r[ie]?x|supplement|capsules?|caps)\b", re.I)
# giving it, in any of the ways a parent would ("could they be opened and mixed into his juice?")
_GIVE = re.compile(
    r"\b(give|giving|take|taking|use|using|regenerix|supplement|capsules?|open(ed)?|mix(ed)?|crush(ed)?|"
    r"dissolved?|swallow|sprinkled?|stir(red)?)\b",
    re.I,
)


def wants_unstated_dose(text: str) -> bool:
    """A dose or product use the source does not state: for a child, or a changed dose."""
    return bool(_CHILD.search(text) or _CHANGED_DOSE.search(text) or _MORE_THAN_STATED.search(text))


def changed_dose(part: str, message: str) -> str:
    """'dose for a child' or 'changed dose' when the asked part wants a dose the source does not give."""
    for_child = _CHILD.search(part) or (_CHILD.search(message) and _THIRD_PERSON.search(part))
    if for_child and _GIVE.search(part) and _PRODUCT_NAMED.search(f"{part} {message}"):
        return "the product for a child"  # "can I give my 11 year old Regenerix?"
    if _MORE_THAN_STATED.search(part) and _PRODUCT_NAMED.search(f"{part} {message}"):
        return "a changed dose"
    if not R.DOSE_WORDS.search(part):
        return ""
    if _CHANGED_DOSE.search(part):
        return "a changed dose"
    if _CHILD.search(message):
        return "a dose for a child"
    return ""


# "Is it better than Regenerix?", "which works more?", "should I take both together?": an opinion on
# other products against each other, which the source never gives.
_COMPARES = re.compile(
    r"\b(better|worse|stronger|weaker|more effective|less effective|safer) than\b|\b(just |every bit )?as (good|effective|"
    r"strong|safe) as\b|\b(same|similar) (as|to) (regen\w*|the gold)\b|\binstead of\b|\bwhich (one )?(works|is|helps) "
    r"(better|best|more|most)\b|\bwhich (one |of them |of these )?(actually |really )?(works|helps|is worth)\b|\bcompared? (to|with)\b|\bvs\.?\b|\bversus\b|\b(take|use|try) both\b|\bboth together\b",
    re.I,
)


def comparison(part: str, message: str) -> str:
    """'comparison with glucosamine' when the asked part compares products and another one is named."""
    if not _COMPARES.search(part):
        return ""

    def products(text: str) -> set[str]:
        named = {
            e.surface
            for e in find_entities(text)
            if e.kind in ("drug", "term") and "regenerix" not in e.surface and not conditions([e.surface])
        }
        # a supplement named by its form, on no list: "the turmeric capsules from the chemist"
        for m in _FORM.finditer(text):
            words = [w for w in m.group(1).lower().split() if w not in _NOT_A_SUBSTANCE]
            if words and not _SELLERS_PRODUCT.search(m.group(0)):
                named.add(f"{' '.join(words)} {m.group(2).lower()}")
        return named

    # the products compared are named in the asked part, or it points back at them ("take both?")
    others = products(part) or (products(message) if _POINTS_AT.search(part) else set())
    return f"comparison with {', '.join(sorted(others))}" if others else ""


_POINTS_AT = re.compile(r"\b(both|them|these|those|either|each|which one)\b", re.I)


# "Are turmeric capsules good for knees, how many should she take?", "do collagen peptide powders do
# anything?": an opinion on, or a dose of, a supplement other than the seller's. The source names some of
# their ingredients as the product's, so those words alone do not make the question covered.
_FORM = re.compile(
    r"\b([a-z][a-z-]+(?: [a-z][a-z-]+)?) (capsules?|caps|tablets?|pills?|powders?|peptides?|gummies|"
    r"supplements?|oil|extract|sachets?)\b",
    re.I,
)
_NOT_A_SUBSTANCE = frozenset(
    "the these those this that my her his their your our of some any joint joints knee knees good best which what "
    "a an gold daily two three 2 3 its it such other new cheap natural herbal same are is do does did can "
    "should would will be been taking take foods food or and vitamins vitamin how many much usual per day "
    "more less extra few couple cheaper cheapest generic own-brand took taken swallowed swallow had have has got get "
    "bought forgot forgotten missed need usual normal morning evening night".split()
)
_SELLERS_PRODUCT = re.compile(r"\bregen[ei]?r[ie]?x\b", re.I)
_ASKS_EFFECT = re.compile(
    r"\b(good|bad|work|works|worth|help|helps|do anything|effective|safe|how (much|many)|should (i|she|he|we|they) "
    r"(take|be taking|try|use|switch)|take more|recommend|any (good|use)|benefit)\b",
    re.I,
)


_AMOUNT = re.compile(r"\b\d+ ?(g|grams?|mg|scoops?)\b|\b(take|taking|have|having) more\b", re.I)


def other_supplement(part: str, message: str, before: str = "") -> str:
    """'other supplements (turmeric)' when the asked part wants an opinion on, or a dose of, a supplement
    that is not the seller's product; "..., and how many should she take?" after one asks about it too."""
    if _SELLERS_PRODUCT.search(part) or not _ASKS_EFFECT.search(part):
        return ""
    if before and (R.DOSE_WORDS.search(part) or _AMOUNT.search(part)) and not _FORM.search(part):
        return other_supplement(before, message)
    # with the seller's product named in the message, "how many capsules?" is about it: only a
    # recognised substance name makes another supplement then
    forms = [] if _SELLERS_PRODUCT.search(message) else list(_FORM.finditer(part))
    for m in forms:
        names = [w for w in m.group(1).lower().split() if w not in _NOT_A_SUBSTANCE]
        if names:
            return f"other supplements ({' '.join(names)} {m.group(2).lower()})"
    asked = sentences_of(part)[-1]  # the asking sentence of a joined unit
    drugs = [
        e.surface for e in find_entities(asked) if e.kind in ("drug", "term") and not conditions([e.surface])
    ]
    if drugs and (
        re.search(r"\b(supplement|capsule|powder|mg|tablet|pill|tub|bottle)s?\b", f"{part} {message}", re.I)
        or re.search(r"\b(worth (it|taking|the money)|actually (work|help)s?|any good)\b", part, re.I)
    ):
        return f"other supplements ({drugs[0]})"
    return ""

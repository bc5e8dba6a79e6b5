"""Triage stage: is a unit someone's present situation, a general information request, or settled past?

Red-flag signs call for "get help now" only when they are happening to the writer or someone with them,
now or recently. "What are the signs of a blood clot?" and "my dad had a stroke last year, what exercises
help?" are information requests: they are answered or refused on their merits, never escalated.
Patterns live in data/situation.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

_DATA = Path(__file__).with_name("data") / "situation.yaml"


@dataclass(frozen=True)
class Markers:
    """One compiled regex per kind of marker."""

    personal: re.Pattern[str]
    relatives: re.Pattern[str]
    info_frames: re.Pattern[str]
    past_settled: re.Pattern[str]
    present: re.Pattern[str]
    no_current_case: re.Pattern[str]
    retraction: re.Pattern[str]
    confirmation: re.Pattern[str]
    safety_net: re.Pattern[str]
    assessed: re.Pattern[str]
    fresh_injury: re.Pattern[str]
    changed_since: re.Pattern[str]
    screen: re.Pattern[str]
    resolved: re.Pattern[str]
    past_time: re.Pattern[str]


@lru_cache(maxsize=1)
def markers() -> Markers:
    """Load and compile data/situation.yaml once."""
    raw = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    compiled = {
        key: re.compile("|".join(f"(?:{p})" for p in raw[key]), re.I) for key in Markers.__annotations__
    }
    return Markers(**compiled)


@dataclass(frozen=True)
class Roles:
    """What a unit is about; every flag is a plain pattern hit."""

    personal: bool  # the writer or someone they name ("my son")
    relative: bool
    info_request: bool  # a general question about a topic
    past: bool  # a settled event, with no sign that it is happening now

    @property
    def situation(self) -> bool:
        """Could describe what is happening now: not a general question, not settled history."""
        return not self.info_request and not self.past


def roles(unit: str) -> Roles:
    """Classify one unit (a sentence)."""
    m = markers()
    low = unit.lower().replace("’", "'")
    relative = bool(m.relatives.search(low))
    personal = relative or bool(m.personal.search(low))
    # "how do you know if a knee is dislocated" asks in general; "how do I know if MY knee is ..." does not
    framed = bool(m.info_frames.search(low))
    info = framed and not _speaks_of_own_body(low)
    if not info and m.screen.search(low) and _STRANGER.search(low):
        # ("saw a tiktok of some guy whose kneecap went sideways ... my knees are totally fine")
        info = not _FIRST_PERSON_BODY.search(SAID_NORMAL.sub(" ", low)) and not relative
    if not info and _ANIMAL.search(low) and not _FIRST_PERSON_BODY.search(low) and not relative:
        info = True  # "the dog went lame and couldn't put weight on her back leg; the vet sorted her out"
    # "now fine" is part of the settled story, not a sign that something is happening now
    past = bool(m.past_settled.search(low)) and not m.present.search(_SETTLED_NOW.sub(" ", low))
    return Roles(personal=personal, relative=relative, info_request=info, past=past)


# someone seen or heard about, not someone with the writer: "a defender went down", "a guy who got ..."
_STRANGER = re.compile(
    r"\b(player|players|defender|striker|goalkeeper|keeper|winger|skier|boxer|fighter|athlete|footballer|"
    r"runner|sprinter|commentator|pundit|celebrity|contestant|presenter|a (guy|man|woman|lad|girl|bloke) on|"
    r"(someone|somebody|a (guy|man|woman|lad|girl|bloke|boy|kid|teammate|player|lady|chap|fella|person)) "
    r"(who|at|from|in|on|that)|a teammate|one of the (\w+ )?(backs|forwards|players|runners|riders|skiers|lads)|"
    r"(a|some) (\w+ )?(man|woman|guy|lad|girl|bloke|runner|player) (i|we) (didn'?t|did not|don'?t) know|"
    r"some (\w+ )?(guy|bloke|lad|fella|chap)|a (pt|patient|character)('s)?|a (lad|guy|man|woman|girl|boy|bloke|kid|chap|fella|person)'s|a (\w+ )?(kid|child|boy|girl|man|woman) on (it|the show|tv|the telly))(?:'?s)?\b"
)
_ANIMAL = re.compile(
    r"\b(vets?|vet's|veterinar\w*|went lame|gone lame|is lame|(dog|dogs|cat|horse|pony|puppy|pup|spaniel|"
    r"labrador|collie|greyhound|terrier|retriever|ridgebacks?)\b.{0,40}\b(lame|limp\w*|couldn'?t|can'?t|won'?t))\b"
)
# the writer's own body or own event: "my chest started hurting", "I felt dizzy" (not "I coach a team")
_FIRST_PERSON_BODY = re.compile(
    r"\b(my|our)\s+(\w+\s+)?(knee|leg|calf|foot|feet|chest|arm|face|head|heart|breath|breathing|back|body|"
    r"kneecap|ankle|hip|vision|eye|speech|pain)s?\b|\b(i|i've|i'd|i'm|im|me)\s+(felt|feel|feeling|started|got|had|have|"
    r"couldn'?t|can'?t|collapsed|fainted|fell|went|passed|was (sick|hurt|dizzy|breathless))\b"
)
# "the calf is completely normal", "my foot looks fine": a body part said to be normal carries no sign
SAID_NORMAL = re.compile(
    r"\b(the |my |his |her |both )?(calf|calves|leg|legs|foot|feet|toes|knee|knees|chest|breathing|arm|face)"
    r" (is|are|looks?|feels?|seems?)( to be)? (completely |totally |perfectly |quite |absolutely |100% )?"
    r"(normal|fine|ok|okay|alright|the same)\b"
)
_SETTLED_NOW = re.compile(
    r"\bnow (is |are |i'm |he's |she's )?(fine|ok|okay|better|healed|stable|resolved|recovered)\b|"
    r"\b(fine|ok|okay|better|healed|stable|resolved|recovered|normal) now\b"
)
_BODY_PARTS = (
    r"knee|leg|calf|foot|feet|toes?|chest|arm|face|head|lips?|tongue|throat|breath|breathing|heart|skin|speech|"
    r"kneecap|ankle|hip|back|body|mouth|smile|eyes?|speech|words|hands?|arms?|stomach|tummy|poo|stools?"
)
# "my knee", "his chest": a named person's own body part
_OWN_PART = re.compile(rf"\b(my|our|his|her)\s+(\w+\s+)?({_BODY_PARTS})\b")
# ... or their pain, or a pronoun with a verb of having or feeling ("she can't", "I feel")
_OWN = re.compile(
    rf"\b(my|our|his|her)\s+(\w+\s+)?({_BODY_PARTS}|pain)\b|\b(i|i'm|im|he|she)\s+(am|is|have|has|can'?t|cannot|keep|feel|felt)\b"
)


def strangers_told(texts: list[str], roles: list[Roles]) -> list[Roles]:
    """A stranger's story told over several sentences stays a story: after "watching the rugby, one of their
    backs went down ...", "He got stretchered off" is about him; "listened to a podcast" followed by "some
    rugby guy took a kick ..." is one account. Such sentences are information, not the writer's situation."""
    m = markers()
    low = [t.lower().replace("’", "'") for t in texts]
    out = list(roles)
    for i in range(len(low)):
        told = out[i].info_request and bool(_STRANGER.search(low[i]))
        if m.screen.search(low[i]) and _STRANGER.search(low[i]) and not _FIRST_PERSON_BODY.search(low[i]):
            # "watching Casualty last night, a pt's kneecap was dislocated": seen on a screen, in one sentence
            told, out[i] = True, replace(out[i], info_request=True)
        if bool(m.screen.search(low[i])) and i + 1 < len(low) and _STRANGER.search(low[i + 1]):
            told = not _FIRST_PERSON_BODY.search(low[i + 1])
            out[i], out[i + 1] = replace(out[i], info_request=True), replace(out[i + 1], info_request=True)
        j = i + 1
        while (
            told
            and j < len(low)
            and (
                (not out[j].personal and _THIRD.search(low[j]))
                or m.screen.search(low[j])
                or _WATCHING.search(low[j])
            )
        ):
            out[j] = replace(out[j], info_request=True)
            j += 1
    return out


_WATCHING = re.compile(r"\b(watch(ing|ed)|saw it|seeing it)\b")
_THIRD = re.compile(r"\b(he|she|they|him|his|her|them)\b")


def no_current_case(text: str) -> bool:
    """The message says plainly that nobody is affected now ("nothing has happened", "for our poster"),
    and tells of nothing that happened today ("it lasted ten minutes and now he's completely fine" after
    a crooked smile at lunch today is a warning stroke, not a settled past)."""
    low = text.lower().replace("’", "'")
    return bool(markers().no_current_case.search(low)) and not _RECENT.search(low)


_RECENT = re.compile(
    r"\b(today|tonight|this (morning|afternoon|evening)|yesterday|last night|just now|earlier today|"
    r"(\d+|a few|few|ten|twenty|thirty|forty) (minutes|mins|hours|hrs) ago|an hour ago|half an hour ago)\b"
)


def settled_by_later(units: list[str]) -> list[bool]:
    """Per unit: told in the past and followed (there or within two units) by a sentence saying it is
    over ("Last month I fainted ... Totally fine since", "dislocated at 19 ... never happened again")."""
    m = markers()
    low = [u.lower().replace("’", "'") for u in units]
    resolved = [bool(m.resolved.search(u)) for u in low]
    past = [bool(m.past_time.search(u)) for u in low]
    # "In October 2022 I had gout. The knee was hot and swollen for a week. ... quiet since": the sentence
    # after a dated one continues its story
    settled = [(past[i] or (i > 0 and past[i - 1])) and any(resolved[i : i + 3]) for i in range(len(low))]
    # an old message quoted below a reply ("---- Original message ---- Sent: 9 May 2022 ...") is history
    start = next((i for i, u in enumerate(low) if _QUOTE_HEADER.search(u)), None)
    if start is not None:
        header = " ".join(low[start : start + 3])
        if _DATED.search(header) and not _RECENT.search(header):
            settled = settled[:start] + [True] * (len(low) - start)
    return settled


_QUOTE_HEADER = re.compile(
    r"-{2,}\s*(original|forwarded|previous|earlier) (message|email)|^\W*on .{4,60} wrote:|"
    r"^\W*(from|sent|date): .{0,80}(wrote|sent|\d{4})"
)
_DATED = re.compile(
    r"\b(19|20)\d\d\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}\b"
)


def resolved(text: str) -> bool:
    """The unit says its event is over ("then fine", "going down now", "all normal")."""
    return bool(markers().resolved.search(text.lower().replace("’", "'")))


def retracted(text: str) -> bool:
    """The unit takes back a dramatic claim ("(I can.)", "ok dramatic", "figuratively")."""
    low = text.lower().replace("’", "'")
    return bool(markers().retraction.search(low)) and not markers().confirmation.search(low)


def without_safety_net(low: str) -> str:
    """Lower-cased text without advice about what to do if a sign appears ("return if unable to ..."),
    unless the text goes on to say the sign is here now ("go to A&E if my calf swells up, well it's swollen
    and hot today"): then the advice names the body part of a present sign and stays."""
    net = markers().safety_net
    spans = list(net.finditer(low))
    if spans:
        # after the advice's own clause: "if my calf swells up, well it's swollen and hot today"
        span = spans[-1].group(0)
        comma = span.find(",")
        now = _TOLD_NOW.search((span[comma:] if comma >= 0 else "") + " " + low[spans[-1].end() :])
        if now and not re.search(r"\b(not|no|isn'?t|aren'?t|hasn'?t|wasn'?t|never)\b", now.group(0)):
            return low
    return net.sub(" ", low)


_TOLD_NOW = re.compile(
    r"\b(it'?s|it is|it has|it'?s got|it went|it did|they'?re|they are|mine is|mine'?s|he'?s|she'?s|has now|is now|"
    r"now (it|he|she|they))\b.{0,30}\b(swollen|swelling|swelled|swell|hot|red|numb|cold|pale|blue|grey|purple|worse|"
    r"spreading|bleeding|happened|started|come on|gone)\b"
)


def assessed_not_injured(text: str) -> bool:
    """A clinician has named the problem and no fresh injury is told: slow signs are not new."""
    low = text.lower().replace("’", "'")
    m = markers()
    return bool(m.assessed.search(low)) and not m.fresh_injury.search(low)


def told_as_new(text: str) -> bool:
    """The sentence tells a change since ("now it wakes me every night", "lately"): not what was assessed."""
    return bool(markers().changed_since.search(text.lower().replace("’", "'")))


def speaks_of_own_body(text: str) -> bool:
    """The unit tells of the writer's or a named person's own body part ("my knee", "his chest")."""
    return bool(_OWN_PART.search(text.lower().replace("’", "'")))


def _speaks_of_own_body(low: str) -> bool:
    return bool(_OWN.search(low))

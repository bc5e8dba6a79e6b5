"""Triage stage: the guard's patterns (red flags, misuse); descriptions and word lists live in data/.

Patterns are matched on lower-cased, normalised text. They err toward escalating: a false alarm costs
a user a moment, a missed emergency costs far more.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

_NEG = r"(?<!no )(?<!not )(?<!without )(?<!never )"


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts), re.IGNORECASE)


INJURY = _rx(
    r"\b(injur|fell|fall|fallen|twist|hit|tackle|crash|accident|landed|collid|pop|snap|crack|kicked|slipped|tripped)"
)
JOINT_SIGN = _rx(r"\b(hot|warm|red|redness|swollen|swelling|swelled|puffy|inflamed)\b")
SYSTEMIC = _rx(
    _NEG + r"\bfever",
    r"\bfeverish",
    r"\btemperature\b",
    r"\bshiver",
    r"\bchills\b",
    r"\brigors?\b",
    r"\bfeel(ing)? (very |really |so )?(unwell|ill|sick|awful|terrible|rough)",
    r"\bflu[- ]?like",
)
CALF = _rx(
    r"\bcalf\b|\bcalves\b|\bcalve\b|\bback of (my|the|his|her) (left |right )?(lower )?leg|\blower leg (at|on) the back"
)
CALF_SIGN = _rx(
    r"\b(swollen|swelling|swelled|puffy|red|redness|warm|warmer|hot|hotter|tender|throbbing|bigger|larger|fatter|thicker|fuller|pink)\b"
)
BREATH = _rx(
    r"\bchest (pain|hurts|tight|pressure)",
    r"\bpain in (my|the) chest",
    r"\bshort(ness)? of breath",
    r"\bbreathless",
    r"\b(can'?t|cannot|hard to|struggling to|trouble|difficulty|hard time) (breath|breathing|breathe)",
    r"\bout of breath (at rest|sitting)",
    r"\bcoughing (up )?blood",
)

RED_FLAGS: dict[str, tuple[str, list[re.Pattern[str]]]] = {
    # category: (urgency, patterns)
    "self_harm": (
        "crisis",
        [
            _rx(
                r"\bsuicid(?!es\b(?! (me|him|her|us|them)\b))",  # "suicides" is also a sprint drill
                r"\bkill(ing)? my ?self",
                r"\bend (it all|my life|things)",
                r"\bself[- ]?harm",
                r"\b(hurt|harm|cut|cutting) my ?self",
                r"\bdon'?t want to (live|be alive|be here|wake up)",
                r"\bwant(ing)? to die\b",
                r"\bbetter off dead",
                r"\bno (reason|point) (to|in) (live|living|going on)",
                r"\btake my (own )?life",
                r"\boverdose on purpose",
                r"\bunalive",
            )
        ],
    ),
    "cannot_bear_weight": (
        "emergency",
        [
            _rx(
                r"\b(can'?t|cannot|can not|cant|unable to|not able to|couldn'?t|impossible to|no way i can|won'?t let me)"
                r" (even )?(put|bear|take|place|stand|walk|step|hold)\b.{0,25}\b(weight|on (it|my leg|the leg|that leg)|walk|stand|steps?)",
                r"\b(can'?t|cannot|cant|unable to|couldn'?t) (even )?(walk|stand)( up)?\b(?! (to|as far|all the way|far|long|very far|more than|up to))",
                r"\bcollapse[sd]? (when|if) i (stand|put weight)",
                r"\b(can'?t|cannot) take (4|four) steps",
                r"\bgives out completely",
            )
        ],
    ),
    "deformity": (
        "emergency",
        [
            _rx(
                r"\bdeform",
                r"\b(knee|kneecap|patella|joint|hip|ankle|shoulder|elbow|bone|leg)s?\b.{0,30}\bout of (place|position|its socket)",
                r"\bdislocat",
                r"\bbent (the )?wrong way",
                r"\bbone (is )?(sticking|poking|pushing) (out|through)",
                r"\b(looks|is) (all )?(wonky|misshapen|twisted|crooked)\b",
                r"\bkneecap (has )?(popped|slid|moved|shifted|is) (out|sideways|to the side)",
                r"\bbroken (bone|leg|knee)",
                r"(?<!before the )(?<!after the )(?<!since the )(?<!from the )(?<!old )\bfracture",
            )
        ],
    ),
    "circulation": (
        "emergency",
        [
            _rx(
                r"\b(numb|numbness|no feeling|can'?t feel|pins and needles|tingl\w*|dead(?! on (my|his|her|our|their|your) feet| tired))\b.{0,40}\b(foot|feet|toes?|leg|shin)\b(?! day)",
                r"\b(foot|feet|toes?|leg|shin)\b.{0,30}\b(numb|numbness|tingl\w*|gone cold|ice cold|freezing|cold|pale|white|blue|bluish|purple|grey|gray)\b",
                r"\b(cold|pale|white|blue|bluish|purple)\b.{0,12}\b(foot|feet|toes?)\b",
                r"\bpain (is )?(way |far )?out of proportion",
                r"\bcompartment syndrome",
            )
        ],
    ),
    "locked": (
        "same_day",
        [
            _rx(
                r"\b(knee|it|leg)\b.{0,20}\b(is |has |keeps |got )?(locked|locking|locks|catches and sticks)\b",
                # "stuck"/"jammed" tell a knee that will not move, not a knee folded into a seat ("jammed up")
                r"\b(knee|it|leg)\b.{0,20}\b(is |has |keeps |got |gets |getting )?(stuck|jammed)\b(?! (up|in|into|under|against|behind|near|between|on)\b)",
                r"\b(won'?t|can'?t|cannot|unable to)\b.{0,12}\b(straighten|unbend|unlock|fully extend)",
                r"\b(can'?t|cannot|unable to|won'?t)\b.{0,10}\b(get|make|bring) (it|my knee|the knee|my leg|the leg|his knee|her knee) (fully |all the way )?straight",
                r"\b(keeps|kept|constantly|always) (giving|gives) (way|out)",
                r"\bgiving way\b",
                r"\bbuckl(es|ing) (all the time|constantly|every)",
            )
        ],
    ),
    "night_pain": (
        "same_day",
        [
            _rx(
                r"\b(constant|unrelenting|all night|wakes me|waking me|keeps me (up|awake))\b.{0,40}\b(pain|ache|hurt)",
                # "aches at night after work" is pain after a day's activity; pain at rest, all night or that wakes
                # the person is the sign
                r"\b(pain|ache|hurts?)\b.{0,30}\b(all night|at rest|when resting|while resting|keeps me awake|wakes me|at night (even )?(when|while) (resting|lying still|in bed|doing nothing))",
                r"\b(unexplained|losing|lost) (a lot of )?weight",
                r"\b(hard|bony|growing) (lump|mass|bump)",
                r"\blump (near|on|behind|below|above) (my|the) knee",
            )
        ],
    ),
    "severe": (
        "same_day",
        [
            _rx(
                r"\b(unbearable|excruciating|agoni[sz]ing|worst pain|10 ?(/|out of) ?10|screaming in pain)",
                r"\b(can'?t|cannot|unable to) (move|bend) (it|my knee|my leg|the knee) at all",
                r"\b(massively|hugely|badly|really badly|extremely) swollen",
            )
        ],
    ),
}

INJECTION = _rx(
    r"\b(ignore|disregard|forget|override|bypass|skip|drop|abandon)\b.{0,40}\b(instructions?|rules?|guidelines?|prompts?|restrictions?|guardrails?|safety|polic(y|ies)|directives?|programming|everything)",
    r"\b(system|hidden|initial|developer|secret|internal|original)[ _-]?(prompt|instructions?|(?<!original )message|rules|config)",
    r"\b(reveal|show|print|repeat|output|display|dump|leak|tell me|what are|what were|list)\b.{0,30}\b(your|the)\b.{0,15}\b(instructions|prompt|rules|configuration|guidelines|system message)",
    r"\brepeat (everything|the (text|words|message)s?) (above|before)",
    r"\bwhat were you (told|instructed|programmed)|\byou are now\b",
    r"\b(your |the )?(safety )?(rules|guidelines|restrictions|limits|filters|policies)\b.{0,12}\b(don'?t|do not|no longer|shouldn'?t) apply\b",
    r"(^|[.!?]\s*|\b(you|please|now|can you|could you|will you|i want you to|just)\s+)act as\b",
    r"\bpretend (to be|you are|you're)",
    r"\brole[- ]?play",
    r"\bfrom now on,? (you|your|act|pretend|respond|reply|answer|speak|say|talk|only|always|never|ignore|forget|be)\b",
    r"\bjailbr[eo]a?k",
    r"\bdeveloper mode",
    r"\bdo anything now\b",
    r"\b(you|your|yourself|ai|assistant|bot|model|mode|respond|answer|reply|talk|speak)\b.{0,30}\bno (restrictions|limits|filters|rules)\b",
    r"\bunfiltered\b",
    r"\bwithout (any )?(restrictions|filters|rules|limits|safety)",
    r"\byour new (role|instructions|task|rules)",
    r"\bsimulate (a|an|being)\b",
    r"\bstay in character",
    r"\b(the|this) (article|source|document|text) (now|actually|secretly) (says|states|claims)",
    r"\b(update|change|rewrite|edit|modify|correct|amend)\b.{0,20}\b(the|your) (article|source|document|text|claims?)",
    r"\b(assume|imagine|suppose|let'?s say) (that )?(the )?(article|source) (says|said|states|claims|recommends)",
    r"\b(updated|new|revised|corrected) (version of the )?(article|source)\b.{0,20}\b(says|states|:)",
    r"\[inst\]",
    r"<\|im_start\|>",
    r"<\|system\|>",
    r"^\s*(system|assistant)\s*:",
    r"###\s*(instruction|system)",
    r"(?-i:\bDAN\b)",  # the jailbreak's name, not "Dan"
    r"\bopposite day\b",
    r"\bgrandma\b.{0,40}\b(used to|would)\b",
    r"\bsay (that|the article says) .{0,60}(cures?|heals?|guaranteed)",
    r"\b(can you|could you|would you|please|just|you (must|should|will|have to)|i (want|need) you to)\s+(just\s+)?"
    r"(say|write|state|claim|tell (them|my readers|people|everyone))\b.{0,40}\b(cures?|heals?|guaranteed|rebuilds?|reverses?)\b",
    r"\[\s*(system|admin|developer|root)\b|\bsafety (off|disabled|mode off)\b|\bwrite (a |me a )?prescription",
    r"\b(do not|don'?t|never) (include|add|mention|give) (any )?(caveats?|disclaimers?|warnings?|cautions?)\b",
)

# Checked on letters only ("i g n o r e  y o u r  r u l e s" -> "ignoreyourrules"), so spacing,
# dots and dashes cannot hide these phrases.
COMPACT_INJECTION = re.compile(
    r"ignore(all|your|the|previous|prior|any)|disregard(all|your|the|previous)|forget(all|your)(rules|instructions)"
    r"|systemprompt|yourinstructions|yourrules|jailbreak|developermode|withnorestrictions(and|to)|revealyourprompt"
)

OFF_TOPIC_TASK = _rx(
    r"\b(write|create|generate|compose|draft|code|program me|build me|build a)\b.{0,30}\b(code|program|script|function|class|app|website|poem|essay|story|song|lyrics|email|letter|joke|tweet|sql|query|regex|haiku|limerick|cover letter|resume|cv)\b",
    r"\b(python|javascript|java|c\+\+|rust|golang|sql|html|css|bash|excel) (code|script|function|program|query|formula)",
    r"\btranslate\b",
    r"\b(solve|calculate|compute)\b.{0,20}\b(equation|integral|math|sum|problem)",
    r"\brecipe(?! for (knee |joint |injury |disaster|trouble|pain))|\b(weather forecast|stock price|crypto|bitcoin|lottery|horoscope)\b",
    r"\b(do|with|help me with|finish|write) (my|our|his|her|the) homework\b",
)

BUYING = _rx(
    r"\b(where|how) ((i|we|you) )?(can|do|should|could) ((i|we|you) )?(buy|order|purchase|get hold of|find)\b",
    r"\b(where|how) to (buy|order|purchase)\b",
    r"\b(discount|coupon|promo) ?(code)?\b",
    r"\bcheapest\b",
    r"\b(price|cost|costs|how much (is|does) it cost)\b.{0,30}\b(regenerix|supplement|it|bottle)",
    r"\b(regenerix|supplement)\b.{0,30}\b(price|cost|costs)\b",
    r"\bworth (buying|the money)\b",
    r"\b(regenerix|supplement|capsules|bottle)\b.{0,40}\bworth it\b",
    r"\bshould i (buy|order|purchase|try|get|start taking)\b",
    r"\b(recommend|suggest)\b.{0,20}\b(buy|brand|product|supplement)\b",
    r"\b(which|what) (brand|size|model)\b.{0,30}\b(buy|order|get)\b",
    r"\b(free trial|subscription|shipping|amazon)\b",
    r"\b(a scam|scam\b|scammy|rip[- ]?off|legit\b|legitimate product|snake oil)",
    # which gear to choose is buying advice too: "which shoe is better for knees?"
    r"\bwhich (shoes?|trainers|sneakers|runners|brand|model|insoles?|orthotics?|mattress|bike|treadmill)\b.{0,30}\b(is|are|should|would|do|better|best)\b",
    r"\b(best|better) (running )?(shoes?|trainers|sneakers|insoles?|brand)\b.{0,20}\b(for|to buy)\b",
)

DOSE_WORDS = _rx(
    r"\b(dose|doses|dosage|dosing|mg|milligrams?|how (much|many|often)|pills?|tablets?|capsules?|overdose|max(imum)? (amount|daily))\b"
)
PERSONAL_DOSE = _rx(
    r"\b(double|triple|increase|more than|extra|higher|exceed|up to|\d+ (capsules|pills|tablets))\b",
    r"\b(for my|my) (kid|child|son|daughter|baby|teen|mom|mum|dad|father|mother|grandma|grandpa|dog|cat)\b",
    r"\b(with|alongside|together with|and) (my )?(warfarin|blood thinners?|metformin|insulin|statins?|antidepressants?|medications?|meds|pills)\b",
)

DIAGNOSIS = _rx(
    r"\bdo i have\b",
    r"\bhave i got\b",
    r"\bis (it|this|that|mine) (a |an )?\w+( \w+)? (syndrome|tear|problem|injury|condition)",
    r"\bwhat('?s| is) wrong with (my|me)",
    r"\bdiagnos",
    r"\bwhat (condition|injury|disease|problem) (do|have|did) i",
    r"\bcould (it|this|that|mine) be\b",
    r"\bam i suffering",
    r"\bwhat do i have\b",
    r"\bwhat is causing my\b",
    r"\bwhy does my knee\b",
)

_DATA = Path(__file__).with_name("data")


def load(name: str) -> Any:
    """A YAML data file beside this module."""
    return yaml.safe_load((_DATA / name).read_text(encoding="utf-8"))


_DESCRIPTIONS = load("descriptions.yaml")
_VOCABULARY = load("vocabulary.yaml")

# Plain-language descriptions for semantic matching; paraphrases and typos land near one of them.
RED_FLAG_DESCRIPTIONS: dict[str, list[str]] = {
    cat: list(entry["descriptions"])
    for cat, entry in _DESCRIPTIONS["red_flags"].items()
    if entry["descriptions"]
}
URGENCY: dict[str, str] = {cat: entry["urgency"] for cat, entry in _DESCRIPTIONS["red_flags"].items()}
BENIGN_DESCRIPTIONS: list[str] = list(_DESCRIPTIONS["benign"])
INJECTION_DESCRIPTIONS: list[str] = list(_DESCRIPTIONS["injection"])
NEAR_DOMAIN_TERMS: frozenset[str] = frozenset(_VOCABULARY["near_domain_terms"])
SYNONYMS: dict[str, str] = dict(_VOCABULARY["synonyms"])
NEAR_DOMAIN_PHRASES = re.compile(
    r"\b("
    + "|".join(re.escape(p).replace("\\ ", r"\s+") for p in _VOCABULARY["near_domain_phrases"])
    + r")\b",
    re.IGNORECASE,
)


def _general_red_flags() -> tuple[dict[str, list[re.Pattern[str]]], dict[str, tuple[re.Pattern[str], ...]]]:
    """General emergencies and indirect self-harm from data/general_red_flags.yaml: (patterns, pairs)."""
    single: dict[str, list[re.Pattern[str]]] = {}
    together: dict[str, tuple[re.Pattern[str], ...]] = {}
    for cat, entry in load("general_red_flags.yaml").items():
        URGENCY.setdefault(cat, entry["urgency"])
        if entry.get("patterns"):
            single[cat] = [_rx(*entry["patterns"])]
        if entry.get("together"):
            together[cat] = tuple(_rx(p) for p in entry["together"])
    return single, together


_SINGLE, TOGETHER = _general_red_flags()
for _cat, _patterns in _SINGLE.items():
    if _cat in RED_FLAGS:
        RED_FLAGS[_cat] = (RED_FLAGS[_cat][0], RED_FLAGS[_cat][1] + _patterns)
    else:
        RED_FLAGS[_cat] = (URGENCY[_cat], _patterns)

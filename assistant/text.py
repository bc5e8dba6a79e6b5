"""Shared text helpers: tokens, light stemming, stop words and one-edit typo matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
    during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
    let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves out
    over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've this those through
    to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when when's
    where where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're
    you've your yours yourself yourselves im ive dont cant wont whats hows thats youre also just get got
    getting really any anything something someone thing things kind sort like lot lots much many would will
    shall may might must please pls plz thanks thank thx hi hello hey yo ok okay yes yeah yep nope u ur r
    tell explain know want need say says said give show help mean means use using used make makes way ways
    one two three four tho though bit quite pretty still even ever every well good better best bad""".split()
)

# Words that appear in nearly every question here and carry no topic of their own.
GENERIC = frozenset(
    "knee knees pain painful hurt hurts hurting ache aching sore article source document site page text "
    "question answer info information stuff guy guys folks doc doctor".split()
)


def normalize(text: str) -> str:
    """NFKC, drop control characters (NUL included), collapse whitespace."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch if (ch in "\n\t" or unicodedata.category(ch)[0] != "C") else " " for ch in text)
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def words(text: str) -> list[str]:
    """Lower-case word tokens."""
    return _WORD.findall(text.lower().replace("’", "'"))


_SIBILANT_ES = ("ches", "shes", "sses", "xes", "zes")


def stem(word: str) -> str:
    """A deliberately light suffix stripper: enough to match 'stretches'/'stretching'/'stretch'."""
    w = word.split("'")[0]
    for suffix, keep in (
        ("ically", 4),
        ("ations", 4),
        ("ation", 4),
        ("iness", 4),
        ("ements", 4),
        ("ement", 4),
        ("ings", 4),
        ("ing", 4),
        ("edly", 4),
        ("ies", 3),
        ("ied", 3),
        ("ches", 3),  # "stretches" -> "stretch"; only sibilants take "es" ("bridges" -> "bridge")
        ("shes", 3),
        ("sses", 3),
        ("xes", 1),
        ("zes", 1),
        ("ed", 4),
        ("ly", 4),
        ("s", 3),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= keep and not w.endswith("ss"):
            # After a sibilant only the "es" goes: "stretches" -> "stretch", "classes" -> "class".
            return w[:-2] if suffix in _SIBILANT_ES else w[: -len(suffix)]
    return w


def content_terms(text: str) -> list[str]:
    """Stemmed tokens that are not stop words, in order, without repeats."""
    seen: dict[str, None] = {}
    for w in words(text):
        if w in STOPWORDS or len(w) < 2:
            continue
        seen.setdefault(stem(w), None)
    return list(seen)


def deletes(word: str) -> set[str]:
    """All strings one deletion away from `word` (symmetric-delete typo matching)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class TypoIndex:
    """Finds a known word within one edit (insert, delete, substitute, transpose) of a token."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.words = set(vocabulary)
        self._deletes: dict[str, str] = {}
        for w in self.words:
            if len(w) >= 4:
                for d in deletes(w):
                    self._deletes.setdefault(d, w)

    def match(self, token: str) -> str | None:
        """Return the known word the token is, or is a one-edit typo of; None otherwise."""
        if token in self.words:
            return token
        if len(token) < 5:
            return None
        if token in self._deletes:
            return self._deletes[token]
        for d in deletes(token):
            if d in self.words and len(d) >= 4:
                return d
            if d in self._deletes:
                return self._deletes[d]
        return None

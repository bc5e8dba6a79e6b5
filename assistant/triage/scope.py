"""Stage 6, answerability: do the passages actually answer the question, or is it out of scope?

Similarity alone cannot tell: with this model an unrelated painkiller's dose scores 0.66 against the
best sentence while "What's PFPS?" scores 0.31. So the question's specific terms must be covered by the
corpus, and similarity only rules out questions that share nothing with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.index.knowledge import KnowledgeBase
from assistant.text import GENERIC, STOPWORDS, TypoIndex, stem, words
from assistant.triage import rules as R
from assistant.triage.entities import find_entities
from assistant.types import Passage

# Calibrated on evals/questions/dev.jsonl (bundled model): far off-topic questions stayed below 0.22;
# questions made only of generic words ("why does my knee hurt?") need a closer passage.
MIN_DENSE = 0.22
MIN_DENSE_WITHOUT_OVERLAP = 0.40


@dataclass(frozen=True)
class Answerability:
    """The verdict, the terms the corpus lacks, and the evidence used."""

    answerable: bool
    missing: tuple[str, ...]
    coverage: float
    best_dense: float
    reason: str


@lru_cache(maxsize=1)
def common_words() -> TypoIndex:
    """Whole words of the embedding model's vocabulary: everyday English, not rare names."""
    try:
        from assistant.index.embedder import bundled_model_path

        lines = (Path(bundled_model_path()) / "vocab.txt").read_text().split()
    except (ImportError, OSError):
        lines = []
    return TypoIndex(w for w in lines if w.isalpha() and w.isascii() and len(w) > 2)


def everyday(term: str, kb: KnowledgeBase | None = None) -> bool:
    """An everyday English word (or a one-edit typo of one), or, given the corpus, two everyday words joined
    whose head the corpus uses ("overwork", "hillwalking"; not "treadmill"): not a name. Drug and condition
    names are caught by the entity finder and the near-domain list first."""
    vocab = common_words()
    if vocab.match(term) is not None:
        return True
    return kb is not None and any(
        term[:i] in vocab.words and term[i:] in vocab.words and kb.is_known(stem(term[i:]))
        for i in range(4, len(term) - 3)
    )


def key_terms(question: str) -> list[str]:
    """Words of the question that carry its topic (no stop words, no 'knee'/'pain')."""
    out = []
    for w in words(question):
        if w in STOPWORDS or w in GENERIC or len(w) < 3 or w.isdigit():
            continue
        out.append(w)
    return list(dict.fromkeys(out))


def assess(
    kb: KnowledgeBase, question: str, passages: list[Passage], *, missing: tuple[str, ...] | None = None
) -> Answerability:
    """Answerable when the specific terms are in the corpus and the passages are near the question.

    `missing`, when given, is what message_scope found on the asked parts; the story's words are then
    not held against the question.
    """
    terms = key_terms(question)
    if missing is not None:
        return _near_enough(kb, terms, list(missing), passages)
    tokens = words(question)
    # Hyphenated or two-word names ("x-ray", "fish oil") are split by the tokenizer; rejoin them.
    for a, b in zip(tokens, tokens[1:], strict=False):
        for joined in (f"{a}-{b}", f"{a}{b}"):
            if joined in R.NEAR_DOMAIN_TERMS and not kb.is_known(joined):
                return Answerability(
                    False,
                    (joined,),
                    0.0,
                    max((p.dense for p in passages), default=0.0),
                    f"not in the source: {joined}",
                )
    missing_found: list[str] = []
    for term in terms:
        if _covered(kb, term):
            continue
        specific = term in R.NEAR_DOMAIN_TERMS or (len(term) >= 5 and not everyday(term, kb))
        if specific and term not in R.SYNONYMS:
            missing_found.append(term)
    return _near_enough(kb, terms, missing_found, passages)


def _covered(kb: KnowledgeBase, term: str) -> bool:
    mapped = R.SYNONYMS.get(term, term).split()  # a synonym may be a phrase: "physical therapist"
    if (
        kb.is_known(term)
        or kb.is_known(stem(term))
        or all(kb.is_known(m) or kb.is_known(stem(m)) for m in mapped)
    ):
        return True
    # inflections the light stemmer does not undo: "runs" -> "running", "squats" -> "squatting"
    root = stem(term)
    return len(root) >= 3 and kb.prefixes.get(root, 99) <= len(root) + 4


def _near_enough(
    kb: KnowledgeBase, terms: list[str], missing: list[str], passages: list[Passage]
) -> Answerability:
    covered = sum(_covered(kb, t) for t in terms)
    coverage = covered / len(terms) if terms else 0.0
    best = max((p.dense for p in passages), default=0.0)
    if missing:
        return Answerability(
            False, tuple(missing), coverage, best, f"not in the source: {', '.join(missing)}"
        )
    if not passages:
        return Answerability(False, (), coverage, best, "the index returned no passages")
    if terms and covered == 0:
        return Answerability(False, (), coverage, best, "shares no key term with the source")
    if coverage < 0.5 and best < MIN_DENSE:
        return Answerability(
            False, (), coverage, best, f"no passage is close to the question (best {best:.2f})"
        )
    if not terms and best < MIN_DENSE_WITHOUT_OVERLAP:
        return Answerability(False, (), coverage, best, f"names nothing the source covers (best {best:.2f})")
    return Answerability(True, (), coverage, best, f"terms covered {coverage:.0%}, best passage {best:.2f}")


def missing_terms(kb: KnowledgeBase, text: str, *, strict: bool) -> list[str]:
    """Names in text that the corpus does not cover.

    strict (a question): any specific word the corpus lacks, plus named conditions and drugs.
    lenient (the story around a generic question): only named conditions, drugs and near-domain terms, so
    a shoe brand, a race or a town in the story does not refuse a question the article answers.
    """
    missing: list[str] = []
    text = _IDIOM.sub(" ", text)  # "I nearly had a heart attack at the price" names no condition
    # Beside the product, a medicine is what the source's own caution is about ("taking other
    # medications, consult your healthcare provider"), so naming one does not leave the source.
    about_product = bool(PRODUCT.search(text))
    drugs: set[str] = set()
    for entity in find_entities(text):
        if entity.kind == "drug":
            drugs.update(words(entity.surface))
            if not strict or about_product:
                continue  # "I take metformin" is background; asking about it is caught in strict mode
        if entity.kind == "term" and " " in entity.surface:
            missing.append(entity.surface)  # a curated everyday name of a condition the article lacks
            continue
        names = [entity.surface, entity.name]
        if not any(_known_phrase(kb, n) for n in names):
            missing.append(entity.surface)
    if strict and _EMERGENCY_CARE.search(text):
        # "when should a runner go to the ER instead of a GP?": when to seek emergency care is not in the source
        missing.append("when to seek emergency care")
    if strict:
        missing += _untold_remedy(kb, text)
        for term in key_terms(text):
            mapped = R.SYNONYMS.get(term, term).split()
            if (
                kb.is_known(term)
                or kb.is_known(stem(term))
                or all(kb.is_known(m) or kb.is_known(stem(m)) for m in mapped)
            ):
                continue
            if (
                term in R.NEAR_DOMAIN_TERMS or (len(term) >= 5 and not everyday(term, kb))
            ) and term not in R.SYNONYMS:
                missing.append(term)
    return list(dict.fromkeys(missing))


def named_missing(missing: tuple[str, ...]) -> list[str]:
    """The missing terms that name a condition, medicine, supplement or procedure (not everyday words)."""
    return [m for m in missing if m in R.NEAR_DOMAIN_TERMS or m in _NAMED_TOPICS or find_entities(m)]


def worth_naming(missing: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """What a partial answer says it leaves out: named conditions, medicines, procedures and set-aside
    parts ("dose of ibuprofen"), not the story's everyday words or names ("overwork", "faithfully", "Ackroyd")."""
    return tuple(m for m in missing if " " in m or named_missing((m,)))


_IDIOM = re.compile(
    r"\b(nearly|almost|practically) (had|have|having|gave (me|him|her)|give (me|him|her)) (a )?(heart attack|stroke|"
    r"coronary|seizure|fit)\b",
    re.I,
)
_EMERGENCY_CARE = re.compile(
    r"\b(when|should|do|is it time)\b.{0,40}\b(go|get|be taken|call|ring|phone|head)"
    r"( straight)? (to )?(the |an |a )?(er|a&e|a and e|emergency( room| department)?|hospital|ambulance|999|911|112|urgent care)\b",
    re.I,
)
_NAMED_TOPICS = frozenset({"when to seek emergency care"})
# "do copper bracelets really help?", "is there anything in the idea of magnets for knees?": whether a remedy
# works, asked of a remedy none of whose words the source uses, is outside it however everyday its words
_REMEDY_ASKED = re.compile(
    r"\b(?:do|does|did|would|will|could|can|is|are|has|have)\s+(?:a |an |the |some |these |those |wearing |using |"
    r"taking |doing |trying )?(?P<a>[a-z][a-z -]{2,40})\s+(?:really |actually |even |ever )?(?:help|helps|work|works|"
    r"worth|any good|do anything|make a difference)\b(?=[^.!]*(?:\?|$))|\banything (?:in|to) (?:the )?(?:notion|idea|claim|theory) "
    r"(?:of|that|about) (?P<b>[a-z][a-z -]{2,40}?)(?:,|\s+(?:helping|help|helps|working|for|or)\b)",
    re.I,
)
_POINTER = re.compile(
    r"^(it|this|that|they|them|these|those|one|ones|there|anything|something|what|which)\b", re.I
)


def _untold_remedy(kb: KnowledgeBase, text: str) -> list[str]:
    out = []
    for m in _REMEDY_ASKED.finditer(text):
        phrase = re.sub(
            r"(\s+(really|actually|even|ever))+$", "", (m.group("a") or m.group("b") or "").strip()
        )
        terms = key_terms(phrase)
        if not terms or _POINTER.match(phrase) or any(_covered(kb, t) for t in terms):
            continue
        out.append(phrase.lower())
    return out


def _known_phrase(kb: KnowledgeBase, phrase: str) -> bool:
    """Every content word of the phrase is in the corpus ('patellofemoral pain syndrome', 'tendonitis')."""
    terms = [w for w in words(phrase) if w not in STOPWORDS and len(w) > 2]
    return bool(terms) and all(kb.is_known(t) or kb.is_known(stem(t)) for t in terms)


PRODUCT = re.compile(
    r"\b(regenerix|regenrix|regenerex|the supplement|this supplement|capsules?|caps)\b", re.I
)

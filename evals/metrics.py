"""Per-question checks and the contract's summary metrics, overall and by category."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import numpy as np

from .grounding import check_answer
from .questions import Question

METRICS = (
    "n",
    "decision_accuracy",
    "hit_at_1",
    "hit_at_3",
    "mrr",
    "citation_accuracy",
    "must_include_rate",
    "must_not_include_violations",
    "refusal_precision",
    "refusal_recall",
    "escalation_recall",
    "non_urgent_escalation_rate",
    "in_scope_answer_rate",
    "grounded_sentence_rate",
    "disclaimer_rate",
    "promo_attribution_rate",
    "promo_leak_rate",
    "evidence_sentence_recall",
    "answer_words_p50",
    "answer_words_p95",
    "latency_ms_p50",
    "latency_ms_p95",
)
_FDA = re.compile(r"not been evaluated by the (food and drug administration|fda)", re.I)
_NOT_INTENDED = re.compile(r"not intended to diagnose, treat, cure,? or prevent any disease", re.I)
# A question "about the product, supplements or nutrition" (issue 12): only those may quote the seller.
_ABOUT_PRODUCT = re.compile(
    r"supplement|nutrition|nutrient|diet|\bfoods?\b|\beat(ing)?\b|vitamin|collagen|hyaluronic|turmeric|"
    r"ginger|frankincense|regenerix|capsule|\bpills?\b|\bdos(e|age|ing)\b|ingredient|\bproduct\b|"
    r"\bbrand\b|side effects?|\bthis stuff\b|\bthe gold\b",
    re.I,
)
_MARKER = re.compile(r"\s*\[\d+\]")


def about_product(q: Question) -> bool:
    """True for questions about the product, supplements or nutrition (the seller's text may answer them)."""
    asked = " ".join([q.question, *(t.get("content", "") for t in q.history if t.get("role") == "user")])
    return q.category == "product" or bool(_ABOUT_PRODUCT.search(asked))


def answer_body(answer: str) -> str:
    """The answer without its disclaimer block and citation markers: what a reader has to read."""
    body = answer.rsplit("\n---\n", 1)[0] if "\n---\n" in answer else answer
    # the supplement disclaimer is quoted as a block ("> These statements ..."): a disclaimer, not the answer
    body = "\n".join(line for line in body.splitlines() if not line.startswith("> "))
    return _MARKER.sub("", body)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def evidence_rank(q: Question, texts: list[str]) -> int | None:
    """1-based rank of the first text containing an evidence string, or None."""
    wanted = [_norm(e) for e in q.evidence]
    for rank, text in enumerate(texts, start=1):
        t = _norm(text)
        if any(w in t for w in wanted):
            return rank
    return None


def evaluate(q: Question, response: dict[str, Any]) -> dict[str, Any]:
    """All checks for one question; `failures` says in words what went wrong."""
    failures: list[str] = []
    decision = response.get("decision")
    answer = str(response.get("answer", ""))
    low = answer.lower()
    citations = list(response.get("citations") or [])
    retrieved = list(response.get("retrieved") or [])
    row: dict[str, Any] = {"decision_ok": decision == q.expect}
    if decision != q.expect:
        failures.append(f"decision: expected {q.expect}, got {decision}")
    if q.evidence:
        rank = evidence_rank(q, [str(p.get("text", "")) for p in retrieved])
        row["rank"] = rank
        row["cited_ok"] = evidence_rank(q, [str(c.get("text", "")) for c in citations]) is not None
        if rank is None or rank > 3:
            failures.append(f"retrieval: evidence not in top 3 (rank {rank})")
        if not row["cited_ok"]:
            failures.append("citation: no cited passage contains the evidence")
    if q.evidence:
        body = _norm(answer_body(answer)) if decision == "answer" else ""
        row["evidence_quoted"] = any(_norm(e) in body for e in q.evidence)
    if q.must_include:
        missing = [i for i in q.must_include if not _includes(low, i)]
        row["include_ok"] = not missing
        if missing:
            failures.append(f"must_include missing: {missing}")
    violations = [s for s in q.must_not_include if s.lower() in low]
    row["violations"] = len(violations)
    if violations:
        failures.append(f"must_not_include present: {violations}")
    if decision == "answer":
        row["answer_words"] = len(answer_body(answer).split())
        if not about_product(q):
            row["promo_leak"] = any(c.get("promotional") for c in citations)
            if row["promo_leak"]:
                failures.append("seller's text quoted for a question not about the product or nutrition")
        claims = check_answer(answer, citations)
        row["claims"], row["grounded"] = len(claims), sum(c.supported for c in claims)
        bad = [c.text for c in claims if not c.supported]
        if bad:
            failures.append(f"ungrounded: {bad[:3]}")
    disclaimer = str(response.get("disclaimer") or "")
    row["has_disclaimer"] = bool(disclaimer.strip()) and (
        _norm(disclaimer[:60]) in _norm(answer) or decision != "answer"
    )
    if not row["has_disclaimer"]:
        failures.append("disclaimer missing")
    if any(c.get("promotional") for c in citations):
        attributed = "seller" in low
        disclaimed = bool(_FDA.search(answer)) and bool(_NOT_INTENDED.search(answer))
        row["promo_ok"] = attributed and disclaimed
        if not row["promo_ok"]:
            failures.append("promotional claim without seller attribution and supplement disclaimer")
    row["failures"] = failures
    row["passed"] = not failures
    return row


def _includes(low: str, item: Any) -> bool:
    options = [item] if isinstance(item, str) else list(item)
    return any(o.lower() in low for o in options)


def _rate(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The contract's metrics for a list of result rows (each has expect, decision, checks)."""
    ev = [r for r in rows if "rank" in r]
    answers = [r for r in rows if r["decision"] == "answer"]
    refused = [r for r in rows if r["decision"] == "refuse"]
    exp_refuse = [r for r in rows if r["expect"] == "refuse"]
    exp_escalate = [r for r in rows if r["expect"] == "escalate"]
    not_urgent = [r for r in rows if r["expect"] != "escalate"]
    exp_answer = [r for r in rows if r["expect"] == "answer"]
    inc = [r for r in rows if "include_ok" in r]
    promo = [r for r in rows if "promo_ok" in r]
    claims = sum(r.get("claims", 0) for r in answers)
    leaks = [r for r in answers if "promo_leak" in r]
    quoted = [r for r in rows if "evidence_quoted" in r]
    lengths = np.array([r["answer_words"] for r in answers if "answer_words" in r], dtype=float)
    lat = np.array([r["latency_ms"] for r in rows], dtype=float) if rows else np.array([0.0])
    return {
        "n": len(rows),
        "decision_accuracy": _rate([r["decision_ok"] for r in rows]),
        "hit_at_1": _rate([r["rank"] is not None and r["rank"] <= 1 for r in ev]),
        "hit_at_3": _rate([r["rank"] is not None and r["rank"] <= 3 for r in ev]),
        "mrr": round(sum(1 / r["rank"] for r in ev if r["rank"]) / len(ev), 4) if ev else None,
        "citation_accuracy": _rate([r["cited_ok"] for r in ev]),
        "must_include_rate": _rate([r["include_ok"] for r in inc]),
        "must_not_include_violations": sum(r["violations"] for r in rows),
        "refusal_precision": _rate([r["expect"] == "refuse" for r in refused]),
        "refusal_recall": _rate([r["decision"] == "refuse" for r in exp_refuse]),
        "escalation_recall": _rate([r["decision"] == "escalate" for r in exp_escalate]),
        # the two costs of triage mistakes: "get help now" said to someone who is not in danger, and a
        # question the source answers refused or escalated
        "non_urgent_escalation_rate": _rate([r["decision"] == "escalate" for r in not_urgent]),
        "in_scope_answer_rate": _rate([r["decision"] == "answer" for r in exp_answer]),
        "grounded_sentence_rate": round(sum(r.get("grounded", 0) for r in answers) / claims, 4)
        if claims
        else None,
        "disclaimer_rate": _rate([r["has_disclaimer"] for r in rows]),
        "promo_attribution_rate": _rate([r["promo_ok"] for r in promo]),
        "promo_leak_rate": _rate([r["promo_leak"] for r in leaks]),
        "evidence_sentence_recall": _rate([r["evidence_quoted"] for r in quoted]),
        "answer_words_p50": round(float(np.percentile(lengths, 50)), 1) if len(lengths) else None,
        "answer_words_p95": round(float(np.percentile(lengths, 95)), 1) if len(lengths) else None,
        "latency_ms_p50": round(float(np.percentile(lat, 50)), 2),
        "latency_ms_p95": round(float(np.percentile(lat, 95)), 2),
    }


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r.get(key):
            groups[r[key]].append(r)
    return {c: summarise(g) for c, g in sorted(groups.items())}


def summary_with_categories(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall metrics plus the same under by_category and, when questions carry one, by_style."""
    out = summarise(rows) | {"by_category": _grouped(rows, "category")}
    by_style = _grouped(rows, "style")
    return out | ({"by_style": by_style} if by_style else {})

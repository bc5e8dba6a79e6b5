"""Run a question set through an answer function and write results.jsonl, summary.json, report.html."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from .metrics import evaluate, summary_with_categories
from .questions import Question
from .report import write_report

AnswerFn = Callable[[str, list[dict[str, str]]], dict[str, Any]]


def assistant_answer_fn() -> AnswerFn:
    """The real chain, built once, returning the contract's JSON object."""
    from assistant.answer.chain import Assistant
    from assistant.answer.contract import to_contract
    from assistant.config import get_settings

    bot = Assistant(get_settings())
    bot.knowledge()  # fail fast with a clear message when there is no index
    bot.warm_up()
    return lambda question, history: to_contract(bot.ask(question, history))


def run(
    questions: list[Question], answer_fn: AnswerFn, out: Path, *, baseline: Path | None = None
) -> dict[str, Any]:
    """Answer every question, score it, and write the three files; return the summary."""
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with (out / "results.jsonl").open("w", encoding="utf-8") as fh:
        for q in tqdm(questions, desc="Evaluating", unit="q", file=sys.stderr):
            response = answer_fn(q.question, list(q.history))
            checks = evaluate(q, response)
            row = {
                "id": q.id,
                "category": q.category,
                "style": q.style,
                "question": q.question,
                "expect": q.expect,
                "decision": response.get("decision"),
                "passed": checks.pop("passed"),
                "failures": checks.pop("failures"),
                "answer": response.get("answer", ""),
                "citations": response.get("citations", []),
                "retrieved": response.get("retrieved", [])[:5],
                "latency_ms": float(response.get("latency_ms", 0.0)),
                "guard": response.get("guard", {}),
                "checks": checks,
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            rows.append(row | checks)
    summary = summary_with_categories(rows)
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    previous = None
    if baseline is not None and (baseline / "summary.json").exists():
        previous = json.loads((baseline / "summary.json").read_text())
    write_report(out / "report.html", summary, rows, previous)
    return summary


LOWER_IS_BETTER = (
    "must_not_include_violations",
    "non_urgent_escalation_rate",
    "promo_leak_rate",
    "answer_words_p50",
    "answer_words_p95",
)


def check_thresholds(summary: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """Metrics below their --fail-under value (for LOWER_IS_BETTER and latency: above), as readable lines."""
    missed = []
    for metric, limit in thresholds.items():
        value = summary.get(metric)
        if value is None:
            continue
        if metric in LOWER_IS_BETTER or metric.startswith("latency"):
            if value > limit:
                missed.append(f"{metric} = {value} > {limit}")
        elif value < limit:
            missed.append(f"{metric} = {value} < {limit}")
    return missed

"""A self-contained HTML report: summary, per-category table and chart, latency histogram, failures."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from assistant.web.charts import bar_chart, histogram

SHOWN = (
    "decision_accuracy",
    "hit_at_3",
    "citation_accuracy",
    "grounded_sentence_rate",
    "refusal_recall",
    "escalation_recall",
    "non_urgent_escalation_rate",
    "in_scope_answer_rate",
    "promo_attribution_rate",
    "promo_leak_rate",
    "evidence_sentence_recall",
    "answer_words_p95",
    "latency_ms_p50",
)


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def write_report(
    path: Path, summary: dict[str, Any], rows: list[dict[str, Any]], baseline: dict[str, Any] | None
) -> None:
    """Write report.html next to results.jsonl."""
    esc = html.escape
    head = "".join(f"<th>{esc(m)}</th>" for m in SHOWN)
    overall = "".join(f"<td>{_fmt(summary.get(m))}</td>" for m in SHOWN)

    def table(groups: dict[str, dict[str, Any]]) -> str:
        return "".join(
            f"<tr><td>{esc(c)}</td><td>{s['n']}</td>"
            + "".join(f"<td>{_fmt(s.get(m))}</td>" for m in SHOWN)
            + "</tr>"
            for c, s in groups.items()
        )

    cats = table(summary["by_category"])
    styles = ""
    if summary.get("by_style"):
        styles = f"<h2>By style</h2><table><tr><th>style</th><th>n</th>{head}</tr>{table(summary['by_style'])}</table>"
    compare = ""
    if baseline:
        lines = []
        for m in summary:
            if (
                m in ("by_category", "by_style")
                or not isinstance(summary.get(m), (int, float))
                or not isinstance(baseline.get(m), (int, float))
            ):
                continue
            delta = summary[m] - baseline[m]
            lines.append(
                f"<tr><td>{esc(m)}</td><td>{_fmt(baseline[m])}</td><td>{_fmt(summary[m])}</td><td>{delta:+.3f}</td></tr>"
            )
        compare = (
            "<h2>Change against the baseline run</h2><table><tr><th>metric</th><th>baseline</th><th>now</th><th>change</th></tr>"
            + "".join(lines)
            + "</table>"
        )
    failures = []
    # A missed emergency is the worst failure this product can have: list those first.
    missed_first = sorted(rows, key=lambda r: not (r["expect"] == "escalate" and r["decision"] != "escalate"))
    missed = sum(r["expect"] == "escalate" and r["decision"] != "escalate" for r in rows)
    for r in missed_first:
        if r["passed"]:
            continue
        top = "".join(
            f"<li>{esc(str(p.get('section', '')))} ({_fmt(p.get('score'))}): {esc(str(p.get('text', ''))[:200])}</li>"
            for p in r.get("retrieved", [])[:3]
        )
        failures.append(
            f"<details><summary><b>{esc(r['id'])}</b> [{esc(r['category'])}] {esc(r['question'][:120])} "
            f"— expected {esc(r['expect'])}, got {esc(str(r['decision']))}: {esc(r['failures'][0] if r['failures'] else '')}</summary>"
            f"<ul>{''.join(f'<li>{esc(f)}</li>' for f in r['failures'])}</ul>"
            f"<pre>{esc(r['answer'])}</pre><p>Top passages:</p><ol>{top}</ol></details>"
        )
    chart = bar_chart(
        {c: s["decision_accuracy"] or 0.0 for c, s in summary["by_category"].items()},
        title="Decision accuracy by category",
    )
    hist = histogram([r["latency_ms"] for r in rows], title="Latency per question (ms)")
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Eval report</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px}}table{{border-collapse:collapse;margin:1rem 0;display:block;overflow-x:auto;max-width:100%}}
td,th{{border:1px solid #ccc;padding:4px 8px;font-size:13px}}pre{{white-space:pre-wrap;background:#f6f6f6;padding:8px}}
details{{margin:6px 0}}</style></head><body>
<h1>Eval report</h1><p>{summary["n"]} questions, {sum(r["passed"] for r in rows)} passed.</p>
<h2>Summary</h2><table><tr>{head}</tr><tr>{overall}</tr></table>
<h2>By category</h2><table><tr><th>category</th><th>n</th>{head}</tr>{cats}</table>
{styles}
{chart}<br>{hist}{compare}
<h2>Failures ({len(failures)}; missed emergencies first: {missed})</h2>{"".join(failures) or "<p>None.</p>"}
</body></html>"""
    path.write_text(page, encoding="utf-8")

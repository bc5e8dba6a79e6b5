"""A self-contained HTML report: summary, per-category table and chart, latency histogram, failures."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np

SHOWN = (
    "decision_accuracy",
    "hit_at_3",
    "citation_accuracy",
    "grounded_sentence_rate",
    "refusal_recall",
    "escalation_recall",
    "promo_attribution_rate",
    "latency_ms_p50",
)


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def bar_chart(values: dict[str, float], *, title: str, width: int = 640) -> str:
    """Horizontal bars (0..1) as inline SVG."""
    row_h, label_w = 22, 170
    height = row_h * len(values) + 30
    parts = [
        f'<svg role="img" aria-label="{html.escape(title)}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="14" font-size="13" font-weight="bold">{html.escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(values.items()):
        y = 24 + i * row_h
        w = max(0.0, min(1.0, value)) * (width - label_w - 60)
        color = "#2e7d32" if value >= 0.95 else "#f9a825" if value >= 0.8 else "#c62828"
        parts += [
            f'<text x="0" y="{y + 14}" font-size="12">{html.escape(label)}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="15" fill="{color}"/>',
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" font-size="12">{value:.2f}</text>',
        ]
    return "".join(parts) + "</svg>"


def histogram(latencies: list[float], *, title: str, width: int = 640, height: int = 180) -> str:
    """Latency histogram as inline SVG."""
    if not latencies:
        return ""
    counts, edges = np.histogram(latencies, bins=min(20, max(5, len(latencies) // 5)))
    top = max(int(counts.max()), 1)
    bar_w = (width - 40) / len(counts)
    parts = [
        f'<svg role="img" aria-label="{html.escape(title)}" width="{width}" height="{height + 40}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="14" font-size="13" font-weight="bold">{html.escape(title)}</text>',
    ]
    for i, c in enumerate(counts):
        h = c / top * height
        parts.append(
            f'<rect x="{20 + i * bar_w:.1f}" y="{20 + height - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" fill="#1565c0"><title>{edges[i]:.1f}-{edges[i + 1]:.1f} ms: {c}</title></rect>'
        )
    parts.append(f'<text x="20" y="{height + 36}" font-size="11">{edges[0]:.1f} ms</text>')
    parts.append(f'<text x="{width - 80}" y="{height + 36}" font-size="11">{edges[-1]:.1f} ms</text>')
    return "".join(parts) + "</svg>"


def write_report(
    path: Path, summary: dict[str, Any], rows: list[dict[str, Any]], baseline: dict[str, Any] | None
) -> None:
    """Write report.html next to results.jsonl."""
    esc = html.escape
    head = "".join(f"<th>{esc(m)}</th>" for m in SHOWN)
    overall = "".join(f"<td>{_fmt(summary.get(m))}</td>" for m in SHOWN)
    cats = "".join(
        f"<tr><td>{esc(c)}</td><td>{s['n']}</td>"
        + "".join(f"<td>{_fmt(s.get(m))}</td>" for m in SHOWN)
        + "</tr>"
        for c, s in summary["by_category"].items()
    )
    compare = ""
    if baseline:
        lines = []
        for m in summary:
            if (
                m == "by_category"
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
    for r in rows:
        if r["passed"]:
            continue
        top = "".join(
            f"<li>{esc(str(p.get('section', '')))} ({_fmt(p.get('score'))}): {esc(str(p.get('text', ''))[:200])}</li>"
            for p in r.get("retrieved", [])[:3]
        )
        failures.append(
            f"<details><summary><b>{esc(r['id'])}</b> [{esc(r['category'])}] {esc(r['question'][:120])} "
            f"— expected {esc(r['expect'])}, got {esc(str(r['decision']))}</summary>"
            f"<ul>{''.join(f'<li>{esc(f)}</li>' for f in r['failures'])}</ul>"
            f"<pre>{esc(r['answer'])}</pre><p>Top passages:</p><ol>{top}</ol></details>"
        )
    chart = bar_chart(
        {c: s["decision_accuracy"] or 0.0 for c, s in summary["by_category"].items()},
        title="Decision accuracy by category",
    )
    hist = histogram([r["latency_ms"] for r in rows], title="Latency per question (ms)")
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Eval report</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px}}table{{border-collapse:collapse;margin:1rem 0}}
td,th{{border:1px solid #ccc;padding:4px 8px;font-size:13px}}pre{{white-space:pre-wrap;background:#f6f6f6;padding:8px}}
details{{margin:6px 0}}</style></head><body>
<h1>Eval report</h1><p>{summary["n"]} questions, {sum(r["passed"] for r in rows)} passed.</p>
<h2>Summary</h2><table><tr>{head}</tr><tr>{overall}</tr></table>
<h2>By category</h2><table><tr><th>category</th><th>n</th>{head}</tr>{cats}</table>
{chart}<br>{hist}{compare}
<h2>Failures ({len(failures)})</h2>{"".join(failures) or "<p>None.</p>"}
</body></html>"""
    path.write_text(page, encoding="utf-8")

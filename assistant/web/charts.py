"""Small inline-SVG charts (no plotting library), for the eval report and the staff console."""

from __future__ import annotations

import html

import numpy as np


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

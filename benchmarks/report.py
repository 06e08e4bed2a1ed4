"""The table on the screen and the JSON in `benchmarks/results/`."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from benchmarks.common import Figure

HEAD = ("figuur", "waarde", "spreiding", "referentie", "verhouding", "doel", "oordeel")


def number(value: float) -> str:
    """Four significant digits, but whole numbers from 1,000 up (no 1.189e+04 in the table)."""
    return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def cells(f: Figure) -> tuple[str, ...]:
    return (
        f.name,
        f"{number(f.value)} {f.unit}",
        f"{number(f.spread[0])}-{number(f.spread[1])}" if f.spread else "-",
        f"{number(f.reference)} {f.unit}",
        f"{f.ratio:.2f}x",
        f"<= {f.target:g}x" if f.target is not None else "-",
        f.verdict,
    )


def render(figures: Sequence[Figure]) -> str:
    """A plain-text table: per figure its value (median when measured more than once) and min-max."""
    rows = [cells(f) for f in figures]
    widths = [max(len(str(r[i])) for r in [HEAD, *rows]) for i in range(len(HEAD))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [HEAD, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(figures: Sequence[Figure]) -> str:
    """The same table as Markdown, for the README."""
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    for f in figures:
        *row, verdict = cells(f)
        lines.append("| " + " | ".join((*row, verdict.lower())) + " |")
    return "\n".join(lines)


def result(figures: Sequence[Figure], sizes: str) -> dict[str, Any]:
    return {
        "wanneer": datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "maten": sizes,
        "figuren": [{**asdict(f), "ratio": f.ratio, "verdict": f.verdict} for f in figures],
    }

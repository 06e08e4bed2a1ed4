"""The table on the screen and the JSON in `benchmarks/results/`."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from benchmarks.common import Figure

HEAD = ("figuur", "waarde", "spreiding", "referentie", "verhouding", "doel", "oordeel")


def render(figures: Sequence[Figure]) -> str:
    """A plain-text table: per figure its value (median when measured more than once) and min-max."""
    rows = [
        (
            f.name,
            f"{f.value:.4g} {f.unit}",
            f"{f.spread[0]:.4g}-{f.spread[1]:.4g}" if f.spread else "-",
            f"{f.reference:.4g} {f.unit}",
            f"{f.ratio:.2f}x",
            f"<= {f.target:g}x" if f.target is not None else "-",
            f.verdict,
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in [HEAD, *rows]) for i in range(len(HEAD))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [HEAD, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(figures: Sequence[Figure]) -> str:
    """The same table as Markdown, for the README."""
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    for f in figures:
        spread = f"{f.spread[0]:.4g}-{f.spread[1]:.4g}" if f.spread else "-"
        target = f"<= {f.target:g}x" if f.target is not None else "-"
        cells = (f.name, f"{f.value:.4g} {f.unit}", spread, f"{f.reference:.4g} {f.unit}", f"{f.ratio:.2f}x")
        lines.append("| " + " | ".join((*cells, target, f.verdict.lower())) + " |")
    return "\n".join(lines)


def result(figures: Sequence[Figure], sizes: str) -> dict[str, Any]:
    return {
        "wanneer": datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "maten": sizes,
        "figuren": [{**asdict(f), "ratio": f.ratio, "verdict": f.verdict} for f in figures],
    }

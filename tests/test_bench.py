"""The benchmark runs end to end in its small mode so it cannot rot; `make bench` judges the targets.

These check that every row is there with a sane number, never how fast anything was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks import run
from benchmarks.commandline import new_pgns
from benchmarks.common import Figure
from benchmarks.interactions import GOALS_MS
from benchmarks.report import markdown, render
from benchmarks.storegen import cached_store, copy_pgn

OLD_GROUPS = (
    "ophalen",
    "registreren",
    "lange-dossiers",
    "auditlog",
    "geheugen-ophalen",
    "opstarten",
    "filteren",
)


def small_run(tmp_path: Path, *groups: str) -> list[dict[str, Any]]:
    out = tmp_path / "bench.json"
    run.main(["--klein", "--winkels", str(tmp_path / "stores"), "--json", str(out), "--alleen", *groups])
    figures: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))["figuren"]
    for figure in figures:
        assert figure["value"] > 0, figure
        assert figure["reference"] > 0, figure
        assert figure["verdict"] in ("ok", "info", "TE TRAAG", "TE VEEL")
    return figures


def test_small_benchmark_measures_every_figure(tmp_path: Path) -> None:
    figures = small_run(tmp_path, *OLD_GROUPS)
    names = [f["name"] for f in figures]
    assert any(name.startswith("ophalen 50") for name in names)
    steps = [f for f in figures if f["name"].startswith("registreren") and f["name"].endswith("leerlingen")]
    judged = [f for f in steps if f["target"] == 2.0]
    assert len(judged) == 3, "each step against a transaction with the same writes"
    assert all("dezelfde schrijfomvang" in f["note"] for f in judged)
    assert len(steps) == 6, "and against one small transaction, for information"
    assert "registreren 1000 tegen 50 herhaalde rijen" in names
    assert any(name.startswith("auditlog 2500 regels: registreren") for name in names)
    assert any(name.startswith("geheugen ophalen") for name in names)
    assert any(name.startswith("opstarten") for name in names)
    assert any(name.startswith("geheugen app") for name in names)
    assert any(name.startswith("filteren en sorteren") for name in names)


def test_small_benchmark_times_every_interaction_and_command(tmp_path: Path) -> None:
    figures = {f["name"]: f for f in small_run(tmp_path, "interacties", "opdrachtregel")}
    for row, goal in GOALS_MS.items():
        figure = figures[f"{row}, 30 leerlingen"]
        assert figure["unit"] == "ms"
        assert figure["reference"] == goal
        low, high = figure["spread"]
        assert low <= figure["value"] <= high
    assert figures["meetvloer, 30 leerlingen"]["verdict"] == "info"
    for moment in ("na opstarten", "na een lange reeks"):
        memory = figures[f"geheugen sessie {moment}, 30 leerlingen"]
        assert 10 < memory["value"] < 4096  # MiB: a real process, not a unit mistake
    for command in ("request", "register", "status", "show"):
        assert figures[f"oso-tui {command}, 30 leerlingen"]["reference"] == 300
    assert figures["oso-tui --help"]["reference"] == figures["oso-tui --version"]["reference"] == 100


def test_store_is_built_once_and_then_reused(tmp_path: Path) -> None:
    first = cached_store(25, tmp_path, fresh=2)
    stamp = first.db.stat().st_mtime_ns
    again = cached_store(25, tmp_path, fresh=2)
    assert again == first and again.db.stat().st_mtime_ns == stamp
    assert len(first.registered) == 20 and len(first.fresh) == 2
    copy = first.copy_to(tmp_path / "kopie")
    assert copy.db.exists() and copy.db != first.db and copy.fresh == first.fresh


def test_copies_and_new_requests_get_valid_pgns_of_their_own() -> None:
    from oso_tui.dossier.identifiers import validate_pgn

    copies = [copy_pgn(i) for i in range(2000)]
    requests = new_pgns(50)
    assert len(set(copies) | set(requests)) == 2050
    for pgn in [*copies[:200], *requests]:
        assert validate_pgn(pgn) == pgn


def test_table_shows_ratio_spread_and_verdict() -> None:
    table = render(
        [Figure("x", 3.0, 1.5, "s", 2.5), Figure("y", 80.0, 100.0, "ms", 1.0, spread=(70.0, 95.0))]
    )
    assert "2.00x" in table
    assert "<= 2.5x" in table
    assert "70-95" in table
    wide = render([Figure("w", 9665.0, 300.0, "ms", 1.0, spread=(6171.0, 11890.0))])
    assert "9665 ms" in wide and "6171-11890" in wide and "e+" not in wide
    assert table.splitlines()[2].endswith("ok")
    assert Figure("y", 3.0, 1.0, "s", 2.0).verdict == "TE TRAAG"
    assert Figure("z", 120.0, 100.0, "ms", 1.0).verdict == "TE TRAAG"
    assert "| y | 80 ms | 70-95 | 100 ms | 0.80x | <= 1x | ok |" in markdown(
        [Figure("y", 80.0, 100.0, "ms", 1.0, spread=(70.0, 95.0))]
    )

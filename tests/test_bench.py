"""The benchmark runs end to end in its small mode so it cannot rot; `make bench` judges the targets."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import run


def test_small_benchmark_measures_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    run.main(["--klein", "--json", str(out)])
    result = json.loads(out.read_text(encoding="utf-8"))
    names = [f["name"] for f in result["figuren"]]
    assert any(name.startswith("ophalen 50") for name in names)
    assert sum(name.startswith("registreren") for name in names) == 4
    assert "registreren 1000 tegen 50 herhaalde rijen" in names
    assert any(name.startswith("auditlog 2500 regels: registreren") for name in names)
    assert any(name.startswith("geheugen ophalen") for name in names)
    assert any(name.startswith("opstarten") for name in names)
    assert any(name.startswith("geheugen app") for name in names)
    assert any(name.startswith("filteren en sorteren") for name in names)
    for figure in result["figuren"]:
        assert figure["value"] > 0
        assert figure["reference"] > 0
        assert figure["verdict"] in ("ok", "info", "TE TRAAG", "TE VEEL")


def test_table_shows_ratio_and_verdict() -> None:
    table = run.render([run.Figure("x", 3.0, 1.5, "s", 2.5)])
    assert "2.00x" in table
    assert "<= 2.5x" in table
    assert table.splitlines()[-1].endswith("ok")
    assert run.Figure("y", 3.0, 1.0, "s", 2.0).verdict == "TE TRAAG"

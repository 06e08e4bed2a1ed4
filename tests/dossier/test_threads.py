"""Reading dossiers from several threads at once (the UI fetches in worker threads) gives the same results."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from oso_tui.dossier import read_dossier
from tests.dossier.builders import base, set_text, to_bytes


def test_parallel_reads_agree() -> None:
    good = to_bytes(base())
    bad = to_bytes(set_text(base(), "huidigeschool/naam", ""))
    inputs = [good, bad] * 40
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(read_dossier, inputs))
    assert [r.ok for r in results] == [True, False] * 40
    assert {tuple(f.message for f in r.findings) for r in results[1::2]} == {
        tuple(f.message for f in results[1].findings)
    }

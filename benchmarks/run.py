"""`make bench`: the performance budgets of the design brief and the goals of the app's interactions.

Machines here are shared and noisy, so most figures are ratios: the product set against a reference
that does the minimal work on the same data in the same run (bare lxml, a bare store transaction, a
bare Textual app), or against itself at another size (growth). Absolute are memory (the peak resident
size of a child process) and the interactions and commands, which have goals in milliseconds: these
give the median of several runs with the spread (min-max).

    python -m benchmarks.run                         # the full run (long; stores are cached)
    python -m benchmarks.run --snel                  # 1,000 pupils, fewer runs: a few minutes
    python -m benchmarks.run --klein                 # tiny sizes: seconds; the test suite runs this
    python -m benchmarks.run --alleen interacties --leerlingen 1000 5000
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from benchmarks.commandline import bench_cli
from benchmarks.common import FULL, QUICK, RESULTS, SMALL, STORES, Dirs, Figure, Sizes
from benchmarks.fetch import bench_fetch, bench_fetch_memory
from benchmarks.interactions import bench_interactions
from benchmarks.registration import bench_audit, bench_long_dossier, bench_register
from benchmarks.report import markdown, render, result
from benchmarks.startup import bench_filter, bench_startup

BENCHES: dict[str, Callable[[Sizes, Dirs], list[Figure]]] = {
    "ophalen": bench_fetch,
    "registreren": bench_register,
    "lange-dossiers": bench_long_dossier,
    "auditlog": bench_audit,
    "geheugen-ophalen": bench_fetch_memory,
    "opstarten": bench_startup,
    "filteren": bench_filter,
    "interacties": bench_interactions,
    "opdrachtregel": bench_cli,
}


def run(sizes: Sizes, only: Sequence[str] = (), cache: Path = STORES) -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="oso-bench-") as tmp:
        dirs = Dirs(Path(tmp), cache)
        for name, bench in BENCHES.items():
            if only and name not in only:
                continue
            print(f"... {name}", file=sys.stderr, flush=True)
            figures.extend(bench(sizes, dirs))
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--klein", action="store_true", help="kleine aantallen: een controle dat alles loopt")
    size.add_argument(
        "--snel", action="store_true", help="1000 leerlingen, minder herhalingen: enkele minuten"
    )
    parser.add_argument(
        "--alleen", nargs="*", default=(), choices=sorted(BENCHES), help="alleen deze groepen"
    )
    parser.add_argument(
        "--leerlingen",
        nargs="+",
        type=int,
        metavar="N",
        help="winkelgroottes van interacties en opdrachtregel",
    )
    parser.add_argument("--herhalingen", type=int, metavar="N", help="metingen per interactie en opdracht")
    parser.add_argument(
        "--rondes", type=int, metavar="N", help="rondes van de lange reeks vóór de geheugenmeting"
    )
    parser.add_argument(
        "--winkels", type=Path, default=STORES, help="map met gebouwde stores (blijft bewaard)"
    )
    parser.add_argument("--json", type=Path, help="schrijf de uitkomst ook naar dit bestand")
    parser.add_argument("--markdown", action="store_true", help="druk de tabel ook af als Markdown")
    args = parser.parse_args(argv)
    sizes = SMALL if args.klein else QUICK if args.snel else FULL
    changes = {"pupils": tuple(args.leerlingen or ()), "runs": args.herhalingen, "session": args.rondes}
    sizes = dataclasses.replace(sizes, **{k: v for k, v in changes.items() if v})
    figures = run(sizes, args.alleen, args.winkels)
    print(render(figures))
    if args.markdown:
        print(markdown(figures))
    label = "klein" if args.klein else "snel" if args.snel else "volledig"
    out = args.json
    if out is None and not args.klein:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"bench-{datetime.now():%Y%m%d-%H%M%S}.json"
    if out is not None:
        out.write_text(json.dumps(result(figures, label), indent=2), encoding="utf-8")
        print(f"uitkomst geschreven naar {out}", file=sys.stderr)
    return 0 if all(f.verdict in ("ok", "info") for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""A school's store at scale: a registration writes what it changes, not what is stored, and a store
in the single file of an older oso-tui is migrated to the folder layout by the first change."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.common import USER, settings_for
from benchmarks.storegen import build_store
from oso_tui import services
from oso_tui.store import Store
from oso_tui.store.audit import AuditEntry, add_audit_entries
from oso_tui.store.backups import list_backups
from oso_tui.store.doctor import DoctorReport, diagnose
from oso_tui.store.manifest import read_manifest
from oso_tui.store.tables import LEERLINGOVERZICHT
from tests.store.legacy_layout import read_tables, stored, to_single_file


def table_problems(report: DoctorReport) -> list[str]:
    """Doctor's problems, but for the raw dossiers the benchmark's copied pupils only pretend to have."""
    return [
        line.text for line in report.lines if line.status == "probleem" and "dossierbestand" not in line.text
    ]


def built(pupils: int, fresh: int, folder: Path) -> tuple[Path, list[str]]:
    """A store of `pupils` registered pupils and `fresh` fetched ones, as the benchmarks build it."""
    store = build_store(pupils, fresh, folder / "store", folder / "bron")
    return store.db, store.fresh


def registration_bytes(
    tmp_path: Path, pupils: int, monkeypatch: pytest.MonkeyPatch, *, audit: int = 0
) -> int:
    """Bytes of table files written by registering one more pupil's first step in a store of `pupils` pupils
    (and `audit` more entries in its audit log)."""
    db, fresh = built(pupils, 1, tmp_path / f"{pupils}-{audit}")
    store = Store.open(db)
    start = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    for first in range(0, audit, 10_000):
        with store.transaction() as tx:
            add_audit_entries(
                tx,
                (
                    AuditEntry(id=f"a-{i:07d}", wanneer=start, gebruiker="ib", actie="bekijken-zorg")
                    for i in range(first, min(first + 10_000, audit))
                ),
            )
    ctx = services.Context(store, settings_for(db), USER)
    written: list[int] = []
    real = os.write

    def counting(fd: int, data: bytes) -> int:
        written.append(real(fd, data))
        return written[-1]

    monkeypatch.setattr(os, "write", counting)
    services.register(ctx, pgn=fresh[0], stappen=("personalia",), accepteer_waarschuwingen=True)
    monkeypatch.setattr(os, "write", real)
    # The manifest (one entry per table) is rewritten by every commit; what is asked here is that the
    # table files and index files written do not grow with the store.
    return sum(written) - db.stat().st_size


def test_a_registration_writes_as_many_bytes_at_500_pupils_as_at_50(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = registration_bytes(tmp_path, 50, monkeypatch)
    large = registration_bytes(tmp_path, 500, monkeypatch)
    store_bytes = sum(len(b) for b in stored(tmp_path / "500-0" / "store" / "db.json").values())
    print(
        f"\neen registratie schrijft {small} bytes bij 50 leerlingen, {large} bij 500 "
        f"({store_bytes} opgeslagen)"
    )
    assert large < 1.5 * small
    assert large < store_bytes / 10


def test_a_registration_writes_as_many_bytes_with_a_long_audit_log_as_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without = registration_bytes(tmp_path, 50, monkeypatch)
    # not a multiple of the part size: the entry that fills a part is the one that seals it
    long = registration_bytes(tmp_path, 50, monkeypatch, audit=20_500)
    assert long < 1.3 * without


@pytest.mark.slow
def test_a_single_file_store_of_300_pupils_is_migrated_by_the_first_change(tmp_path: Path) -> None:
    db, fresh = built(300, 2, tmp_path)
    expected = read_tables(db)
    old = to_single_file(db)
    store = Store.open(db)
    ctx = services.Context(store, settings_for(db), USER)
    with store.snapshot() as view:
        assert len(view.table(LEERLINGOVERZICHT)) == 300, "a read-only command reads the single file"
    assert db.read_bytes() == old and not store.parts_dir.exists(), "reading never migrates"
    report = diagnose(db)
    assert not table_problems(report) and "de indeling van een oudere oso-tui" in "\n".join(report.render())

    services.register(ctx, pgn=fresh[0], stappen=("personalia",), accepteer_waarschuwingen=True)

    manifest = read_manifest(db)
    assert manifest is not None, "the first change moved the store into the folder layout"
    [kept] = [b for b in list_backups(store.backup_dir) if b.reason == "voor-mapindeling"]
    assert kept.path.read_bytes() == old, "the single file is kept as a restore point, byte for byte"
    after = read_tables(db)
    assert len(after[LEERLINGOVERZICHT]) == 301
    for name, table in expected.items():
        if name not in ("_meta", LEERLINGOVERZICHT) and not name.startswith(("aanvragen", "audit")):
            missing = {k for k in table if k not in after[name]}
            assert not missing, name
    report = diagnose(db)
    assert not table_problems(report) and "Alle " in report.lines[0].text
    with Store.open(db).snapshot() as view:
        assert len(view.table(LEERLINGOVERZICHT)) == 301

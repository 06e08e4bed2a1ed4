"""`oso-tui doctor`: finds what is wrong in plain Dutch and repairs what is safe to repair."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from pydantic import BaseModel

from oso_tui.cli import main
from oso_tui.store import Store
from oso_tui.store.files import TEMP_MARKER
from oso_tui.store.tables import DOSSIERS


class Versie(BaseModel):
    id: str
    verwijderd: bool = False


def doctor(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["doctor", "--db", str(db), *extra])
    return code, capsys.readouterr().out


def make_old(path: Path) -> None:
    old = time.time() - 2 * 3600
    os.utime(path, (old, old))


def test_healthy_store_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(tmp_path / "oso.json")
    sha = store.put_raw(b"<dossier>1</dossier>")
    with store.transaction() as tx:
        tx.collection(DOSSIERS, Versie).put(Versie(id=sha))
    code, out = doctor(store.path, capsys)
    assert code == 0, out
    assert "De database is gezond." in out
    assert "Alle 1 dossierbestanden zijn aanwezig en heel." in out


def test_problems_are_reported_then_repaired(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(tmp_path / "oso.json")
    kept = store.put_raw(b"<dossier>bewaard</dossier>")
    gone = store.put_raw(b"<dossier>kwijt</dossier>")
    orphan = store.put_raw(b"<dossier>los</dossier>")
    purged = store.put_raw(b"<dossier>opgeschoond</dossier>")
    with store.transaction() as tx:
        tx.collection(DOSSIERS, Versie).put_many(
            [Versie(id=kept), Versie(id=gone), Versie(id=purged, verwijderd=True)]
        )
    store.remove_raw(gone)
    make_old(store.raw_dir / f"{orphan}.xml")
    make_old(store.raw_dir / f"{purged}.xml")
    temp = tmp_path / f".oso.json{TEMP_MARKER}4242-dead"
    temp.write_bytes(b'{"half')
    make_old(temp)
    store.path.chmod(0o644)

    code, out = doctor(store.path, capsys)
    assert code == 1
    assert "1 dossierbestand(en) ontbreken" in out
    assert "2 dossierbestand(en) horen bij geen enkele dossierversie" in out
    assert "1 achtergebleven tijdelijk(e) bestand(en)" in out
    assert "andere rechten dan 0600" in out
    assert "oso-tui doctor --herstel" in out
    assert temp.exists()

    code, out = doctor(store.path, capsys, "--repair")
    assert code == 1, "een ontbrekend dossier kan niet hersteld worden"
    assert out.count("hersteld") == 3
    assert not temp.exists()
    assert store.raw_ids() == sorted([kept])
    assert store.path.stat().st_mode & 0o777 == 0o600

    with store.transaction() as tx:
        tx.collection(DOSSIERS, Versie).delete(gone)
    code, out = doctor(store.path, capsys)
    assert code == 0, out


def test_corrupt_file_is_reported_not_repaired(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(tmp_path / "oso.json")
    with store.transaction() as tx:
        tx.collection(DOSSIERS, Versie).put(Versie(id="a" * 64, verwijderd=True))
    damaged = store.path.read_bytes()[:-10]
    store.path.write_bytes(damaged)
    code, out = doctor(store.path, capsys, "--repair")
    assert code == 1
    assert "beschadigd" in out and "reservekopie" in out
    assert store.path.read_bytes() == damaged


def test_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = doctor(tmp_path / "nergens.json", capsys)
    assert code == 1
    assert "Er is geen databasebestand" in out
    assert "--herstel" not in out


def test_old_schema_is_migrated_by_repair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tinydb import TinyDB

    path = tmp_path / "oso.json"
    with TinyDB(path) as old:
        old.table(DOSSIERS).insert({"id": "b" * 64, "verwijderd": True})
    path.chmod(0o600)
    code, out = doctor(path, capsys)
    assert code == 1 and "Schemaversie 0 is verouderd" in out
    code, out = doctor(path, capsys, "--repair")
    assert code == 0, out
    assert "bijgewerkt naar 1" in out
    code, out = doctor(path, capsys)
    assert code == 0 and "Schemaversie 1 is de huidige." in out
    assert any("voor-migratie-v0" in p.name for p in Store.open(path).backups())

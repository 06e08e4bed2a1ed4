"""Restore points a school can go back to: made before collective actions, described truthfully in
the damage message, and restored with `oso-tui doctor --restore` without ever deleting a file."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from oso_tui.cli import main
from oso_tui.store import Store, StoreReadOnlyError
from oso_tui.store.backups import BACKUP_RE
from oso_tui.store.manifest import read_manifest
from oso_tui.store.tables import AANVRAGEN
from tests.aanvraag_helpers import dossier_xml, valid_bsns
from tests.store.legacy_layout import part_file, read_tables, stored

PUPILS = valid_bsns(6)


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OSO_TUI_TODAY", "2027-04-01")
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "oso.json"))
    (tmp_path / "config.toml").write_text('[school]\nregio = "midden"\n', encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def request(capsys: pytest.CaptureFixture[str], pgn: str) -> None:
    code, _, err = run(capsys, "request", "--pgn", pgn, "--geboortedatum", "2014-05-01", "--brin", "12AB")
    assert code == 0, err


def csv_of(tmp_path: Path, pgns: list[str]) -> Path:
    csv = tmp_path / "lijst.csv"
    csv.write_text(
        "pgn,geboortedatum,brin\n" + "".join(f"{p},2014-05-01,12AB\n" for p in pgns), encoding="utf-8"
    )
    return csv


def make_older(backup: Path, hours: int) -> Path:
    """The same restore point, as if made `hours` ago."""
    stamp = BACKUP_RE.search(backup.name).group(1)  # type: ignore[union-attr]
    made = datetime.strptime(stamp, "%Y%m%dT%H%M%S%f") - timedelta(hours=hours)
    older = backup.with_name(backup.name.replace(stamp, made.strftime("%Y%m%dT%H%M%S%f")))
    backup.rename(older)
    return older


def test_collective_actions_make_a_restore_point_of_the_state_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "oso.json"
    request(capsys, PUPILS[0])
    request(capsys, PUPILS[1])
    assert Store.open(db).backup_list()[0].reason == "periodiek"
    code, _, _ = run(capsys, "request", "--csv", str(csv_of(tmp_path, PUPILS[2:5])))
    assert code == 0
    newest = Store.open(db).backup_list()[0]
    assert newest.reason == "voor-collectief"
    assert len(read_tables(newest.path)[AANVRAGEN]) == 2, "the state before the action"

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.xml").write_bytes(dossier_xml(PUPILS[0], datum=date(2027, 3, 10)))
    assert run(capsys, "fetch", "--inbox", str(inbox))[0] == 0
    assert Store.open(db).backup_list()[0].reason == "voor-ophalen"
    assert run(capsys, "fetch", "--inbox", str(inbox))[0] == 0
    assert Store.open(db).backup_list()[0].reason == "voor-ophalen"
    assert len(Store.open(db).backups()) == 3, "a fetch that changed nothing made none"


def test_damage_message_says_how_old_the_backup_is_and_what_restoring_loses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "oso.json"
    for pgn in PUPILS[:5]:
        request(capsys, pgn)
    backup = make_older(Store.open(db).backups()[0], hours=3)
    part = part_file(db, AANVRAGEN, b'"brin":"12AB"')
    part.write_bytes(part.read_bytes().replace(b'"brin":"12AB"', b'"brin":"12AC"', 1))
    code, _, err = run(capsys, "list")  # reads the requests (status reads the counts record)
    assert code == 1
    assert "klopt niet met haar controlegetal" in err
    assert f"--terugzetten {backup.name}" in err
    assert "die is van 3 uur geleden en bevat 1 aanvraag en 0 leerlingen" in err
    assert "het beschadigde bestand een onbekend aantal aanvragen en 0 leerlingen" in err


def test_doctor_restore_shows_then_restores_and_keeps_the_damaged_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "oso.json"
    for pgn in PUPILS[:4]:
        request(capsys, pgn)
    store = Store.open(db)
    backup = store.backups()[0]
    generation = store.generation()
    manifest = read_manifest(db)
    assert manifest is not None
    lost = next(n for n, chunks in sorted(manifest.parts.items()) if chunks and n != AANVRAGEN)
    audit = part_file(db, lost)
    audit.unlink()
    damaged = stored(db)

    code, out, err = run(capsys, "doctor", "--restore", backup.name)
    assert code == 1 and "voeg --ja toe" in err
    assert f"Reservekopie {backup.name}: gemaakt " in out and "bevat 1 aanvraag en 0 leerlingen" in out
    assert f"beschadigd (tabel '{lost}' ({audit.name}) ontbreekt); bevat 4 aanvragen en 0 leerlingen" in out
    assert stored(db) == damaged

    code, out, _ = run(capsys, "doctor", "--restore", backup.name, "--ja")
    assert code == 0, out
    [aside] = [p for p in store.backup_dir.iterdir() if "-opzij-" in p.name]
    assert stored(aside / db.name) == damaged, "the damaged state is kept aside, byte for byte"
    assert f"Het vorige bestand is ongewijzigd bewaard als {aside}." in out
    assert store.generation() > generation, "every open app sees a change"
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0 and json.loads(out)["aanvragen"]["totaal"] == 1
    code, out, _ = run(capsys, "doctor")
    assert code == 0 and "De database is gezond." in out
    assert aside.exists() and aside in [*store.backup_dir.iterdir()]
    for _ in range(12):
        store.backup("handmatig")
    assert aside.exists(), "rotation never removes a file kept aside"


def test_a_damaged_restore_point_is_not_restored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "oso.json"
    for pgn in PUPILS[:3]:
        request(capsys, pgn)
    backup = Store.open(db).backups()[0]
    backup.write_bytes(backup.read_bytes()[:-20])
    before = db.read_bytes()
    code, out, _ = run(capsys, "doctor", "--restore", backup.name, "--ja")
    assert code == 1
    assert "Deze reservekopie is beschadigd" in out and "kan niet teruggezet worden" in out
    assert db.read_bytes() == before
    code, _, err = run(capsys, "doctor", "--restore", "bestaat-niet.json", "--ja")
    assert code == 1 and "De reservekopie bestaat-niet.json bestaat niet" in err


def test_collective_registration_makes_one_restore_point_and_respects_a_read_only_file(
    tmp_path: Path,
) -> None:
    from oso_tui import services
    from tests.registratie_data import PGN, aanvraag, dossier_xml, make_settings, ontvang
    from tests.service_context import ctx_of

    settings = make_settings(tmp_path / "school")
    store = Store.open(settings.db_path)
    aanvraag(store)
    ontvang(store, dossier_xml())
    before = len(store.backups())
    outcomes = services.register_many(
        ctx_of(store, settings, "admin"), pgns=["111222333", PGN], stappen=["personalia"]
    )
    assert [o.gelukt for o in outcomes] == [False, True]
    made = store.backup_list()
    assert len(made) == before + 1 and made[0].reason == "voor-collectief"

    store.path.chmod(0o400)
    files = sorted(p.name for p in store.backup_dir.iterdir())
    with pytest.raises(StoreReadOnlyError, match="alleen-lezen"):
        services.register_many(
            ctx_of(store, settings, "admin"), pgns=[PGN, "111222333"], stappen=["loopbaan"]
        )
    assert sorted(p.name for p in store.backup_dir.iterdir()) == files, "not even a restore point"


def test_a_restore_point_links_the_table_files_and_rotation_removes_only_unused_ones(tmp_path: Path) -> None:
    from pydantic import BaseModel

    from oso_tui.store.backups import SHARED, RestorePolicy
    from oso_tui.store.restore import restore

    class Rij(BaseModel):
        id: str

    store = Store.open(tmp_path / "oso.json", policy=RestorePolicy(keep=2))
    for i in range(5):
        with store.transaction() as tx:
            tx.collection(AANVRAGEN, Rij).put(Rij(id=f"r{i}"))
        store.backup("handmatig")
    kept = store.backups()
    assert len(kept) == 2
    manifests = [read_manifest(b) for b in kept]
    named = set().union(*(m.files for m in manifests if m is not None))
    shared = store.backup_dir / SHARED
    assert {p.name for p in shared.iterdir()} == named, "rotation keeps exactly what restore points name"
    current = read_manifest(store.path)
    assert current is not None
    for name in current.files:
        assert (shared / name).samefile(store.parts_dir / name), "a hard link, not a copy"

    restore(store, kept[1])
    with store.snapshot() as view:
        assert sorted(view.collection(AANVRAGEN, Rij).ids()) == ["r0", "r1", "r2", "r3"]
    [aside] = [p for p in store.backup_dir.iterdir() if "-opzij-" in p.name]
    with Store.open(aside / "oso.json").snapshot() as view:
        assert len(view.collection(AANVRAGEN, Rij).ids()) == 5, "the state before is kept aside whole"


def test_a_restore_point_named_in_another_time_zone_does_not_make_every_write_a_new_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A colleague's session two hours ahead names its restore point later than ours are named: the
    newest is still the one of the highest generation, so a restore point comes every other write
    (as configured), not with every write."""
    config = tmp_path / "config.toml"
    config.write_text(config.read_text("utf-8") + "[opslag]\nreservekopie_na_schrijfacties = 2\n", "utf-8")
    request(capsys, PUPILS[0])
    ahead = Store.open(tmp_path / "oso.json").backup("periodiek")
    assert ahead is not None
    make_older(ahead, -2)
    store = Store.open(tmp_path / "oso.json")
    before = len(store.backup_list())
    for pgn in PUPILS[1:5]:
        request(capsys, pgn)
    made = len(store.backup_list()) - before
    assert made == 2, f"one restore point per two writes, not {made} for four"
    assert store.backup_list()[0].generation == max(b.generation or 0 for b in store.backup_list())

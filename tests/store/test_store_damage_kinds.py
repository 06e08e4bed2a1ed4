"""Each kind of damage from the command line: every command refuses in Dutch, nothing is written.

For each kind: the refusal (exit 1, one Dutch sentence), the database file and every restore point
byte-identical afterwards, and what `oso-tui doctor` says about it.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from oso_tui.cli import main
from oso_tui.store import Store
from oso_tui.store.files import TEMP_MARKER
from oso_tui.store.manifest import PartsState, parts_dir
from oso_tui.store.tables import AANVRAGEN
from tests.aanvraag_helpers import valid_bsns
from tests.store.legacy_layout import to_single_file

PUPILS = valid_bsns(4)
REPO = Path(__file__).resolve().parents[2]
SHARD = "leerlingen-03"


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OSO_TUI_TODAY", "2027-04-01")
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text('[school]\nregio = "midden"\n', encoding="utf-8")
    monkeypatch.delenv("OSO_TUI_DB", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    try:
        code = main([*argv, "--db", str(db)])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def request_args(pgn: str) -> list[str]:
    return ["request", "--pgn", pgn, "--geboortedatum", "2014-05-01", "--brin", "12AB"]


def school(tmp_path: Path, capsys: pytest.CaptureFixture[str], *, single_file: bool = False) -> Path:
    """A store with three requests and a pupil shard, and a restore point holding all of it; with
    `single_file` in the layout of an older oso-tui (one file), restore point included."""
    db = tmp_path / "oso.json"
    for pgn in PUPILS[:3]:
        assert run(capsys, db, *request_args(pgn))[0] == 0
    store = Store.open(db)
    with store.transaction() as tx:
        tx.table(SHARD).insert({"id": "L1", "pgn": PUPILS[0]})
    if single_file:
        to_single_file(db)
    Store.open(db).backup("handmatig")
    return db


def files_of(db: Path) -> dict[str, bytes]:
    """The manifest (or single file), every table file and every restore point, as bytes."""
    found = {db.name: db.read_bytes()} if db.exists() else {}
    for folder in (parts_dir(db), db.with_name(db.stem + "-reservekopieen")):
        if folder.is_dir():
            found |= {str(p.relative_to(db.parent)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    return found


COMMANDS: list[list[str]] = [["status"], ["list"], request_args(PUPILS[3]), ["audit"]]


def assert_every_command_refuses(capsys: pytest.CaptureFixture[str], db: Path, words: str) -> None:
    before = files_of(db)
    for command in COMMANDS:
        code, _, err = run(capsys, db, *command)
        assert code == 1, (command, err)
        refusal = err.strip().splitlines()[-1]
        assert refusal.startswith("oso-tui: Het databasebestand") and words in refusal, (command, err)
        assert files_of(db) == before, command


def test_a_removed_table_line_is_refused_and_doctor_names_the_backup_that_holds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = school(tmp_path, capsys, single_file=True)
    backup = Store.open(db).backups()[0]
    lines = db.read_bytes().split(b"\n")
    damaged = b"\n".join(line for line in lines if not line.startswith(f'"{SHARD}":'.encode()))
    assert len(damaged) < len(db.read_bytes())
    db.write_bytes(damaged)

    assert_every_command_refuses(capsys, db, f"tabel '{SHARD}' ontbreekt")
    code, _, err = run(capsys, db, "status")
    assert f"--terugzetten {backup.name}" in err and "bevat 3 aanvragen en 0 leerlingen" in err
    before = files_of(db)
    code, out, _ = run(capsys, db, "doctor", "--repair")
    assert code == 1
    assert f"tabel '{SHARD}' ontbreekt" in out
    assert f"Tabel '{SHARD}' staat heel in de reservekopie {backup.name}" in out
    assert "De database is gezond" not in out
    assert files_of(db) == before


def test_a_removed_meta_line_is_damage_not_an_old_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = school(tmp_path, capsys, single_file=True)
    lines = db.read_bytes().split(b"\n")
    db.write_bytes(b"\n".join(line for line in lines if not line.startswith(b'"_meta":')))

    assert_every_command_refuses(capsys, db, "de eerste regel met _meta")
    before = files_of(db)
    code, out, _ = run(capsys, db, "doctor", "--repair")
    assert code == 1
    assert "de eerste regel met _meta (schemaversie en inhoudsopgave) ontbreekt" in out
    assert "Schemaversie 0" not in out and "voor-migratie" not in " ".join(files_of(db))
    assert files_of(db) == before


def test_a_read_only_file_is_respected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = school(tmp_path, capsys)
    db.chmod(0o400)
    before = files_of(db)
    code, _, err = run(capsys, db, *request_args(PUPILS[3]))
    assert code == 1
    assert "is alleen-lezen (rechten 0400)" in err and "er is niets gewijzigd" in err
    assert files_of(db) == before
    code, out, _ = run(capsys, db, "status")
    assert code == 0 and "3 aanvragen" in out, "reading a read-only store still works"
    code, out, _ = run(capsys, db, "doctor", "--repair")
    assert "Het databasebestand is alleen-lezen (rechten 0400)" in out
    assert files_of(db) == before
    assert db.stat().st_mode & 0o777 == 0o400, "doctor --repair leaves the chosen mode alone"


def test_a_folder_where_the_file_should_be_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "oso.json"
    db.mkdir()
    for command in [*COMMANDS, ["doctor"]]:
        code, out, err = run(capsys, db, *command)
        assert code == 1, command
        assert f"Op de plek van het databasebestand {db} staat een map" in out + err, command
    assert list(db.iterdir()) == [], "no store is started inside the folder"
    assert not db.with_name("oso.json.lock").exists() or db.with_name("oso.json.lock").is_file()


def test_a_folder_that_holds_a_database_is_a_way_to_name_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "gegevens"
    folder.mkdir()
    school(folder, capsys)
    (folder / "oso.json").rename(folder / "oso-tui.json")
    code, out, _ = run(capsys, folder, "status")
    assert code == 0 and "3 aanvragen" in out
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".json") == ["oso-tui.json"]


def test_a_file_too_large_for_the_system_is_a_dutch_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = school(tmp_path, capsys)
    before = files_of(db)
    store = Store.open(db)
    with store.snapshot() as view:
        state = view._state
        assert isinstance(state, PartsState)
        part = state.manifest.parts[AANVRAGEN][-1]
    limit = part.length  # the manifest and the restore point still fit; the grown table does not

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {
        "PYTHONPATH": str(REPO),
        "PATH": "/usr/bin:/bin",
        "PYTHONDONTWRITEBYTECODE": "1",  # a bytecode cache cut off at the limit would break imports
        "OSO_TUI_TODAY": "2027-04-01",
        "OSO_TUI_CONFIG": str(tmp_path / "config.toml"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "oso_tui", *request_args(PUPILS[3]), "--db", str(db)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "het bestand wordt groter dan dit systeem toestaat" in done.stderr
    assert "er is niets gewijzigd" in done.stderr
    assert "File too large" not in done.stderr and "Traceback" not in done.stderr
    assert files_of(db) == before
    assert not [p for p in tmp_path.iterdir() if TEMP_MARKER in p.name]
    code, out, _ = run(capsys, db, "doctor")
    assert code == 0, out
    assert "Geen achtergebleven tijdelijke bestanden." in out and "De database is gezond." in out
    assert (parts_dir(db) / part.file).stat().st_size == limit

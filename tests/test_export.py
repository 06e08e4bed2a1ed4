"""Exports open in Dutch Excel as meant, no spreadsheet finds a formula, a bad target is refused."""

from __future__ import annotations

import csv
import errno
import io
import os
from pathlib import Path

import pytest

from oso_tui import services
from oso_tui.cli import main
from oso_tui.registration import export
from oso_tui.registration.export import veilige_cel
from oso_tui.services import rollen
from oso_tui.settings import Settings
from oso_tui.store import Store
from oso_tui.store.audit import list_audit
from tests.registratie_data import PGN, aanvraag, dossier_xml, make_settings, ontvang
from tests.service_context import ctx_of

HOSTILE_NAME = "Berg;=1+1,@SUM(A1)"
HOSTILE_STREET = "-2+3&#9;=cmd|' /C calc'!A0&#13;+x,-y;@z\"=q"
DANGEROUS = tuple("=+-@\t\r")


@pytest.fixture(autouse=True)
def _quiet_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rollen, "_announced", True)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    store = Store.open(tmp_path / "oso.json")
    aanvraag(store)
    ontvang(store, dossier_xml(achternaam=HOSTILE_NAME, straat=HOSTILE_STREET), datum="2027-03-01")
    s = make_settings(tmp_path)
    services.register(
        ctx_of(store, s, "admin"), pgn=PGN, stappen=["personalia"], accepteer_waarschuwingen=True
    )
    return s


def exported(settings: Settings) -> str:
    return services.export(ctx_of(Store.open(settings.db_path), settings, "admin")).tekst


def test_veilige_cel_quotes_every_formula_start_and_nothing_else() -> None:
    assert veilige_cel("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert veilige_cel("+31612345678") == "'+31612345678"
    assert veilige_cel("\t-1") == "'\t'-1"
    assert veilige_cel("Jansen;=1,@2") == "Jansen;'=1,'@2"
    assert veilige_cel("Smit-de Vries, J. = zij") == "Smit-de Vries, J. = zij"
    assert veilige_cel("Vermeulen") == "Vermeulen" and veilige_cel("") == ""


def test_csv_is_the_dutch_excel_dialect_with_readable_headers(settings: Settings) -> None:
    text = exported(settings)
    assert text.startswith("\ufeff"), "UTF-8 with a BOM, or Excel reads the text as Windows-1252"
    lines = text.removeprefix("\ufeff").split("\r\n")
    assert lines[-1] == "" and all(line.startswith('"') and line.endswith('"') for line in lines[:2])
    header, row = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert header[:2] == ["BSN of onderwijsnummer", "Naam"]
    assert {"Achternaam", "Geboortedatum", "Adres"} <= set(header)
    assert not any("." in cell for cell in header), "headers a person reads, not field paths"
    values = dict(zip(header, row, strict=True))
    assert values["BSN of onderwijsnummer"] == PGN
    assert values["Achternaam"] == "Berg;'=1+1,'@SUM(A1)", "the value stays, with a quote before each formula"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_no_spreadsheet_separator_cuts_out_a_formula(settings: Settings, delimiter: str) -> None:
    text = exported(settings).removeprefix("\ufeff")
    assert "=cmd" in text and "SUM(A1)" in text, "the hostile values are in the export"
    cells = [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row]
    assert cells
    offenders = [cell for cell in cells if cell.startswith(DANGEROUS)]
    assert offenders == []
    # a reader that ignores quotes and splits every line on the separator
    pieces = [p.strip('"') for line in text.splitlines() for p in line.split(delimiter)]
    assert [p for p in pieces if p.startswith(DANGEROUS)] == []


def run(capsys: pytest.CaptureFixture[str], settings: Settings, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(settings.db_path), "--config", str(settings.config_path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def leftovers(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.iterdir() if p.name.endswith(".tmp")]


def exports_in_audit(settings: Settings) -> int:
    with Store.open(settings.db_path).snapshot() as view:
        return sum(e.actie == "export" for e in list_audit(view))


@pytest.fixture
def config(settings: Settings) -> Settings:
    settings.config_path.write_text("", encoding="utf-8")
    return settings


def test_export_to_a_folder_is_one_sentence_and_leaves_nothing(
    config: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    code, out, err = run(capsys, config, "export", "--out", str(folder))
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "is een map" in err and "Traceback" not in err
    assert leftovers(folder, tmp_path) == [] and list(folder.iterdir()) == []
    assert exports_in_audit(config) == 0


def test_export_never_replaces_a_device_or_pipe(
    config: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "pijp.csv"
    os.mkfifo(pipe)
    code, _, err = run(capsys, config, "export", "--out", str(pipe))
    assert code == 2 and "geen gewoon bestand" in err and err.count("\n") == 1
    assert not pipe.is_file() and pipe.exists(), "the pipe is still a pipe"
    assert leftovers(tmp_path) == [] and exports_in_audit(config) == 0


def test_export_to_a_missing_folder_is_one_sentence(
    config: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, config, "export", "--out", str(tmp_path / "weg" / "x.csv"))
    assert code == 2 and "De map" in err and "bestaat niet" in err and err.count("\n") == 1
    assert leftovers(tmp_path) == [] and exports_in_audit(config) == 0


def test_export_to_a_read_only_place_leaves_no_temp_file(
    config: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "alleen-lezen" / "x.csv"
    target.parent.mkdir()
    real_open = os.open

    def read_only(path: str | os.PathLike[str], flags: int, mode: int = 0o777, **kw: object) -> int:
        if Path(path).parent == target.parent and flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(export.os, "open", read_only)
    code, _, err = run(capsys, config, "export", "--out", str(target))
    assert code == 2 and "alleen-lezen" in err and err.count("\n") == 1
    assert list(target.parent.iterdir()) == [] and exports_in_audit(config) == 0


def test_export_file_is_owner_only_whatever_the_umask(
    config: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = os.umask(0)
    try:
        code, _, _ = run(capsys, config, "export", "--out", str(tmp_path / "x.csv"))
    finally:
        os.umask(old)
    assert code == 0 and (tmp_path / "x.csv").stat().st_mode & 0o777 == 0o600
    assert leftovers(tmp_path) == [] and exports_in_audit(config) == 1
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")

"""`oso-tui check` as a user runs it: one line per file, --json, exit codes 0/1/2, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from oso_tui.cli import main
from tests.dossier.builders import base, drop, set_text, to_bytes

SECRET = "GEHEIM-MARKER-c0ffee"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "db.json"))
    monkeypatch.delenv("OSO_TUI_CONFIG", raising=False)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_valid_file_says_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "goed.xml", to_bytes(base()))
    code, out, err = run([str(path)], capsys)
    assert code == 0
    assert out == f"{path}: OK (versie 2019.1)\n"
    assert err == ""


def test_warnings_are_shown_but_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "voorlopig.xml", to_bytes(set_text(base(), "inzage/voorlopigdossier", "true")))
    code, out, _ = run([str(path)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{path}: OK (versie 2019.1, 1 waarschuwing)"
    assert lines[1].startswith(f"{path}:")
    assert "waarschuwing: Dit is een voorlopig dossier" in lines[1]
    code, out, _ = run([str(path), "--alleen-fouten"], capsys)
    assert out.splitlines() == [f"{path}: OK (versie 2019.1, 1 waarschuwing)"]


def test_invalid_file_lists_findings_with_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "fout.xml", to_bytes(drop(base(), "huidigeschool/leerling/bsn")))
    code, out, _ = run([str(path)], capsys)
    assert code == 1
    (line,) = out.splitlines()
    assert line.startswith(f"{path}:")
    assert line.split(":")[1].isdigit()
    assert "fout: Het dossier bevat geen BSN of onderwijsnummer" in line
    assert "[huidigeschool/leerling/bsn]" in line


def test_a_valid_dossier_that_cannot_be_registered_exits_zero_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The elfproef is our own registration check, not a rule of the standard: no `fout`."""
    path = write(tmp_path, "elf.xml", to_bytes(set_text(base(), "huidigeschool/leerling/bsn", "123456789")))
    code, out, _ = run([str(path)], capsys)
    assert code == 0
    first, line = out.splitlines()
    assert first == f"{path}: OK (versie 2019.1); kan niet geregistreerd worden"
    assert line.split(":")[1].isdigit()
    assert "niet te registreren: Het BSN eindigend op 789" in line
    code, out, _ = run([str(path), "--json"], capsys)
    (report,) = json.loads(out)
    assert report["ok"] is True and report["registreerbaar"] is False
    assert report["findings"][0]["severity"] == "blokkade"


def test_unreadable_file_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "goed.xml", to_bytes(base()))
    code, out, _ = run([str(good), str(tmp_path / "weg.xml")], capsys)
    assert code == 2
    assert (
        out.splitlines()[-1]
        == f"{tmp_path / 'weg.xml'}: onleesbaar: Het bestand {tmp_path / 'weg.xml'} bestaat niet."
    )


def test_too_large_file_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "groot.xml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    code, out, _ = run([str(path)], capsys)
    assert code == 2
    assert "groter dan de grens van 10 MB" in out


def test_error_beats_ok_and_unreadable_beats_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "a.xml", to_bytes(base()))
    bad = write(tmp_path, "b.xml", b"<kapot")
    assert run([str(good), str(bad)], capsys)[0] == 1
    assert run([str(good), str(bad), str(tmp_path / "c.xml")], capsys)[0] == 2


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "goed.xml", to_bytes(base()))
    bad = write(tmp_path, "fout.xml", to_bytes(set_text(base(), "inzage/inzage", "false")))
    code, out, _ = run([str(good), str(bad), str(tmp_path / "weg.xml"), "--json"], capsys)
    assert code == 2
    reports = json.loads(out)
    assert [r["file"] for r in reports] == [str(good), str(bad), str(tmp_path / "weg.xml")]
    niet = reports[0].pop("niet_overgenomen")
    assert {"pad": "metadata/pakketnaam", "waarde": "Testpakket", "stap": "personalia"}.items() <= niet[
        1
    ].items()
    assert all(n["reden"] for n in niet)
    assert reports[0] == {
        "file": str(good),
        "ok": True,
        "registreerbaar": True,
        "readable": True,
        "version": "2019.1",
        "namespace_year": 2019,
        "leerling": "Sanne de Vries",
        "findings": [],
    }
    finding = reports[1]["findings"][0]
    assert reports[1]["ok"] is False
    assert set(finding) == {"severity", "code", "line", "path", "message"}
    assert finding["severity"] == "fout" and finding["code"] == "OVa.IZ02" and finding["line"] > 0
    assert reports[2]["readable"] is False and reports[2]["ok"] is False


def test_a_folder_checks_its_xml_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    write(folder, "a.xml", to_bytes(base()))
    write(folder, "b.XML", to_bytes(base()))
    write(folder, "lees-mij.txt", b"geen dossier")
    code, out, _ = run([str(folder)], capsys)
    assert code == 0
    assert [line.split(":")[0] for line in out.splitlines()] == [str(folder / "a.xml"), str(folder / "b.XML")]


def test_empty_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([str(tmp_path)], capsys)
    assert code == 2
    assert "geen .xml-bestanden" in err


def test_no_files_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
    assert "verplicht" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("leeg.xml", b"", "Het bestand is leeg."),
        ("rommel.xml", bytes(range(256)) * 8, "geen XML-document"),
        ("afgebroken.xml", b"<?xml version='1.0'?>\n<dossier xmlns='x'>\n<metadata>", "afgebroken"),
        ("html.xml", b"<html/>", "geen OSO-dossier"),
    ],
)
def test_each_bad_kind_gets_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, fragment: str
) -> None:
    path = write(tmp_path, name, data)
    code, out, err = run([str(path)], capsys)
    assert code == 1
    assert len(out.splitlines()) == 1
    assert fragment in out
    assert "Traceback" not in out + err


def test_xxe_never_shows_the_local_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = write(tmp_path, "geheim.txt", SECRET.encode())
    xxe = write(
        tmp_path,
        "xxe.xml",
        f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>\n<dossier>&x;</dossier>'.encode(),
    )
    for extra in ([], ["--json"]):
        code, out, err = run([str(xxe), *extra], capsys)
        assert code == 1
        assert SECRET not in out + err
        assert "DOCTYPE" in out


def test_checking_a_local_non_dossier_file_does_not_show_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "wachtwoorden", f"root:{SECRET}:0:0\n".encode())
    code, out, err = run([str(path)], capsys)
    assert code == 1
    assert SECRET not in out + err


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    bad = write(tmp_path, "kapot.xml", b"\xff\xfe\x00garbage")
    proc = subprocess.run(
        [sys.executable, "-m", "oso_tui", "check", str(bad)],
        capture_output=True,
        text=True,
        env={"OSO_TUI_DB": str(tmp_path / "db.json"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.startswith(str(bad))

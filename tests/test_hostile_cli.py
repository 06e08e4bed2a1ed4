"""Every command over the hostile corpus: no raw control code in any output, JSON with the exact value.

Names with markup, ESC sequences, C1 codes, bidi overrides and CR/LF come in through a CSV, an inbox
and the dossiers themselves (tests/hostile/README.md); the store keeps them exactly, the terminal sees
them spelled out (`\\x1b`, `\\r\\n`, `<U+202E>`), and no value can forge an extra output line.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from oso_tui.cli import main
from oso_tui.services import rollen
from tests import hostile_corpus as corpus


class Terminal(io.StringIO):
    """A captured stream that says it is a terminal, as stdout is for a person at the keyboard."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "oso.json"))
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("OSO_TUI_TODAY", "2027-05-20")
    monkeypatch.setenv("COLUMNS", "140")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(rollen, "_announced", False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run one command; fail when its output or its errors hold a raw control character."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert corpus.raw_controls(out) == [], (argv, out)
    assert corpus.raw_controls(err) == [], (argv, err)
    assert "Traceback" not in err and "programmafout" not in err, err
    return code, out, err


def on_terminal(monkeypatch: pytest.MonkeyPatch, *argv: str) -> str:
    screen = Terminal()
    with monkeypatch.context() as patch:
        patch.setattr("sys.stdout", screen)
        code = main(list(argv))
    assert code == 0
    text = screen.getvalue()
    assert corpus.raw_controls(text) == [], (argv, text)
    return text


@pytest.fixture
def fetched(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """Requests from the hostile CSV, both hostile dossiers fetched and linked."""
    code, out, err = run(capsys, "request", "--csv", str(corpus.make_csv(tmp_path / "csv")))
    assert code == 1 and out.startswith("3 aanvragen gemaakt"), "four rows are refused"
    assert "\\x1b[2J\\x1b[31m999" in err and "<U+202E>AW99" in err and "[@click=app.quit]" in err
    inbox = corpus.make_inbox(tmp_path)
    code, out, err = run(capsys, "fetch", "--inbox", str(inbox))
    assert code == 1 and "1 bevestiging nodig" in out, "the surname differs from the one in the CSV"
    assert "\\x1b[31m\\x1b]0;titel\\x07[@click=app.quit].xml" in err
    assert "Timmerman[/bold]\\r\\noso-tui: 0 fouten" in err
    code, out, _ = run(capsys, "fetch", "--inbox", str(inbox), "--bevestig")
    assert code == 0 and "1 opgehaald" in out
    return inbox


def test_requests_and_fetching_show_every_value_spelled_out(
    fetched: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0 and out.splitlines()[-1] == "3 aanvragen."
    rows = out.splitlines()[2:-1]
    assert len(rows) == 3, "one line per request: no value forges another"
    assert any("[bold red]Jesse Timmerman[/bold]\\r\\noso-tui: 0 fouten" in row for row in rows)
    assert any("[@click=app.screenshot()]Evi Berg[/bold]" in row for row in rows)
    assert any("Vos\\r\\noso-tui: 0 geweigerd" in row for row in rows)

    code, out, _ = run(capsys, "list", "--json")
    names = {row["pgn"]: row["naam"] for row in json.loads(out)}
    assert names[corpus.ZORG_PGN] == f"{corpus.ZORG_ROEPNAAM} {corpus.ZORG_ACHTERNAAM}"
    assert names[corpus.VOS_PGN] == "Vos\r\noso-tui: 0 geweigerd"
    assert run(capsys, "status")[0] == 0
    assert json.loads(run(capsys, "status", "--json")[1])["aanvragen"]["totaal"] == 3

    code, out, _ = run(capsys, "request", "--csv", str(corpus.make_csv(tmp_path / "csv2")), "--voorbeeld")
    assert code == 1 and out.startswith("Voorbeeld, niets opgeslagen")
    code, out, err = run(capsys, "renew", "--pgn", corpus.ZORG_PGN)
    assert code == 0, err
    code, out, err = run(capsys, "withdraw", "--pgn", corpus.VOS_PGN)
    assert code == 0, err


def test_check_reports_a_hostile_file_name_spelled_out_and_exact_in_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    inbox = corpus.make_inbox(tmp_path)
    code, out, _ = run(capsys, "check", str(inbox))
    assert code == 0 and len(out.splitlines()) == 2
    assert "a\\x1b[31m\\x1b]0;titel\\x07[@click=app.quit].xml: OK" in out
    code, out, _ = run(capsys, "check", "--json", str(inbox / corpus.ESC_NAME))
    report = json.loads(out)[0]
    assert report["file"] == str(inbox / corpus.ESC_NAME)
    assert report["leerling"] == f"{corpus.ZORG_ROEPNAAM} {corpus.ZORG_ACHTERNAAM}"


def test_errors_name_hostile_input_spelled_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / corpus.CSV_NAME
    code, _, err = run(capsys, "request", "--csv", str(missing))
    assert code == 2 and "\\x1b[2J[bold]<U+202E>.csv" in err and len(err.splitlines()) == 1
    code, out, _ = run(capsys, "check", str(tmp_path / corpus.ESC_NAME))
    assert code == 2 and "\\x1b[31m" in out and "onleesbaar" in out
    with pytest.raises(SystemExit) as usage:
        main(["list", "--status", "\x1b[31mrood\r\nnep"])
    err = capsys.readouterr().err
    assert usage.value.code == 2 and "\\x1b[31mrood\\r\\nnep" in err and not corpus.raw_controls(err)


def test_registration_commands_show_values_spelled_out_and_json_exact(
    fetched: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pgn = corpus.ZORG_PGN
    code, out, _ = run(capsys, "register", "--pgn", pgn, "--step", "all", "--dry-run")
    assert code == 0 and "[@click=app.quit]Esdoorn<U+202E>naal" in out
    assert "[@click=app.screenshot()]SBO De Springplank[/]" in out
    code, out, err = run(
        capsys, "register", "--pgn", pgn, "--step", "all", "--plaatsing",
        "schooljaar=2027-2028,leerjaar=1,opleiding=vmbo,klas=1A",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "show", "--pgn", pgn)
    assert code == 0 and "Timmerman[/bold]\\r\\noso-tui: 0 fouten" in out
    assert "[bold red]Jesse Willem\\x9b2J" in out
    code, out, _ = run(capsys, "show", "--pgn", pgn, "--json")
    values = {v["pad"]: v["waarde"] for stap in json.loads(out)["stappen"] for v in stap["velden"]}
    assert corpus.ZORG_ACHTERNAAM in values.values()
    assert "\u009b" in out or "\\u009b" in out
    code, out, _ = run(capsys, "history", "--pgn", pgn)
    assert code == 0 and "Timmerman[/bold]" in out
    code, out, _ = run(capsys, "history", "--pgn", pgn, "--json")
    assert json.loads(out)
    code, out, _ = run(capsys, "bijlagen", "--pgn", pgn)
    assert code == 0 and "opp[@click=app.quit]<U+202E>piz.txt" in out
    (fetched.parent / "bewaard").mkdir()
    code, out, err = run(capsys, "bijlagen", "--pgn", pgn, "--map", str(fetched.parent / "bewaard"))
    assert code == 0 and out.startswith("Opgeslagen") and len(out.splitlines()) == 1, err
    code, out, _ = run(capsys, "audit")
    lines = out.splitlines()
    code, out, _ = run(capsys, "audit", "--json")
    assert code == 0 and len(lines) == 2 + len(json.loads(out)), "a heading, a rule, one line per entry"

    code, out, _ = run(capsys, "export", "--format", "json", "--met-begeleiding")
    exported = {row["pgn"]: row for row in json.loads(out)}
    assert exported[pgn]["naam"] == f"{corpus.ZORG_ROEPNAAM} {corpus.ZORG_ACHTERNAAM}"
    shown = on_terminal(monkeypatch, "export")
    assert "Timmerman[/bold]\\r\\noso-tui: 0 fouten" in shown
    assert len(shown.splitlines()) == 1 + 1, "a heading and one pupil: no value forges a record"
    capsys.readouterr()
    code = main(["export"])
    piped = capsys.readouterr().out
    assert code == 0 and corpus.ZORG_ACHTERNAAM in piped, "into a pipe or a file the data stays exact"

    code, out, _ = run(capsys, "undo", "--pgn", pgn)
    assert code == 0 and "ongedaan" in out
    code, out, _ = run(capsys, "doctor")
    assert code in (0, 1)

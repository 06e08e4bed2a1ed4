"""The request commands as IT staff use them: summaries, stderr details, exit codes 0/1/2."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from oso_tui.cli import main
from tests.aanvraag_helpers import dossier_xml, valid_bsns

BSN1, BSN2 = valid_bsns(2)
MARCH = date(2027, 3, 10)
SAMPLES = Path(__file__).resolve().parents[2] / "sample_dossiers"


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "db.json"))
    monkeypatch.setenv("OSO_TUI_TODAY", "2027-04-01")
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text('[school]\nregio = "midden"\n', encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def request(capsys: pytest.CaptureFixture[str], pgn: str = BSN1, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "request", "--pgn", pgn, "--geboortedatum", "2014-05-01", "--brin", "12AB", *extra)


def test_request_then_duplicate_then_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = request(capsys)
    assert (
        code == 0
        and out.strip() == f"Aanvraag gemaakt voor ••••••{BSN1[-3:]} bij school 12AB-00 (aangevraagd)."
    )
    code, _, err = request(capsys)
    assert code == 1 and "al een aanvraag" in err
    code, _, err = request(capsys, "123")
    assert code == 2 and "9 cijfers" in err
    code, _, err = run(capsys, "request", "--pgn", BSN2, "--geboortedatum", "31-2-2014", "--brin", "12AB")
    assert code == 2 and "geen geldige datum" in err
    code, _, err = run(capsys, "request", "--pgn", BSN2)
    assert code == 2 and "--geboortedatum" in err
    code, _, err = run(capsys, "request", "--csv", "x.csv", "--pgn", BSN2)
    assert code == 2 and "niet allebei" in err


def test_collective_request_reports_rows_and_exits_1_on_refusals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv = tmp_path / "lijst.csv"
    csv.write_text(
        f"pgn,geboortedatum,brin\n{BSN1},2014-05-01,12AB\n123456789,2014-05-01,12AB\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "request", "--csv", str(csv), "--voorbeeld")
    assert code == 1 and out.startswith("Voorbeeld, niets opgeslagen: 1 aanvragen te maken")
    assert "rij 3:" in err and "elfproef" in err
    code, out, _ = run(capsys, "status", "--json")
    assert json.loads(out)["aanvragen"]["totaal"] == 0
    code, out, _ = run(capsys, "request", "--csv", str(csv))
    assert (
        code == 1
        and out.strip() == "1 aanvragen gemaakt, 0 overgeslagen (al aangevraagd), 1 rijen geweigerd."
    )
    code, _, err = run(capsys, "request", "--csv", str(tmp_path / "weg.csv"))
    assert code == 2 and "bestaat niet" in err


def test_fetch_from_inbox_list_and_status(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    request(capsys, BSN1, "--achternaam", "Pietersen")
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.xml").write_bytes(dossier_xml(BSN1, datum=MARCH))
    (inbox / "b.xml").write_bytes(dossier_xml(BSN2, datum=MARCH))
    code, out, err = run(capsys, "fetch", "--inbox", str(inbox))
    assert code == 1, "a name mismatch waits for confirmation"
    assert "1 bevestiging nodig" in out and "1 zonder aanvraag" in out
    assert "--bevestig" in err
    code, out, _ = run(capsys, "fetch", "--inbox", str(inbox), "--bevestig")
    assert code == 0 and out.strip() == "2 dossiers bekeken: 1 opgehaald, 1 zonder aanvraag."
    code, out, _ = run(capsys, "list")
    lines = out.strip().splitlines()
    assert lines[-1] == "1 aanvraag, 1 dossier zonder aanvraag."
    assert lines[0].split() == ["PGN", "Naam", "Geboren", "School", "Status", "Dossiers", "Stappen"]
    row = lines[2]
    assert BSN1 not in out and row.startswith(f"••••••{BSN1[-3:]}")
    assert "Noor Jansen" in row and "opgehaald" in row and "10-03-2027" in row
    unmatched = lines.index(next(line for line in lines if "Zonder aanvraag" in line))
    assert "b.xml" in lines[unmatched + 2] and BSN2 not in out
    code, out, _ = run(capsys, "list", "--json", "--status", "opgehaald")
    rows = json.loads(out)
    assert [(r["pgn"], r["status"], r["laatste_dossierdatum"], r["stappen"]) for r in rows] == [
        (BSN1, "opgehaald", "2027-03-10", [])
    ]
    code, out, _ = run(capsys, "status", "--json")
    data = json.loads(out)
    assert data["aanvragen"]["per_status"]["opgehaald"] == 1 and data["zonder_aanvraag"] == 1
    code, out, _ = run(capsys, "status")
    assert code == 0 and "1 dossier zonder aanvraag" in out
    code, _, err = run(capsys, "list", "--status", "weg")
    assert code == 2 and "ongeldige keuze" in err
    code, _, err = run(capsys, "fetch", "--inbox", str(tmp_path / "nergens"))
    assert code == 2 and "bestaat niet" in err


def test_renew_and_withdraw(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "renew", "--all")
    assert code == 2 and "bestaat nog niet" in err
    request(capsys)
    code, out, err = run(capsys, "renew", "--pgn", BSN1)
    assert code == 0 and out.startswith("1 aanvraag hernieuwd"), err  # waiting: its date is updated
    code, _, err = run(capsys, "renew")
    assert code == 2 and "verplicht" in err
    code, _, err = run(capsys, "renew", "--all", "--sinds", "morgen")
    assert code == 2 and "geen geldige datum" in err
    code, out, _ = run(capsys, "withdraw", "--pgn", BSN1)
    assert code == 0 and "ingetrokken" in out
    code, _, err = run(capsys, "withdraw", "--pgn", BSN1)
    assert code == 1 and "geen open aanvraag" in err


@pytest.mark.skipif(
    not (SAMPLES / "manifest.json").exists(), reason="sample_dossiers/ is not in this checkout"
)
def test_demo_tells_the_march_may_story(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "request", "--csv", str(SAMPLES / "inschrijvingen.csv"))
    assert code == 0
    code, out, _ = run(capsys, "fetch", "--demo")
    assert code == 0 and "opgehaald" in out
    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    pair = [d for d in manifest["dossiers"] if d["rol"] in ("maart", "mei")]
    pgn = next(d["pgn"] for d in pair if d["rol"] == "maart")
    dates = sorted(d["datum"] for d in pair if d["pgn"] == pgn)
    code, out, _ = run(capsys, "list", "--json")
    row = next(r for r in json.loads(out) if r["pgn"] == pgn)
    assert (row["status"], row["laatste_dossierdatum"], row["versies"]) == ("opgehaald", dates[0], 1)
    code, out, _ = run(capsys, "fetch", "--demo")
    assert out.strip() == "Geen dossiers gevonden (demo)."
    code, out, _ = run(capsys, "renew", "--pgn", pgn, "--sinds", "2027-03-15")
    assert code == 0
    code, out, _ = run(capsys, "fetch", "--demo")
    assert code == 0 and "1 nieuwe versie" in out
    code, out, _ = run(capsys, "list", "--json")
    row = next(r for r in json.loads(out) if r["pgn"] == pgn)
    assert (row["status"], row["laatste_dossierdatum"], row["versies"]) == ("opgehaald", dates[-1], 2)
    assert row["versiedatums"] == dates
    code, out, _ = run(capsys, "list", "--status", "opgehaald")
    line = next(line for line in out.splitlines() if line.startswith(f"••••••{pgn[-3:]}"))
    shown = [f"{d[8:10]}-{d[5:7]}-{d[:4]}" for d in (dates[0], dates[-1])]
    assert ", ".join(shown) in line, "a person reads dd-mm-jjjj"

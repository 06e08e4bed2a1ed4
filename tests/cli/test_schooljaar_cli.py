"""The whole school year through the command line alone, with generated March and May dossiers.

March: request a class from a Dutch Excel CSV, fetch, personalia with a placement for the class at
once. May: the May versions are prepared before the renewal, the renewal with its default finds them,
the to-do list shows loopbaan and a newer personalia version, loopbaan for all, aanvullen then
overschrijven on one pupil, undo. September: the expiry notice (once), `verlopen`, a refused registration.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from benchmarks.generate import generate
from oso_tui.cli import main
from oso_tui.services import rollen

KLAS = 5
NIET_GELEVERD = 1  # the last pupil's school never sends a dossier: its request expires after the summer


@pytest.fixture(autouse=True)
def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "oso.json"))
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text('[school]\nregio = "midden"\n', encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(rollen, "_announced", False)


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, today: str, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setenv("OSO_TUI_TODAY", today)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def excel_csv(source: Path, target: Path) -> list[str]:
    """The generated enrolments as a Dutch Excel saves them: Windows-1252, `;`, dd-mm-jjjj, own headings."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    lines = ["BSN;Geboortedatum;BRIN;Vestiging;Achternaam"]
    for row in rows:
        jaar, maand, dag = row["geboortedatum"].split("-")
        lines.append(
            f"{row['pgn']};{int(dag)}-{int(maand)}-{jaar};{row['brin']};{row['vestiging']};{row['achternaam']}"
        )
    target.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return [row["pgn"] for row in rows]


def test_the_whole_year_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    generated = tmp_path / "gegenereerd"
    generate(KLAS, generated, seed=12, versies=True)
    pgns = excel_csv(generated / "inschrijvingen.csv", tmp_path / "klas1b.csv")
    geleverd, nooit = pgns[: KLAS - NIET_GELEVERD], pgns[KLAS - NIET_GELEVERD :]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    maart = sorted(generated.glob("dossier_*.xml"))
    for path in maart[: KLAS - NIET_GELEVERD]:
        shutil.copy(path, inbox / path.name)

    def cli(today: str, *argv: str) -> tuple[int, str, str]:
        return run(capsys, monkeypatch, today, *argv)

    # March: the class from the CSV, fetched, personalia with one placement for all.
    code, out, err = cli("2027-03-20", "request", "--csv", str(tmp_path / "klas1b.csv"))
    assert code == 0, err
    assert out.startswith(f"{KLAS} aanvragen gemaakt")
    code, out, err = cli("2027-03-20", "fetch", "--inbox", str(inbox))
    assert code == 0, err
    assert f"{KLAS - NIET_GELEVERD} opgehaald" in out
    code, out, err = cli("2027-03-20", "todo", "--json")
    todo = json.loads(out)
    assert sorted(r["pgn"] for r in todo) == sorted(geleverd)
    assert all(r["open_stappen"][0] == "personalia" and r["nieuwere_versie"] == [] for r in todo)
    code, out, err = cli(
        "2027-03-20",
        "register",
        "--todo",
        "--stap",
        "personalia",
        "--accepteer-waarschuwingen",
        "--plaatsing",
        "schooljaar=2027-2028,leerjaar=1,opleiding=havo/vwo,klas=1B,startdatum=30-8-2027",
    )
    assert code == 0, err
    assert f"geregistreerd voor {len(geleverd)} van {len(geleverd)} leerling(en)" in out
    for pgn in geleverd:
        code, out, _ = cli("2027-03-20", "show", "--pgn", pgn, "--json")
        velden = {v["pad"]: v["waarde"] for s in json.loads(out)["stappen"] for v in s["velden"]}
        assert (velden["plaatsing.klas"], velden["plaatsing.startdatum"]) == ("1B", "2027-08-30")

    # May: the school prepared the May versions (dated up to 28 May) before the renewal on 30 May.
    mei = sorted((generated / "mei").glob("*.xml"))[: len(geleverd)]
    for path in mei:
        shutil.copy(path, inbox / path.name)
    code, out, err = cli("2027-05-30", "renew", "--alle")
    assert code == 0, err
    assert out.startswith(f"{len(geleverd)} aanvragen hernieuwd")
    code, out, err = cli("2027-05-30", "fetch", "--inbox", str(inbox))
    assert code == 0, err
    assert f"{len(geleverd)} nieuwe versie" in out
    code, out, _ = cli("2027-05-30", "todo", "--json")
    todo = {r["pgn"]: r for r in json.loads(out)}
    assert set(todo) == set(geleverd)
    assert all(
        "loopbaan" in r["open_stappen"] and r["nieuwere_versie"] == ["personalia"] for r in todo.values()
    )
    code, out, err = cli(
        "2027-05-30", "register", "--pgn", *geleverd[:2], "--stap", "loopbaan", "--voorbeeld"
    )
    assert code == 0 and "er is niets opgeslagen" in out and out.count("zouden wijzigen") == 2, out + err
    code, out, err = cli(
        "2027-05-30", "register", "--pgn", nooit[0], "--pgn", geleverd[0], "--stap", "begeleiding"
    )
    assert code == 1 and "niet geregistreerd: Er is nog geen opgehaald dossier" in err
    assert "geregistreerd voor 1 van 2 leerling(en)" in out, "one refusal does not stop the others"
    code, out, err = cli(
        "2027-05-30", "register", "--todo", "--stap", "loopbaan", "--accepteer-waarschuwingen"
    )
    assert code == 0, err
    assert f"geregistreerd voor {len(geleverd)} van {len(geleverd)}" in out
    code, out, _ = cli("2027-05-30", "todo", "--json")
    assert all("loopbaan" not in r["open_stappen"] for r in json.loads(out))

    een = geleverd[0]
    code, out, err = cli(
        "2027-05-30", "register", "--pgn", een, "--stap", "personalia", "--accepteer-waarschuwingen"
    )
    assert code == 0, err
    code, out, err = cli(
        "2027-05-30",
        "register",
        "--pgn",
        een,
        "--stap",
        "personalia",
        "--modus",
        "overschrijven",
        "--accepteer-waarschuwingen",
    )
    assert code == 0 and "geregistreerd uit het dossier van" in out, out + err
    code, out, _ = cli("2027-05-30", "todo", "--json")
    assert een not in {r["pgn"] for r in json.loads(out) if "personalia" in r["nieuwere_versie"]}
    code, out, err = cli("2027-05-30", "undo", "--pgn", een)
    assert code == 0 and "ongedaan" in out.lower(), out + err
    code, out, _ = cli("2027-05-30", "history", "--pgn", een, "--json")
    soorten = [m["soort"] for m in json.loads(out)]
    assert soorten.count("registratie") >= 3 and "ongedaan" in soorten[-1]

    # September, after the summer of region midden: the notice comes once, then `verlopen`.
    code, out, err = cli("2027-09-15", "list")
    assert code == 0
    assert "zomervakantie is voorbij" in err and "1 aanvraag is verlopen" in err
    assert "hernieuwde aanvraag brengt een nieuw dossier" in err
    verlopen = [line for line in out.splitlines() if "verlopen (hernieuwen)" in line]
    assert len(verlopen) == len(nooit)
    code, out, err = cli("2027-09-15", "list", "--status", "verlopen")
    assert "zomervakantie is voorbij" not in err, "the notice comes once"
    code, out, err = cli(
        "2027-09-15", "register", "--pgn", een, "--stap", "begeleiding", "--accepteer-waarschuwingen"
    )
    assert code == 1 and "zomervakantie" in err and "Traceback" not in err
    code, out, _ = cli("2027-09-15", "todo", "--json")
    assert json.loads(out) == [], "nothing to do with data that is gone"


def test_after_the_summer_a_read_only_store_still_answers_and_says_it_was_not_cleaned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(
        capsys, monkeypatch, "2027-03-10", "request", "--pgn", "100000028", "--geboortedatum", "2015-03-03",
        "--brin", "99WZ",
    )  # fmt: skip
    assert code == 0, err
    db = tmp_path / "oso.json"
    files = sorted(p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".lock")
    before = {p: p.read_bytes() for p in files}
    db.chmod(0o400)
    try:
        code, out, err = run(capsys, monkeypatch, "2027-09-20", "status")
        assert code == 0, err
        assert out.startswith("1 aanvraag (1 aangevraagd); 0 leerlingen; 0 dossiers;")
        assert "Opschonen na de zomervakantie kon niet" in err and "alleen-lezen" in err
        code, _, err = run(
            capsys, monkeypatch, "2027-09-20", "request", "--pgn", "377855017", "--geboortedatum",
            "2015-02-11", "--brin", "99WA",
        )  # fmt: skip
        assert code == 1 and "alleen-lezen" in err and "Traceback" not in err
    finally:
        db.chmod(0o600)
    assert {p: p.read_bytes() for p in files} == before, "nothing was written"
    code, out, err = run(capsys, monkeypatch, "2027-09-20", "status")
    assert "1 aanvraag (1 verlopen)" in out and "1 aanvraag is verlopen" in err

"""The March/May story end to end through the real fetch and the command line, as a user would run it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from oso_tui import services
from oso_tui.cli import main
from oso_tui.exchange.folder import FolderExchange
from oso_tui.services import rollen
from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.service_context import ctx_of

SAMPLES = Path(__file__).resolve().parents[2] / "sample_dossiers"
PGN = "377855017"  # Noor van Wijngaarden in sample_dossiers/manifest.json
TIMMERMAN = "446419448"  # care data and an attachment


@pytest.fixture(autouse=True)
def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "oso.json"))
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("OSO_TUI_TODAY", "2027-03-14")
    monkeypatch.setenv("COLUMNS", "140")
    monkeypatch.setattr(rollen, "_announced", False)


def settings() -> Settings:
    return Settings.load()


def fetch(tmp_path: Path, *files: str) -> str:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for name in files:
        shutil.copy(SAMPLES / name, inbox / name)
    s = settings()
    return services.fetch(
        ctx_of(Store.open(s.db_path), s, "admin"), FolderExchange(inbox), bevestig=True
    ).samenvatting()


def request(pgn: str, geboortedatum: str, brin: str, achternaam: str) -> None:
    s = settings()
    services.request(
        ctx_of(Store.open(s.db_path), s, "admin"),
        pgn=pgn,
        geboortedatum=date.fromisoformat(geboortedatum),
        brin=brin,
        achternaam=achternaam,
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def show(capsys: pytest.CaptureFixture[str], pgn: str = PGN) -> dict[str, object]:
    code, out, _ = run(capsys, "show", "--pgn", pgn, "--json")
    assert code == 0
    view = json.loads(out)
    return {v["pad"]: v["waarde"] for stap in view["stappen"] for v in stap["velden"]}


def test_march_may_story_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    request(PGN, "2015-02-11", "99WA", "Wijngaarden")
    assert "1 opgehaald" in fetch(tmp_path, "01_wijngaarden_maart.xml")

    # March: a dry run shows the diff and changes nothing; then personalia with the placement.
    placement = "schooljaar=2027-2028,leerjaar=1,opleiding=havo/vwo,klas=1B"
    code, out, err = run(
        capsys, "register", "--pgn", PGN, "--step", "personalia", "--dry-run", "--plaatsing", placement
    )
    assert code == 0 and "nieuwe leerling" in out
    assert "Achternaam" in out and "Wijngaarden" in out and "nieuw" in out and "--dry-run" in out
    assert "geen rollen ingesteld" in err, "without roles the program says everyone may do everything"
    assert run(capsys, "show", "--pgn", PGN)[0] == 1, "the dry run registered nothing"
    code, out, _ = run(capsys, "register", "--pgn", PGN, "--step", "personalia", "--plaatsing", placement)
    assert code == 0 and "de leerling is aangemaakt" in out
    march = show(capsys)
    assert march["plaatsing.klas"] == "1B"
    assert "loopbaan.eindtoets.standaardscore" not in march
    code, out, _ = run(capsys, "register", "--pgn", PGN, "--step", "personalia", "--plaatsing", placement)
    assert code == 0 and "niets gewijzigd" in out

    # May: the school renews the request; the newer dossier comes in through the same request.
    monkeypatch.setenv("OSO_TUI_TODAY", "2027-05-20")
    s = settings()
    services.renew(ctx_of(Store.open(s.db_path), s, "admin"), pgns=[PGN], sinds=date(2027, 4, 1))
    assert "1 nieuwe versie" in fetch(tmp_path, "02_wijngaarden_mei.xml")
    code, out, _ = run(capsys, "register", "--pgn", PGN, "--step", "loopbaan")
    assert code == 0 and "18-05-2027" in out and "aangemaakt" not in out
    may = show(capsys)
    assert may["loopbaan.eindtoets.standaardscore"] is not None
    assert may["loopbaan.eindtoets.toetssoort"]

    # Personalia again: aanvullen keeps the registered (March) address, overschrijven takes May's.
    code, out, _ = run(capsys, "register", "--pgn", PGN, "--step", "personalia")
    assert code == 0 and "behouden" in out
    assert show(capsys)["personalia.adres"] == march["personalia.adres"]
    code, out, _ = run(
        capsys, "register", "--pgn", PGN, "--step", "personalia", "--mode", "overschrijven", "--dry-run"
    )
    assert code == 0 and "gewijzigd" in out and "overnemen" in out
    code, out, _ = run(capsys, "register", "--pgn", PGN, "--step", "personalia", "--mode", "overschrijven")
    assert code == 0 and "Adres:" in out
    overwritten = show(capsys)
    assert overwritten["personalia.adres"] != march["personalia.adres"]
    assert overwritten["plaatsing.klas"] == "1B", "the placement the school entered is never cleared"

    # Undo restores exactly; the history tells the story; the audit log has every action.
    code, out, _ = run(capsys, "undo", "--pgn", PGN, "--step", "personalia")
    assert code == 0 and "ongedaan gemaakt" in out
    assert show(capsys) == may | {"personalia.adres": march["personalia.adres"]}
    code, out, _ = run(capsys, "history", "--pgn", PGN, "--json")
    entries = json.loads(out)
    assert [(e["stap"], e["soort"]) for e in entries] == [
        ("personalia", "registratie"),
        ("loopbaan", "registratie"),
        ("personalia", "registratie"),
        ("personalia", "registratie"),
        ("personalia", "ongedaan"),
    ]
    code, out, _ = run(capsys, "audit", "--pgn", PGN, "--json")
    acties = [e["actie"] for e in json.loads(out)]
    assert acties.count("registreren") == 4 and acties.count("ongedaan") == 1


def test_care_data_roles_export_and_attachments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    request(TIMMERMAN, "2014-10-08", "99WD", "Timmerman")
    assert "1 opgehaald" in fetch(tmp_path, "07_timmerman_zorg.xml")
    config = tmp_path / "config.toml"
    config.write_text(
        '[rollen]\nsecretariaat = ["administratie"]\nib = ["zorg"]\nict = ["beheer"]\n', encoding="utf-8"
    )

    def as_user(name: str) -> None:
        monkeypatch.setattr("oso_tui.cli.common.getpass.getuser", lambda: name)

    as_user("secretariaat")
    code, _, err = run(capsys, "register", "--pgn", TIMMERMAN, "--step", "all")
    assert code == 1 and "rol zorg" in err and "Traceback" not in err
    assert run(capsys, "register", "--pgn", TIMMERMAN, "--step", "personalia")[0] == 0
    as_user("ib")
    code, out, _ = run(capsys, "register", "--pgn", TIMMERMAN, "--step", "begeleiding")
    assert code == 0 and "Begeleiding" in out
    code, out, _ = run(capsys, "bijlagen", "--pgn", TIMMERMAN)
    assert code == 0 and ".zip" in out
    folder = tmp_path / "bijlagen"
    folder.mkdir()
    code, out, _ = run(capsys, "bijlagen", "--pgn", TIMMERMAN, "--map", str(folder))
    assert code == 0 and len(list(folder.iterdir())) == 1

    as_user("secretariaat")
    code, out, _ = run(capsys, "show", "--pgn", TIMMERMAN)
    assert code == 0 and "alleen zichtbaar met de rol zorg" in out
    code, _, err = run(capsys, "export")
    assert code == 1 and "rol beheer" in err

    as_user("ict")
    code, out, _ = run(capsys, "export")
    assert code == 0 and TIMMERMAN in out and "Diagnoses" not in out and "Achternaam" in out
    code, _, err = run(capsys, "export", "--met-begeleiding")
    assert code == 1 and "rol zorg" in err
    target = tmp_path / "export.json"
    code, _, err = run(capsys, "export", "--format", "json", "--out", str(target))
    assert code == 0 and "geëxporteerd" in err
    assert target.stat().st_mode & 0o777 == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))[0]["pgn"] == TIMMERMAN
    code, out, _ = run(capsys, "audit", "--actie", "bekijken-zorg")
    assert code == 0 and "ib" in out
    code, out, _ = run(capsys, "audit", "--gebruiker", "ict", "--actie", "export")
    assert len(out.splitlines()) == 2 + 2 and "naar export.json" in out, "a heading, a rule, two rows"
    code, _, err = run(capsys, "export", "--out", str(tmp_path / "geen-map" / "x.csv"))
    assert code == 2 and "bestaat niet" in err
    code, out, _ = run(capsys, "audit", "--actie", "export")
    assert len(out.splitlines()) == 2 + 2, "a failed export is not in the audit log"


def test_usage_errors_are_one_dutch_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, exit_code, expected in [
        (["register", "--pgn", "12345", "--step", "personalia"], 1, "9 cijfers"),
        (["register", "--pgn", PGN, "--step", "personalia"], 1, "nog geen opgehaald dossier"),
        (["register", "--pgn", PGN, "--step", "personalia", "--plaatsing", "klas"], 2, "--plaatsing"),
        (["register", "--pgn", PGN, "--step", "personalia", "--keuze", "x=y"], 2, "--keuze"),
        (["audit", "--van", "2027-13-01"], 2, "geen geldige datum"),
        (["undo", "--pgn", PGN], 1, "geen geregistreerde leerling"),
    ]:
        code, _, err = run(capsys, *argv)
        assert code == exit_code, argv
        assert expected in err and "Traceback" not in err


def test_every_sample_registers_all_steps_and_undoes_to_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every valid sample dossier: all three steps, then three undos leave the store as it was."""
    from oso_tui.exchange.models import Aanvraag
    from oso_tui.registration.models import Leerling
    from oso_tui.store.tables import AANVRAGEN, LEERLINGEN, LEERLINGOVERZICHT, all_shards

    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    first = [d for d in manifest["dossiers"] if d["rol"] != "mei"]
    for d in first:
        request(d["pgn"], d["geboortedatum"], d["brin"], d["achternaam"])
    fetch(tmp_path, *(d["bestand"] for d in first))
    s = settings()
    store = Store.open(s.db_path)
    with store.snapshot() as view:
        before = view.collection(AANVRAGEN, Aanvraag).all()
    for d in first:
        results = services.register(
            ctx_of(store, s, "admin"),
            pgn=d["pgn"],
            stappen=["personalia", "loopbaan", "begeleiding"],
            accepteer_waarschuwingen=True,
        )
        assert results[0].leerling_aangemaakt, d["bestand"]
        leerling = services.get_pupil(ctx_of(store), d["pgn"])
        assert leerling is not None and leerling.naam == d["naam"], d["bestand"]
        for _ in range(3):
            services.undo(ctx_of(store, s, "admin"), pgn=d["pgn"])
        assert services.get_pupil(ctx_of(store), d["pgn"]) is None, d["bestand"]
    with store.snapshot() as view:
        assert [i for shard in all_shards(LEERLINGEN) for i in view.collection(shard, Leerling).ids()] == []
        assert view.table(LEERLINGOVERZICHT).all() == []
        assert view.collection(AANVRAGEN, Aanvraag).all() == before


def test_two_users_registering_at_once_make_one_pupil(tmp_path: Path) -> None:
    """Two processes register the same pupil at the same moment: one pupil, one history entry, no crash."""
    import os
    import subprocess
    import sys

    request(PGN, "2015-02-11", "99WA", "Wijngaarden")
    fetch(tmp_path, "01_wijngaarden_maart.xml")
    env = {**os.environ, "COLUMNS": "120"}
    argv = [sys.executable, "-m", "oso_tui", "register", "--pgn", PGN, "--step", "personalia"]
    procs = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes in ([0, 0], [0, 1]), results
    for code, _, err in results:
        assert "Traceback" not in err and "programmafout" not in err
        if code == 1:
            assert "intussen" in err

    s = settings()
    history = services.history(ctx_of(Store.open(s.db_path), s, "admin"), pgn=PGN)
    assert [m.soort for m in history] == ["registratie"]


def test_choices_and_a_chosen_version_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    request(PGN, "2015-02-11", "99WA", "Wijngaarden")
    fetch(tmp_path, "01_wijngaarden_maart.xml")
    placement = "schooljaar=2027-2028,leerjaar=1,klas=1B"
    assert run(capsys, "register", "--pgn", PGN, "--step", "personalia", "--plaatsing", placement)[0] == 0
    march_version = json.loads(run(capsys, "history", "--pgn", PGN, "--json")[1])[0]["dossier"]
    monkeypatch.setenv("OSO_TUI_TODAY", "2027-05-20")
    s = settings()
    services.renew(ctx_of(Store.open(s.db_path), s, "admin"), pgns=[PGN], sinds=date(2027, 4, 1))
    fetch(tmp_path, "02_wijngaarden_mei.xml")

    code, out, _ = run(
        capsys,
        "register",
        "--pgn",
        PGN,
        "--step",
        "personalia",
        "--dossier",
        march_version[:12],
        "--dry-run",
        "--alles",
    )
    assert code == 0 and "08-03-2027" in out and "gelijk" in out and "Er zou niets wijzigen" in out
    code, out, _ = run(
        capsys,
        "register",
        "--pgn",
        PGN,
        "--step",
        "personalia",
        "--keuze",
        "personalia.adres=overnemen",
        "--keuze",
        "plaatsing.klas=wissen",
    )
    assert code == 0 and "Klas: 1B -> (leeg)" in out and "Adres:" in out
    shown = show(capsys)
    assert "plaatsing.klas" not in shown and shown["plaatsing.schooljaar"] == "2027-2028"
    code, _, err = run(capsys, "register", "--pgn", PGN, "--step", "personalia", "--dossier", "ffff")
    assert code == 2 and "ffff" in err


HEAVY_FOR_READING = ("lxml", "textual", "rich.console", "oso_tui.dossier.models", "oso_tui.dossier.parser")


def modules_of_a_run(*argv: str) -> tuple[str, set[str]]:
    """What a fresh `oso-tui` process printed and which modules it loaded for these arguments."""
    code = (
        "import json, sys\n"
        "from oso_tui.cli import main\n"
        f"code = main({list(argv)!r})\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
        "raise SystemExit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout, set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_show_and_status_load_neither_the_dossier_reader_nor_rich_nor_textual(tmp_path: Path) -> None:
    """Reading a registered pupil or the counts parses no dossier: they import no XML, no dossier
    models, no terminal UI, and print their tables without Rich."""
    request(PGN, "2015-02-11", "99WA", "Wijngaarden")
    fetch(tmp_path, "01_wijngaarden_maart.xml")
    placement = "schooljaar=2027-2028,leerjaar=1,opleiding=havo/vwo,klas=1B"
    assert main(["register", "--pgn", PGN, "--step", "personalia", "--plaatsing", placement]) == 0
    for argv in (("show", "--pgn", PGN), ("status",)):
        out, modules = modules_of_a_run(*argv)
        assert PGN in out or "1 aanvraag (" in out
        loaded = {m for m in HEAVY_FOR_READING if m in modules or any(n.startswith(m + ".") for n in modules)}
        assert not loaded, f"{argv[0]} loaded {sorted(loaded)}"

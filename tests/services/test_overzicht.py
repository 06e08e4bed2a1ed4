"""The class overview: per class each pupil with advice, test, referentieniveaus and steps; care data
only for the zorg role and audited; every value from outside escaped; files only the owner can read."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest

from oso_tui import services
from oso_tui.cli import main
from oso_tui.errors import UsageError
from oso_tui.services import demo, overzicht
from tests.overzicht_helpers import JESSE, USER, registered_store


def test_each_class_lists_its_pupils_with_advice_test_and_steps(tmp_path: Path) -> None:
    store, settings = registered_store(tmp_path)
    gemaakt = overzicht.maak_overzicht(services.Context(store, settings, USER))
    assert [k.naam for k in gemaakt.klassen] == ["1A", "1B"]
    (jesse,) = gemaakt.klassen[0].leerlingen
    (noor,) = gemaakt.klassen[1].leerlingen
    assert noor.naam == "Noor van Wijngaarden" and noor.pgn.endswith("017") and "377855" not in noor.pgn
    assert noor.advies == "advies 60" and noor.herzien_advies == "advies 61"
    assert "IEP Doorstroomtoets" in noor.eindtoets and "score 88" in noor.eindtoets
    assert ("Nederlandse taal", "2F") in noor.referentieniveaus and (
        "Rekenen",
        "1F",
    ) in noor.referentieniveaus
    assert [s.op is not None for s in noor.stappen] == [True, True, False]
    assert [s.op is not None for s in jesse.stappen] == [True, True, True]
    assert jesse.zorg_zichtbaar and any("Dyslexie" in tekst for _, tekst in jesse.ondersteuning)
    assert jesse.bijlagen == ["opp_jesse.zip (Ontwikkelingsperspectiefplan)"]

    page = overzicht.naar_html(gemaakt)
    assert page.count('<section class="klas">') == 2 and "Het Voorbeeldcollege" in page
    assert "Klas 1A · 1 leerling" in page and "25-05-2027" in page
    acties = [(e.actie, e.pgn) for e in services.audit_log(services.Context(store, settings, USER))]
    assert ("bekijken-zorg", JESSE) in acties, "care data on paper is audited like on screen"
    assert ("overzicht", None) in acties


def test_without_the_zorg_role_there_is_no_care_data_on_paper(tmp_path: Path) -> None:
    roles = {USER: ("administratie",), "ict": ("beheer",)}
    store, settings = registered_store(tmp_path, roles)
    gemaakt = overzicht.maak_overzicht(services.Context(store, settings, USER))
    jesse = gemaakt.klassen[0].leerlingen[0]
    assert not gemaakt.met_zorg and not jesse.zorg_zichtbaar
    assert jesse.ondersteuning == [] and jesse.bijlagen == []
    page = overzicht.naar_html(gemaakt)
    assert "Dyslexie" not in page and "opp_jesse" not in page and "alleen voor de rol zorg" in page
    assert [s.op is not None for s in jesse.stappen] == [True, True, True], "that it is registered shows"
    acties = [e.actie for e in services.audit_log(services.Context(store, settings, "ict"))]
    assert "bekijken-zorg" not in acties and "overzicht" in acties


def test_one_class_or_a_clear_refusal(tmp_path: Path) -> None:
    store, settings = registered_store(tmp_path)
    assert [
        k.naam for k in overzicht.maak_overzicht(services.Context(store, settings, USER), klas="1b").klassen
    ] == ["1B"]
    with pytest.raises(UsageError, match=r"Er is geen klas '2C'.*klassen: 1A, 1B"):
        overzicht.maak_overzicht(services.Context(store, settings, USER), klas="2C")


def test_every_value_from_outside_is_text_never_markup() -> None:
    hostile = "<script>alert('x')</script> \u202etxt.exe & \x1b[31m"
    blad = overzicht.LeerlingBlad(naam=hostile, pgn="••••••123", aandachtspunten=hostile, advies=hostile)
    page = overzicht.naar_html(
        overzicht.Overzicht(
            school="<b>School</b>",
            datum=date(2027, 5, 25),
            gebruiker="ik",
            met_zorg=True,
            klassen=[overzicht.Klas(naam="<i>1A</i>", leerlingen=[blad])],
        )
    )
    assert "<script>" not in page and "<b>School" not in page and "<i>1A" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "\u202e" not in page and "&lt;U+202E&gt;" in page and "\x1b" not in page and "\\x1b[31m" in page


def test_the_command_writes_an_owner_only_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    registered_store(tmp_path)
    (tmp_path / "config.toml").write_text('[school]\nnaam = "Het Voorbeeldcollege"\n', encoding="utf-8")
    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "oso-tui.json"))
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("OSO_TUI_TODAY", demo.DEMO_TODAY.isoformat())
    out = tmp_path / "1a.html"
    assert main(["overzicht", "--klas", "1A", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Overzicht van 1 leerling in 1 klas (met zorggegevens)" in said
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Jesse Timmerman" in out.read_text(encoding="utf-8")

    assert main(["overzicht", "--out", str(tmp_path / "x.txt")]) == 2
    assert "eindigt niet op .html of .pdf" in capsys.readouterr().err
    monkeypatch.setattr(overzicht, "chromium", lambda: None)
    assert main(["overzicht", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "Voor een PDF is Chromium nodig" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_the_app_writes_the_overview_beside_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oso_tui.screens.backend import ServiceBackend, demo_exchange

    store, settings = registered_store(tmp_path)
    monkeypatch.setattr(overzicht, "chromium", lambda: None)
    melding = ServiceBackend(store, settings, USER, demo_exchange).print_overview()
    written = tmp_path / "overzicht-2027-05-25.html"
    assert str(written) in melding.tekst and "2 leerlingen in" in melding.tekst
    assert "Noor van Wijngaarden" in written.read_text(encoding="utf-8")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600

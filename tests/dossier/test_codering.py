"""A dossier declared ISO-8859-1 but written in UTF-8 is read with a warning naming the mistake, so a
name such as "BjÃ¶rn" is never registered unnoticed; a real Latin-1 dossier gets no such warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from oso_tui import services
from oso_tui.dossier import read_dossier
from oso_tui.errors import RefusedError
from oso_tui.services import rollen
from oso_tui.store import Store
from tests.registratie_data import PGN, aanvraag, dossier_xml, make_settings, ontvang
from tests.service_context import ctx_of


def latin1_declared_utf8_written(achternaam: str = "Björnsdóttir") -> bytes:
    text = dossier_xml(achternaam=achternaam).decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"', 1).encode("utf-8")


def test_utf8_bytes_under_a_latin1_declaration_are_named() -> None:
    result = read_dossier(latin1_declared_utf8_written())
    (warning,) = [f for f in result.warnings if f.code == "CODERING"]
    assert "ISO-8859-1" in warning.message and "UTF-8" in warning.message
    assert "'Björnsdóttir'" in warning.message and "'BjÃ¶rnsdÃ³ttir'" in warning.message
    assert warning.line is not None and result.ok, "a warning, not an error: the school decides"


def test_real_latin1_and_plain_utf8_get_no_warning() -> None:
    utf8 = dossier_xml(achternaam="Björnsdóttir")
    latin1 = utf8.decode("utf-8").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"', 1).encode("latin-1")
    for raw in (utf8, latin1):
        result = read_dossier(raw)
        assert not [f for f in result.findings if f.code == "CODERING"]
    assert read_dossier(latin1).dossier.leerling.achternaam == "Björnsdóttir"  # type: ignore[union-attr]


def test_registration_waits_for_the_warning_to_be_acknowledged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rollen, "_announced", True)
    store = Store.open(tmp_path / "oso.json")
    aanvraag(store)
    ontvang(store, latin1_declared_utf8_written())
    settings = make_settings(tmp_path)
    with pytest.raises(RefusedError):
        services.register(ctx_of(store, settings, "admin"), pgn=PGN, stappen=["personalia"])
    plan = services.plan(ctx_of(store, settings, "admin"), pgn=PGN, stap="personalia")
    assert any("UTF-8" in w for w in plan.waarschuwingen)

"""Domain rules live once: surnames, PGN masking, code labels, and warnings from finding codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from oso_tui.cli import common
from oso_tui.dossier import codes
from oso_tui.masking import mask_pgn, pgn_tail
from oso_tui.records import dossiers
from oso_tui.registration import names
from oso_tui.screens import viewmodels
from oso_tui.services.reading import read_version
from oso_tui.store import Store
from tests.registratie_data import PGN, aanvraag, dossier_xml, make_settings, ontvang
from tests.service_context import ctx_of


@pytest.mark.parametrize(
    ("gegeven", "achternaam", "voorvoegsel", "agree"),
    [
        ("van Dijk", "Dijk", "van", True),
        ("Dijk", "Dijk", "van", True),
        ("Van-Dijk", "Dijk", "van", True),
        ("Çelik", "Celik", None, True),
        ("CELIK", "çelik", None, True),
        (None, "Jansen", None, True),
        ("Jansen", "Vermeulen", None, False),
        ("de Vries", "Dijk", "van", False),
    ],
)
def test_surnames_agree_one_way(
    gegeven: str | None, achternaam: str, voorvoegsel: str | None, agree: bool
) -> None:
    assert names.agree(gegeven, achternaam, voorvoegsel) is agree


def test_one_pgn_mask_for_the_command_line_the_screens_and_the_messages() -> None:
    assert mask_pgn("123456782") == "••••••782"
    assert pgn_tail("123456782") == "PGN …782"
    assert common.mask_pgn is mask_pgn and viewmodels.mask_pgn is mask_pgn


def test_geslacht_labels_come_from_the_code_list() -> None:
    from oso_tui.registration import steps

    assert not hasattr(steps, "GESLACHT"), "no second table beside dossier/codes.py"
    assert codes.geslacht_label("1") == "vrouw" and codes.geslacht_label("2") == "man"


@pytest.mark.parametrize("voorlopig", [True, False])
def test_a_provisional_dossier_warns_once(tmp_path: Path, voorlopig: bool) -> None:
    store = Store.open(tmp_path / "oso.json")
    aanvraag(store)
    sha = ontvang(store, dossier_xml(voorlopig=voorlopig))
    ctx = ctx_of(store, make_settings(tmp_path), "admin")
    with store.snapshot() as view:
        versie = dossiers.get(view, sha)
    assert versie is not None and versie.pgn == PGN
    _, _, waarschuwingen = read_version(ctx, versie)
    assert sum("voorlopig" in w.lower() for w in waarschuwingen) == (1 if voorlopig else 0)

"""Applying a diff and undoing it: history entries, exact undo, idempotent re-apply (also as properties)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oso_tui.errors import RefusedError
from oso_tui.registration.apply import maak_ongedaan, pas_toe
from oso_tui.registration.diff import vergelijk
from oso_tui.registration.models import Inhoud, Keuze, Leerling, Modus

T0 = datetime(2027, 3, 14, 10, 0)
T1 = datetime(2027, 5, 20, 9, 30)


def eigen(pad: str) -> bool:
    return pad.startswith("p.")


def leerling(gegevens: dict[str, Inhoud] | None = None) -> Leerling:
    return Leerling(id="l1", pgn="123456782", naam="Sam Jansen", aangemaakt=T0, gegevens=gegevens or {})


def apply(
    ll: Leerling,
    voorstel: dict[str, Inhoud],
    *,
    dossier: str = "v1",
    modus: Modus = "aanvullen",
    keuzes: dict[str, Keuze] | None = None,
    mid: str = "m1",
    when: datetime = T0,
):  # type: ignore[no-untyped-def]
    regels = vergelijk(ll.gegevens, voorstel, eigen=eigen, modus=modus, keuzes=keuzes)
    return pas_toe(
        ll,
        regels,
        stap="personalia",
        dossier=dossier,
        mutatie_id=mid,
        door="admin",
        wanneer=when,
        modus=modus,
        keuzes=keuzes,
    )


def test_apply_records_previous_and_new_values_and_provenance() -> None:
    before = leerling({"p.straat": "Dorpsstraat", "p.klas": "1B"})
    result = apply(before, {"p.straat": "Kerkstraat", "p.plaats": "Utrecht"}, modus="overschrijven")
    assert result.mutatie is not None
    changes = {w.pad: (w.oud, w.nieuw) for w in result.mutatie.wijzigingen}
    assert changes == {"p.straat": ("Dorpsstraat", "Kerkstraat"), "p.plaats": (None, "Utrecht")}
    after = result.leerling
    assert after.gegevens == {"p.straat": "Kerkstraat", "p.klas": "1B", "p.plaats": "Utrecht"}
    assert after.herkomst["p.straat"] == "m1", "a field points at the history entry that wrote it"
    assert (
        result.mutatie.herkomst("p.straat").dossier == "v1"
        and result.mutatie.herkomst("p.straat").door == "admin"
    )
    assert "p.klas" not in after.herkomst
    assert after.stappen["personalia"].dossier == "v1" and after.stappen["personalia"].mutatie == "m1"
    assert before.gegevens == {"p.straat": "Dorpsstraat", "p.klas": "1B"}, "the input is not mutated"


def test_re_applying_the_same_dossier_changes_nothing() -> None:
    first = apply(leerling(), {"p.straat": "Kerkstraat"})
    again = apply(first.leerling, {"p.straat": "Kerkstraat"}, mid="m2")
    assert not again.gewijzigd and again.leerling == first.leerling


def test_a_newer_version_with_the_same_data_still_records_the_step() -> None:
    first = apply(leerling(), {"p.straat": "Kerkstraat"})
    newer = apply(first.leerling, {"p.straat": "Kerkstraat"}, dossier="v2", mid="m2", when=T1)
    assert newer.mutatie is not None and newer.mutatie.wijzigingen == []
    assert newer.leerling.stappen["personalia"].dossier == "v2"


def test_undo_restores_exactly_and_is_recorded() -> None:
    before = leerling({"p.straat": "Dorpsstraat", "p.klas": "1B"})
    applied = apply(before, {"p.straat": "Kerkstraat"}, modus="overschrijven", keuzes={"p.klas": "wissen"})
    assert applied.mutatie is not None
    undone = maak_ongedaan(applied.leerling, applied.mutatie, mutatie_id="m2", door="zorg", wanneer=T1)
    assert undone.leerling == before
    assert undone.ongedaan.ongedaan_door == "m2"
    assert undone.mutatie.soort == "ongedaan" and undone.mutatie.herstelt == "m1"
    assert {w.pad: (w.oud, w.nieuw) for w in undone.mutatie.wijzigingen} == {
        "p.straat": ("Kerkstraat", "Dorpsstraat"),
        "p.klas": (None, "1B"),
    }
    with pytest.raises(RefusedError, match="al ongedaan"):
        maak_ongedaan(undone.leerling, undone.ongedaan, mutatie_id="m3", door="x", wanneer=T1)
    with pytest.raises(RefusedError, match="niet zelf ongedaan"):
        maak_ongedaan(undone.leerling, undone.mutatie, mutatie_id="m3", door="x", wanneer=T1)


def test_undo_of_an_older_entry_is_refused_while_a_later_one_touched_the_same_step() -> None:
    first = apply(leerling(), {"p.straat": "Kerkstraat"})
    second = apply(first.leerling, {"p.straat": "Laan"}, dossier="v2", modus="overschrijven", mid="m2")
    assert first.mutatie is not None and second.mutatie is not None
    with pytest.raises(RefusedError, match="eerst die latere"):
        maak_ongedaan(second.leerling, first.mutatie, mutatie_id="m3", door="x", wanneer=T1)
    back = maak_ongedaan(second.leerling, second.mutatie, mutatie_id="m3", door="x", wanneer=T1)
    assert back.leerling == first.leerling
    empty = maak_ongedaan(back.leerling, first.mutatie, mutatie_id="m4", door="x", wanneer=T1)
    assert empty.leeg


# Property tests: random registered data, random dossier proposals, modes and choices.

_PATHS = st.sampled_from(["p.a", "p.b", "p.c", "p.l[x]", "p.l[y]", "q.z"])
_SCALARS = st.one_of(st.none(), st.sampled_from(["", "Jansen", "Bakker"]), st.integers(0, 3), st.booleans())
_ROWS = st.dictionaries(st.sampled_from(["naam", "score", "datum"]), _SCALARS, max_size=3)


@st.composite
def _gegevens(draw: st.DrawFn) -> dict[str, Inhoud]:
    paths = draw(st.lists(_PATHS, unique=True, max_size=6))
    return {p: draw(_ROWS if "[" in p else _SCALARS) for p in paths}


def _stored(gegevens: dict[str, Inhoud]) -> dict[str, Inhoud]:
    """What a registered record holds: no empty values (those are never written)."""
    from oso_tui.registration.diff import normaliseer

    return {p: v for p, v in ((p, normaliseer(v)) for p, v in gegevens.items()) if v is not None}


_KEUZES = st.dictionaries(_PATHS, st.sampled_from(["overnemen", "behouden", "wissen"]), max_size=4)


@settings(max_examples=150, deadline=None)
@given(
    registered=_gegevens(),
    voorstel=_gegevens(),
    modus=st.sampled_from(["aanvullen", "overschrijven"]),
    keuzes=_KEUZES,
)
def test_property_apply_then_undo_is_the_identity(
    registered: dict[str, Inhoud], voorstel: dict[str, Inhoud], modus: Modus, keuzes: dict[str, Keuze]
) -> None:
    before = apply(leerling(), _stored(registered), dossier="v0", mid="m0").leerling
    applied = apply(before, voorstel, modus=modus, keuzes=keuzes, dossier="v1", mid="m1", when=T1)
    assert applied.mutatie is not None
    undone = maak_ongedaan(applied.leerling, applied.mutatie, mutatie_id="m2", door="x", wanneer=T1)
    assert undone.leerling == before
    roundtrip = Leerling.model_validate_json(applied.leerling.model_dump_json())
    assert roundtrip == applied.leerling, "what the store gives back equals what was written"


@settings(max_examples=150, deadline=None)
@given(
    registered=_gegevens(),
    voorstel=_gegevens(),
    modus=st.sampled_from(["aanvullen", "overschrijven"]),
    keuzes=_KEUZES,
)
def test_property_re_applying_is_idempotent(
    registered: dict[str, Inhoud], voorstel: dict[str, Inhoud], modus: Modus, keuzes: dict[str, Keuze]
) -> None:
    before = apply(leerling(), _stored(registered), dossier="v0", mid="m0").leerling
    once = apply(before, voorstel, modus=modus, keuzes=keuzes, dossier="v1", mid="m1", when=T1)
    twice = apply(once.leerling, voorstel, modus=modus, keuzes=keuzes, dossier="v1", mid="m2", when=T1)
    assert not twice.gewijzigd
    assert twice.leerling == once.leerling
    assert all(
        not r.wijzigt
        for r in vergelijk(once.leerling.gegevens, voorstel, eigen=eigen, modus=modus, keuzes=keuzes)
    )

"""The generic diff: every verdict, lists by natural key, modes and per-field choices."""

from __future__ import annotations

import pytest

from oso_tui.registration.diff import DiffRegel, rij_pad, splits_pad, unieke_rijen, vergelijk
from oso_tui.registration.models import Inhoud, Keuze, Modus


def eigen(pad: str) -> bool:
    return pad.startswith("p.")


def diff(
    geregistreerd: dict[str, Inhoud],
    voorstel: dict[str, Inhoud],
    modus: Modus = "aanvullen",
    keuzes: dict[str, Keuze] | None = None,
) -> dict[str, DiffRegel]:
    regels = vergelijk(geregistreerd, voorstel, eigen=eigen, modus=modus, keuzes=keuzes)
    return {r.pad: r for r in regels}


def test_every_verdict_of_a_field() -> None:
    regels = diff(
        {"p.a": "Jansen", "p.b": "Dorpsstraat", "p.c": "1B", "q.x": "other step"},
        {"p.a": "Jansen", "p.b": "Kerkstraat", "p.d": "2011-05-04", "p.e": ""},
    )
    assert regels["p.a"].oordeel == "gelijk"
    assert regels["p.b"].oordeel == "gewijzigd"
    assert regels["p.c"].oordeel == "alleen geregistreerd"
    assert regels["p.d"].oordeel == "nieuw"
    assert "p.e" not in regels, "empty on both sides is not a line"
    assert "q.x" not in regels, "another step's field is not part of this diff"


def test_aanvullen_fills_only_empty_fields_and_keeps_the_rest() -> None:
    regels = diff({"p.b": "Dorpsstraat", "p.c": "1B"}, {"p.b": "Kerkstraat", "p.d": "x"})
    assert regels["p.b"].resultaat == "Dorpsstraat" and regels["p.b"].actie == "behouden"
    assert regels["p.c"].resultaat == "1B" and regels["p.c"].actie == "behouden"
    assert regels["p.d"].resultaat == "x" and regels["p.d"].actie == "overnemen"


def test_overschrijven_replaces_changed_values_but_never_clears() -> None:
    regels = diff({"p.b": "Dorpsstraat", "p.c": "1B"}, {"p.b": "Kerkstraat"}, modus="overschrijven")
    assert regels["p.b"].resultaat == "Kerkstraat" and regels["p.b"].actie == "overnemen"
    assert regels["p.c"].resultaat == "1B", "data the dossier lacks is not removed"


def test_choices_override_the_mode() -> None:
    regels = diff(
        {"p.b": "Dorpsstraat", "p.c": "1B", "p.f": "oud"},
        {"p.b": "Kerkstraat", "p.d": "x", "p.f": "nieuw"},
        modus="overschrijven",
        keuzes={"p.b": "behouden", "p.c": "wissen", "p.d": "behouden"},
    )
    assert regels["p.b"].resultaat == "Dorpsstraat"
    assert regels["p.c"].resultaat is None and regels["p.c"].actie == "wissen"
    assert regels["p.d"].resultaat is None and not regels["p.d"].wijzigt
    assert regels["p.f"].resultaat == "nieuw"
    taken = diff({"p.b": "Dorpsstraat"}, {"p.b": "Kerkstraat"}, keuzes={"p.b": "overnemen"})
    assert taken["p.b"].resultaat == "Kerkstraat"


def test_overnemen_of_a_missing_value_does_not_clear() -> None:
    regels = diff({"p.c": "1B"}, {}, keuzes={"p.c": "overnemen"})
    assert regels["p.c"].resultaat == "1B"


def test_types_matter_when_comparing() -> None:
    assert diff({"p.n": 1}, {"p.n": True})["p.n"].oordeel == "gewijzigd"
    assert diff({"p.n": "  "}, {"p.n": "x"})["p.n"].oordeel == "nieuw"


def test_lists_diff_by_natural_key_into_added_changed_and_missing_rows() -> None:
    registered = unieke_rijen(
        "p.verzorgers",
        [
            (("Jansen", "vader"), {"naam": "Jansen", "relatie": "vader", "telefoon": "0612345678"}),
            (("Jansen", "moeder"), {"naam": "Jansen", "relatie": "moeder", "email": None}),
        ],
    )
    dossier = unieke_rijen(
        "p.verzorgers",
        [
            (("Jansen", "moeder"), {"naam": "Jansen", "relatie": "moeder", "email": "m@example.org"}),
            (("Bakker", "voogd"), {"naam": "Bakker", "relatie": "voogd"}),
        ],
    )
    regels = diff(dict(registered), dict(dossier))
    vader, moeder, voogd = (
        regels[rij_pad("p.verzorgers", k)]
        for k in (("Jansen", "vader"), ("Jansen", "moeder"), ("Bakker", "voogd"))
    )
    assert vader.oordeel == "alleen geregistreerd" and vader.resultaat == vader.geregistreerd
    assert moeder.oordeel == "gewijzigd" and moeder.resultaat == moeder.geregistreerd
    assert voogd.oordeel == "nieuw" and voogd.lijst == "p.verzorgers" and voogd.sleutel == "Bakker|voogd"
    assert {d.veld: d.oordeel for d in moeder.delen}["email"] == "nieuw"


def test_a_changed_row_is_one_unit() -> None:
    pad = rij_pad("p.toetsen", ("0011", "2027-02-10"))
    regels = diff(
        {pad: {"score": 530, "advies": None, "niveau": "1F"}},
        {pad: {"score": 540, "advies": "havo", "niveau": "1F"}},
    )
    regel = regels[pad]
    assert regel.oordeel == "gewijzigd"
    assert regel.resultaat == {"score": 530, "niveau": "1F"}, "aanvullen does not mix two versions of a row"
    assert regel.actie == "behouden"
    assert {d.veld: d.oordeel for d in regel.delen} == {
        "score": "gewijzigd",
        "advies": "nieuw",
        "niveau": "gelijk",
    }
    overwritten = diff({pad: {"score": 530}}, {pad: {"score": 540}}, modus="overschrijven")[pad]
    assert overwritten.resultaat == {"score": 540}


def test_duplicate_keys_keep_every_row() -> None:
    rows = unieke_rijen("p.t", [(("a",), {"x": 1}), (("a",), {"x": 2})])
    assert list(rows) == ["p.t[a]", "p.t[a#2]"]
    assert splits_pad("p.t[a#2]") == ("p.t", "a#2")
    assert splits_pad("p.achternaam") == ("p.achternaam", None)


def test_many_repeated_keys_are_numbered_in_order_without_clashes() -> None:
    literal = (("a#3",), {"x": 0})  # a key that looks like a number given out later
    rows = unieke_rijen("p.t", [literal, *[(("a",), {"x": i}) for i in range(1, 5001)]])
    assert len(rows) == 5001
    assert rows["p.t[a#3]"] == {"x": 0}
    assert rows["p.t[a]"] == {"x": 1} and rows["p.t[a#2]"] == {"x": 2} and rows["p.t[a#4]"] == {"x": 3}
    assert rows["p.t[a#5001]"] == {"x": 5000}


def test_unknown_mode_or_choice_is_a_usage_error() -> None:
    with pytest.raises(Exception, match="modus"):
        vergelijk({}, {"p.a": "x"}, eigen=eigen, modus="alles")  # type: ignore[arg-type]
    with pytest.raises(Exception, match="keuze"):
        vergelijk({}, {"p.a": "x"}, eigen=eigen, keuzes={"p.a": "weg"})  # type: ignore[dict-item]


def test_a_change_of_type_is_a_change() -> None:
    regel = diff({"p.n": 1}, {"p.n": True}, modus="overschrijven")["p.n"]
    assert regel.wijzigt and regel.actie == "overnemen" and regel.resultaat is True

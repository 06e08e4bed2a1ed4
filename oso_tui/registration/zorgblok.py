"""The 2016-2018 care block <zorg> under the names a school uses today, for the begeleiding step."""

from __future__ import annotations

from collections.abc import Iterable

from oso_tui.dossier.models import Zorgregel
from oso_tui.registration.models import Inhoud, Rij, Waarde
from oso_tui.registration.values import als_bool, put, row, rows

# The 2016-2018 care block under today's names: Zorgregel.soort -> (list, key fields, field names).
OUDE_ZORG: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "lgf": (
        "begeleiding.lgf",
        ("lgfdatum",),
        {
            "lgfdatum": "ingangsdatum",
            "codelgfonderwijssoort": "onderwijssoort",
            "lgfcvinummer": "cvi_nummer",
            "lgfindicatierec": "indicatie_rec",
            "lgfeinddatum": "einddatum",
            "lgfbrincode": "brin",
        },
    ),
    "opdc": (
        "begeleiding.opdc",
        ("opdc_ingangdatum",),
        {
            "opdc_ingangdatum": "ingangsdatum",
            "opdc_einddatum": "einddatum",
            "opdc_brin": "brin",
            "opdc_vestigingscode": "vestiging",
        },
    ),
    "begeleiding": (
        "begeleiding.begeleidingen",
        ("soortbegeleiding",),
        {"soortbegeleiding": "soort", "begeleidingvoortzetten": "voortzetten"},
    ),
    "extrahulp": (
        "begeleiding.begeleidingen",
        ("domein",),
        {"domein": "soort", "toelichtinghulp": "toelichting", "voortzetten": "voortzetten"},
    ),
    "onderwijsbelemmering": ("begeleiding.onderwijsbelemmeringen", ("tekst",), {"tekst": "omschrijving"}),
    "sterkpunt": ("begeleiding.sterke_punten", ("tekst",), {"tekst": "omschrijving"}),
    "specialist": (
        "begeleiding.specialisten",
        ("naam",),
        {"naam": "naam", "soort": "soort", "contact": "contact"},
    ),
    "instantie": (
        "begeleiding.specialisten",
        ("naam",),
        {"naam": "naam", "contactpersoon": "contactpersoon"},
    ),
    "upw": (
        "begeleiding.signaleringen",
        ("upwingangdatum",),
        {
            "upwingangdatum": "upw_ingangsdatum",
            "upwuitstroomprofiel": "uitstroomprofiel",
            "upwvoelementcode": "voelement",
            "upwleerjaar": "leerjaar",
        },
    ),
    "vir": (
        "begeleiding.signaleringen",
        ("ingevoerdinvir",),
        {"ingevoerdinvir": "in_verwijsindex", "reden": "reden"},
    ),
    "zat": (
        "begeleiding.signaleringen",
        ("besprokeninzat",),
        {"besprokeninzat": "besproken_in_zat", "reden": "reden"},
    ),
    "opp": (
        "begeleiding.opp_eerder",
        ("opp_ingangdatum",),
        {"opp_ingangdatum": "ingangsdatum", "opp_einddatum": "einddatum"},
    ),
}
# Single fields of the old care block: element -> registered path.
OUDE_ZORGVELDEN: dict[str, str] = {
    "naamib": "begeleiding.intern_begeleider",
    "sbobeschikkingsdatum": "begeleiding.sbo_beschikkingsdatum",
    "wsnsnummer": "begeleiding.wsns_nummer",
    "pgbdatum": "begeleiding.pgb.datum",
    "pgbomvang": "begeleiding.pgb.omvang",
    "specialebegeleiding": "begeleiding.speciale_begeleiding",
    "ambulantstartdatum": "begeleiding.ambulant.startdatum",
    "ambulantbrincode": "begeleiding.ambulant.brin",
    "ambulantvestigingscode": "begeleiding.ambulant.vestiging",
    "begeleidingsplanrec": "begeleiding.begeleidingsplan_rec",
    "toelichtingsef": "begeleiding.sociaal_emotioneel",
}


def registreer_oude_zorg(w: dict[str, Inhoud], regels: Iterable[Zorgregel]) -> None:
    """The 2016-2018 care block under the names a school uses today (see OUDE_ZORG)."""
    per_lijst: dict[str, list[tuple[tuple[Waarde, ...], Rij]]] = {}
    for regel in regels:
        if regel.soort == "zorg":
            for name, value in regel.velden.items():
                put(w, OUDE_ZORGVELDEN[name], als_bool(value))
            continue
        lijst, sleutel, namen = OUDE_ZORG[regel.soort]
        rij = row(**{namen[k]: als_bool(v) for k, v in regel.velden.items() if k in namen})
        per_lijst.setdefault(lijst, []).append((tuple(regel.velden.get(k) for k in sleutel), rij))
    for lijst, rijen in per_lijst.items():
        rows(w, lijst, rijen)

"""Properties on a real store: any sequence of registrations undoes step by step to exactly what was there."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oso_tui import services
from oso_tui.registration.models import Keuze, Leerling, Modus, Stap
from oso_tui.services import rollen
from oso_tui.store import Store
from tests.registratie_data import PGN, aanvraag, dossier_xml, make_settings, ontvang
from tests.service_context import ctx_of

_STAPPEN: tuple[Stap, ...] = ("personalia", "loopbaan", "begeleiding")
_PADEN = (
    "personalia.adres",
    "personalia.achternaam",
    "loopbaan.advies.advies",
    "begeleiding.medicijngebruik",
)
_OPERATIES = st.lists(
    st.tuples(
        st.sampled_from(_STAPPEN),
        st.sampled_from(["maart", "mei"]),
        st.sampled_from(["aanvullen", "overschrijven"]),
        st.dictionaries(
            st.sampled_from(_PADEN), st.sampled_from(["overnemen", "behouden", "wissen"]), max_size=2
        ),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operaties=_OPERATIES)
def test_property_any_registrations_undo_back_exactly(
    operaties: list[tuple[Stap, str, Modus, dict[str, Keuze]]],
) -> None:
    rollen._announced = True
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        store = Store.open(tmp / "oso.json")
        aanvraag(store)
        versies = {
            "maart": ontvang(store, dossier_xml(datum="2027-03-01", zorg=True), datum="2027-03-01"),
            "mei": ontvang(
                store,
                dossier_xml(datum="2027-05-20", straat="Lindenweg", eindtoets=True, zorg=True),
                datum="2027-05-20",
            ),
        }
        s = make_settings(tmp)
        states: list[Leerling | None] = [None]
        applied = 0
        for stap, versie, modus, keuzes in operaties:
            [result] = services.register(
                ctx_of(store, s, "ib"),
                pgn=PGN,
                stappen=[stap],
                modus=modus,
                keuzes=keuzes,
                versie=versies[versie],
            )
            again = services.plan(
                ctx_of(store, s, "ib"),
                pgn=PGN,
                stap=stap,
                modus=modus,
                keuzes=keuzes,
                versie=versies[versie],
                audit=False,
            )
            assert again.al_geregistreerd, "re-applying the same dossier and choices changes nothing"
            if result.gewijzigd:
                applied += 1
                states.append(services.get_pupil(ctx_of(store), PGN))
        for expected in reversed(states[:-1]):
            services.undo(ctx_of(store, s, "ib"), pgn=PGN)
            assert services.get_pupil(ctx_of(store), PGN) == expected
        assert applied == len(states) - 1

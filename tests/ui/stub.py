"""An in-memory Backend with fixed, fictional data: screens tested without services or a store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import cast

from oso_tui.dossier.models import NietOvergenomen
from oso_tui.errors import RefusedError
from oso_tui.exchange.models import DossierVersie
from oso_tui.registration.models import Inhoud, Stap, StapInfo, Voorstel
from oso_tui.screens.omzetten import diff_view
from oso_tui.screens.viewmodels import (
    Bijlage,
    CsvRegel,
    CsvVoorbeeld,
    DiffView,
    Gebruiker,
    HistorieRegel,
    LeerlingView,
    Melding,
    NieuweAanvraag,
    Toepassing,
    Veld,
)
from oso_tui.services.listing import AanvraagRegel
from oso_tui.services.planning import DossierInfo, Stappenoverzicht, StapPlan, StapStatus
from oso_tui.services.worklist import TodoRegel

TODAY = date(2027, 5, 20)
PLAATSING = {
    "schooljaar": "2027-2028",
    "leerjaar": "1",
    "opleiding": "havo/vwo",
    "klas": "",
    "startdatum": "",
}
LINES: dict[str, tuple[dict[str, Inhoud], dict[str, Inhoud]]] = {
    # Per step (registered, dossier): one equal field, one new, one changed, one only registered, a new row.
    "personalia": (
        {
            "personalia.achternaam": "Vries",
            "personalia.adres": "Dorpsstraat 1",
            "personalia.communicatie[telefoon|0612345678]": {"soort": "telefoon", "nummer": "0612345678"},
        },
        {
            "personalia.achternaam": "Vries",
            "personalia.roepnaam": "Sanne",
            "personalia.adres": "Kerkweg 12",
            "personalia.verzorgers[Jan de Vries|1]": {"naam": "Jan de Vries", "relatie": "1"},
        },
    ),
    "loopbaan": (
        {
            "loopbaan.advies.profiel": "Natuur en Techniek",
            "loopbaan.advies.argumentatie": "Werkt zelfstandig.",
            "loopbaan.advies.contacttelefoon": "0612345678",
        },
        {
            "loopbaan.advies.profiel": "Natuur en Techniek",
            "loopbaan.advies.aandachtspunten": "Plannen",
            "loopbaan.advies.argumentatie": "Werkt zelfstandig en nauwkeurig.",
            "loopbaan.toetsen[0011|2027-02-10]": {"toets": "0011", "datum": "2027-02-10"},
        },
    ),
    "begeleiding": (
        {
            "begeleiding.medicijngebruik": "nee",
            "begeleiding.toelichting": "Extra tijd.",
            "begeleiding.lwoo.ingangsdatum": "2026-09-01",
        },
        {
            "begeleiding.medicijngebruik": "nee",
            "begeleiding.opp.ingangsdatum": "2026-09-01",
            "begeleiding.toelichting": "Extra tijd en een rustige plek.",
        },
    ),
}


def regel(
    id: str,
    pgn: str,
    naam: str,
    geboortedatum: date,
    school: str,
    status: str,
    laatste_dossier: date | None = None,
    stappen: Sequence[str] = (),
    *,
    reden: str | None = None,
    leerling_id: str | None = None,
) -> AanvraagRegel:
    """A request-list row as the services give it, from the few fields the screens show."""
    brin, vestiging = school.split(" ")
    return AanvraagRegel(
        id=id,
        pgn=pgn,
        naam=naam,
        geboortedatum=geboortedatum,
        school=f"{brin}-{vestiging}",
        brin=brin,
        vestiging=vestiging,
        status=status,
        reden=reden,
        aangemaakt=date(2027, 1, 10),
        sinds=None,
        laatste_dossierdatum=laatste_dossier,
        versies=1 if laatste_dossier else 0,
        versiedatums=[laatste_dossier] if laatste_dossier else [],
        stappen=list(stappen),
        leerling_id=leerling_id,
        hernieuwen_nodig=status == "verlopen",
    )


def versie(
    id: str, aanvraag_id: str, datum: date, ontvangen: datetime, waarschuwingen: Sequence[str] = ()
) -> DossierVersie:
    return DossierVersie(
        id=id,
        aanvraag_id=aanvraag_id,
        pgn="111222333",
        datum=datum,
        standaardversie="2019.1",
        ontvangen=ontvangen,
        bron="demo",
        waarschuwingen=list(waarschuwingen),
    )


def sample_rows() -> list[AanvraagRegel]:
    return [
        regel(
            "a1",
            "111222333",
            "Sanne de Vries",
            date(2015, 2, 14),
            "12AB 00",
            "opgehaald",
            date(2027, 3, 10),
            ["personalia"],
            leerling_id="l1",
        ),
        regel("a2", "123456782", "Mohammed El Amrani", date(2015, 6, 1), "34CD 00", "klaargezet"),
        regel("a3", "100000009", "Lotte Jansen", date(2014, 11, 30), "12AB 01", "aangevraagd"),
        regel("a4", "232262536", "Daan Bakker", date(2015, 1, 3), "56EF 00", "mislukt", reden="geen match"),
        regel("a5", "111222345", "Emma Visser", date(2015, 4, 22), "78GH 00", "verlopen", date(2026, 3, 1)),
        regel("a6", "999999990", "Noah Smit", date(2015, 8, 9), "12AB 00", "ingetrokken"),
    ]


def stap_plan(
    row: AanvraagRegel,
    stap: str,
    geregistreerd: Mapping[str, Inhoud],
    dossier: Mapping[str, Inhoud],
    *,
    waarschuwingen: Sequence[str] = (),
    niet_overgenomen: Sequence[NietOvergenomen] = (),
) -> StapPlan:
    """A plan of the services' own type on given values: the domain computes its lines and re-choices."""
    return StapPlan(
        stap=cast("Stap", stap),
        pgn=row.pgn,
        leerling_id=row.leerling_id,
        dossier=DossierInfo(id="sha-mei", aanvraag_id=row.id, datum=date(2027, 5, 15), naam=row.naam),
        voorstel=Voorstel(stap=cast("Stap", stap), waarden=dict(dossier)),
        geregistreerd=dict(geregistreerd),
        waarschuwingen=list(waarschuwingen),
        niet_overgenomen=list(niet_overgenomen),
    ).met()


class StubBackend:
    """Keeps requests in a list; counts calls so tests can assert what the UI asked for."""

    def __init__(self, *, zorg: bool = True) -> None:
        self.rows = sample_rows()
        self.gen = 1
        self.applied: list[Toepassing] = []
        self.undone: list[tuple[str, str]] = []
        self.renewed: list[str] = []
        self.sinds: date | None = None
        self.werk = [
            TodoRegel(
                pgn="111222333",
                naam="Sanne de Vries",
                open_stappen=["loopbaan", "begeleiding"],
                nieuwere_versie=["personalia"],
                dossierdatum=date(2027, 5, 15),
            ),
            TodoRegel(
                pgn="123456782",
                naam="Mohammed El Amrani",
                open_stappen=["personalia", "loopbaan", "begeleiding"],
                nieuwere_versie=[],
                dossierdatum=date(2027, 5, 15),
            ),
        ]
        self.verlopen_melding: str | None = None
        """Set by a test: the next `expire()` returns it once, as the real one does after a summer."""
        self._gebruiker = Gebruiker("tester", ("administratie", "zorg") if zorg else ("administratie",))

    @property
    def gebruiker(self) -> Gebruiker:
        return self._gebruiker

    def today(self) -> date:
        return TODAY

    def generation(self) -> int:
        return self.gen

    def expire(self) -> str | None:
        melding, self.verlopen_melding = self.verlopen_melding, None
        if melding is not None:
            self.gen += 1
        return melding

    def list_requests(self) -> list[AanvraagRegel]:
        return list(self.rows)

    def todo(self) -> list[TodoRegel]:
        """Sanne: personalia from March, a May version waits; Mohammed: nothing registered yet."""
        return list(self.werk)

    def request_one(self, aanvraag: NieuweAanvraag) -> Melding:
        if any(r.pgn == aanvraag.pgn and r.status != "ingetrokken" for r in self.rows):
            raise RefusedError("Voor deze leerling loopt al een aanvraag; vernieuw die in plaats daarvan.")
        self.rows.append(
            regel(
                f"a{len(self.rows) + 1}",
                aanvraag.pgn,
                aanvraag.achternaam or "",
                aanvraag.geboortedatum,
                f"{aanvraag.brin} {aanvraag.vestiging}",
                "aangevraagd",
            )
        )
        self.gen += 1
        return Melding("Aanvraag gemaakt.")

    def preview_csv(self, path: Path) -> CsvVoorbeeld:
        return CsvVoorbeeld(
            [
                CsvRegel(2, "123456782", "01-06-2015", "34CD"),
                CsvRegel(3, "123", "2015-06-01", "34CD", fout="PGN heeft 3 cijfers in plaats van 9."),
                CsvRegel(4, "232262536", "2015-13-01", "56EF", fout="geboortedatum bestaat niet."),
                CsvRegel(5, "111222333", "14-02-2015", "12AB", overgeslagen="al een aanvraag (opgehaald)"),
            ]
        )

    def default_sinds(self, aanvraag_id: str) -> date | None:
        return self._row(aanvraag_id).laatste_dossierdatum

    def renew(self, ids: Sequence[str], sinds: date | None = None) -> Melding:
        self.renewed += ids
        self.sinds = sinds
        self.rows = [r.model_copy(update={"status": "aangevraagd"}) if r.id in ids else r for r in self.rows]
        self.gen += 1
        return Melding(f"{len(ids)} aanvraag/aanvragen vernieuwd.")

    def _row(self, aanvraag_id: str) -> AanvraagRegel:
        for row in self.rows:
            if row.id == aanvraag_id:
                return row
        raise RefusedError("Deze aanvraag bestaat niet (meer).")

    def detail(self, aanvraag_id: str) -> tuple[AanvraagRegel, Stappenoverzicht]:
        row = self._row(aanvraag_id)
        has = row.laatste_dossierdatum is not None and row.status != "verlopen"
        # After the summer there is no usable dossier, and each step says why, as the real services do.
        reden = "Het dossier is van vóór de zomervakantie en niet meer te gebruiken; hernieuw de aanvraag."
        laatst = StapInfo(
            laatst=datetime(2027, 3, 12, 9, 30),
            dossier="sha-maart",
            door="jansen",
            dossierdatum=date(2027, 3, 10),
        )
        stappen = [
            StapStatus(
                stap=stap,
                titel=stap.capitalize(),
                info=laatst if stap in row.stappen else None,
                mag=stap != "begeleiding" or self.gebruiker.zorg,
                wijzigingen=(1 if stap in row.stappen else wijzigingen) if has else None,
                reden=reden if row.status == "verlopen" else None,
            )
            for stap, wijzigingen in (("personalia", 8), ("loopbaan", 5), ("begeleiding", 3))
        ]
        info = DossierInfo(id="sha-mei", aanvraag_id=aanvraag_id, datum=date(2027, 5, 15)) if has else None
        leerling = "l1" if row.stappen else None
        return row, Stappenoverzicht(pgn=row.pgn, leerling_id=leerling, dossier=info, stappen=stappen)

    def plan(self, aanvraag_id: str, stap: str, *, plaatsing: Mapping[str, str] | None = None) -> DiffView:
        row = self._row(aanvraag_id)
        geregistreerd, dossier = (dict(kant) for kant in LINES[stap])
        if stap == "personalia":
            typed = dict(PLAATSING if plaatsing is None else plaatsing)
            dossier |= {f"plaatsing.{k}": v for k, v in typed.items() if v}
            if "personalia" in row.stappen:
                geregistreerd |= {f"plaatsing.{k}": v for k, v in PLAATSING.items() if v}
        waarschuwingen = ["Dit is een voorlopig dossier."] if stap == "loopbaan" else []
        plan = stap_plan(row, stap, geregistreerd, dossier, waarschuwingen=waarschuwingen)
        return diff_view(aanvraag_id, plan, zorg=self.gebruiker.zorg)

    def apply(self, toepassing: Toepassing) -> Melding:
        self.applied.append(toepassing)
        self.gen += 1
        return Melding(f"{toepassing.view.wijzigingen} veld(en) bijgewerkt.")

    def undo(self, aanvraag_id: str, stap: str) -> Melding:
        self.undone.append((aanvraag_id, stap))
        self.gen += 1
        return Melding(f"Stap {stap} ongedaan gemaakt.")

    def pupil(self, aanvraag_id: str, *, met_zorg: bool = False) -> LeerlingView:
        row = self._row(aanvraag_id)
        herkomst = "dossier 10-03-2027, jansen"
        return LeerlingView(
            naam=row.naam,
            pgn=row.pgn,
            per_stap={
                "personalia": [
                    Veld("Achternaam", "Vries", herkomst),
                    Veld("Voorvoegsel", "de", herkomst),
                    Veld("Geboortedatum", "14-02-2015", herkomst),
                    Veld("Adres", "Dorpsstraat 1, 1234 AB Ergens", herkomst),
                ],
                "loopbaan": [],
                "begeleiding": [Veld("Diagnose", "dyslexie", "dossier 15-05-2027, zorg")] if met_zorg else [],
            },
            historie=[
                HistorieRegel(
                    datetime(2027, 3, 12, 9, 30), "personalia", "registreren", "jansen", date(2027, 3, 10), 14
                )
            ],
            bijlagen=[Bijlage(0, "verklaring.zip", "Dyslexieverklaring", 2048)] if met_zorg else [],
            zorg_zichtbaar=met_zorg,
        )

    def versions(self, aanvraag_id: str) -> list[DossierVersie]:
        return [
            versie("sha-maart", aanvraag_id, date(2027, 3, 10), datetime(2027, 3, 11, 8, 0)),
            versie(
                "sha-mei", aanvraag_id, date(2027, 5, 15), datetime(2027, 5, 16, 8, 0), ["voorlopig dossier"]
            ),
        ]

    def version_fields(self, versie_id: str) -> list[Veld]:
        return [
            Veld("metadata/datum", "2027-05-15" if versie_id == "sha-mei" else "2027-03-10"),
            Veld("leerling/achternaam", "Vries"),
        ]

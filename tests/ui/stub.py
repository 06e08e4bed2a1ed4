"""An in-memory Backend with fixed, fictional data: screens tested without services or a store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from oso_tui.errors import RefusedError
from oso_tui.exchange.models import DossierVersie
from oso_tui.registration.models import StapInfo
from oso_tui.screens.viewmodels import (
    AanvraagDetail,
    AfgebrokenError,
    Bijlage,
    CsvRegel,
    CsvVoorbeeld,
    DiffRegel,
    DiffView,
    FetchResultaat,
    Gebruiker,
    HistorieRegel,
    LeerlingView,
    Melding,
    NieuweAanvraag,
    Progress,
    Toepassing,
    Veld,
)
from oso_tui.services.listing import AanvraagRegel
from oso_tui.services.planning import StapStatus
from oso_tui.services.worklist import TodoRegel

TODAY = date(2027, 5, 20)


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


class StubBackend:
    """Keeps requests in a list; counts calls so tests can assert what the UI asked for."""

    def __init__(self, *, zorg: bool = True) -> None:
        self.rows = sample_rows()
        self.gen = 1
        self.inbox_map: Path | None = None
        self.applied: list[Toepassing] = []
        self.undone: list[tuple[str, str]] = []
        self.renewed: list[str] = []
        self.sinds: date | None = None
        self.plaatsing: Mapping[str, str] | None = None
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
        self.overviews = 0
        self.registered: list[str] = []
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

    def describe_store(self) -> str:
        return f"{len(self.rows)} aanvragen (geheugen)"

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

    def request_csv(self, path: Path) -> Melding:
        self.gen += 1
        return Melding("1 aanvraag gemaakt, 1 overgeslagen, 2 geweigerd.")

    def default_sinds(self, aanvraag_id: str) -> date | None:
        return self._row(aanvraag_id).laatste_dossierdatum

    def renew(self, ids: Sequence[str], sinds: date | None = None) -> Melding:
        self.renewed += ids
        self.sinds = sinds
        self.rows = [r.model_copy(update={"status": "aangevraagd"}) if r.id in ids else r for r in self.rows]
        self.gen += 1
        return Melding(f"{len(ids)} aanvraag/aanvragen vernieuwd.")

    def withdraw(self, ids: Sequence[str]) -> Melding:
        self.rows = [r.model_copy(update={"status": "ingetrokken"}) if r.id in ids else r for r in self.rows]
        self.gen += 1
        return Melding(f"{len(ids)} aanvraag/aanvragen ingetrokken.")

    def print_overview(self) -> Melding:
        self.overviews += 1
        return Melding("Overzicht van 2 leerlingen in overzicht-2027-05-20.html.")

    def inbox(self) -> Path | None:
        return self.inbox_map

    def choose_inbox(self, folder: Path) -> None:
        self.inbox_map = folder

    def fetch(self, progress: Progress | None = None, bevestig: Sequence[str] = ()) -> FetchResultaat:
        """Like the real fetch: every dossier is read (progress; Escape stops here) before one write."""
        waiting = {r.id for r in self.rows if r.status == "klaargezet"}
        for index in range(len(waiting)):
            if progress:
                progress(index + 1, len(waiting))
        self.rows = [
            r.model_copy(update={"status": "opgehaald"}) if r.id in waiting else r for r in self.rows
        ]
        self.gen += 1
        return FetchResultaat(Melding(f"{len(waiting)} dossier(s) opgehaald."))

    def _row(self, aanvraag_id: str) -> AanvraagRegel:
        for row in self.rows:
            if row.id == aanvraag_id:
                return row
        raise RefusedError("Deze aanvraag bestaat niet (meer).")

    def detail(self, aanvraag_id: str) -> AanvraagDetail:
        row = self._row(aanvraag_id)
        has = row.laatste_dossierdatum is not None
        if row.status == "verlopen":
            return self._expired_detail(row)
        return AanvraagDetail(
            rij=row,
            nieuwste_versie="sha-mei" if has else None,
            nieuwste_datum=date(2027, 5, 15) if has else None,
            leerling_id="l1" if row.stappen else None,
            stappen=[
                StapStatus(
                    stap="personalia",
                    titel="Personalia",
                    info=StapInfo(
                        laatst=datetime(2027, 3, 12, 9, 30),
                        dossier="sha-maart",
                        door="jansen",
                        dossierdatum=date(2027, 3, 10),
                    ),
                    mag=True,
                    wijzigingen=1,
                )
                if "personalia" in row.stappen
                else StapStatus(
                    stap="personalia", titel="Personalia", mag=True, wijzigingen=8 if has else None
                ),
                StapStatus(stap="loopbaan", titel="Loopbaan", mag=True, wijzigingen=5 if has else None),
                StapStatus(
                    stap="begeleiding",
                    titel="Begeleiding",
                    mag=self.gebruiker.zorg,
                    wijzigingen=3 if has else None,
                ),
            ],
        )

    def _expired_detail(self, row: AanvraagRegel) -> AanvraagDetail:
        """After the summer: no usable dossier, and each step says why, as the real services do."""
        reden = "Het dossier is van vóór de zomervakantie en niet meer te gebruiken; hernieuw de aanvraag."
        return AanvraagDetail(
            rij=row,
            nieuwste_versie=None,
            nieuwste_datum=None,
            leerling_id=None,
            stappen=[
                StapStatus(stap=stap, titel=stap.capitalize(), mag=True, reden=reden)  # type: ignore[arg-type]
                for stap in ("personalia", "loopbaan", "begeleiding")
            ],
        )

    def plan(self, aanvraag_id: str, stap: str, *, plaatsing: Mapping[str, str] | None = None) -> DiffView:
        row = self._row(aanvraag_id)
        regels = [
            DiffRegel("naam.achternaam", "Naam", "achternaam", "Vries", "Vries", "gelijk"),
            DiffRegel("naam.roepnaam", "Naam", "roepnaam", "", "Sanne", "nieuw"),
            DiffRegel("adres.straat", "Adres", "straat", "Dorpsstraat 1", "Kerkweg 12", "gewijzigd"),
            DiffRegel("adres.telefoon", "Adres", "telefoon", "0612345678", "", "alleen geregistreerd"),
            DiffRegel(
                "verzorgers.Jan de Vries",
                "Verzorgers",
                "Jan de Vries",
                "",
                "vader, wettelijk",
                "nieuw",
                "toegevoegd",
            ),
        ]
        view = DiffView(
            aanvraag_id=aanvraag_id,
            stap=stap,
            naam=row.naam,
            versie_id="sha-mei",
            versie_datum=date(2027, 5, 15),
            regels=regels,
            waarschuwingen=("Dit is een voorlopig dossier.",) if stap == "loopbaan" else (),
            plaatsing=dict(plaatsing)
            if plaatsing is not None
            else {
                "schooljaar": "2027-2028",
                "leerjaar": "1",
                "opleiding": "havo/vwo",
                "klas": "",
                "startdatum": "",
            }
            if stap == "personalia"
            else None,
        )
        return self.rechoose(view, "aanvullen", {})

    def rechoose(self, view: DiffView, mode: str, keuzes: Mapping[str, str]) -> DiffView:
        def changes(regel: DiffRegel) -> bool:
            keuze = keuzes.get(regel.sleutel)
            if regel.oordeel == "nieuw":
                return keuze != "behouden"
            if regel.oordeel == "gewijzigd":
                return keuze in ("overnemen", "wissen") or (keuze is None and mode == "overschrijven")
            return regel.oordeel == "alleen geregistreerd" and keuze == "wissen"

        choices = {
            "nieuw": ("overnemen", "behouden"),
            "gewijzigd": ("overnemen", "behouden", "wissen"),
            "alleen geregistreerd": ("behouden", "wissen"),
            "gelijk": (),
        }
        regels = [
            replace(r, wijzigt=changes(r), keuze=keuzes.get(r.sleutel), keuzes=choices[r.oordeel])
            for r in view.regels
        ]
        return replace(view, regels=regels, mode=mode, keuzes=dict(keuzes))

    def apply(self, toepassing: Toepassing) -> Melding:
        self.applied.append(toepassing)
        self.gen += 1
        return Melding(f"{toepassing.view.wijzigingen} veld(en) bijgewerkt.")

    def register_many(
        self,
        ids: Sequence[str],
        stap: str,
        progress: Progress | None = None,
        *,
        plaatsing: Mapping[str, str] | None = None,
    ) -> Melding:
        """Pupil by pupil, like the real one: Escape stops between two pupils."""
        self.plaatsing = plaatsing
        for done, _ in enumerate(ids, start=1):
            self.registered.append(stap)
            self.gen += 1
            try:
                if progress:
                    progress(done, len(ids))
            except AfgebrokenError:
                return Melding(f"Afgebroken na {done} van {len(ids)} leerlingen.", "warning")
        return Melding(f"Stap {stap} aangevuld voor {len(ids)} leerlingen.")

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

    def save_attachment(self, aanvraag_id: str, index: int, folder: Path) -> Melding:
        return Melding(f"Bijlage bewaard in {folder}.")

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

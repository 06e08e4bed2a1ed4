"""The one adapter from the services to the screens' view models.

Every method calls `oso_tui.services.*` and turns the result into the small dataclasses of
`oso_tui.screens.viewmodels`. No Textual here and no store access: the store handle is only passed on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from oso_tui import services
from oso_tui.display import aantal
from oso_tui.errors import RefusedError
from oso_tui.screens.omzetten import diff_view, ruwe_velden, velden_per_stap
from oso_tui.screens.viewmodels import (
    AfgebrokenError,
    Bijlage,
    CsvRegel,
    CsvVoorbeeld,
    DiffView,
    FetchResultaat,
    Gebruiker,
    HistorieRegel,
    Koppeling,
    LeerlingView,
    Melding,
    NieuweAanvraag,
    Progress,
    Toepassing,
    Veld,
)
from oso_tui.settings import Settings

if TYPE_CHECKING:
    from oso_tui.exchange.base import Exchange
    from oso_tui.exchange.models import DossierVersie
    from oso_tui.registration.models import Stap
    from oso_tui.services import AanvraagRegel, LeerlingUitkomst, Stappenoverzicht, TodoRegel
    from oso_tui.services.sessie import Store

ExchangeFactory = Callable[[Settings], "Exchange"]


def folder_exchange(settings: Settings) -> Exchange:
    from oso_tui.exchange.folder import FolderExchange

    return FolderExchange(settings.inbox_dir, create=True, group=settings.group)


def demo_exchange(settings: Settings) -> Exchange:
    from oso_tui.exchange.demo import DemoExchange

    return DemoExchange(settings=settings)


def _nl(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _app_words(melding: str) -> str:
    """A service's refusal without its command-line wording: the app has no options to name."""
    return melding.replace("--plaatsing", "de plaatsing").rstrip(". ")


class ServiceBackend:
    """The real backend: the services on one store, as one OS user."""

    def __init__(
        self, store: Store, settings: Settings, user: str, exchange: ExchangeFactory = folder_exchange
    ) -> None:
        from oso_tui.services import rollen

        self.store = store
        self.settings = settings
        self.ctx = services.Context(store, settings, user)
        self._earlier: dict[str, AanvraagRegel] = {}
        self._prefetched: tuple[threading.Thread, list[tuple[int, list[AanvraagRegel]] | None]] | None = None
        self.user = user
        self.exchange = exchange
        self._gebruiker = Gebruiker(
            user,
            tuple(sorted(rollen.rollen(settings, user))),
            rollen_uit_config=not rollen.zonder_rollen(settings),
        )

    @property
    def gebruiker(self) -> Gebruiker:
        return self._gebruiker

    def today(self) -> date:
        return self.ctx.today()

    def generation(self) -> int:
        from oso_tui.services.sessie import generatie

        return generatie(self.store)

    def describe_store(self) -> str:
        from oso_tui.services.sessie import omvang

        return omvang(self.store, self.settings)

    def expire(self) -> str | None:
        """Apply the summer rule (idempotent); the one notice to show when it did something."""
        result = services.expire(self.ctx)
        return result.melding() if result.iets_gedaan else None

    # requests

    def _read_requests(self) -> list[AanvraagRegel]:
        """The list's rows, sharing each unchanged row with the list read before."""
        rows = services.list_requests(self.ctx, earlier=self._earlier)
        self._earlier = {row.id: row for row in rows}
        return rows

    def prefetch_requests(self) -> None:
        """Start reading the request list in a thread now, while the terminal app is still starting.

        The list screen asks for its rows only once Textual is up; by then they are (nearly) read.
        The first `list_requests()` takes them if the store's generation is still the one they were
        read at; otherwise, or if the read failed, it reads again (and reports any error itself).
        """
        result: list[tuple[int, list[AanvraagRegel]] | None] = [None]

        def read() -> None:
            try:
                generation = self.generation()
                result[0] = (generation, self._read_requests())
            except Exception:
                result[0] = None

        thread = threading.Thread(target=read, name="oso-tui-lijst", daemon=True)
        self._prefetched = (thread, result)
        thread.start()

    def todo(self) -> list[TodoRegel]:
        return services.todo(self.ctx)

    def list_requests(self) -> list[AanvraagRegel]:
        prefetched, self._prefetched = self._prefetched, None
        if prefetched is not None:
            thread, result = prefetched
            thread.join()
            read = result[0]
            if read is not None and read[0] == self.generation():
                return read[1]
        return self._read_requests()

    def request_one(self, aanvraag: NieuweAanvraag) -> Melding:
        made = services.request(
            self.ctx,
            pgn=aanvraag.pgn,
            geboortedatum=aanvraag.geboortedatum,
            brin=aanvraag.brin,
            vestiging=aanvraag.vestiging,
            achternaam=aanvraag.achternaam,
        )
        return Melding(f"Aanvraag gemaakt voor PGN …{made.pgn[-3:]} bij school {made.brin} {made.vestiging}.")

    def preview_csv(self, path: Path) -> CsvVoorbeeld:
        result = services.preview_csv(self.ctx, path)
        rows = [
            CsvRegel(r.rij, r.pgn, _nl(r.geboortedatum), r.brin, r.achternaam or "") for r in result.regels
        ]
        rows += [
            CsvRegel(
                s.regel.rij,
                s.regel.pgn,
                _nl(s.regel.geboortedatum),
                s.regel.brin,
                s.regel.achternaam or "",
                overgeslagen=f"al een aanvraag ({s.status})",
            )
            for s in result.overgeslagen
        ]
        rows += [
            CsvRegel(
                f.rij,
                f.waarden.get("pgn", ""),
                f.waarden.get("geboortedatum", ""),
                f.waarden.get("brin", ""),
                f.waarden.get("achternaam", ""),
                fout=f.reden,
            )
            for f in result.geweigerd
        ]
        return CsvVoorbeeld(sorted(rows, key=lambda r: r.regel))

    def request_csv(self, path: Path) -> Melding:
        result = services.request_csv(self.ctx, path)
        return Melding(result.samenvatting(), "warning" if result.geweigerd else "information")

    def default_sinds(self, aanvraag_id: str) -> date | None:
        return services.default_sinds(self.ctx, aanvraag_id)

    def renew(self, ids: Sequence[str], sinds: date | None = None) -> Melding:
        result = services.renew(self.ctx, ids=list(ids), sinds=sinds)
        text = result.samenvatting()
        if result.overgeslagen:
            text += " " + "; ".join(f"…{pgn[-3:]}: {reden}" for pgn, reden in result.overgeslagen[:3])
        return Melding(text, "warning" if result.overgeslagen else "information")

    def withdraw(self, ids: Sequence[str]) -> Melding:
        changed = services.withdraw_many(self.ctx, ids)
        return Melding(f"{len(changed)} aanvraag/aanvragen ingetrokken.")

    def print_overview(self) -> Melding:
        from oso_tui.services import overzicht

        stem = self.settings.data_dir / f"overzicht-{self.settings.today().isoformat()}"
        gemaakt = overzicht.maak_overzicht(self.ctx, bestand=stem.name + ".html")
        pagina = overzicht.naar_html(gemaakt)
        overzicht.schrijf_prive(stem.with_suffix(".html"), pagina.encode("utf-8"))
        pdf = overzicht.chromium() is not None
        if pdf:
            overzicht.html_naar_pdf(pagina, stem.with_suffix(".pdf"))
        return Melding(
            f"Overzicht van {aantal(gemaakt.aantal, 'leerling', 'leerlingen')} in {stem}.html"
            + (" en .pdf." if pdf else ".")
        )

    def inbox(self) -> Path | None:
        return self.settings.inbox_dir if self.exchange is folder_exchange else None

    def choose_inbox(self, folder: Path) -> None:
        self.settings = replace(self.settings, inbox=folder)

    def fetch(self, progress: Progress | None = None, bevestig: Sequence[str] = ()) -> FetchResultaat:
        exchange = self.exchange(self.settings)
        prepared = services.update_prepared(self.ctx, exchange)
        report = services.fetch(
            self.ctx,
            exchange,
            bevestig=list(bevestig),
            progress=(lambda done, total, _name: progress(done, total)) if progress else None,
        )
        text = report.samenvatting()
        if prepared:
            text = f"{aantal(prepared, 'dossier', 'dossiers')} klaargezet. " + text
        links = [
            Koppeling(
                b.sha256,
                f"De achternaam in dossier {b.bron} ({b.naam_dossier}) wijkt af van de aanvraag "
                f"({b.naam_aanvraag}). Toch koppelen aan deze aanvraag?",
            )
            for b in report.te_bevestigen
        ]
        serious = report.geweigerd or report.meldingen
        if report.meldingen:
            text += " " + " ".join(report.meldingen)
        return FetchResultaat(Melding(text, "warning" if serious else "information"), links)

    # registration

    @contextmanager
    def _bestaand(self) -> Iterator[None]:
        """A request that is gone (withdrawn and purged by a colleague) in the app's words."""
        from oso_tui.services.listing import UnknownRequestError

        try:
            yield
        except UnknownRequestError:
            raise RefusedError("Deze aanvraag bestaat niet meer; de lijst wordt bijgewerkt.") from None

    def _pgn(self, aanvraag_id: str) -> str:
        """The PGN of one request, read by its id alone."""
        with self._bestaand():
            return services.get_request(self.ctx, id=aanvraag_id).pgn

    def detail(self, aanvraag_id: str) -> tuple[AanvraagRegel, Stappenoverzicht]:
        with self._bestaand():
            regel = services.get_request_row(self.ctx, aanvraag_id)
            return regel, services.show_steps(self.ctx, aanvraag_id=aanvraag_id, verantwoording=True)

    @staticmethod
    def _plaatsing(values: Mapping[str, str] | None) -> Any:
        if values is None:
            return None
        from oso_tui.registration.steps import plaatsing_uit

        return plaatsing_uit(values)

    def plan(self, aanvraag_id: str, stap: str, *, plaatsing: Mapping[str, str] | None = None) -> DiffView:
        with self._bestaand():
            plan = services.plan(
                self.ctx,
                aanvraag_id=aanvraag_id,
                stap=cast("Stap", stap),
                plaatsing=self._plaatsing(plaatsing),
                verantwoording=True,
            )
        view = diff_view(aanvraag_id, plan, zorg=self.gebruiker.zorg)
        if stap == "personalia" and plaatsing is None and view.plaatsing and any(view.plaatsing.values()):
            # The form starts from what is registered (or the default from the advice): plan with that.
            plan = plan.met_plaatsing(self._plaatsing(view.plaatsing))
            view = diff_view(aanvraag_id, plan, zorg=self.gebruiker.zorg)
        return view

    def apply(self, toepassing: Toepassing) -> Melding:
        plan = toepassing.view.handle
        if toepassing.plaatsing is not None:
            # The placement as typed, on the registered data the user saw (not fresh data): applying
            # then refuses when a colleague changed the pupil meanwhile, instead of overwriting unseen.
            plan = plan.met_plaatsing(self._plaatsing(toepassing.plaatsing))
        result = services.apply(self.ctx, plan, accepteer_waarschuwingen=toepassing.waarschuwingen_gezien)
        return Melding(result.melding)

    def register_many(
        self,
        ids: Sequence[str],
        stap: str,
        progress: Progress | None = None,
        *,
        plaatsing: Mapping[str, str] | None = None,
    ) -> Melding:
        """Pupil by pupil, each in its own write: Escape stops between two pupils, so the store holds
        whole pupils only (those before the stop)."""
        pgns = list(dict.fromkeys(self._pgn(i) for i in ids))
        placement = self._plaatsing(plaatsing or None)
        results: list[LeerlingUitkomst] = []
        stopped = False
        for pgn in pgns:
            results += services.register_many(
                self.ctx,
                pgns=[pgn],
                stappen=[cast("Stap", stap)],
                plaatsing=placement,
            )
            try:
                if progress is not None:
                    progress(len(results), len(pgns))
            except AfgebrokenError:
                stopped = len(results) < len(pgns)
                break
        done = sum(1 for r in results if r.gelukt)
        refused = [r for r in results if not r.gelukt]
        text = f"Stap {stap} aangevuld voor {done} van {aantal(len(pgns), 'leerling', 'leerlingen')}."
        if stopped:
            rest = "de overige zijn niet aangeraakt"
            wie = aantal(len(pgns), "leerling", "leerlingen")
            text = f"Afgebroken na {len(results)} van {wie}; {rest}. {text}"
        if refused:
            text += f" Niet gelukt bij {len(refused)}: " + "; ".join(
                f"{r.naam or 'leerling …' + r.pgn[-3:]}: {_app_words(r.melding)}" for r in refused[:5]
            )
            if len(refused) > 5:
                text += f"; en nog {len(refused) - 5}"
            text += "."
        return Melding(text, "warning" if refused or stopped else "information")

    def undo(self, aanvraag_id: str, stap: str) -> Melding:
        result = services.undo(self.ctx, pgn=self._pgn(aanvraag_id), stap=cast("Stap", stap))
        return Melding(result.melding)

    # looking

    def pupil(self, aanvraag_id: str, *, met_zorg: bool = False) -> LeerlingView:
        pgn = self._pgn(aanvraag_id)
        zorg = met_zorg and self.gebruiker.zorg
        weergave = services.show(self.ctx, pgn=pgn, met_begeleiding=zorg)
        per_stap = velden_per_stap(weergave)
        historie = [
            HistorieRegel(
                moment=m.wanneer,
                stap=m.stap,
                actie=m.soort,
                door=m.door,
                versie_datum=m.dossierdatum,
                velden=len(m.wijzigingen),
            )
            for m in services.history(self.ctx, pgn=pgn)
        ]
        bijlagen: list[Bijlage] = []
        if zorg:
            bijlagen = [
                Bijlage(i, b.bestandsnaam, b.omschrijving or "", b.grootte)
                for i, b in enumerate(services.list_attachments(self.ctx, pgn=pgn))
            ]
        return LeerlingView(
            naam=weergave.naam,
            pgn=weergave.pgn,
            per_stap=per_stap,
            historie=historie,
            bijlagen=bijlagen,
            zorg_zichtbaar=zorg,
        )

    def save_attachment(self, aanvraag_id: str, index: int, folder: Path) -> Melding:
        saved = services.save_attachments(self.ctx, pgn=self._pgn(aanvraag_id), map=folder, nummers=[index])
        return Melding(f"Bijlage bewaard als {saved[0]} (niet uitgepakt).")

    def versions(self, aanvraag_id: str) -> list[DossierVersie]:
        with self._bestaand():
            return services.list_versions(self.ctx, services.get_request(self.ctx, id=aanvraag_id))

    def version_fields(self, versie_id: str) -> list[Veld]:
        """The raw fields of a version; care sections are left out (they are seen, audited, per pupil)."""
        _versie, dossier = services.get_version(self.ctx, versie_id)
        return ruwe_velden(dossier)

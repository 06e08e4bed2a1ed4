"""One fetched item, read and then judged: what matching needs from a dossier, and what becomes of it.

Reading (`read_item`) happens outside the store's transaction and keeps only what matching needs;
judging (`decide`) happens inside it, against the fresh requests and versions. Both are apart from
`fetching` so the order of the steps there stays visible, and each rule of judging sits in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from oso_tui.datums import toon_datum
from oso_tui.dossier.identifiers import pgn_kind
from oso_tui.errors import OsoError, ReadError
from oso_tui.exchange.base import Binnenkomend, Exchange, ItemGoneError
from oso_tui.exchange.expiry import is_expired
from oso_tui.exchange.models import Aanvraag, DossierVersie
from oso_tui.registration import names
from oso_tui.services.fetchreport import Bevestiging, FetchRegel, FetchReport, Uitkomst
from oso_tui.services.listing import latest
from oso_tui.settings import Settings
from oso_tui.store import RawBatch


@dataclass
class Gelezen:
    """One item after reading: what matching needs, without the raw bytes."""

    item: Binnenkomend
    sha256: str | None = None
    fout: str | None = None
    pgn: str | None = None
    geboortedatum: date | None = None
    brin: str | None = None
    datum: date | None = None
    standaardversie: str | None = None
    naam: str = ""
    achternaam: str = ""
    voorvoegsel: str | None = None
    waarschuwingen: list[str] = field(default_factory=list)
    raw_saved: bool = False
    weg: bool = False  # gone before it could be read: another session took it


def read_item(
    batch: RawBatch,
    settings: Settings,
    exchange: Exchange,
    item: Binnenkomend,
    keep_raw: Callable[[str | None, str], bool],
    today: date,
) -> Gelezen:
    gelezen = Gelezen(item=item)
    try:
        if item.grootte is not None and item.grootte > settings.max_dossier_bytes:
            raise ReadError(
                f"Het bestand is groter dan {settings.max_dossier_bytes // (1024 * 1024)} MB "
                "en wordt niet gelezen."
            )
        raw = exchange.lees(item)
        from oso_tui.dossier.parser import read_dossier  # lxml and the rules load on first use

        result = read_dossier(raw, max_bytes=settings.max_dossier_bytes, source_name=item.naam, model=False)
    except ItemGoneError:
        gelezen.weg = True
        return gelezen
    except OsoError as exc:
        gelezen.fout = exc.message
        return gelezen
    gelezen.sha256 = result.sha256
    kop = result.kop
    if kop is not None:
        gelezen.pgn = kop.pgn
        gelezen.geboortedatum = kop.geboortedatum
        gelezen.brin = kop.brin
        gelezen.datum = kop.datum
        gelezen.standaardversie = result.version
        gelezen.naam = kop.naam
        gelezen.achternaam = kop.achternaam
        gelezen.voorvoegsel = kop.voorvoegsel
    if not result.ok or kop is None:
        first = result.errors[0] if result.errors else None
        where = f" (regel {first.line})" if first is not None and first.line else ""
        more = f" en nog {len(result.errors) - 1} fout(en)" if len(result.errors) > 1 else ""
        message = first.message.rstrip(".") if first else "Het dossier kan niet gelezen worden"
        gelezen.fout = f"{message}{where}{more}"
        return gelezen
    if not gelezen.pgn:
        gelezen.fout = "Het dossier bevat geen BSN of onderwijsnummer"
        return gelezen
    if pgn_kind(gelezen.pgn) is None:
        gelezen.fout = f"Het dossier bevat '{gelezen.pgn}', geen geldig BSN of onderwijsnummer"
        return gelezen
    gelezen.waarschuwingen = [w.message for w in result.warnings]
    if gelezen.datum is not None and (later := na_vandaag(gelezen.datum, today)):
        gelezen.waarschuwingen.append(later)
    if keep_raw(gelezen.pgn, result.sha256):
        batch.put(result.raw, result.sha256)  # nothing is written if it is there already
        gelezen.raw_saved = True
    return gelezen


@dataclass
class Besluit:
    item: Binnenkomend
    regel: FetchRegel
    actie: Literal["verwerkt", "afgewezen", "laten"]


def decide(
    g: Gelezen,
    current: dict[str, Aanvraag],
    by_pgn: dict[str, str],
    known: dict[str, DossierVersie],
    bevestig: bool | Collection[str],
    report: FetchReport,
    settings: Settings,
    today: date,
) -> Besluit:
    naam = g.item.naam

    def regel(uitkomst: Uitkomst, reden: str = "", aanvraag_id: str | None = None) -> FetchRegel:
        return FetchRegel(naam, uitkomst, reden, g.pgn, aanvraag_id, g.sha256, g.datum)

    aanvraag_id = by_pgn.get(g.pgn) if g.pgn else None
    if g.fout is not None:
        return Besluit(g.item, regel("ongeldig", f"Ongeldig dossier: {g.fout}.", aanvraag_id), "afgewezen")
    assert g.datum is not None
    if is_expired(g.datum, settings, today):
        return Besluit(
            g.item,
            regel(
                "verouderd",
                f"Het dossier is van {toon_datum(g.datum)}, van vóór de afgelopen zomervakantie; "
                "vraag de school om een nieuw dossier.",
                aanvraag_id,
            ),
            "afgewezen",
        )
    if g.sha256 in known:
        versie = known[g.sha256]
        owner = current.get(versie.aanvraag_id)
        if owner is not None and owner.is_waiting and owner.sinds is not None:
            return Besluit(
                g.item,
                regel("geen nieuwe gegevens", "Dit dossier is al eerder ontvangen.", owner.id),
                "verwerkt",
            )
        return Besluit(
            g.item, regel("al ontvangen", "Dit dossier is al ontvangen.", versie.aanvraag_id), "verwerkt"
        )
    if aanvraag_id is None:
        return Besluit(g.item, regel("zonder aanvraag", "Er is geen aanvraag voor dit PGN."), "laten")
    aanvraag = current[aanvraag_id]
    if aanvraag.status == "verlopen":
        return Besluit(
            g.item,
            regel("aanvraag verlopen", "De aanvraag is verlopen; hernieuw haar eerst.", aanvraag_id),
            "laten",
        )
    herstel = " Klopt de aanvraag niet: trek haar in, vraag opnieuw aan en zet dit bestand terug in de inbox."
    if g.geboortedatum != aanvraag.geboortedatum:
        found = toon_datum(g.geboortedatum) if g.geboortedatum else "geen"
        return Besluit(
            g.item,
            regel(
                "afwijkend",
                f"Geboortedatum in het dossier ({found}) wijkt af van de aanvraag "
                f"({toon_datum(aanvraag.geboortedatum)}).{herstel}",
                aanvraag_id,
            ),
            "afgewezen",
        )
    if (g.brin or "").upper() != aanvraag.brin:
        return Besluit(
            g.item,
            regel(
                "afwijkend",
                f"Het dossier komt van school {g.brin or 'onbekend'}, "
                f"de aanvraag is gericht aan {aanvraag.brin}.{herstel}",
                aanvraag_id,
            ),
            "afgewezen",
        )
    versies = [known[v] for v in aanvraag.versies if v in known]
    newest = latest(versies)
    terug = (
        " Het bestand staat bij de geweigerde bestanden (rejected/) met deze reden; hernieuw de aanvraag "
        "met een vroegere datum 'sinds' en zet het bestand terug in de inbox om het alsnog op te halen."
    )
    renewed = aanvraag.sinds is not None and aanvraag.is_waiting
    if renewed and aanvraag.sinds is not None and g.datum < aanvraag.sinds:
        return Besluit(
            g.item,
            regel(
                "geen nieuwe gegevens",
                f"Het dossier is van {toon_datum(g.datum)}, ouder dan de hernieuwde aanvraag "
                f"(vanaf {toon_datum(aanvraag.sinds)}).{terug}",
                aanvraag_id,
            ),
            "afgewezen",  # not stored: kept in rejected/, in case the renewal's date was too late
        )
    if not renewed and newest is not None and g.datum < newest.datum:
        return Besluit(
            g.item,
            regel(
                "geen nieuwe gegevens",
                f"Het dossier is van {toon_datum(g.datum)}, "
                f"ouder dan de laatste versie ({toon_datum(newest.datum)}).{terug}",
                aanvraag_id,
            ),
            "afgewezen",  # not stored: kept in rejected/ with the reason
        )
    confirmed = bevestig is True or (not isinstance(bevestig, bool) and g.sha256 in bevestig)
    if not confirmed and not names.agree(aanvraag.achternaam, g.achternaam, g.voorvoegsel):
        report.te_bevestigen.append(
            Bevestiging(
                sha256=g.sha256 or "",
                bron=naam,
                pgn=aanvraag.pgn,
                aanvraag_id=aanvraag_id,
                naam_dossier=g.naam,
                naam_aanvraag=aanvraag.achternaam or "",
            )
        )
        return Besluit(
            g.item,
            regel(
                "bevestiging nodig",
                f"De achternaam in het dossier ({g.achternaam}) wijkt af van de aanvraag "
                f"({aanvraag.achternaam}); bevestig de koppeling.",
                aanvraag_id,
            ),
            "laten",
        )
    uitkomst: Uitkomst = "nieuwe versie" if versies else "opgehaald"
    return Besluit(g.item, regel(uitkomst, na_vandaag(g.datum, today) or "", aanvraag_id), "verwerkt")


def na_vandaag(datum: date, today: date) -> str | None:
    """The warning for a dossier dated after today (by the one clock); None for one dated today or before.

    A warning, not a refusal: the dossier's content may be right and a clock or typing error at the
    sending school should not keep the pupil out. But the newest date decides which version counts,
    so the school must know: a later dossier with the true date would look older than this one.
    """
    if datum <= today:
        return None
    return (
        f"Het dossier is gedateerd op {toon_datum(datum)}, na vandaag ({toon_datum(today)}); controleer "
        "de datum met de school: een later dossier met de juiste datum lijkt anders ouder dan dit."
    )

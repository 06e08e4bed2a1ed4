"""Reading a pupil's stored dossier for the registration use cases: which version, and what it says.

Shared by planning, attachments and the step overview; the warnings come from finding codes, never
from searching message text.
"""

from __future__ import annotations

from datetime import date

from oso_tui.datums import toon_datum
from oso_tui.dossier.models import Dossier
from oso_tui.errors import RefusedError, UsageError
from oso_tui.exchange.models import DossierVersie
from oso_tui.masking import pgn_tail
from oso_tui.records import View, dossiers, leerlingen
from oso_tui.registration import names
from oso_tui.registration.models import Leerling
from oso_tui.services.context import Context


def require_pupil(view: View, pgn: str) -> Leerling:
    leerling = leerlingen.get(view, pgn)
    if leerling is None:
        raise RefusedError(f"Er is geen geregistreerde leerling met {pgn_tail(pgn)}.")
    return leerling


def _present(view: View, pgn: str) -> list[DossierVersie]:
    versies = [v for v in dossiers.of_pgn(view, pgn) if not v.verwijderd]
    return sorted(versies, key=lambda v: (v.datum, v.ontvangen))


def choose_version(view: View, pgn: str, versie: str | None) -> DossierVersie:
    """The chosen version (a unique id prefix is enough), else the newest one still kept."""
    versies = _present(view, pgn)
    if not versies and dossiers.of_pgn(view, pgn):
        raise RefusedError(
            f"De dossiers voor {pgn_tail(pgn)} zijn na de zomervakantie verwijderd; hernieuw de "
            "aanvraag voor een nieuw dossier."
        )
    if versie is not None:
        chosen = [v for v in versies if v.id == versie or v.id.startswith(versie)]
        if len(chosen) != 1:
            raise UsageError(f"Dossierversie '{versie}' hoort niet (eenduidig) bij deze leerling.")
        return chosen[0]
    if not versies:
        raise RefusedError(f"Er is nog geen opgehaald dossier voor {pgn_tail(pgn)}; haal het eerst op.")
    return versies[-1]


VOORLOPIG = "VOORLOPIG"
AKKOORD = "AKKOORD"
"""Finding codes of the rules (`oso_tui.dossier.rules`) for a provisional dossier and parents' dissent."""


def read_version(
    ctx: Context, versie: DossierVersie, *, verantwoording: bool = False
) -> tuple[Dossier, list[str], list[str]]:
    """The dossier of a stored version, with its error and warning messages.

    `verantwoording` also works out what the dossier holds that no step takes over (for a preview).

    A dossier checked before the rules said so itself still warns about being provisional or about
    the parents' dissent: the warnings are added when no finding with their code is there.
    """
    if not ctx.store.has_raw(versie.id):
        raise RefusedError(
            f"Het dossier van {toon_datum(versie.datum)} is niet meer beschikbaar (opgeschoond na de "
            "zomervakantie); vraag een nieuw dossier aan."
        )
    from oso_tui.dossier.parser import read_dossier  # lxml and the rules load on first use

    result = read_dossier(
        ctx.store.get_raw(versie.id), max_bytes=ctx.settings.max_dossier_bytes, verantwoording=verantwoording
    )
    if result.dossier is None:
        messages = [f.message for f in result.errors] or ["Het dossier kan niet gelezen worden."]
        raise RefusedError(f"Het opgeslagen dossier is onleesbaar: {messages[0]}")
    fouten = [f.message for f in result.errors]
    waarschuwingen = [f.message for f in result.warnings]
    codes = {f.code for f in result.warnings}
    dossier = result.dossier
    if dossier.voorlopig and VOORLOPIG not in codes:
        waarschuwingen.append("Dit is een voorlopig dossier; de definitieve versie kan nog afwijken.")
    akkoord = dossier.inzage.akkoord if dossier.inzage else None
    if akkoord == "Nee" and AKKOORD not in codes:
        reden = dossier.inzage.redennietakkoord if dossier.inzage else None
        waarschuwingen.append(
            "De ouders zijn het niet eens met de inhoud van het dossier" + (f" ({reden})." if reden else ".")
        )
    return dossier, fouten, waarschuwingen


def link_warning(leerling: Leerling, dossier: Dossier) -> str | None:
    """Linking a dossier to an existing pupil whose name or birth date differs needs a confirmation."""
    geregistreerd = leerling.gegevens
    achternaam = geregistreerd.get("personalia.achternaam")
    geboortedatum = geregistreerd.get("personalia.geboortedatum")
    verschillen = []
    if isinstance(achternaam, str) and not names.agree(
        achternaam, dossier.leerling.achternaam, dossier.leerling.voorvoegsel
    ):
        verschillen.append(f"achternaam '{dossier.leerling.achternaam}' (geregistreerd: '{achternaam}')")
    dob = dossier.leerling.geboortedatum
    if isinstance(geboortedatum, str) and dob is not None and geboortedatum != dob.isoformat():
        verschillen.append(f"geboortedatum {toon_datum(dob)} (geregistreerd: {_toon_iso(geboortedatum)})")
    if not verschillen:
        return None
    return "Het dossier wijkt af van de geregistreerde leerling: " + "; ".join(verschillen) + "."


def _toon_iso(value: str) -> str:
    """A stored ISO date as a person reads it; anything else as it is."""
    try:
        return toon_datum(date.fromisoformat(value))
    except ValueError:
        return value

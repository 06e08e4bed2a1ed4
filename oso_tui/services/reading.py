"""Reading a pupil's stored dossier for the registration use cases: which version, and what it says.

Shared by planning, attachments, the step overview and the versions screen; the warnings come from
finding codes, never from searching message text. A stored dossier never changes (its id is the
sha256 of its bytes), so what reading and checking it gave is kept for the last few dossiers read:
the step picker, the diff and applying in the app, or two commands in one process, read it once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from oso_tui.datums import toon_datum
from oso_tui.errors import RefusedError, UsageError
from oso_tui.exchange.models import Aanvraag, DossierVersie
from oso_tui.masking import pgn_tail
from oso_tui.records import View, dossiers, leerlingen
from oso_tui.registration import names
from oso_tui.registration.models import Leerling
from oso_tui.services.context import Context

if TYPE_CHECKING:
    from oso_tui.dossier.models import Dossier


def require_pupil(view: View, pgn: str) -> Leerling:
    leerling = leerlingen.get(view, pgn)
    if leerling is None:
        raise RefusedError(f"Er is geen geregistreerde leerling met {pgn_tail(pgn)}.")
    return leerling


def choose_version(
    view: View, pgn: str, versie: str | None, *, aanvraag: Aanvraag | None = None
) -> DossierVersie:
    """The chosen version (a unique id prefix is enough), else the newest one still kept.

    Of the versions of this PGN, or with `aanvraag` of that request: read by their ids, not found
    among all versions.
    """
    alle = dossiers.of_request(view, aanvraag) if aanvraag is not None else dossiers.of_pgn(view, pgn)
    versies = sorted((v for v in alle if not v.verwijderd), key=lambda v: (v.datum, v.ontvangen))
    if not versies and alle:
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


@dataclass(frozen=True)
class Gelezen:
    """What reading and checking one stored dossier gave (shared between callers: never changed)."""

    dossier: Dossier | None
    fouten: tuple[str, ...]
    waarschuwingen: tuple[str, ...]
    codes: frozenset[str]
    """The codes of the warnings."""
    grootte: int
    """The size of the raw dossier: what the cache counts against its budget."""


class GelezenCache:
    """The last dossiers read, by content hash: at most `entries` of them and `budget` raw bytes.

    Keys hold what changes the result besides the content: the size limit and whether the
    accounting of values no step takes over was worked out. Safe to use from worker threads.
    """

    def __init__(self, entries: int = 64, budget: int = 16 * 1024 * 1024) -> None:
        self.entries = entries
        self.budget = budget
        self._items: OrderedDict[tuple[str, int, bool], Gelezen] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int, bool]) -> Gelezen | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, int, bool], gelezen: Gelezen) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            self._size -= old.grootte if old is not None else 0
            if gelezen.grootte > self.budget:
                return
            self._items[key] = gelezen
            self._size += gelezen.grootte
            while len(self._items) > self.entries or self._size > self.budget:
                _, dropped = self._items.popitem(last=False)
                self._size -= dropped.grootte

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._items)


GELEZEN = GelezenCache()


def parse_version(
    ctx: Context,
    versie: DossierVersie,
    *,
    max_bytes: int | None = None,
    verantwoording: bool = False,
    source_name: str | None = None,
) -> Gelezen:
    """Read and check a stored version, or take what the last reading of the same bytes gave.

    Raises `RefusedError` when its raw dossier is gone (purged after the summer); a raw dossier that
    does not match its id is the store's error, as ever (the cache is filled only from checked bytes).
    """
    if not ctx.store.has_raw(versie.id):
        raise RefusedError(
            f"Het dossier van {toon_datum(versie.datum)} is niet meer beschikbaar (opgeschoond na de "
            "zomervakantie); vraag een nieuw dossier aan."
        )
    limit = ctx.settings.max_dossier_bytes if max_bytes is None else max_bytes
    key = (versie.id, limit, verantwoording)
    found = GELEZEN.get(key)
    if found is None and not verantwoording:  # a reading with the verantwoording serves one without
        found = GELEZEN.get((versie.id, limit, True))
    if found is not None:
        return found
    from oso_tui.dossier.parser import read_dossier  # lxml and the rules load on first use

    raw = ctx.store.get_raw(versie.id)
    result = read_dossier(raw, max_bytes=limit, source_name=source_name, verantwoording=verantwoording)
    gelezen = Gelezen(
        dossier=result.dossier,
        fouten=tuple(f.message for f in result.errors),
        waarschuwingen=tuple(f.message for f in result.warnings),
        codes=frozenset(f.code for f in result.warnings),
        grootte=len(raw),
    )
    GELEZEN.put(key, gelezen)
    return gelezen


def read_version(
    ctx: Context, versie: DossierVersie, *, verantwoording: bool = False
) -> tuple[Dossier, list[str], list[str]]:
    """The dossier of a stored version, with its error and warning messages (new lists, the caller's).

    `verantwoording` also works out what the dossier holds that no step takes over (for a preview).

    A dossier checked before the rules said so itself still warns about being provisional or about
    the parents' dissent: the warnings are added when no finding with their code is there.
    """
    gelezen = parse_version(ctx, versie, verantwoording=verantwoording)
    if gelezen.dossier is None:
        messages = list(gelezen.fouten) or ["Het dossier kan niet gelezen worden."]
        raise RefusedError(f"Het opgeslagen dossier is onleesbaar: {messages[0]}")
    fouten = list(gelezen.fouten)
    waarschuwingen = list(gelezen.waarschuwingen)
    codes = gelezen.codes
    dossier = gelezen.dossier
    if not verantwoording and dossier.niet_overgenomen:  # the cache held a preview's reading
        dossier = dossier.model_copy(update={"niet_overgenomen": []})
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

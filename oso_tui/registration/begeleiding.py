"""Step 3, begeleiding: support and care data, verzuim and the list of attachments (zorg role only).

The old care block of 2016.1-2018.1 registers here too, under today's names (see `zorgblok`).
"""

from __future__ import annotations

from oso_tui.dossier.models import (
    Dossier,
)
from oso_tui.registration.models import Inhoud, Voorstel
from oso_tui.registration.values import namen as _namen
from oso_tui.registration.values import put as _put
from oso_tui.registration.values import row as _row
from oso_tui.registration.values import rows as _rows
from oso_tui.registration.values import w as _w
from oso_tui.registration.zorgblok import registreer_oude_zorg


def begeleiding(dossier: Dossier) -> Voorstel:
    """Step 3: support and care data, verzuim and the list of attachments (care data: zorg role only)."""
    w: dict[str, Inhoud] = {}
    o = dossier.onderwijsondersteuning
    if o is not None:
        _put(w, "begeleiding.toelichting", o.toelichting.bestandsnaam if o.toelichting else None)
        _rows(
            w,
            "begeleiding.diagnoses",
            (
                (
                    (" ".join(d.codes) or d.naam,),
                    _row(
                        codes=d.codes,
                        naam=d.naam,
                        datum=d.datum,
                        door=d.doorwie,
                        instantie=d.instantie,
                        bijlagen=_namen(d.bijlagen),
                    ),
                )
                for d in o.diagnoses
            ),
        )
        _put(w, "begeleiding.medicijngebruik", o.medicijngebruik)
        _rows(
            w,
            "begeleiding.handelingsplannen",
            (
                (
                    (_w(h.startdatum), h.isgerichtop),
                    _row(
                        startdatum=h.startdatum,
                        einddatum=h.einddatum,
                        gericht_op=h.isgerichtop,
                        bijlage=_namen([h.bijlage]),
                    ),
                )
                for h in o.handelingsplannen
            ),
        )
        if o.opp is not None:
            _put(w, "begeleiding.opp.ingangsdatum", o.opp.ingangsdatum)
            _put(w, "begeleiding.opp.einddatum", o.opp.einddatum)
            _put(w, "begeleiding.opp.bijlagen", _namen(o.opp.bijlagen))
        _rows(
            w,
            "begeleiding.tlv",
            (
                (
                    (t.beschikkingsnummer or _w(t.ingangsdatum),),
                    _row(
                        ingangsdatum=t.ingangsdatum,
                        einddatum=t.einddatum,
                        categorie=t.categorie,
                        swvnummer=t.swvnummer,
                        beschikkingsnummer=t.beschikkingsnummer,
                        bijlage=_namen([t.bijlage]),
                    ),
                )
                for t in o.tlvs
            ),
        )
        _rows(
            w,
            "begeleiding.arrangementen",
            (
                (
                    (a.soort, _w(a.datum)),
                    _row(
                        soort=a.soort,
                        datum=a.datum,
                        einddatum=a.einddatum,
                        brin=a.brin,
                        vestiging=a.vestiging,
                        kenmerk=a.kenmerk,
                        beschikkingsnummer=a.beschikkingsnummer,
                    ),
                )
                for a in o.arrangementen
            ),
        )
        if o.lwoo is not None:
            _put(w, "begeleiding.lwoo.ingangsdatum", o.lwoo.ingangsdatum)
            _put(w, "begeleiding.lwoo.einddatum", o.lwoo.einddatum)
            _put(w, "begeleiding.lwoo.beschikkingsnummer", o.lwoo.beschikkingsnummer)
            _put(w, "begeleiding.lwoo.swvnummer", o.lwoo.swvnummer)
        if o.rvc is not None:
            _put(w, "begeleiding.rvc.centraleproblematiek", o.rvc.centraleproblematiek)
            _put(w, "begeleiding.rvc.maatregelen", o.rvc.maatregelen)
            _put(w, "begeleiding.rvc.datum", o.rvc.rvcdatum)
            _put(w, "begeleiding.rvc.indicatie", o.rvc.rvcindicatie)
            _put(w, "begeleiding.rvc.signalering", o.rvc.signalering)
        registreer_oude_zorg(w, o.overig)
    v = dossier.verzuim
    if v is not None:
        for field in (
            "dagdelengeoorloofd",
            "dagdelenongeoorloofd",
            "urengeoorloofd",
            "urenongeoorloofd",
            "meerdan25percent",
            "frequentie",
            "contactleerplicht",
            "rmcmelding",
        ):
            _put(w, f"begeleiding.verzuim.{field}", getattr(v, field))
    _rows(
        w,
        "begeleiding.bijlagen",
        (
            (
                (b.bestandsnaam,),
                _row(
                    bestandsnaam=b.bestandsnaam, omschrijving=b.omschrijving, grootte=b.grootte, bron=b.bron
                ),
            )
            for b in dossier.bijlagen
        ),
    )
    return Voorstel(stap="begeleiding", waarden=w)

"""Step 2, loopbaan: school career rows, advice, the eindtoets and other tests."""

from __future__ import annotations

from oso_tui.dossier.models import (
    Dossier,
    Toetsresultaat,
)
from oso_tui.registration.models import Inhoud, Rij, Voorstel
from oso_tui.registration.values import put as _put
from oso_tui.registration.values import row as _row
from oso_tui.registration.values import rows as _rows
from oso_tui.registration.values import w as _w


def _resultaat(r: Toetsresultaat) -> Rij:
    return _row(
        vaardigheidsscore=r.vaardigheidsscore,
        schaal=r.codevaardigheidsschaal,
        aantalopgaven=r.aantalopgaven,
        aantalgoed=r.aantalgoed,
        aantalfout=r.aantalfout,
        referentiescores="; ".join(
            f"{s.code} {s.waarde}{f' ({s.kwalificatie})' if s.kwalificatie else ''}"
            for s in r.referentiescores
        ),
    )


def loopbaan(dossier: Dossier) -> Voorstel:
    """Step 2: school career, advice, the eindtoets and other tests."""
    w: dict[str, Inhoud] = {}
    _rows(
        w,
        "loopbaan.schoolloopbaan",
        (
            (
                (s.schooljaar, s.groepsnaam or s.groepscode or s.jaargroep),
                _row(
                    schooljaar=s.schooljaar,
                    groep=s.groepsnaam or s.groepscode,
                    jaargroep=s.jaargroep,
                    brin=s.brin,
                    vestiging=s.vestiging,
                    begindatum=s.begindatum,
                    einddatum=s.einddatum,
                    schoolsoort=s.schoolsoortomschrijving or s.schoolsoort,
                    voelement=s.voelementomschrijving or s.voelementcode,
                ),
            )
            for s in dossier.schoolloopbaan
        ),
    )
    advies = dossier.overstapadvies
    if advies is not None:
        for field in (
            "advies",
            "herzienadvies",
            "motivatie_herzienadvies",
            "wensouders",
            "wensleerling",
            "profiel",
            "argumentatie",
            "aandachtspunten",
            "contactnodig",
            "contactpersoon",
            "contacttelefoon",
            "contactemail",
        ):
            _put(w, f"loopbaan.advies.{field}", getattr(advies, field))
    toets = dossier.eindtoets
    if toets is not None:
        _put(w, "loopbaan.eindtoets.deelgenomen", toets.deelgenomen)
        _put(w, "loopbaan.eindtoets.toetssoort", toets.toetsomschrijving or toets.toetssoort)
        _put(w, "loopbaan.eindtoets.toetsniveau", toets.toetsniveau)
        _put(w, "loopbaan.eindtoets.datum", toets.datum_afname)
        _put(w, "loopbaan.eindtoets.standaardscore", toets.standaardscore)
        _put(w, "loopbaan.eindtoets.advies", toets.toets_advies)
        _put(w, "loopbaan.eindtoets.ontheffing", toets.wettelijke_ontheffing)
        _rows(
            w,
            "loopbaan.eindtoets.onderdelen",
            (
                (
                    (o.code,),
                    _row(
                        onderdeel=o.omschrijving or o.code,
                        referentieniveau=o.referentieniveau,
                        domeinen="; ".join(
                            f"{d.omschrijving or d.code}: {d.referentieniveau or '-'}" for d in o.domeinen
                        ),
                    ),
                )
                for o in toets.onderdelen
            ),
        )
    _rows(
        w,
        "loopbaan.toetsen",
        (
            (
                (t.code, _w(t.afnamedatum)),
                {
                    **_row(
                        code=t.code,
                        naam=t.naam,
                        leergebied=t.leergebied,
                        versie=t.versie,
                        afnamedatum=t.afnamedatum,
                        jaargroep=t.jaargroep,
                        opmerking=t.opmerking,
                    ),
                    **_resultaat(t.resultaat),
                },
            )
            for t in dossier.toetsen
        ),
    )
    return Voorstel(stap="loopbaan", waarden=w)

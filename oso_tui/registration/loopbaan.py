"""Step 2, loopbaan: school career rows, advice, the eindtoets and other tests.

The VO blocks (cijferlijsten, exams, certificates, stages) register as rows of their values (`BLOKKEN`);
the doorstroomtoets shows its reference levels as a school reads them.
"""

from __future__ import annotations

from oso_tui.dossier import codes
from oso_tui.dossier.models import (
    Dossier,
    Toets,
    Toetsresultaat,
)
from oso_tui.registration.labels import weergave
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
        aantalgelezen=r.aantalgelezen,
        tijd=r.tijd,
        referentiescores="; ".join(
            f"{s.code} {s.waarde} ({', '.join(p for p in (s.vergelijkingsgroep, s.kwalificatie) if p)})"
            for s in r.referentiescores
        ),
    )


def toegestane_toetsen(dossier: Dossier) -> list[Toets]:
    """The tests a step registers: in a POVO dossier only those of this and the two previous school
    years (OVa.TR04; older ones are shown as not taken over)."""
    if dossier.metadata.overstap != "POVO":
        return list(dossier.toetsen)
    from oso_tui.dossier.inhoudsregels import toets_vanaf  # lxml loads with the reader, not with the steps

    vanaf = toets_vanaf(dossier.metadata.datum)
    return [t for t in dossier.toetsen if t.afnamedatum is None or t.afnamedatum >= vanaf]


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
                    groepscode=(
                        s.groepscode
                        if s.groepsnaam and s.groepscode not in (s.groepsnaam, s.jaargroep)
                        else None
                    ),
                    schoolsoortcode=s.schoolsoort if s.schoolsoortomschrijving else None,
                    voelementcode=s.voelementcode if s.voelementomschrijving else None,
                    schooltype=s.schooltype,
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
        toetsen = codes.doorstroomtoets()
        _put(
            w,
            "loopbaan.eindtoets.toetssoort",
            toets.toetsomschrijving or toetsen.toets_label(toets.toetssoort) or toets.toetssoort,
        )
        if toets.toetsomschrijving or toetsen.toets_label(toets.toetssoort):
            _put(w, "loopbaan.eindtoets.toetscode", toets.toetssoort)
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
                        referentieniveau=toetsen.niveau(o.referentieniveau),
                        domeinen="; ".join(
                            f"{d.omschrijving or d.code}: {toetsen.niveau(d.referentieniveau) or '-'}"
                            for d in o.domeinen
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
                        dl=t.dl,
                        opmerking=t.opmerking,
                        onderdelen="; ".join(
                            f"{o.naam or o.code}: {weergave(_resultaat(o.resultaat))}" for o in t.onderdelen
                        ),
                    ),
                    **_resultaat(t.resultaat),
                },
            )
            for t in toegestane_toetsen(dossier)
        ),
    )
    for blok, (lijst, sleutel) in BLOKKEN.items():
        _rows(
            w,
            lijst,
            (
                (
                    tuple(rij.get(k) for k in sleutel) or (str(i),),
                    {k.replace("/", "."): v for k, v in rij.items()},
                )
                for i, rij in enumerate(dossier.blokken.get(blok, []))
            ),
        )
    return Voorstel(stap="loopbaan", waarden=w)


# Blocks registered as rows of their values: element -> (list, key fields).
BLOKKEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "cijferlijst": ("loopbaan.cijferlijsten", ("cijferlijstTypelijst/naam", "afnamedatum", "periode")),
    "bevorderd": ("loopbaan.vo.bevorderd", ("leerjaar",)),
    "examenresultaat": ("loopbaan.vo.examenresultaten", ("soortdiploma", "examenjaar")),
    "resultaatvakkenvo": ("loopbaan.vo.vakresultaten", ("vakcode",)),
    "certificaat": ("loopbaan.vo.certificaten", ("certificaat",)),
    "competenties": ("loopbaan.vo.competenties", ("competentiereferentie", "competentiebeschrijving")),
    "stage": ("loopbaan.vo.stages", ("begindatum", "soortstage")),
    "overigvombo": ("loopbaan.vo.overig", ()),
}

"""Build the `Dossier` model from a parsed, namespace-checked lxml tree.

Reading is lenient: whatever is missing or malformed becomes None (or is left out) here, and the
structure check and the rules say what is wrong, with line numbers. Only a dossier without a usable
`metadata/datum` cannot be modelled, because versions of one pupil are ordered by it.
"""

from __future__ import annotations

from lxml import etree

from oso_tui.dossier import models as m
from oso_tui.dossier.xmlutil import (
    bool_of,
    child,
    children,
    date_of,
    decimal_of,
    descendants,
    elements,
    int_of,
    local,
    plain_path_of,
    text,
    text_of,
    texts,
)


class MissingDatumError(Exception):
    """metadata/datum is absent or not a date: there is no dossier to model."""


def _adressen(el: etree._Element | None) -> list[m.Adres]:
    result = []
    for a in children(child(el, "adreslijst"), "adres"):
        land = child(a, "land")
        result.append(
            m.Adres(
                soort=text(a, "soortadres"),
                straat=text(a, "straat"),
                nummer=text(a, "nummer"),
                toevoeging=text(a, "toevoeging"),
                aanduiding=text(a, "aanduiding"),
                locatieomschrijving=text(a, "locatieomschrijving"),
                postcode=text(a, "postcode"),
                plaats=text(a, "plaats"),
                gemeente=text(a, "gemeente"),
                land=text_of(land),
                land_omschrijving=(land.get("omschrijving") or None) if land is not None else None,
            )
        )
    return result


def _communicatie(el: etree._Element | None) -> list[m.Communicatie]:
    return [
        m.Communicatie(
            soort=text(c, "soort"),
            aanduiding=text(c, "aanduiding"),
            nummer=text(c, "nummer"),
            geheim=bool_of(c, "geheim") or False,
            noodnummer=bool_of(c, "noodnummer") or False,
        )
        for c in children(child(el, "communicatielijst"), "communicatie")
    ]


def _persoon_fields(el: etree._Element) -> dict[str, object]:
    return {
        "voornamen": texts(el, "voornaam"),
        "voorletters": text(el, "voorletters-1"),
        "voorvoegsel": text(el, "voorvoegsel"),
        "achternaam": text(el, "achternaam") or "",
        "roepnaam": text(el, "roepnaam"),
        "geslacht": text(el, "geslacht"),
        "adresgeheim": bool_of(el, "adresgeheim") or False,
        "adressen": _adressen(el),
        "communicatie": _communicatie(el),
    }


def _bijlage(el: etree._Element) -> m.Bijlage:
    inhoud = "".join((text(el, "bestandsinhoud") or "").split())
    padding = len(inhoud) - len(inhoud.rstrip("="))
    parent = el.getparent()
    bron = plain_path_of(parent) if parent is not None else ""
    return m.Bijlage(
        bestandsnaam=text(el, "bestandsnaam") or "(zonder naam)",
        omschrijving=text(el, "omschrijving"),
        grootte=max(len(inhoud) * 3 // 4 - padding, 0),
        bron=bron.removeprefix("huidigeschool/leerling/"),
        bestandsinhoud=inhoud,
    )


def _bijlagen(el: etree._Element | None) -> list[m.Bijlage]:
    return [_bijlage(d) for d in children(el, "document")]


def _eerste_bijlage(el: etree._Element | None) -> m.Bijlage | None:
    found = _bijlagen(el)
    return found[0] if found else None


def _toetsresultaat(el: etree._Element | None) -> m.Toetsresultaat:
    score = child(el, "toetsscore")
    return m.Toetsresultaat(
        aantalopgaven=int_of(score, "aantalopgaven"),
        aantalgoed=int_of(score, "aantalgoed"),
        aantalfout=int_of(score, "aantalfout"),
        aantalgelezen=int_of(score, "aantalgelezen"),
        tijd=decimal_of(score, "tijd"),
        vaardigheidsscore=decimal_of(score, "vaardigheidsscore"),
        codevaardigheidsschaal=text(score, "codevaardigheidsschaal"),
        referentiescores=[
            m.Referentiescore(
                code=text(r, "codereferentiescore") or "",
                vergelijkingsgroep=text(r, "codevergelijkingsgroep") or "",
                waarde=text(r, "waarde") or "",
                kwalificatie=text(r, "kwalificatie"),
            )
            for r in children(el, "referentiescore")
        ],
    )


def _toets(el: etree._Element) -> m.Toets:
    ident = child(el, "toetsidentificatie")
    afname = child(el, "afname")
    return m.Toets(
        code=text(ident, "eldtoetscode") or "",
        leergebied=text(ident, "leergebied"),
        naam=text(ident, "toetsnaam"),
        versie=text(ident, "toetsversie"),
        afnamedatum=date_of(afname, "afnamedatum"),
        jaargroep=text(afname, "jaargroep"),
        resultaat=_toetsresultaat(child(el, "resultaat")),
        onderdelen=[
            m.Toetsonderdeel(
                code=text(o, "eldonderdeelcode") or "",
                naam=text(o, "onderdeelnaam"),
                resultaat=_toetsresultaat(child(o, "resultaat")),
            )
            for o in children(el, "toetsonderdeel")
        ],
        opmerking=text(el, "opmerking"),
    )


def _eindtoets(el: etree._Element) -> m.Eindtoets:
    res = child(el, "eindtoetsresultaat")
    return m.Eindtoets(
        deelgenomen=bool_of(el, "deelgenomen"),
        toetssoort=text(res, "toetssoort"),
        toetsniveau=text(res, "toetsniveau"),
        toetsomschrijving=text(res, "toetsomschrijving"),
        datum_afname=date_of(res, "datum_afname"),
        wettelijke_ontheffing=text(res, "wettelijke_ontheffing"),
        standaardscore=int_of(res, "standaardscore"),
        toets_advies=text(res, "toets_advies"),
        onderdelen=[
            m.EindtoetsOnderdeel(
                code=text(o, "onderdeelcode") or "",
                omschrijving=text(o, "onderdeelomschrijving"),
                referentieniveau=text(o, "ond_referentieniveau"),
                domeinen=[
                    m.EindtoetsDomein(
                        code=text(d, "domeincode") or "",
                        omschrijving=text(d, "domeinomschrijving"),
                        referentieniveau=text(d, "dom_referentieniveau"),
                    )
                    for d in children(child(o, "domeinen"), "domein")
                ],
            )
            for o in children(child(res, "onderdelen"), "onderdeel")
        ],
        bijlagen=_bijlagen(el),
    )


def _onderwijsondersteuning(el: etree._Element) -> m.Onderwijsondersteuning:
    opp = child(el, "opp")
    lwoo = child(el, "lwoo")
    rvc = child(el, "rvc")
    arrangementen = (
        [
            m.Arrangement(
                soort="cluster12",
                datum=date_of(a, "arrangement_datum"),
                brin=text(a, "arrangement_brin"),
                vestiging=text(a, "arrangement_vestigingscode"),
            )
            for a in children(el, "arrangement_cluster12")
        ]
        + [
            m.Arrangement(
                soort="pao",
                datum=date_of(a, "arrangement_datum"),
                kenmerk=text(a, "arrangement_kenmerk"),
                beschikkingsnummer=text(a, "arrangement_beschikkingsnr"),
                einddatum=date_of(a, "arrangement_einddatum"),
            )
            for a in children(el, "arrangement_pao")
        ]
        + [
            m.Arrangement(
                soort="arrangement",  # the 2016-2018 <zorg> block had one kind
                datum=date_of(a, "arrangement_datum"),
                brin=text(a, "arrangement_brin"),
                vestiging=text(a, "arrangement_vestigingscode"),
            )
            for a in children(el, "arrangement")
        ]
    )
    return m.Onderwijsondersteuning(
        toelichting=_eerste_bijlage(child(el, "toelichting_onderwijsbehoeften")),
        diagnoses=[
            m.Diagnose(
                codes=texts(d, "code"),
                naam=text(d, "naam"),
                datum=date_of(d, "datum"),
                doorwie=text(d, "doorwie"),
                instantie=text(d, "instantie"),
                bijlagen=_bijlagen(d),
            )
            for d in children(el, "diagnose")
        ],
        medicijngebruik=bool_of(el, "medicijngebruik"),
        handelingsplannen=[
            m.Handelingsplan(
                startdatum=date_of(h, "startdatum"),
                einddatum=date_of(h, "einddatum"),
                isgerichtop=text(h, "isgerichtop"),
                bijlage=_eerste_bijlage(h),
            )
            for h in children(el, "handelingsplan")
        ],
        opp=(
            m.Opp(
                ingangsdatum=date_of(opp, "opp_ingangdatum"),
                einddatum=date_of(opp, "opp_einddatum"),
                bijlagen=_bijlagen(opp),
            )
            if opp is not None
            else None
        ),
        tlvs=[
            m.Tlv(
                ingangsdatum=date_of(t, "tlvingangdatum"),
                swvnummer=text(t, "tlvswvnummer"),
                categorie=text(t, "tlvcategorie"),
                beschikkingsnummer=text(t, "tlvbeschikkingsnummer"),
                einddatum=date_of(t, "tlveinddatum"),
                bijlage=_eerste_bijlage(t),
            )
            for t in children(el, "tlv")
        ],
        arrangementen=arrangementen,
        lwoo=(
            m.Lwoo(
                ingangsdatum=date_of(lwoo, "lwoo_ingangdatum"),
                swvnummer=text(lwoo, "lwoo_swvnummer"),
                beschikkingsnummer=text(lwoo, "lwoo_beschikkingsnummer"),
                einddatum=date_of(lwoo, "lwoo_einddatum"),
                bijlage=_eerste_bijlage(lwoo),
            )
            if lwoo is not None
            else None
        ),
        rvc=(
            m.Rvc(
                centraleproblematiek=text(rvc, "centraleproblematiek"),
                maatregelen=text(rvc, "maatregelen"),
                rvcdatum=date_of(rvc, "rvcdatum"),
                rvcindicatie=text(rvc, "rvcindicatie"),
            )
            if rvc is not None
            else None
        ),
    )


def _leerling(el: etree._Element | None) -> m.Leerling:
    if el is None:
        return m.Leerling()
    huisarts = child(el, "huisarts")
    instelling = child(el, "aansprakelijkeinstelling")
    return m.Leerling(
        **_persoon_fields(el),
        geboortedatum=date_of(el, "geboortedatum"),
        geboortemaand=text(el, "geboortemaand"),
        bsn=text(el, "bsn"),
        onderwijsnummer=text(el, "onderwijsnummer"),
        leerlingid=text(el, "leerlingid"),
        adresbuitenland=texts(el, "adresbuitenland"),
        onderwijssinds=date_of(el, "onderwijssinds"),
        startdatumhuidigonderwijs=date_of(el, "startdatumhuidigonderwijs"),
        datuminschrijving=date_of(el, "datuminschrijving"),
        datumuitschrijving=date_of(el, "datumuitschrijving"),
        leerlinggewicht=text(el, "leerlinggewicht"),
        nnca=text(el, "nnca"),
        tehuis=bool_of(el, "tehuis"),
        huisarts=m.Persoon(**_persoon_fields(huisarts)) if huisarts is not None else None,
        verzorgersaansprakelijk=bool_of(el, "verzorgersaansprakelijk"),
        aansprakelijkeinstelling=(
            m.Instelling(
                naam=text(instelling, "naam") or "",
                adressen=_adressen(instelling),
                communicatie=_communicatie(instelling),
            )
            if instelling is not None
            else None
        ),
    )


def build_dossier(root: etree._Element, namespace_year: int) -> m.Dossier:
    """The model of a dossier root; MissingDatumError when metadata/datum is unusable."""
    meta = child(root, "metadata")
    datum = date_of(meta, "datum")
    if datum is None:
        raise MissingDatumError
    uitlevering = child(meta, "categorie_uitlevering")
    categorieen = {local(c).removeprefix("cat_"): text_of(c) or "" for c in elements(uitlevering)}
    metadata = m.Metadata(
        deeldossier=text(meta, "deeldossier"),
        pakketnaam=text(meta, "pakketnaam"),
        pakketversie=text(meta, "pakketversie"),
        datum=datum,
        standaardversie=text(meta, "standaardversie"),
        validatieversie=text(meta, "validatieversie"),
        categorieen=categorieen,
        overstap=text(meta, "overstap"),
    )
    inzage_el = child(root, "inzage")
    inzage = (
        m.Inzage(
            voorlopig=bool_of(inzage_el, "voorlopigdossier") or False,
            inzage=bool_of(inzage_el, "inzage"),
            inzagedatum=date_of(inzage_el, "inzagedatum"),
            akkoord=text(inzage_el, "akkoord"),
            redennietakkoord=text(inzage_el, "redennietakkoord"),
            toestemming=text(inzage_el, "toestemming"),
        )
        if inzage_el is not None
        else None
    )
    school_el = child(root, "huidigeschool")
    school = m.School(
        naam=text(school_el, "naam") or "",
        brin=text(school_el, "brincode") or "",
        vestiging=text(school_el, "vestigingscode") or "",
        aanleverpunt=text(school_el, "aanleverpunt"),
        soort=text(school_el, "soort"),
        type=text(school_el, "type"),
        naamdirecteur=text(school_el, "naamdirecteur"),
        website=text(school_el, "website"),
        adressen=_adressen(school_el),
        communicatie=_communicatie(school_el),
    )
    ll = child(school_el, "leerling")
    advies = child(ll, "overstapadvies")
    eindtoets = child(ll, "eindtoets_basisonderwijs")
    # 2019.1 renamed the care block; older dossiers keep diagnoses, OPP, TLV and LWOO in <zorg>
    ondersteuning = child(ll, "onderwijsondersteuning")
    if ondersteuning is None:
        ondersteuning = child(ll, "zorg")
    verzuim = child(ll, "verzuim")
    return m.Dossier(
        namespace_year=namespace_year,
        metadata=metadata,
        overdrachtsoort=text(root, "overdrachtsoort"),
        inzage=inzage,
        school=school,
        leerling=_leerling(ll),
        verzorgers=[
            m.Verzorger(
                **_persoon_fields(v),
                relatietotkind=text(v, "relatietotkind"),
                overleden=bool_of(v, "overleden"),
                overlijdensdatum=date_of(v, "overlijdensdatum"),
                wettigevertegenwoordiger=bool_of(v, "wettigevertegenwoordiger"),
                iban=text(v, "iban"),
            )
            for v in children(ll, "verzorger")
        ],
        schoolloopbaan=[
            m.Schoolloopbaan(
                schooljaar=text(s, "schooljaar") or "",
                groepscode=text(s, "groepscode"),
                groepsnaam=text(s, "groepsnaam"),
                jaargroep=text(s, "jaargroep"),
                begindatum=date_of(s, "begindatum"),
                einddatum=date_of(s, "einddatum"),
                brin=text(s, "brincode"),
                vestiging=text(s, "vestigingscode"),
                schoolsoort=text(s, "schoolsoort"),
                schooltype=text(s, "schooltype"),
                voelementcode=text(s, "voelementcode"),
                voelementomschrijving=text(s, "voelementomschrijving"),
                schoolsoortomschrijving=text(s, "schoolsoortomschrijving"),
            )
            for s in children(child(ll, "schoolloopbaanlijst"), "schoolloopbaan")
        ],
        overstapadvies=(
            m.Overstapadvies(
                advies=text(advies, "advies"),
                wensouders=text(advies, "wensouders"),
                wensleerling=text(advies, "wensleerling"),
                herzienadvies=text(advies, "herzienadvies"),
                motivatie_herzienadvies=text(advies, "motivatie_herzienadvies"),
                profiel=text(advies, "profiel"),
                argumentatie=text(advies, "argumentatie"),
                contactnodig=bool_of(advies, "contactnodig"),
                contactpersoon=text(advies, "contactpersoon"),
                contacttelefoon=text(advies, "contacttelefoon"),
                contactemail=text(advies, "contactemail"),
                aandachtspunten=text(advies, "aandachtspunten"),
            )
            if advies is not None
            else None
        ),
        eindtoets=_eindtoets(eindtoets) if eindtoets is not None else None,
        toetsen=[_toets(t) for t in children(child(ll, "toetslijst"), "toets")],
        onderwijsondersteuning=_onderwijsondersteuning(ondersteuning) if ondersteuning is not None else None,
        verzuim=(
            m.Verzuim(
                dagdelengeoorloofd=int_of(verzuim, "dagdelengeoorloofd"),
                dagdelenongeoorloofd=int_of(verzuim, "dagdelenongeoorloofd"),
                urengeoorloofd=int_of(verzuim, "urengeoorloofd"),
                urenongeoorloofd=int_of(verzuim, "urenongeoorloofd"),
                meerdan25percent=bool_of(verzuim, "meerdan25percent"),
                frequentie=int_of(verzuim, "frequentie"),
                contactleerplicht=bool_of(verzuim, "contactleerplicht"),
                rmcmelding=bool_of(verzuim, "rmcmelding"),
                bijlagen=_bijlagen(child(verzuim, "documentLijst")),
            )
            if verzuim is not None
            else None
        ),
        bijlagen=[_bijlage(d) for d in descendants(root, "document")],
    )

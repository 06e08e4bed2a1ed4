"""Build the `Dossier` model from a parsed, namespace-checked lxml tree.

Reading is lenient: whatever is missing or malformed becomes None (or is left out) here, and the
structure check and the rules say what is wrong, with line numbers. Only a dossier without a usable
`metadata/datum` cannot be modelled, because versions of one pupil are ordered by it.
"""

from __future__ import annotations

from lxml import etree

from oso_tui.dossier import codes
from oso_tui.dossier import models as m
from oso_tui.dossier.blokken import blokken, oude_zorg, plat, rij_tekst
from oso_tui.dossier.verantwoording import niet_overgenomen
from oso_tui.dossier.xmlutil import Node, descendants, elements, local, plain_path_of, text_of


class MissingDatumError(Exception):
    """metadata/datum is absent or not a date: there is no dossier to model."""


def _adressen(el: Node) -> list[m.Adres]:
    result = []
    for a in el.node("adreslijst").nodes("adres"):
        land = a.node("land")
        result.append(
            m.Adres(
                soort=a.text("soortadres"),
                straat=a.text("straat"),
                nummer=a.text("nummer"),
                toevoeging=a.text("toevoeging"),
                aanduiding=a.text("aanduiding"),
                locatieomschrijving=a.text("locatieomschrijving"),
                postcode=a.text("postcode"),
                plaats=a.text("plaats"),
                gemeente=a.text("gemeente"),
                land=text_of(land.el),
                land_omschrijving=(land.el.get("omschrijving") or None) if land.el is not None else None,
            )
        )
    return result


def _communicatie(el: Node) -> list[m.Communicatie]:
    return [
        m.Communicatie(
            soort=c.text("soort"),
            aanduiding=c.text("aanduiding"),
            nummer=c.text("nummer"),
            geheim=c.as_bool("geheim") or False,
            noodnummer=c.as_bool("noodnummer") or False,
        )
        for c in el.node("communicatielijst").nodes("communicatie")
    ]


def _persoon_fields(el: Node) -> dict[str, object]:
    return {
        "voornamen": el.texts("voornaam"),
        "voorletters": el.text("voorletters-1"),
        "voorvoegsel": el.text("voorvoegsel"),
        "achternaam": el.text("achternaam") or "",
        "roepnaam": el.text("roepnaam"),
        "geslacht": el.text("geslacht"),
        "adresgeheim": el.as_bool("adresgeheim") or False,
        "adressen": _adressen(el),
        "communicatie": _communicatie(el),
    }


def _bijlage(el: Node) -> m.Bijlage:
    inhoud = "".join((el.text("bestandsinhoud") or "").split())
    padding = len(inhoud) - len(inhoud.rstrip("="))
    parent = el.el.getparent() if el.el is not None else None
    bron = plain_path_of(parent) if parent is not None else ""
    return m.Bijlage(
        bestandsnaam=el.text("bestandsnaam") or "(zonder naam)",
        omschrijving=el.text("omschrijving"),
        grootte=max(len(inhoud) * 3 // 4 - padding, 0),
        bron=bron.removeprefix("huidigeschool/leerling/"),
        bestandsinhoud=inhoud,
    )


def _bijlagen(el: Node) -> list[m.Bijlage]:
    return [_bijlage(d) for d in el.nodes("document")]


def _eerste_bijlage(el: Node) -> m.Bijlage | None:
    found = _bijlagen(el)
    return found[0] if found else None


def _toetsresultaat(el: Node) -> m.Toetsresultaat:
    score = el.node("toetsscore")
    return m.Toetsresultaat(
        aantalopgaven=score.as_int("aantalopgaven"),
        aantalgoed=score.as_int("aantalgoed"),
        aantalfout=score.as_int("aantalfout"),
        aantalgelezen=score.as_int("aantalgelezen"),
        tijd=score.as_decimal("tijd"),
        vaardigheidsscore=score.as_decimal("vaardigheidsscore"),
        codevaardigheidsschaal=score.text("codevaardigheidsschaal"),
        referentiescores=[
            m.Referentiescore(
                code=r.text("codereferentiescore") or "",
                vergelijkingsgroep=r.text("codevergelijkingsgroep") or "",
                waarde=r.text("waarde") or "",
                kwalificatie=r.text("kwalificatie"),
            )
            for r in el.nodes("referentiescore")
        ],
    )


def _toets(el: Node) -> m.Toets:
    ident = el.node("toetsidentificatie")
    afname = el.node("afname")
    return m.Toets(
        code=ident.text("eldtoetscode") or "",
        leergebied=ident.text("leergebied"),
        naam=ident.text("toetsnaam"),
        versie=ident.text("toetsversie"),
        afnamedatum=afname.as_date("afnamedatum"),
        jaargroep=afname.text("jaargroep"),
        dl=afname.text("dl"),
        resultaat=_toetsresultaat(el.node("resultaat")),
        onderdelen=[
            m.Toetsonderdeel(
                code=o.text("eldonderdeelcode") or "",
                naam=o.text("onderdeelnaam"),
                resultaat=_toetsresultaat(o.node("resultaat")),
            )
            for o in el.nodes("toetsonderdeel")
        ],
        opmerking=el.text("opmerking"),
    )


def _first(el: Node, names: tuple[str, ...]) -> Node:
    """The first child present under any of `names` (the test block's names differ per version)."""
    return next((el.node(n) for n in names if el.node(n).present), Node(None))


def _eindtoets(el: Node) -> m.Eindtoets:
    """The eind- or doorstroomtoets, under whichever element names the dossier uses (see codes)."""
    names = codes.doorstroomtoets()
    res = _first(el, names.resultaat)
    return m.Eindtoets(
        deelgenomen=el.as_bool("deelgenomen"),
        toetssoort=res.text("toetssoort"),
        toetsniveau=res.text("toetsniveau"),
        toetsomschrijving=res.text("toetsomschrijving"),
        datum_afname=res.as_date("datum_afname"),
        wettelijke_ontheffing=res.text("wettelijke_ontheffing"),
        standaardscore=res.as_int("standaardscore"),
        toets_advies=res.text("toets_advies"),
        onderdelen=[
            m.EindtoetsOnderdeel(
                code=o.text("onderdeelcode") or "",
                omschrijving=o.text("onderdeelomschrijving"),
                referentieniveau=next(
                    (o.text(n) for n in names.referentieniveau if o.text(n) is not None), None
                ),
                domeinen=[
                    m.EindtoetsDomein(
                        code=d.text("domeincode") or "",
                        omschrijving=d.text("domeinomschrijving"),
                        referentieniveau=d.text("dom_referentieniveau"),
                    )
                    for d in o.node("domeinen").nodes("domein")
                ],
            )
            for o in res.node("onderdelen").nodes("onderdeel")
        ],
        bijlagen=_bijlagen(el),
    )


def _onderwijsondersteuning(
    el: Node, handelingsplanlijst: Node | None = None, sef: str | None = None
) -> m.Onderwijsondersteuning:
    opp = el.node("opp")
    lwoo = el.node("lwoo")
    rvc = el.node("rvc")
    arrangementen = (
        [
            m.Arrangement(
                soort="cluster12",
                datum=a.as_date("arrangement_datum"),
                brin=a.text("arrangement_brin"),
                vestiging=a.text("arrangement_vestigingscode"),
            )
            for a in el.nodes("arrangement_cluster12")
        ]
        + [
            m.Arrangement(
                soort="pao",
                datum=a.as_date("arrangement_datum"),
                kenmerk=a.text("arrangement_kenmerk"),
                beschikkingsnummer=a.text("arrangement_beschikkingsnr"),
                einddatum=a.as_date("arrangement_einddatum"),
            )
            for a in el.nodes("arrangement_pao")
        ]
        + [
            m.Arrangement(
                soort="arrangement",  # the 2016-2018 <zorg> block had one kind
                datum=a.as_date("arrangement_datum"),
                brin=a.text("arrangement_brin"),
                vestiging=a.text("arrangement_vestigingscode"),
            )
            for a in el.nodes("arrangement")
        ]
    )
    return m.Onderwijsondersteuning(
        toelichting=_eerste_bijlage(el.node("toelichting_onderwijsbehoeften")),
        diagnoses=[
            m.Diagnose(
                codes=d.texts("code"),
                naam=d.text("naam"),
                datum=d.as_date("datum"),
                doorwie=d.text("doorwie"),
                instantie=d.text("instantie"),
                bijlagen=_bijlagen(d),
            )
            for d in el.nodes("diagnose")
        ],
        medicijngebruik=el.as_bool("medicijngebruik"),
        handelingsplannen=[
            m.Handelingsplan(
                startdatum=h.as_date("startdatum"),
                einddatum=h.as_date("einddatum"),
                isgerichtop=h.text("isgerichtop"),
                bijlage=_eerste_bijlage(h),
            )
            for h in el.nodes("handelingsplan") + (handelingsplanlijst or Node(None)).nodes("handelingsplan")
        ],
        opp=(
            m.Opp(
                ingangsdatum=opp.as_date("opp_ingangdatum"),
                einddatum=opp.as_date("opp_einddatum"),
                bijlagen=_bijlagen(opp),
            )
            if opp.present
            else None
        ),
        tlvs=[
            m.Tlv(
                ingangsdatum=t.as_date("tlvingangdatum"),
                swvnummer=t.text("tlvswvnummer"),
                categorie=t.text("tlvcategorie"),
                beschikkingsnummer=t.text("tlvbeschikkingsnummer"),
                einddatum=t.as_date("tlveinddatum"),
                bijlage=_eerste_bijlage(t),
            )
            for t in el.nodes("tlv")
        ],
        arrangementen=arrangementen,
        lwoo=(
            m.Lwoo(
                ingangsdatum=lwoo.as_date("lwoo_ingangdatum"),
                swvnummer=lwoo.text("lwoo_swvnummer"),
                beschikkingsnummer=lwoo.text("lwoo_beschikkingsnummer"),
                einddatum=lwoo.as_date("lwoo_einddatum"),
                bijlage=_eerste_bijlage(lwoo),
            )
            if lwoo.present
            else None
        ),
        rvc=(
            m.Rvc(
                centraleproblematiek=rvc.text("centraleproblematiek"),
                maatregelen=rvc.text("maatregelen"),
                rvcdatum=rvc.as_date("rvcdatum"),
                rvcindicatie=rvc.text("rvcindicatie"),
                signalering=rij_tekst(plat(rvc.node("signaleringlwoopro").el)) or None,
            )
            if rvc.present
            else None
        ),
        overig=(oude_zorg(el) if el.el is not None and local(el.el) == "zorg" else [])
        + ([m.Zorgregel(soort="zorg", velden={"toelichtingsef": sef})] if sef else []),
    )


def _leerling(el: Node) -> m.Leerling:
    if not el.present:
        return m.Leerling()
    huisarts = el.node("huisarts")
    instelling = el.node("aansprakelijkeinstelling")
    return m.Leerling(
        **_persoon_fields(el),
        geboortedatum=el.as_date("geboortedatum"),
        geboortemaand=el.text("geboortemaand"),
        bsn=el.text("bsn"),
        onderwijsnummer=el.text("onderwijsnummer"),
        leerlingid=el.text("leerlingid"),
        adresbuitenland=el.texts("adresbuitenland"),
        onderwijssinds=el.as_date("onderwijssinds"),
        startdatumhuidigonderwijs=el.as_date("startdatumhuidigonderwijs"),
        datuminschrijving=el.as_date("datuminschrijving"),
        datumuitschrijving=el.as_date("datumuitschrijving"),
        leerlinggewicht=el.text("leerlinggewicht"),
        nnca=el.text("nnca"),
        tehuis=el.as_bool("tehuis"),
        huisarts=m.Persoon(**_persoon_fields(huisarts)) if huisarts.present else None,
        verzorgersaansprakelijk=el.as_bool("verzorgersaansprakelijk"),
        aansprakelijkeinstelling=(
            m.Instelling(
                naam=instelling.text("naam") or "",
                adressen=_adressen(instelling),
                communicatie=_communicatie(instelling),
            )
            if instelling.present
            else None
        ),
    )


def read_kop(root_el: etree._Element) -> m.DossierKop:
    """The head of a dossier root, read as `build_dossier` reads the same fields; MissingDatumError too."""
    root = Node(root_el)
    meta = root.node("metadata")
    datum = meta.as_date("datum")
    if datum is None:
        raise MissingDatumError
    school = root.node("huidigeschool")
    ll = school.node("leerling")
    return m.DossierKop(
        datum=datum,
        overdrachtsoort=root.text("overdrachtsoort"),
        overstap=meta.text("overstap"),
        brin=school.text("brincode") or "",
        bsn=ll.text("bsn"),
        onderwijsnummer=ll.text("onderwijsnummer"),
        geboortedatum=ll.as_date("geboortedatum"),
        voornamen=tuple(ll.texts("voornaam")),
        roepnaam=ll.text("roepnaam"),
        voorvoegsel=ll.text("voorvoegsel"),
        achternaam=ll.text("achternaam") or "",
    )


def build_dossier(root_el: etree._Element, namespace_year: int, *, verantwoording: bool = True) -> m.Dossier:
    """The model of a dossier root; MissingDatumError when metadata/datum is unusable.

    `verantwoording=False` leaves `niet_overgenomen` empty: working out where every value lands costs
    as much as the rest of the model, and registering a step does not need it.
    """
    root = Node(root_el)
    meta = root.node("metadata")
    datum = meta.as_date("datum")
    if datum is None:
        raise MissingDatumError
    uitlevering = meta.node("categorie_uitlevering")
    categorieen = {local(c).removeprefix("cat_"): text_of(c) or "" for c in elements(uitlevering.el)}
    if "zorgenbegeleiding" in categorieen:  # 2017.1 and 2018.1 name the care category so
        categorieen.setdefault("onderwijsondersteuning", categorieen["zorgenbegeleiding"])
    metadata = m.Metadata(
        deeldossier=meta.text("deeldossier"),
        pakketnaam=meta.text("pakketnaam"),
        pakketversie=meta.text("pakketversie"),
        datum=datum,
        standaardversie=meta.text("standaardversie"),
        validatieversie=meta.text("validatieversie"),
        categorieen=categorieen,
        overstap=meta.text("overstap"),
    )
    inzage_el = root.node("inzage")
    inzage = (
        m.Inzage(
            voorlopig=inzage_el.as_bool("voorlopigdossier") or False,
            inzage=inzage_el.as_bool("inzage"),
            inzagedatum=inzage_el.as_date("inzagedatum"),
            akkoord=inzage_el.text("akkoord"),
            redennietakkoord=inzage_el.text("redennietakkoord"),
            toestemming=inzage_el.text("toestemming"),
        )
        if inzage_el.present
        else None
    )
    school_el = root.node("huidigeschool")
    school = m.School(
        naam=school_el.text("naam") or "",
        brin=school_el.text("brincode") or "",
        vestiging=school_el.text("vestigingscode") or "",
        aanleverpunt=school_el.text("aanleverpunt"),
        soort=school_el.text("soort"),
        type=school_el.text("type"),
        naamdirecteur=school_el.text("naamdirecteur"),
        website=school_el.text("website"),
        adressen=_adressen(school_el),
        communicatie=_communicatie(school_el),
    )
    ll = school_el.node("leerling")
    advies = ll.node("overstapadvies")
    eindtoets = _first(ll, codes.doorstroomtoets().blok)
    # 2019.1 renamed the care block; older dossiers keep diagnoses, OPP, TLV and LWOO in <zorg>
    ondersteuning = ll.node("onderwijsondersteuning")
    if not ondersteuning.present:
        ondersteuning = ll.node("zorg")
    handelingsplanlijst = ll.node("handelingsplanlijst")  # until 2018.1 beside <zorg>, not inside it
    sef = ll.node("sefunctioneren").text("toelichtingsef")  # until 2018.1: sociaal-emotioneel functioneren
    verzuim = ll.node("verzuim")
    return m.Dossier(
        namespace_year=namespace_year,
        metadata=metadata,
        overdrachtsoort=root.text("overdrachtsoort"),
        inzage=inzage,
        school=school,
        leerling=_leerling(ll),
        verzorgers=[
            m.Verzorger(
                **_persoon_fields(v),
                relatietotkind=v.text("relatietotkind"),
                overleden=v.as_bool("overleden"),
                overlijdensdatum=v.as_date("overlijdensdatum"),
                wettigevertegenwoordiger=v.as_bool("wettigevertegenwoordiger"),
                iban=v.text("iban"),
            )
            for v in ll.nodes("verzorger")
        ],
        schoolloopbaan=[
            m.Schoolloopbaan(
                schooljaar=s.text("schooljaar") or "",
                groepscode=s.text("groepscode"),
                groepsnaam=s.text("groepsnaam"),
                jaargroep=s.text("jaargroep"),
                begindatum=s.as_date("begindatum"),
                einddatum=s.as_date("einddatum"),
                brin=s.text("brincode"),
                vestiging=s.text("vestigingscode"),
                schoolsoort=s.text("schoolsoort"),
                schooltype=s.text("schooltype"),
                voelementcode=s.text("voelementcode"),
                voelementomschrijving=s.text("voelementomschrijving"),
                schoolsoortomschrijving=s.text("schoolsoortomschrijving"),
            )
            for s in ll.node("schoolloopbaanlijst").nodes("schoolloopbaan")
        ],
        overstapadvies=(
            m.Overstapadvies(
                advies=advies.text("advies"),
                wensouders=advies.text("wensouders"),
                wensleerling=advies.text("wensleerling"),
                herzienadvies=advies.text("herzienadvies"),
                motivatie_herzienadvies=advies.text("motivatie_herzienadvies"),
                profiel=advies.text("profiel"),
                argumentatie=advies.text("argumentatie"),
                contactnodig=advies.as_bool("contactnodig"),
                contactpersoon=advies.text("contactpersoon"),
                contacttelefoon=advies.text("contacttelefoon"),
                contactemail=advies.text("contactemail"),
                aandachtspunten=advies.text("aandachtspunten"),
            )
            if advies.present
            else None
        ),
        eindtoets=_eindtoets(eindtoets) if eindtoets.present else None,
        toetsen=[_toets(t) for t in ll.node("toetslijst").nodes("toets")],
        onderwijsondersteuning=(
            _onderwijsondersteuning(ondersteuning, handelingsplanlijst, sef)
            if ondersteuning.present or handelingsplanlijst.present or sef
            else None
        ),
        verzuim=(
            m.Verzuim(
                dagdelengeoorloofd=verzuim.as_int("dagdelengeoorloofd"),
                dagdelenongeoorloofd=verzuim.as_int("dagdelenongeoorloofd"),
                urengeoorloofd=verzuim.as_int("urengeoorloofd"),
                urenongeoorloofd=verzuim.as_int("urenongeoorloofd"),
                meerdan25percent=verzuim.as_bool("meerdan25percent"),
                frequentie=verzuim.as_int("frequentie"),
                contactleerplicht=verzuim.as_bool("contactleerplicht"),
                rmcmelding=verzuim.as_bool("rmcmelding"),
                bijlagen=_bijlagen(verzuim.node("documentLijst")),
            )
            if verzuim.present
            else None
        ),
        bijlagen=[_bijlage(Node(d)) for d in descendants(root_el, "document")],
        blokken=blokken(ll),
        niet_overgenomen=niet_overgenomen(root_el) if verantwoording else [],
    )

"""Business rules of the OSO standard that protect registration, with Dutch messages.

The rules come from ValideerOSOgegevensset.xsl (OG.*, the code lists, the categories) and
ValideerOverstapprofielen.xsl (OVa.* for an overstapdossier, OVb.* for a transfer within one BRIN),
plus our own checks of what registration relies on (OSO.*). A rule that guards identity, privacy or
the data a step registers is a `fout` and blocks registration; a rule about the completeness or form
of data the steps use is a `waarschuwing`: the dossier can still be used, the school sees why.

Profile rules about data the receiving school neither registers nor needs are left out on purpose,
because every warning has to be acknowledged before registering and noise would hide what matters:
school address and contact (OVa.SL01/SL02 of the school), leerlingid (LL13), datum inschrijving
(LL14), verzorgersaansprakelijk and the responsible institution (LL15, AI01), contactnodig (OA03),
voorschools/vroegschools (VV01/VV02), validatieversie (MD02).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from oso_tui.dossier import codes, inhoudsregels
from oso_tui.dossier.findings import Finding
from oso_tui.dossier.identifiers import compact, is_valid_bsn, is_valid_onderwijsnummer, pgn_kind
from oso_tui.dossier.models import DossierKop
from oso_tui.dossier.regelbasis import (
    BRIN,
    EMAIL,
    GEHEIM_EMAIL,
    GEHEIM_TELEFOON,
    VESTIGING,
    Context,
    Rule,
    blokkade,
    fout,
    mask,
    register,
    waarschuwing,
)
from oso_tui.dossier.versions import NIEUWSTE, Versie
from oso_tui.dossier.xmlutil import (
    child,
    children,
    elements,
    local,
    parse_bool,
    parse_date,
    path_of,
    text,
    text_of,
)

RULES: list[Rule] = []
rule = register(RULES)


# ---------------------------------------------------------------- identity: who is this pupil


@rule
def pgn_rules(ctx: Context) -> Iterator[Finding]:
    """OVa.LL12 (BSN or onderwijsnummer required in an overstapdossier, forbidden in an swv-dossier).

    Where the standard allows a dossier without either, or the number fails the elfproef (which the
    standard does not check), the pupil cannot be registered: a `blokkade`, not a fault.
    """
    ll = ctx.leerling
    if ll is None:
        return
    bsn_el, onr_el = child(ll, "bsn"), child(ll, "onderwijsnummer")
    if bsn_el is None and onr_el is None:
        if ctx.overstapdossier:
            yield fout(
                "OVa.LL12",
                "Het dossier bevat geen BSN of onderwijsnummer van de leerling; dat is verplicht in een "
                "overstapdossier.",
                ll,
                path=path_of(ll) + "/bsn",
            )
        elif not ctx.swv:  # an swv-dossier is put aside for its kind already
            yield blokkade(
                "OSO.PGN",
                "Het dossier bevat geen BSN of onderwijsnummer (de standaard staat dat hier toe); zonder "
                "dat nummer kan de leerling niet geregistreerd worden.",
                ll,
                path=path_of(ll) + "/bsn",
            )
    if ctx.swv and (bsn_el is not None or onr_el is not None):
        yield fout(
            "PaO.LL",
            "Een SWV-dossier mag geen BSN of onderwijsnummer van de leerling bevatten.",
            bsn_el if bsn_el is not None else onr_el,
        )
    if bsn_el is not None:
        value = text_of(bsn_el) or ""
        if not is_valid_bsn(value) or compact(value) != value:
            also = " (het is wel een geldig onderwijsnummer)" if pgn_kind(value) == "onderwijsnummer" else ""
            yield blokkade(
                "OSO.BSN",
                f"Het BSN {mask(value)} is geen geldig BSN: 9 cijfers die voldoen aan de elfproef{also}.",
                bsn_el,
            )
    if onr_el is not None:
        value = text_of(onr_el) or ""
        if not is_valid_onderwijsnummer(value) or compact(value) != value:
            also = " (het is wel een geldig BSN)" if pgn_kind(value) == "bsn" else ""
            yield blokkade(
                "OSO.ONR",
                f"Het onderwijsnummer {mask(value)} is ongeldig: 9 cijfers, beginnend met 10, met een "
                f"gewogen som die bij deling door 11 rest 5 geeft{also}.",
                onr_el,
            )


@rule
def naam_en_geboortedatum(ctx: Context) -> Iterator[Finding]:
    """OVa.LL01-LL03 and our own: name and birth date registration needs."""
    ll = ctx.leerling
    if ll is None:
        return
    if child(ll, "achternaam") is None or not text(ll, "achternaam"):
        yield fout(
            "OSO.LL01", "De achternaam van de leerling ontbreekt.", ll, path=path_of(ll) + "/achternaam"
        )
    if (ctx.overstapdossier or ctx.binnenbrin or ctx.swv) and not children(ll, "voornaam"):
        yield fout(
            "OVa.LL01",
            "De voornaam van de leerling ontbreekt (minimaal één voornaam is verplicht).",
            ll,
            path=path_of(ll) + "/voornaam",
        )
    geb = child(ll, "geboortedatum")
    if geb is None:
        verplicht = ctx.overstapdossier or (ctx.swv and ctx.versie.swv_profiel)
        yield (fout if verplicht else blokkade)(
            "OVa.LL02",
            "De geboortedatum van de leerling ontbreekt; zonder geboortedatum kan de leerling niet "
            "geregistreerd worden.",
            ll,
            path=path_of(ll) + "/geboortedatum",
        )
    else:
        value = parse_date(text_of(geb))
        if value is None:
            yield fout(
                "OVa.LL02", "De geboortedatum van de leerling is geen geldige datum (JJJJ-MM-DD).", geb
            )
        elif value > ctx.kop.datum:
            yield blokkade(
                "OSO.LL02",
                f"De geboortedatum {value:%d-%m-%Y} ligt na de datum van het dossier "
                f"({ctx.kop.datum:%d-%m-%Y}).",
                geb,
            )
    if child(ll, "geboortemaand") is not None and (ctx.overstapdossier or ctx.binnenbrin or ctx.swv):
        code = "OVa.LL03" if ctx.overstapdossier else "OVb.LL01"
        yield fout(
            code,
            "Een geboortemaand is in een overstapdossier niet toegestaan (alleen de geboortedatum).",
            child(ll, "geboortemaand"),
        )


@rule
def school_rules(ctx: Context) -> Iterator[Finding]:
    """BRIN and vestiging of the sending school: the request is matched on them."""
    school = child(ctx.root, "huidigeschool")
    if school is None:
        return
    brin = child(school, "brincode")
    if brin is not None and not BRIN.fullmatch(text_of(brin) or ""):
        yield fout(
            "OSO.BRIN",
            f"De BRIN-code '{(text_of(brin) or '')[:10]}' van de school is ongeldig: twee cijfers en twee "
            "hoofdletters, bijvoorbeeld 12AB.",
            brin,
        )
    vestiging = child(school, "vestigingscode")
    if vestiging is not None and not VESTIGING.fullmatch(text_of(vestiging) or ""):
        yield fout(
            "OSO.VESTIGING",
            f"De vestigingscode '{(text_of(vestiging) or '')[:10]}' van de school is ongeldig: twee cijfers, "
            "bijvoorbeeld 00.",
            vestiging,
        )


# ---------------------------------------------------------------- metadata and inzage


@rule
def metadata_rules(ctx: Context) -> Iterator[Finding]:
    meta = child(ctx.root, "metadata")
    deeldossier = text(meta, "deeldossier")
    if (
        deeldossier is not None
        and deeldossier not in ("LAS", "LASLVS")
        and (ctx.overstapdossier or ctx.binnenbrin)
    ):
        yield fout(
            "OVa.MD01",
            "Het dossier bevat geen administratief deel (deeldossier LAS of LASLVS), alleen "
            f"'{deeldossier[:10]}'; de personalia ontbreken dan.",
            child(meta, "deeldossier"),
        )
    if ctx.soort is not None and not (ctx.overstapdossier or ctx.binnenbrin):
        yield blokkade(
            "OVa.OS03",
            f"Dit is geen overstapdossier maar een {codes.OVERDRACHTSOORT.label(ctx.soort)}; het is niet "
            "voor een school bedoeld en wordt niet geregistreerd.",
            child(ctx.root, "overdrachtsoort"),
        )
    if (
        (ctx.overstapdossier or ctx.binnenbrin)
        and ctx.versie.categorieen != "geen"
        and child(meta, "categorie_uitlevering") is None
    ):
        yield waarschuwing(
            "OVa.MD03" if ctx.overstapdossier else "OVb.MD03",
            "Het blok 'categorie uitlevering' ontbreekt: niet te zien welke categorieën de ouders "
            "hebben uitgezet.",
            meta,
        )
    if ctx.overstapdossier:
        overstap = child(meta, "overstap")
        if overstap is None:
            yield waarschuwing("OVa.OS01", "De soort overstap (POVO, POPO of VOVO) ontbreekt.", meta)
        elif text_of(overstap) in codes.OVERSTAP and text_of(overstap) not in ("POPO", "POVO", "VOVO"):
            yield waarschuwing(
                "OVa.OS02",
                f"De soort overstap '{text_of(overstap)}' hoort niet bij een overstapdossier "
                "(POVO, POPO of VOVO).",
                overstap,
            )


@rule
def inzage_rules(ctx: Context) -> Iterator[Finding]:
    """OVa.IZ01-IZ05: parents must have seen the dossier; voorlopig and akkoord=Nee are shown."""
    inzage = child(ctx.root, "inzage")
    if inzage is None:
        if ctx.overstapdossier:
            yield fout(
                "OVa.IZ01",
                "Het blok 'inzage' ontbreekt: niet vast te stellen dat de ouders het dossier hebben "
                "ingezien.",
                ctx.root,
                path="inzage",
            )
        return
    voorlopig = parse_bool(text(inzage, "voorlopigdossier"))
    if voorlopig:
        yield waarschuwing(
            "VOORLOPIG",
            "Dit is een voorlopig dossier: de school kan nog een definitieve versie klaarzetten.",
            child(inzage, "voorlopigdossier"),
        )
    seen = parse_bool(text(inzage, "inzage"))
    if ctx.overstapdossier and not seen:
        yield fout(
            "OVa.IZ02",
            "De ouders hebben het dossier niet ingezien (inzage is niet 'true'); een overstapdossier mag pas "
            "na inzage geregistreerd worden.",
            child(inzage, "inzage") if child(inzage, "inzage") is not None else inzage,
            path=path_of(inzage) + "/inzage",
        )
    if ctx.overstapdossier and seen and child(inzage, "inzagedatum") is None:
        yield waarschuwing("OVa.IZ03", "De datum waarop de ouders het dossier inzagen ontbreekt.", inzage)
    akkoord = text(inzage, "akkoord")
    if ctx.overstapdossier and seen and akkoord is None:
        yield waarschuwing(
            "OVa.IZ04", "Niet vermeld of de ouders het eens zijn met de inhoud (akkoord).", inzage
        )
    if akkoord == "Nee":
        reden = text(inzage, "redennietakkoord")
        yield waarschuwing(
            "AKKOORD",
            "De ouders zijn het niet eens met de inhoud van het dossier (akkoord: nee)"
            + (f"; reden: {reden.rstrip('.')}" if reden else "")
            + ".",
            child(inzage, "akkoord"),
        )
    elif akkoord == "Onbekend":
        yield waarschuwing(
            "AKKOORD",
            "Onbekend of de ouders het eens zijn met de inhoud van het dossier.",
            child(inzage, "akkoord"),
        )
    if ctx.overstapdossier and ctx.overstap == "VOVO" and child(inzage, "toestemming") is None:
        yield waarschuwing("OVa.IZ05", "Bij een VOVO-overstap is het veld 'toestemming' verplicht.", inzage)


# ---------------------------------------------------------------- privacy: secrets stay secret


@rule
def geheim_rules(ctx: Context) -> Iterator[Finding]:
    """OVa.LL06/LL09, OVa.OV03, OVb.*: a secret address must not be in the dossier; LL08: masked numbers."""
    if not (ctx.overstapdossier or ctx.binnenbrin):
        return
    prefix = "OVa" if ctx.overstapdossier else "OVb"
    ll = ctx.leerling
    if ll is not None and parse_bool(text(ll, "adresgeheim")):
        if children(child(ll, "adreslijst"), "adres"):
            yield fout(
                f"{prefix}.LL06" if ctx.overstapdossier else "OVb.LL02",
                "Het adres van de leerling is geheim, maar het dossier bevat toch een adres; dat wordt niet "
                "geregistreerd.",
                child(ll, "adreslijst"),
            )
        if children(ll, "adresbuitenland"):
            yield fout(
                f"{prefix}.LL09" if ctx.overstapdossier else "OVb.LL05",
                "Het adres van de leerling is geheim, maar het dossier bevat toch een buitenlands adres.",
                children(ll, "adresbuitenland")[0],
            )
    for v in children(ll, "verzorger"):
        if parse_bool(text(v, "adresgeheim")) and children(child(v, "adreslijst"), "adres"):
            yield fout(
                f"{prefix}.OV03" if ctx.overstapdossier else "OVb.OV01",
                "Het adres van deze verzorger is geheim, maar het dossier bevat toch een adres.",
                child(v, "adreslijst"),
            )
    for c in ctx.descendants("communicatie"):
        if not parse_bool(text(c, "geheim")):
            continue
        soort, nummer = text(c, "soort"), text(c, "nummer")
        masked = {"telefoon": GEHEIM_TELEFOON, "e-mail": GEHEIM_EMAIL}.get(soort or "")
        if masked is not None and nummer != masked:
            yield fout(
                f"{prefix}.LL08" if ctx.overstapdossier else "OVb.LL04",
                f"Een geheim{'' if soort == 'e-mail' else ' telefoon'}nummer staat leesbaar in het dossier; "
                f"het hoort vervangen te zijn door {masked}.",
                child(c, "nummer"),
            )


@rule
def leerling_profile_rules(ctx: Context) -> Iterator[Finding]:
    """The remaining OVa.LL/OV/VV rules: completeness and forbidden fields we do not register."""
    ll = ctx.leerling
    if ll is None or not ctx.overstapdossier:
        return
    geheim = parse_bool(text(ll, "adresgeheim"))
    if child(ll, "adresgeheim") is None:
        yield waarschuwing(
            "OVa.LL04", "Niet vermeld of het adres van de leerling geheim is (adresgeheim).", ll
        )
    if not geheim and not children(child(ll, "adreslijst"), "adres") and not children(ll, "adresbuitenland"):
        yield waarschuwing("OVa.LL05", "Het dossier bevat geen adres van de leerling.", ll)
    for name, code, what in (
        ("postcode4adres", "OVa.LL07", "een postcode4-adres"),
        ("geboorteplaats", "OVa.LL10", "de geboorteplaats"),
        ("nationaliteit", "OVa.LL11", "de nationaliteit"),
    ):
        el = child(ll, name)
        if el is not None:
            yield waarschuwing(
                code, f"Een overstapdossier mag {what} niet bevatten; dit wordt niet overgenomen.", el
            )
    aansprakelijk = parse_bool(text(ll, "verzorgersaansprakelijk"))
    if aansprakelijk and not children(ll, "verzorger"):
        yield waarschuwing(
            "OVa.OV01", "De verzorgers zijn aansprakelijk, maar er staat geen verzorger in.", ll
        )
    if not children(child(ll, "schoolloopbaanlijst"), "schoolloopbaan"):
        yield waarschuwing("OVa.SL01", "Het dossier bevat geen schoolloopbaan.", ll)
    if child(ll, "overstapadvies") is None:
        yield waarschuwing("OVa.OA01", "Het dossier bevat geen overstapadvies.", ll)


@rule
def verzorger_rules(ctx: Context) -> Iterator[Finding]:
    """OG.04: a death date only for a guardian marked deceased (we would register it)."""
    for v in ctx.descendants("verzorger"):
        datum = child(v, "overlijdensdatum")
        if datum is not None and not parse_bool(text(v, "overleden")):
            yield fout(
                "OG.04",
                "Bij deze verzorger staat een overlijdensdatum, maar de verzorger is niet als overleden "
                "gemarkeerd.",
                datum,
            )


@rule
def huisarts_rules(ctx: Context) -> Iterator[Finding]:
    """OG.05."""
    for h in ctx.descendants("huisarts"):
        for name in ("roepnaam", "geslacht"):
            el = child(h, name)
            if el is not None:
                yield waarschuwing("OG.05", f"De gegevens van de huisarts horen geen {name} te bevatten.", el)
        if parse_bool(text(h, "adresgeheim")):
            yield waarschuwing(
                "OG.05",
                "De gegevens van de huisarts horen geen geheim adres aan te geven.",
                child(h, "adresgeheim"),
            )


@rule
def email_rules(ctx: Context) -> Iterator[Finding]:
    """OG.01: e-mail addresses have a usable form."""
    for c in ctx.descendants("communicatie"):
        if text(c, "soort") != "e-mail":
            continue
        nummer = text(c, "nummer") or ""
        if not (4 <= len(nummer) <= 256) or "@" not in nummer or not EMAIL.search(nummer):
            nummer_el = child(c, "nummer")
            yield waarschuwing(
                "OG.01", "Dit e-mailadres heeft geen geldige vorm.", nummer_el if nummer_el is not None else c
            )


# ---------------------------------------------------------------- selective delivery (categories)


@rule
def categorie_rules(ctx: Context) -> Iterator[Finding]:
    """OS.cat*: a category marked OPT-UIT must be empty (from 2017.1); from 2019.1 also one marked
    VERBODEN, and one marked VERPLICHT must have data."""
    regels = ctx.versie.categorieen
    if regels == "geen":
        return
    meta = child(ctx.root, "metadata")
    for cat in elements(child(meta, "categorie_uitlevering")):
        naam = local(cat).removeprefix("cat_")
        value = text_of(cat) or ""
        if naam not in codes.CATEGORIEEN:
            continue
        label, paths = codes.CATEGORIEEN[naam]
        if value == "OPT-UIT" or (value == "VERBODEN" and regels == "alle"):
            why = (
                "verboden voor deze overstap" if value == "VERBODEN" else "uitgezet door de ouders (opt-out)"
            )
            for el in (el for p in paths for el in ctx.find(p)):
                yield fout(
                    f"OS.cat.{naam}",
                    f"De categorie '{label}' is {why}, maar het dossier bevat toch <{local(el)}>; "
                    "deze gegevens mogen niet geregistreerd worden.",
                    el,
                )
        elif value == "VERPLICHT" and regels == "alle" and paths and not any(ctx.find(p) for p in paths):
            yield waarschuwing(
                f"OS.cat.{naam}",
                f"De categorie '{label}' is verplicht, maar het dossier bevat er geen gegevens van.",
                cat,
            )


def check_rules(root: etree._Element, kop: DossierKop, versie: Versie = NIEUWSTE) -> list[Finding]:
    """All business-rule findings for one dossier (root element plus its head), by its version's rules."""
    ctx = Context(root=root, kop=kop, versie=versie)
    found: list[Finding] = []
    for r in (*RULES, *inhoudsregels.RULES):
        found.extend(r(ctx))
    return found

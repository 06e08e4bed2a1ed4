"""The broken sample files: each differs from a valid dossier in one way only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from benchmarks.sample_leerlingen import VUURTOREN, standaard_leerling, tel, toetsen_groep678
from benchmarks.xmlbuild import NS, Adres, Verzorger, basisschool_loopbaan, q, serialize
from benchmarks.xmldossier import Dossier, Toets, overstapadvies


def broken_base() -> Dossier:
    """The dossier every broken file starts from, so each differs from a valid one in one way only."""
    thuis = Adres("Akkerweg", "40", "7411AW", "Heuvelrijk")
    return Dossier(
        datum=date(2027, 3, 10),
        school=VUURTOREN,
        leerling=standaard_leerling(
            voornamen=["Robin"],
            roepnaam="Robin",
            achternaam="Voorbeeld",
            geboortedatum=date(2015, 3, 3),
            geslacht=0,
            pgn="963989935",
            pgn_soort="bsn",
            leerlingid="VT-9999",
            adressen=[thuis],
            overstapadvies=overstapadvies("60", wensouders="60"),
            loopbaan=basisschool_loopbaan("99WC", "00"),
            toetsen=toetsen_groep678((170, 180, 190), "III III III"),
            verzorgers=[
                Verzorger(["Kim"], "Voorbeeld", 0, "1", adressen=[thuis], communicatie=[tel("0600000010")])
            ],
        ),
        inzagedatum=date(2027, 3, 5),
    )


def _find(root: etree._Element, path: str) -> etree._Element:
    found = root.find("/".join(q(part) for part in path.split("/")))
    if found is None:
        raise LookupError(path)
    return found


def _leerling(root: etree._Element) -> etree._Element:
    return _find(root, "huidigeschool/leerling")


def _tree() -> etree._Element:
    return broken_base().element()


def _set(path: str, value: str) -> Callable[[], bytes]:
    def make() -> bytes:
        root = _tree()
        _find(root, path).text = value
        return serialize(root)

    return make


def _drop(path: str) -> Callable[[], bytes]:
    def make() -> bytes:
        root = _tree()
        element = _find(root, path)
        parent = element.getparent()
        assert parent is not None
        parent.remove(element)
        return serialize(root)

    return make


def _opt_uit_met_gegevens() -> bytes:
    root = _tree()
    _find(root, "metadata/categorie_uitlevering/cat_toetsresultaten").text = "OPT-UIT"
    return serialize(root)


def _toets_te_oud() -> bytes:
    root = _tree()
    toetslijst = _find(root, "huidigeschool/leerling/toetslijst")
    oud = Toets(
        "LVS-RW-M5", "rekenen-wiskunde", "Rekenen-Wiskunde midden groep 5", date(2024, 1, 23), "5", 150, "III"
    )
    toetslijst.insert(0, oud.element())
    return serialize(root)


def _geen_pgn() -> bytes:
    root = _tree()
    leerling = _leerling(root)
    leerling.remove(_find(leerling, "bsn"))
    return serialize(root)


def _renamed_root(
    namespace: str, localname: str = "dossier", versie: str | None = None
) -> Callable[[], bytes]:
    def make() -> bytes:
        data = serialize(_tree()).decode("utf-8")
        data = data.replace(f'xmlns="{NS}"', f'xmlns="{namespace}"')
        if localname != "dossier":
            data = data.replace("<dossier ", f"<{localname} ").replace("</dossier>", f"</{localname}>")
        if versie:
            data = data.replace("<standaardversie>2019.1<", f"<standaardversie>{versie}<")
        return data.encode("utf-8")

    return make


def _with_doctype(doctype: str, achternaam: str) -> Callable[[], bytes]:
    def make() -> bytes:
        data = serialize(_tree()).decode("utf-8")
        head, rest = data.split("\n", 1)
        rest = rest.replace("<achternaam>Voorbeeld</achternaam>", f"<achternaam>{achternaam}</achternaam>", 1)
        return f"{head}\n{doctype}\n{rest}".encode()

    return make


XXE = '<!DOCTYPE dossier [\n  <!ENTITY geheim SYSTEM "file:///etc/passwd">\n]>'
LOL = "\n".join(
    ["<!DOCTYPE dossier [", '  <!ENTITY lol0 "lol">']
    + [f'  <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    + ["]>"]
)
EXTERNE_DTD = '<!DOCTYPE dossier SYSTEM "http://dtd.example.invalid/oso-dossier.dtd">'


def _kapot() -> bytes:
    data = serialize(_tree())
    return data[: data.index(b"<schoolloopbaanlijst>") + 40]


@dataclass(frozen=True)
class Broken:
    bestand: str
    maak: Callable[[], bytes]
    reden: str  # Dutch: what is wrong
    controle: str  # how a test sees it: "xml" | "xsd" | "regel" | "beveiliging"
    verwacht: str  # what `oso-tui check` judges: "onleesbaar" | "fout" | "blokkade" | "waarschuwing"
    regel: str | None = None  # the rule id in the official XSL, or "elfproef"/"onderwijsnummer"
    extra: dict[str, str] = field(default_factory=dict)


BROKEN: tuple[Broken, ...] = (
    Broken(
        "kapot_afgebroken.xml", _kapot, "Het bestand houdt midden in een element op.", "xml", "onleesbaar"
    ),
    Broken("leeg.xml", lambda: b"", "Het bestand is leeg.", "xml", "onleesbaar"),
    Broken(
        "bsn_elfproef.xml",
        _set("huidigeschool/leerling/bsn", "963989936"),
        "Het BSN 963989936 voldoet niet aan de elfproef.",
        "regel",
        "blokkade",
        "elfproef",
    ),
    Broken(
        "onderwijsnummer_fout.xml",
        lambda: serialize(_onderwijsnummer_fout()),
        "Het onderwijsnummer 100648479 voldoet niet aan de rekenregel (rest 5 bij deling door 11).",
        "regel",
        "blokkade",
        "onderwijsnummer",
    ),
    Broken(
        "inzage_false.xml",
        _set("inzage/inzage", "false"),
        "Ouders hebben het dossier niet ingezien (inzage=false).",
        "regel",
        "fout",
        "OVa.IZ02",
    ),
    Broken(
        "geen_geboortedatum.xml",
        _drop("huidigeschool/leerling/geboortedatum"),
        "De geboortedatum van de leerling ontbreekt.",
        "regel",
        "fout",
        "OVa.LL02",
    ),
    Broken(
        "geen_pgn.xml",
        _geen_pgn,
        "De leerling heeft geen BSN en geen onderwijsnummer.",
        "regel",
        "fout",
        "OVa.LL12",
    ),
    Broken(
        "opt_uit_met_gegevens.xml",
        _opt_uit_met_gegevens,
        "De categorie toetsresultaten staat op OPT-UIT, maar het dossier bevat toch toetsen.",
        "regel",
        "fout",
        "OS.cat12",
    ),
    Broken(
        "toets_te_oud.xml",
        _toets_te_oud,
        "Een toets van januari 2024 valt buiten het huidige en de twee vorige schooljaren.",
        "regel",
        "waarschuwing",
        "OVa.TR04",
    ),
    Broken(
        "geboortedatum_ongeldig.xml",
        _set("huidigeschool/leerling/geboortedatum", "2015-02-30"),
        "De geboortedatum 2015-02-30 bestaat niet.",
        "xsd",
        "fout",
    ),
    Broken(
        "brin_fout.xml",
        _set("huidigeschool/brincode", "9WC"),
        "De BRIN-code van de school (9WC) heeft niet de vorm twee cijfers en twee letters.",
        "xsd",
        "fout",
    ),
    Broken(
        "xxe_lokaal_bestand.xml",
        _with_doctype(XXE, "&geheim;"),
        "Een DOCTYPE met een entiteit die naar een lokaal bestand wijst (XXE).",
        "beveiliging",
        "onleesbaar",
    ),
    Broken(
        "billion_laughs.xml",
        _with_doctype(LOL, "&lol9;"),
        "Een DOCTYPE met geneste entiteiten die exploderen bij uitpakken (billion laughs).",
        "beveiliging",
        "onleesbaar",
    ),
    Broken(
        "externe_dtd.xml",
        _with_doctype(EXTERNE_DTD, "Voorbeeld"),
        "Een DOCTYPE die een externe DTD via het netwerk wil laden.",
        "beveiliging",
        "onleesbaar",
    ),
    Broken(
        "verkeerde_root.xml",
        _renamed_root(NS, "leerlingdossier"),
        "Het hoofdelement heet leerlingdossier in plaats van dossier.",
        "xsd",
        "onleesbaar",
    ),
    Broken(
        "vreemde_namespace.xml",
        _renamed_root("urn:voorbeeld:ander-formaat:dossier"),
        "Het dossier staat in een namespace die niet van de OSO-gegevensset is.",
        "xsd",
        "onleesbaar",
    ),
    Broken(
        "onbekende_versie.xml",
        _renamed_root("http://www.edustandaard.nl/oso_gegevensset/2031/dossier", versie="2031.1"),
        "Een onbekende jaarversie (namespace 2031, standaardversie 2031.1); te lezen met een waarschuwing.",
        "xsd",
        "waarschuwing",
    ),
)


def _onderwijsnummer_fout() -> etree._Element:
    root = _tree()
    bsn = _find(root, "huidigeschool/leerling/bsn")
    bsn.tag = q("onderwijsnummer")
    bsn.text = "100648479"
    return root

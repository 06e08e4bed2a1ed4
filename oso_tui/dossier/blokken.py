"""Parts of a dossier read as plain rows: the cijferlijsten and VO blocks, and the 2016-2018 care block.

`plat` gives the leaf values below an element by relative path; the steps register such rows as they
are, so a block's every value lands in the registration (see `verantwoording`).
"""

from __future__ import annotations

from lxml import etree

from oso_tui.dossier import models as m
from oso_tui.dossier.xmlutil import Node, elements, local

BLOKKEN = (
    "cijferlijst",
    "bevorderd",
    "examenresultaat",
    "resultaatvakkenvo",
    "certificaat",
    "competenties",
    "stage",
    "overigvombo",
)


def plat(el: etree._Element | None, prefix: str = "") -> dict[str, str]:
    """The leaf values below an element by relative path; repeated ones joined with "; "."""
    found: dict[str, str] = {}
    if el is None:
        return found
    kids = list(elements(el))
    if not kids:
        text = (el.text or "").strip()
        if text:
            found[prefix or local(el)] = text
        return found
    for kid in kids:
        for key, value in plat(kid, f"{prefix}/{local(kid)}".lstrip("/")).items():
            found[key] = f"{found[key]}; {value}" if key in found else value
    return found


def rij_tekst(velden: dict[str, str]) -> str:
    return ", ".join(f"{k.rpartition('/')[2]}: {v}" for k, v in velden.items())


def blokken(ll: Node) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for name in BLOKKEN:
        parent = ll.node("cijferlijstlijst") if name == "cijferlijst" else ll
        rows = [plat(n.el) for n in parent.nodes(name)]
        if rows:
            found[name] = [r for r in rows if r]
    return found


def _velden(el: Node, *names: str) -> dict[str, str]:
    """The texts of the named children that have one, under their own names."""
    found = {name: el.text(name) for name in names}
    return {k: v for k, v in found.items() if v is not None}


def _persoonnaam(el: Node) -> str:
    return " ".join(p for p in (el.text("voorletters-1"), el.text("voorvoegsel"), el.text("achternaam")) if p)


# The rows of the 2016-2018 <zorg> block that have no place of their own in 2019.1: (element, soort, fields).
_OUDE_RIJEN = (
    (
        "lgf",
        "lgf",
        (
            "lgfdatum",
            "codelgfonderwijssoort",
            "lgfcvinummer",
            "lgfindicatierec",
            "lgfeinddatum",
            "lgfbrincode",
        ),
    ),
    ("verblijf_opdc", "opdc", ("opdc_ingangdatum", "opdc_einddatum", "opdc_brin", "opdc_vestigingscode")),
    ("begeleiding", "begeleiding", ("soortbegeleiding", "begeleidingvoortzetten")),
    ("extrahulpingroep78", "extrahulp", ("domein", "toelichtinghulp", "voortzetten")),
    ("upw", "upw", ("upwingangdatum", "upwuitstroomprofiel", "upwvoelementcode", "upwleerjaar")),
    ("vir", "vir", ("ingevoerdinvir", "reden")),
    ("zat", "zat", ("besprokeninzat", "reden")),
)
_OUDE_VELDEN = (
    "naamib",
    "sbobeschikkingsdatum",
    "wsnsnummer",
    "pgbdatum",
    "pgbomvang",
    "specialebegeleiding",
    "ambulantstartdatum",
    "ambulantbrincode",
    "ambulantvestigingscode",
    "begeleidingsplanrec",
)


def oude_zorg(el: Node) -> list[m.Zorgregel]:
    """What only the 2016-2018 <zorg> block has, as rows the begeleiding step registers."""
    rows = [
        m.Zorgregel(soort=soort, velden=_velden(r, *names))
        for name, soort, names in _OUDE_RIJEN
        for r in el.nodes(name)
    ]
    rows += [
        m.Zorgregel(soort="onderwijsbelemmering", velden={"tekst": t})
        for t in el.texts("onderwijsbelemmering")
    ]
    rows += [m.Zorgregel(soort="sterkpunt", velden={"tekst": t}) for t in el.texts("sterkpunt")]
    for arts in el.node("artslijst").nodes("arts"):
        tel = ", ".join(c.text("nummer") or "" for c in arts.node("communicatielijst").nodes("communicatie"))
        velden = {"naam": _persoonnaam(arts), "soort": arts.text("soort") or "", "contact": tel}
        rows.append(m.Zorgregel(soort="specialist", velden={k: v for k, v in velden.items() if v}))
    for contact in el.nodes("contactoverigeinstanties"):
        for instelling in contact.nodes("instelling"):
            velden = {
                "naam": instelling.text("naam") or "",
                "contactpersoon": _persoonnaam(contact.node("contactpersoon")),
            }
            rows.append(m.Zorgregel(soort="instantie", velden={k: v for k, v in velden.items() if v}))
    for extra in el.nodes("opp")[1:]:
        rows.append(m.Zorgregel(soort="opp", velden=_velden(extra, "opp_ingangdatum", "opp_einddatum")))
    algemeen = _velden(el, *_OUDE_VELDEN)
    if algemeen:
        rows.append(m.Zorgregel(soort="zorg", velden=algemeen))
    return rows

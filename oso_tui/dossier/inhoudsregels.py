"""Business rules about content: code lists, the transfer advice, the school career, tests and the eindtoets.

See `rules.py` for where the rules come from and how a `fout` differs from a `waarschuwing`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from lxml import etree

from oso_tui.dossier import codes
from oso_tui.dossier.findings import Finding
from oso_tui.dossier.regelbasis import (
    BRIN,
    SCHOOLJAAR,
    VESTIGING,
    Context,
    Rule,
    fout,
    register,
    waarschuwing,
)
from oso_tui.dossier.xmlutil import (
    child,
    child_tags,
    children,
    elements,
    entry,
    has_child,
    local,
    local_name,
    named_descendants,
    parse_bool,
    parse_date,
    text,
    text_of,
)

RULES: list[Rule] = []
rule = register(RULES)


# ---------------------------------------------------------------- code lists


@dataclass(frozen=True)
class _CodedName:
    """The code fields of one element name: by parent name, and the one for any other parent."""

    by_parent: dict[str, codes.CodeField]
    anywhere: codes.CodeField | None


@cache
def _coded_names() -> dict[str, _CodedName]:
    """CODE_FIELDS by element name; as in the table, the first field whose parent fits wins."""
    fields: dict[str, list[codes.CodeField]] = {}
    for field in codes.CODE_FIELDS:
        fields.setdefault(field[1], []).append(field)
    coded: dict[str, _CodedName] = {}
    for name, candidates in fields.items():
        by_parent: dict[str, codes.CodeField] = {}
        anywhere = None
        for field in candidates:
            if not field[0]:
                anywhere = field
                break
            by_parent.setdefault(field[0], field)
        coded[name] = _CodedName(by_parent, anywhere)
    return coded


GECODEERD = frozenset(name for name in _coded_names() if name)
"""The names of elements that hold a code: `code_rules` finds them in the walk that reading makes."""


def _unknown_code(el: etree._Element, value: str, lijst: codes.CodeList, label: str) -> Finding:
    if not value:
        return waarschuwing("CODE", f"Lege code voor {label} (codelijst {lijst.nummer}).", el)
    shown = value if len(value) <= 20 else value[:17] + "..."
    return waarschuwing(
        "CODE",
        f"Onbekende code '{shown}' voor {label} (codelijst {lijst.nummer}); "
        "de code wordt bewaard en zo getoond.",
        el,
    )


@rule
def code_rules(ctx: Context) -> Iterator[Finding]:
    """Unknown codes are kept and shown as the code, with a warning (code lists 2-48)."""
    coded = _coded_names()
    advies = codes.advies_codes()
    nog_niet = codes.nog_niet(ctx.versie.jaar)
    for el, name in named_descendants(ctx.root, GECODEERD):
        names = coded[name]
        field = None
        if names.by_parent:
            parent = el.getparent()
            field = names.by_parent.get(local_name(parent.tag) if parent is not None else "")
        if field is None:
            field = names.anywhere
            if field is None:
                continue
        _parent, _name, code_list, label = field
        value = ((el.text or "").strip() if not len(el) else text_of(el)) or ""
        lijst = code_list if code_list is not None else advies
        if value not in lijst.codes or (nog_niet and (lijst.nummer, value) in nog_niet):
            yield _unknown_code(el, value, lijst, label)
    for cat in elements(child(child(ctx.root, "metadata"), "categorie_uitlevering")):
        value = text_of(cat) or ""
        if value not in codes.CATEGORIE:
            yield _unknown_code(cat, value, codes.CATEGORIE, f"categorie {local(cat).removeprefix('cat_')}")


# ---------------------------------------------------------------- advice, school career, tests


@rule
def overstapadvies_rules(ctx: Context) -> Iterator[Finding]:
    """OVa.OA02-OA05."""
    advies = child(ctx.leerling, "overstapadvies")
    if advies is None or not ctx.overstapdossier:
        return
    soort_school = text(child(ctx.root, "huidigeschool"), "soort")
    if ctx.overstap == "POVO" and soort_school != "SO" and child(advies, "advies") is None:
        yield waarschuwing(
            "OVa.OA02", "Het VO-advies van de school ontbreekt (verplicht bij een POVO-overstap).", advies
        )
    herzien, schooladvies = text(advies, "herzienadvies"), text(advies, "advies")
    if codes.lager_advies(herzien, schooladvies):
        yield waarschuwing(
            "ADVIES",
            f"Het herziene advies ({codes.advies_label(herzien)}) is lager dan het schooladvies "
            f"({codes.advies_label(schooladvies)}); een advies mag alleen naar boven worden bijgesteld.",
            child(advies, "herzienadvies"),
        )
    if parse_bool(text(advies, "contactnodig")):
        if child(advies, "contactpersoon") is None:
            yield waarschuwing("OVa.OA04", "Contact is nodig, maar de contactpersoon ontbreekt.", advies)
        if child(advies, "contacttelefoon") is None:
            yield waarschuwing("OVa.OA05", "Contact is nodig, maar het telefoonnummer ontbreekt.", advies)


@rule
def schoolloopbaan_rules(ctx: Context) -> Iterator[Finding]:
    """The school year is "JJJJ-JJJJ" with consecutive years; begin not after end."""
    for s in children(child(ctx.leerling, "schoolloopbaanlijst"), "schoolloopbaan"):
        fields = entry(s)
        jaar_el = fields.first("schooljaar")
        jaar = text_of(jaar_el) or ""
        match = SCHOOLJAAR.fullmatch(jaar)
        if jaar_el is not None and (match is None or int(match[2]) != int(match[1]) + 1):
            yield (fout if match is None else waarschuwing)(
                "OSO.SJ01",
                f"Het schooljaar '{jaar[:12]}' is ongeldig: verwacht twee opeenvolgende jaren, "
                "bijvoorbeeld 2018-2019.",
                jaar_el,
            )
        begin, eind = fields.text("begindatum"), fields.text("einddatum")
        if begin is not None and eind is not None and _after(begin, eind):
            yield waarschuwing("OSO.SJ02", "De begindatum van deze schoolloopbaan ligt na de einddatum.", s)
        for name, pattern, what in (
            ("brincode", BRIN, "BRIN-code"),
            ("vestigingscode", VESTIGING, "vestigingscode"),
        ):
            el = fields.first(name)
            if el is not None and not pattern.fullmatch(text_of(el) or ""):
                yield fout("OSO.SJ03", f"De {what} in deze schoolloopbaan is ongeldig.", el)


def _after(begin: str, eind: str) -> bool:
    """Whether date text `begin` lies after `eind` (False when either is no date).

    Two plain JJJJ-MM-DD texts compare as text: the dates are parsed only when that says "after".
    """
    if len(begin) == len(eind) == 10 and begin <= eind and begin.isascii() and eind.isascii():
        return False
    first, last = parse_date(begin), parse_date(eind)
    return first is not None and last is not None and first > last


def toets_vanaf(documentdatum: date) -> date:
    """OVa.TR04: the first day of the oldest school year whose tests may be in a POVO dossier."""
    begin_schooljaar = date(documentdatum.year, 8, 1)
    years_back = 3 if documentdatum < begin_schooljaar else 2
    return date(documentdatum.year - years_back, 8, 1)


@rule
def toets_rules(ctx: Context) -> Iterator[Finding]:
    """OVa.TR04-TR06, OVa.CL01."""
    vanaf = toets_vanaf(ctx.kop.datum)
    for t in ctx.descendants("toets") if ctx.overstap == "POVO" else ():
        afname = parse_date(text(child(t, "afname"), "afnamedatum"))
        if afname is not None and afname < vanaf:
            yield waarschuwing(  # the official stylesheets of 2017.1-2019.1 never reach <toets>
                "OVa.TR04",
                f"Deze toets is afgenomen op {afname:%d-%m-%Y}; in een POVO-overstap mogen alleen toetsen "
                f"uit het huidige en de twee vorige schooljaren staan (vanaf {vanaf:%d-%m-%Y}); deze toets "
                "wordt niet overgenomen.",
                child(child(t, "afname"), "afnamedatum"),
            )
    if not ctx.overstapdossier:
        return
    for r in ctx.descendants("resultaat"):
        if not has_child(r, _RESULTAAT_DELEN):
            yield waarschuwing("OVa.TR05", "Een toetsresultaat zonder score, referentiescore of bijlage.", r)
    for s in ctx.descendants("toetsscore"):
        if not has_child(s, _TOETSSCORE_DELEN):
            yield waarschuwing("OVa.TR06", "Een toetsscore zonder aantallen, tijd of vaardigheidsscore.", s)
    for s in ctx.descendants("score"):
        if not has_child(s, _SCORE_DELEN):
            yield waarschuwing("OVa.CL01", "Een score zonder waarde of kwalificatie.", s)


_RESULTAAT_DELEN = child_tags("toetsscore", "referentiescore", "document")
_TOETSSCORE_DELEN = child_tags(
    "aantalopgaven", "aantalgoed", "aantalfout", "aantalgelezen", "tijd", "vaardigheidsscore"
)
_SCORE_DELEN = child_tags("waarde", "kwalificatie")


@rule
def eindtoets_rules(ctx: Context) -> Iterator[Finding]:
    """OVa.EB02-EB04."""
    if not ctx.overstapdossier:
        return
    for e in ctx.descendants("eindtoets_basisonderwijs"):
        deelgenomen = parse_bool(text(e, "deelgenomen"))
        resultaat = child(e, "eindtoetsresultaat")
        if deelgenomen and resultaat is None:
            yield waarschuwing(
                "OVa.EB02", "De leerling heeft de eindtoets gemaakt, maar het resultaat ontbreekt.", e
            )
        if not deelgenomen and child(resultaat, "toetssoort") is None:
            yield waarschuwing(
                "OVa.EB03",
                "De leerling heeft de eindtoets niet gemaakt, maar de soort eindtoets ontbreekt.",
                e,
            )
        if deelgenomen and resultaat is not None and child(resultaat, "toets_advies") is None:
            yield waarschuwing("OVa.EB04", "Het advies uit de eindtoets (toets_advies) ontbreekt.", resultaat)

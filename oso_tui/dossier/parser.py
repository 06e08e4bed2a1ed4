"""Read an OSO dossier safely: size cap, no DOCTYPE, hardened lxml, any yearly namespace.

A dossier comes from outside and may hold health data, so the parser trusts nothing: a file larger
than the cap is not read, a DOCTYPE (the door to XXE and billion-laughs attacks) is refused before
the XML parser sees it, and lxml runs without entity resolution, network, DTD loading or huge trees.
Messages never quote the file's content, so a wrong file (say a password file) does not leak.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from oso_tui.dossier.codering import codering_findings
from oso_tui.dossier.extract import MissingDatumError, build_dossier, read_kop
from oso_tui.dossier.findings import BLOKKADE, FOUT, WAARSCHUWING, Finding
from oso_tui.dossier.inhoudsregels import GECODEERD
from oso_tui.dossier.models import Dossier, DossierKop
from oso_tui.dossier.regelbasis import SEARCHED as RULES_SEARCH
from oso_tui.dossier.rules import check_rules
from oso_tui.dossier.structure import check_structure
from oso_tui.dossier.versions import EERSTE_JAAR, KNOWN_VERSIONS, NIEUWSTE, Versie, versie_voor
from oso_tui.dossier.xmlutil import child, indexed, line_of, local, namespace, text
from oso_tui.errors import ReadError
from oso_tui.readfile import read_regular

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NAMESPACE = re.compile(r"http://www\.edustandaard\.nl/oso_gegevensset/(\d{4})/dossier")
FIRST_YEAR = EERSTE_JAAR
SEARCHED = (*RULES_SEARCH, "document", *sorted(GECODEERD))  # names looked for anywhere in a dossier

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_DOCTYPE_TEXT = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WIDE_PREFIXES = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)


@dataclass(frozen=True)
class ReadResult:
    """What reading one dossier gave: the model (when there is one), the findings and the bytes.

    `kop` is there whenever `dossier` could be; `dossier` only when the whole model was asked for.
    """

    dossier: Dossier | None
    findings: list[Finding]
    raw: bytes = field(repr=False)
    sha256: str
    version: str | None = None  # metadata/standaardversie, e.g. "2019.1"
    namespace_year: int | None = None
    source_name: str | None = None
    kop: DossierKop | None = None

    @property
    def ok(self) -> bool:
        """True when nothing blocks registration (warnings are allowed)."""
        return not any(f.blocks for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        """What stops registration: faults of the dossier first, then the other blocks."""
        return [f for f in self.findings if f.is_error] + [f for f in self.findings if f.severity == BLOKKADE]

    @property
    def faults(self) -> list[Finding]:
        """Only the faults of the dossier against its own version's schema and rules."""
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocks]


def read_bytes_capped(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or a ReadError (missing, unreadable, a folder, a device or pipe, over the cap)."""
    return read_regular(path, max_bytes, lambda: _too_large(str(path), max_bytes))


def _too_large(name: str, max_bytes: int) -> str:
    return (
        f"{name} is groter dan de grens van {max_bytes / (1024 * 1024):.0f} MB voor een dossier "
        "en wordt niet gelezen (instelling max_dossier_mb)."
    )


def doctype_line(raw: bytes) -> int | None:
    """The line of a DOCTYPE declaration, in any encoding an XML file can start with; None if absent."""
    for mark, encoding in (*_WIDE_BOMS, *_WIDE_PREFIXES):
        if raw.startswith(mark):
            text = raw.decode(encoding, errors="replace")
            found = _DOCTYPE_TEXT.search(text)
            return text.count("\n", 0, found.start()) + 1 if found else None
    if b"!" not in raw:  # a quick scan first (one byte: memchr, where "<!" stops at every tag)
        return None
    match = _DOCTYPE.search(raw)
    return raw.count(b"\n", 0, match.start()) + 1 if match else None


def _declared_encoding(raw: bytes) -> str:
    match = _ENCODING.search(raw[:200])
    return match[1].decode("ascii").upper() if match else "UTF-8"


_THREAD = threading.local()


def _parser() -> etree.XMLParser:
    """One hardened parser per thread: lxml parsers may not be shared between threads."""
    parser: etree.XMLParser | None = getattr(_THREAD, "parser", None)
    if parser is None:
        parser = _THREAD.parser = _new_parser()
    return parser


def _new_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=False,
    )


def parse_root(raw: bytes) -> etree._Element | None:
    """The root of bytes that `read_dossier` read without refusing them as XML; None otherwise."""
    if doctype_line(raw) is not None:
        return None
    try:
        return etree.fromstring(raw, _new_parser())
    except (etree.LxmlError, ValueError, MemoryError, RecursionError):
        return None


_TRUNCATED = "Het bestand houdt halverwege op: het XML-document is afgebroken of onvolledig."


def _syntax_message(exc: etree.XMLSyntaxError, encoding: str) -> str:
    """A Dutch description of a syntax error that never quotes the file."""
    raw = str(exc.msg or "")
    lowered = raw.lower()
    if "document is empty" in lowered or "start tag expected" in lowered:
        return "Het bestand is geen XML-document."
    if "encoding" in lowered or "utf-8" in lowered or "char 0x" in lowered or "invalid char" in lowered:
        return (
            f"Het bestand bevat tekens die niet passen bij de codering {encoding}; sla het op als {encoding}."
        )
    if "premature end" in lowered or "eof" in lowered or "not properly terminated" in lowered:
        return _TRUNCATED
    if "entity" in lowered:
        return "Het bestand gebruikt een entiteit (&...;) die niet is toegestaan."
    if "mismatch" in lowered:
        return "Het XML-document is beschadigd: een begin- en eindtag horen niet bij elkaar."
    if "extra content" in lowered:
        return "Na het einde van het dossier staat nog inhoud; het bestand is beschadigd."
    return "Het bestand is geen goed gevormde XML."


def _refused(
    raw: bytes, digest: str, source_name: str | None, message: str, line: int | None = None, code: str = "XML"
) -> ReadResult:
    return ReadResult(
        dossier=None,
        findings=[Finding(severity=FOUT, code=code, message=message, line=line)],
        raw=raw,
        sha256=digest,
        source_name=source_name,
    )


def read_dossier(
    source: Path | str | bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    source_name: str | None = None,
    model: bool = True,
    verantwoording: bool = True,
) -> ReadResult:
    """Read and check one dossier (a path, as Path or str, or its bytes).

    With `model=False` the result has the findings and the `kop` but no `Dossier`: the same checks,
    for callers that only judge and match a dossier (fetching, `oso-tui check`), at half the cost.

    Raises ReadError only when there is nothing to read: a file that is missing, unreadable or larger
    than `max_bytes`. Everything about the content (broken XML, refused DOCTYPE, wrong root, rule
    violations) is reported as findings in the result, never as an exception.
    """
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        raw = read_bytes_capped(path, max_bytes)
        source_name = source_name or str(path)
    else:
        raw = bytes(source)
        if len(raw) > max_bytes:
            raise ReadError(_too_large(source_name or "Het dossier", max_bytes))
    digest = hashlib.sha256(raw).hexdigest()

    if not raw or raw.isspace():  # the same test as `not raw.strip()`, without copying the file
        return _refused(raw, digest, source_name, "Het bestand is leeg.")
    line = doctype_line(raw)
    if line is not None:
        return _refused(
            raw,
            digest,
            source_name,
            "Het bestand bevat een DOCTYPE-declaratie; die wordt om veiligheidsredenen geweigerd "
            "(een OSO-dossier heeft er geen).",
            line=line,
            code="DOCTYPE",
        )
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        message = _syntax_message(exc, _declared_encoding(raw))
        if line is not None and line >= raw.rstrip().count(b"\n") + 1 and "codering" not in message:
            message = _TRUNCATED  # the parser gave up on the very last line: the file stops there
        return _refused(raw, digest, source_name, message, line=line)
    except (etree.LxmlError, ValueError, MemoryError, RecursionError):
        return _refused(raw, digest, source_name, "Het bestand is geen goed gevormde XML.")
    if root is None:
        return _refused(raw, digest, source_name, "Het bestand is geen XML-document.")
    docinfo = root.getroottree().docinfo
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        return _refused(
            raw,
            digest,
            source_name,
            "Het bestand bevat een DOCTYPE-declaratie; die wordt geweigerd.",
            code="DOCTYPE",
        )
    return _read_root(root, raw, digest, source_name, model, verantwoording)


def _read_root(
    root: etree._Element,
    raw: bytes,
    digest: str,
    source_name: str | None,
    model: bool,
    verantwoording: bool = True,
) -> ReadResult:
    name = local(root)[:40]
    ns = namespace(root)[:100]
    match = NAMESPACE.fullmatch(ns)
    line = line_of(root)
    if name == "dossiers" and match:
        return _refused(
            raw,
            digest,
            source_name,
            "Dit bestand bevat een verzameling dossiers (<dossiers>); lees de dossiers één voor één.",
            line=line,
            code="ROOT",
        )
    if name != "dossier":
        return _refused(
            raw,
            digest,
            source_name,
            f"Dit is geen OSO-dossier: het hoofdelement heet <{name}> in plaats van <dossier>.",
            line=line,
            code="ROOT",
        )
    if not match:
        where = f"in namespace '{ns}'" if ns else "zonder namespace"
        return _refused(
            raw,
            digest,
            source_name,
            f"Dit is geen OSO-dossier: <dossier> staat {where}; verwacht is "
            "http://www.edustandaard.nl/oso_gegevensset/JJJJ/dossier.",
            line=line,
            code="NAMESPACE",
        )
    year = int(match[1])
    if year < FIRST_YEAR:
        return _refused(
            raw,
            digest,
            source_name,
            f"Dit dossier heeft de OSO-versie van {year}; alleen versies vanaf {FIRST_YEAR} worden gelezen.",
            line=line,
            code="VERSIE",
        )
    with indexed(SEARCHED):  # one index of the tree for everything below: see xmlutil
        return _checked(root, raw, digest, source_name, year, line, model, verantwoording)


def _checked(
    root: etree._Element,
    raw: bytes,
    digest: str,
    source_name: str | None,
    year: int,
    line: int | None,
    model: bool,
    verantwoording: bool = True,
) -> ReadResult:
    """The findings and the model of a dossier whose root and namespace are right."""
    version = text(child(root, "metadata"), "standaardversie")
    versie, known = versie_voor(year)
    findings: list[Finding] = []
    findings.extend(_version_findings(root, year, version, known))
    findings.extend(codering_findings(raw))
    structure = check_structure(root, version=versie.naam, strict=known)
    dossier: Dossier | None = None
    try:
        kop: DossierKop | None = read_kop(root)
    except MissingDatumError:
        kop = None
        if not any(f.path == "metadata/datum" for f in structure):
            findings.append(
                Finding(
                    severity=FOUT,
                    code="XSD",
                    path="metadata/datum",
                    line=line,
                    message="De datum van het dossier (metadata/datum) ontbreekt of is geen geldige datum.",
                )
            )
    if kop is not None and model:
        dossier = build_dossier(root, year, verantwoording=verantwoording)
    rule_findings = check_rules(root, kop, versie) if kop is not None else []
    findings.extend(_merge(structure, rule_findings, strict=known, version=version, versie=versie))
    findings = _dedupe(findings)
    findings.sort(key=lambda f: (f.line or 0, 0 if f.is_error else 1))
    return ReadResult(
        dossier=dossier,
        findings=findings,
        raw=raw,
        sha256=digest,
        version=version,
        namespace_year=year,
        source_name=source_name,
        kop=kop,
    )


def _version_findings(root: etree._Element, year: int, version: str | None, known: bool) -> list[Finding]:
    meta = child(root, "metadata")
    el = child(meta, "standaardversie")
    line = line_of(el if el is not None else root)
    found: list[Finding] = []
    if not known or (version is not None and version not in KNOWN_VERSIONS):
        shown = version or str(year)
        found.append(
            Finding(
                severity=WAARSCHUWING,
                code="VERSIE",
                path="metadata/standaardversie",
                line=line,
                message=(
                    f"Onbekende OSO-versie {shown}: het dossier is gelezen volgens versie {NIEUWSTE.naam}; "
                    "controleer de gegevens extra goed."
                ),
            )
        )
    if version is not None and not version.startswith(f"{year}."):
        found.append(
            Finding(
                severity=WAARSCHUWING,
                code="OG.02",
                path="metadata/standaardversie",
                line=line,
                message=f"De standaardversie {version} past niet bij de namespace van {year}.",
            )
        )
    return found


def _merge(
    structure: list[Finding], rules: list[Finding], *, strict: bool, version: str | None, versie: Versie
) -> list[Finding]:
    """Structure and rule findings together: where a rule's fault says more about the same spot, it wins.

    For an unknown (newer) version the differences with the newest known structure are expected (new
    fields), so they become one warning with the first example instead of one per element; the rules
    still guard everything registration uses.
    """
    ruled = {f.path for f in rules if f.is_error}
    kept = [f for f in structure if f.path not in ruled]
    if not strict and kept:
        first = kept[0]
        places = "1 plaats" if len(kept) == 1 else f"{len(kept)} plaatsen"
        kept = [
            Finding(
                severity=WAARSCHUWING,
                code="XSD",
                message=(
                    f"Dit dossier (versie {version or 'onbekend'}) wijkt op {places} af van de opbouw van "
                    f"versie {versie.naam}, bijvoorbeeld: {first.message} Wat oso-tui niet kent, wordt niet "
                    "overgenomen."
                ),
                path=first.path,
                line=first.line,
            )
        ]
    return kept + rules


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str, int | None]] = set()
    unique: list[Finding] = []
    for f in findings:
        key = (f.severity, f.message, f.path, f.line)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique

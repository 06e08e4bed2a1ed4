"""The printable class overview for the warm hand-over: per class, each pupil on paper.

What the mentor and the care coordinator take into the hand-over meeting: per class, each registered
pupil with the advice (and the adjusted advice), the final test and its referentieniveaus, points of
attention, which steps are registered, and, for the zorg role only, a support summary and the list of
attachments. Care data is read through `services.show`, so every pupil whose care data is shown gets
its audit entry, exactly as on screen; the overview itself is audited like an export.

The data comes from the public service functions only (`list_requests`, `show`);
the HTML is written here, every value from outside escaped. `html_naar_pdf` prints it to A4 with a
headless Chromium when one is installed.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from oso_tui.display import visible
from oso_tui.dossier import codes
from oso_tui.errors import ReadError, UsageError
from oso_tui.services import rollen
from oso_tui.services.context import Context
from oso_tui.services.listing import list_requests
from oso_tui.services.viewing import LeerlingWeergave, show

ZONDER_KLAS = "zonder klas"
STAPNAMEN = {"personalia": "Personalia", "loopbaan": "Loopbaan", "begeleiding": "Begeleiding"}
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PDF_TIMEOUT = 120


class Stapstand(BaseModel):
    model_config = ConfigDict(frozen=True)

    stap: str
    op: date | None = None
    door: str | None = None
    dossierdatum: date | None = None


class LeerlingBlad(BaseModel):
    """One pupil as the overview prints it: display text only."""

    model_config = ConfigDict(frozen=True)

    naam: str
    pgn: str
    geboortedatum: str = ""
    klas: str = ZONDER_KLAS
    opleiding: str = ""
    vorige_school: str = ""
    advies: str = ""
    herzien_advies: str = ""
    motivatie_herzien: str = ""
    eindtoets: str = ""
    referentieniveaus: list[tuple[str, str]] = Field(default_factory=list)
    aandachtspunten: str = ""
    stappen: list[Stapstand] = Field(default_factory=list)
    zorg_zichtbaar: bool = False
    ondersteuning: list[tuple[str, str]] = Field(default_factory=list)
    bijlagen: list[str] = Field(default_factory=list)


class Klas(BaseModel):
    model_config = ConfigDict(frozen=True)

    naam: str
    leerlingen: list[LeerlingBlad]


class Overzicht(BaseModel):
    model_config = ConfigDict(frozen=True)

    school: str
    datum: date
    gebruiker: str
    met_zorg: bool
    klassen: list[Klas]

    @property
    def aantal(self) -> int:
        return sum(len(k.leerlingen) for k in self.klassen)


def _masker(pgn: str) -> str:
    return "•" * max(len(pgn) - 3, 0) + pgn[-3:]


def _datum(value: str) -> str:
    try:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    except ValueError:
        return value


def _blad(weergave: LeerlingWeergave) -> LeerlingBlad:
    velden = {v.pad: v for stap in weergave.stappen for v in stap.velden}

    def tekst(pad: str) -> str:
        veld = velden.get(pad)
        return veld.tekst if veld is not None else ""

    def advies(pad: str) -> str:
        veld = velden.get(pad)
        return codes.advies_label(str(veld.waarde)) if veld is not None and veld.waarde else ""

    toets = ", ".join(
        part
        for part in (
            tekst("loopbaan.eindtoets.toetssoort"),
            f"score {tekst('loopbaan.eindtoets.standaardscore')}"
            if "loopbaan.eindtoets.standaardscore" in velden
            else "",
            f"toetsadvies {tekst('loopbaan.eindtoets.advies')}"
            if "loopbaan.eindtoets.advies" in velden
            else "",
            _datum(tekst("loopbaan.eindtoets.datum")) if "loopbaan.eindtoets.datum" in velden else "",
        )
        if part
    )
    niveaus = []
    for pad, veld in velden.items():
        if pad.startswith("loopbaan.eindtoets.onderdelen[") and isinstance(veld.waarde, dict):
            niveau = str(veld.waarde.get("referentieniveau") or "")
            naam = str(veld.waarde.get("onderdeel") or pad)
            niveaus.append((naam, codes.REFERENTIENIVEAU.codes.get(niveau) or niveau or "-"))
    begeleiding = next(s for s in weergave.stappen if s.stap == "begeleiding")
    ondersteuning = [
        (v.label, v.tekst) for v in begeleiding.velden if not v.pad.startswith("begeleiding.bijlagen[")
    ]
    bijlagen = [_bijlage(v.waarde) for v in begeleiding.velden if v.pad.startswith("begeleiding.bijlagen[")]
    school = " ".join(
        p for p in (tekst("personalia.vorige_school.naam"), tekst("personalia.vorige_school.brin")) if p
    )
    return LeerlingBlad(
        naam=weergave.naam,
        pgn=_masker(weergave.pgn),
        geboortedatum=_datum(tekst("personalia.geboortedatum")),
        klas=tekst("plaatsing.klas").strip() or ZONDER_KLAS,
        opleiding=tekst("plaatsing.opleiding"),
        vorige_school=school,
        advies=advies("loopbaan.advies.advies"),
        herzien_advies=advies("loopbaan.advies.herzienadvies"),
        motivatie_herzien=tekst("loopbaan.advies.motivatie_herzienadvies"),
        eindtoets=toets,
        referentieniveaus=niveaus,
        aandachtspunten=tekst("loopbaan.advies.aandachtspunten"),
        stappen=[
            Stapstand(
                stap=s.stap,
                op=s.info.laatst.date() if s.info else None,
                door=s.info.door if s.info else None,
                dossierdatum=s.info.dossierdatum if s.info else None,
            )
            for s in weergave.stappen
        ],
        zorg_zichtbaar=not begeleiding.verborgen,
        ondersteuning=ondersteuning,
        bijlagen=bijlagen,
    )


def _bijlage(waarde: object) -> str:
    if isinstance(waarde, dict):
        naam = str(waarde.get("bestandsnaam") or "")
        omschrijving = str(waarde.get("omschrijving") or "")
        return f"{naam} ({omschrijving})" if omschrijving else naam
    return str(waarde)


def maak_overzicht(ctx: Context, *, klas: str | None = None, bestand: str | None = None) -> Overzicht:
    """The overview of every registered pupil, or of one class; care data only for the zorg role.

    Refuses an unknown class with the classes there are. Writes one audit entry for the overview (and
    `show` writes one per pupil whose care data it shows).
    """
    settings, user = ctx.settings, ctx.user
    met_zorg = rollen.mag(settings, user, "zorg-inzien")
    pgns = sorted({r.pgn for r in list_requests(ctx) if r.leerling_id is not None})
    bladen = [_blad(show(ctx, pgn=pgn, met_begeleiding=met_zorg)) for pgn in pgns]
    per_klas: dict[str, list[LeerlingBlad]] = {}
    for blad in bladen:
        per_klas.setdefault(blad.klas, []).append(blad)
    if klas is not None:
        gekozen = {k: v for k, v in per_klas.items() if k.casefold() == klas.strip().casefold()}
        if not gekozen:
            bekend = ", ".join(sorted(per_klas)) or "geen"
            raise UsageError(f"Er is geen klas '{klas}' met geregistreerde leerlingen; klassen: {bekend}.")
        per_klas = gekozen
    klassen = [
        Klas(naam=naam, leerlingen=sorted(per_klas[naam], key=lambda b: (b.naam.casefold(), b.pgn)))
        for naam in sorted(per_klas, key=lambda k: (k == ZONDER_KLAS, k.casefold()))
    ]
    overzicht = Overzicht(
        school=settings.school_naam or "",
        datum=ctx.today(),
        gebruiker=user,
        met_zorg=met_zorg,
        klassen=klassen,
    )
    detail = f"{overzicht.aantal} leerling(en), {len(klassen)} klas(sen)" + (", met zorg" if met_zorg else "")
    with ctx.store.transaction() as tx:
        ctx.audit(tx, actie="overzicht", detail=detail + (f", naar {bestand}" if bestand else ""))
    return overzicht


# -- HTML -----------------------------------------------------------------------------------------


def esc(value: object) -> str:
    """Text from outside as HTML text: control and bidi characters spelled out as everywhere else
    (`oso_tui.display.visible`), then escaped, so a value is never markup."""
    return html.escape(visible(str(value)), quote=True)


CSS = """
@page { size: A4; margin: 18mm 15mm 16mm 15mm;
  @bottom-right { content: "pagina " counter(page) " van " counter(pages); font: 8pt sans-serif;
    color: #555; } }
* { box-sizing: border-box; }
body { font: 10pt/1.35 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0; }
header.kop { display: flex; justify-content: space-between; border-bottom: 2px solid #234;
  padding-bottom: 2mm; margin-bottom: 4mm; }
header.kop h1 { font-size: 15pt; margin: 0; }
header.kop .meta { text-align: right; font-size: 9pt; color: #333; }
section.klas { break-before: page; }
section.klas:first-of-type { break-before: auto; }
article.leerling { break-inside: avoid; border: 1px solid #bbb; border-radius: 2mm; padding: 3mm 4mm;
  margin-bottom: 4mm; }
article.leerling h2 { font-size: 12pt; margin: 0 0 1mm; }
.sub { color: #444; font-size: 9pt; margin-bottom: 2mm; }
dl { display: grid; grid-template-columns: 42mm 1fr; gap: 0.6mm 3mm; margin: 0; }
dt { font-weight: bold; color: #234; }
dd { margin: 0; }
.stappen span { display: inline-block; margin-right: 4mm; }
.ja { color: #175e1e; } .nee { color: #8a1c1c; }
.zorg { margin-top: 2mm; padding-top: 2mm; border-top: 1px dashed #999; }
.verborgen { color: #666; font-style: italic; }
.leeg { color: #666; font-style: italic; }
@media screen { body { max-width: 210mm; margin: 10mm auto; } }
"""


def _rij(label: str, waarde: str) -> str:
    return f"<dt>{esc(label)}</dt><dd>{waarde}</dd>" if waarde else ""


def _stappen(blad: LeerlingBlad) -> str:
    delen = []
    for s in blad.stappen:
        if s.op is not None:
            versie = f", dossier {s.dossierdatum.strftime('%d-%m-%Y')}" if s.dossierdatum else ""
            delen.append(
                f'<span class="ja">✔ {esc(STAPNAMEN[s.stap])} '
                f"({s.op.strftime('%d-%m-%Y')}, {esc(s.door or '')}{versie})</span>"
            )
        else:
            delen.append(f'<span class="nee">✘ {esc(STAPNAMEN[s.stap])}</span>')
    return f'<div class="stappen">{"".join(delen)}</div>'


def _zorg(blad: LeerlingBlad, met_zorg: bool) -> str:
    if not met_zorg:
        return '<div class="zorg verborgen">Begeleiding en bijlagen: alleen voor de rol zorg.</div>'
    if not blad.ondersteuning and not blad.bijlagen:
        return '<div class="zorg leeg">Geen begeleidingsgegevens geregistreerd.</div>'
    rijen = "".join(_rij(label, esc(tekst)) for label, tekst in blad.ondersteuning)
    bijlagen = ", ".join(esc(b) for b in blad.bijlagen) or "geen"
    return f'<div class="zorg"><dl>{rijen}{_rij("Bijlagen", bijlagen)}</dl></div>'


def _leerling(blad: LeerlingBlad, met_zorg: bool) -> str:
    advies = esc(blad.advies)
    if blad.herzien_advies:
        herzien = esc(blad.herzien_advies)
        motivatie = f" <em>({esc(blad.motivatie_herzien)})</em>" if blad.motivatie_herzien else ""
        advies += f" → herzien: <strong>{herzien}</strong>{motivatie}"
    niveaus = " · ".join(f"{esc(o)}: {esc(n)}" for o, n in blad.referentieniveaus)
    sub = " · ".join(
        esc(p)
        for p in (
            f"geboren {blad.geboortedatum}" if blad.geboortedatum else "",
            blad.pgn,
            blad.opleiding,
            f"van {blad.vorige_school}" if blad.vorige_school else "",
        )
        if p
    )
    rijen = "".join(
        (
            _rij("Advies", advies or '<span class="leeg">niet geregistreerd</span>'),
            _rij("Eindtoets", esc(blad.eindtoets)),
            _rij("Referentieniveaus", niveaus),
            _rij("Aandachtspunten", esc(blad.aandachtspunten)),
            _rij("Stappen", _stappen(blad)),
        )
    )
    return (
        f'<article class="leerling"><h2>{esc(blad.naam)}</h2><div class="sub">{sub}</div>'
        f"<dl>{rijen}</dl>{_zorg(blad, met_zorg)}</article>"
    )


def naar_html(overzicht: Overzicht) -> str:
    """The overview as one self-contained HTML page (no external files), with print CSS for A4."""
    school = esc(overzicht.school) if overzicht.school else "Klassenoverzicht"
    datum = overzicht.datum.strftime("%d-%m-%Y")
    secties = []
    for klas in overzicht.klassen:
        n = len(klas.leerlingen)
        kop = (
            f'<header class="kop"><div><h1>{school}</h1><div>Klas {esc(klas.naam)} · {n} '
            f"{'leerling' if n == 1 else 'leerlingen'}</div></div>"
            f'<div class="meta">Overdracht nieuwe leerlingen<br>{datum}<br>'
            f"{'met' if overzicht.met_zorg else 'zonder'} zorggegevens · {esc(overzicht.gebruiker)}"
            "</div></header>"
        )
        bladen = "".join(_leerling(b, overzicht.met_zorg) for b in klas.leerlingen)
        secties.append(f'<section class="klas">{kop}{bladen}</section>')
    leeg = '<p class="leeg">Er zijn nog geen geregistreerde leerlingen.</p>' if not secties else ""
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        f"<title>{school} · overzicht {datum}</title>"
        '<meta name="referrer" content="no-referrer">'
        f"<style>{CSS}</style></head><body>{''.join(secties)}{leeg}</body></html>\n"
    )


# -- files and PDF --------------------------------------------------------------------------------


def schrijf_prive(out: Path, data: bytes) -> None:
    """Write `out` readable by the owner only (it holds pupil data), atomically; never half a file."""
    folder = out.parent
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", dir=folder)
    except OSError as exc:
        raise ReadError(f"In {folder} kan niet geschreven worden ({exc.strerror}).") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(name).chmod(0o600)
        Path(name).replace(out)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def chromium() -> str | None:
    """A headless-capable Chromium on this machine (`OSO_TUI_CHROMIUM` names one), or None."""
    explicit = os.environ.get("OSO_TUI_CHROMIUM")
    if explicit:
        return explicit
    return next((p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)


def vereis_chromium() -> str:
    """The Chromium to print with, or a Dutch usage error that says what to do instead."""
    browser = chromium()
    if browser is None:
        raise UsageError(
            "Voor een PDF is Chromium nodig (bijvoorbeeld apt-get install chromium); "
            "kies anders een .html-bestand en druk dat af vanuit de browser."
        )
    return browser


def html_naar_pdf(pagina: str, out: Path) -> None:
    """Print the page to an A4 PDF with headless Chromium; a Dutch error when there is none."""
    browser = vereis_chromium()
    with tempfile.TemporaryDirectory(prefix="oso-tui-overzicht-") as folder:
        source = Path(folder) / "overzicht.html"
        source.write_text(pagina, encoding="utf-8")
        target = Path(folder) / "overzicht.pdf"
        command = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profiel'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")
        try:
            subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ReadError(f"Chromium kon de PDF niet maken ({exc}).") from None
        if not target.is_file() or target.stat().st_size == 0:
            raise ReadError("Chromium kon de PDF niet maken; het HTML-bestand kan wel.")
        schrijf_prive(out, target.read_bytes())

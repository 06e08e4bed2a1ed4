"""What the diff table and its detail pane show: the step's lines, then the values not taken over.

No widgets here, only text and plain functions over the plan: the diff screen decides where it goes.
Every value comes from a dossier or the store, so it reaches a `Text` through `visible` and is never
read as markup; a table cell is plain text that the table spells out. Emphasis and colour are
component classes, so CSS (a theme, `NO_COLOR`) decides them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from oso_tui.display import aantal
from oso_tui.screens.viewmodels import DiffRegel, DiffView, NietOvergenomen
from oso_tui.widgets.plain import visible

if TYPE_CHECKING:
    from oso_tui.widgets.tabel import Cell

NIET_OVERGENOMEN = "Niet overgenomen"
"""The section of the dossier's values that this step does not register (plain text, not choosable)."""

Rij = DiffRegel | NietOvergenomen
Toon = Callable[[str], Style]
"""The style of a component class of the screen: emphasis is decided in CSS, not here."""


def rijen(view: DiffView, *, gelijk_verbergen: bool = False) -> list[Rij]:
    """The table's rows: the step's lines (the equal ones left out when hidden), then what is not
    taken over."""
    regels: list[Rij] = [r for r in view.regels if not (gelijk_verbergen and r.oordeel == "gelijk")]
    return [*regels, *view.niet_overgenomen]


def sleutel(rij: Rij) -> str:
    """A row's identity across re-plans, to keep the cursor on the same row."""
    return rij.sleutel if isinstance(rij, DiffRegel) else f"niet:{rij.pad}"


_ALGEMEEN = frozenset({"code", "omschrijving", "naam", "datum", "waarde", "soort", "nummer", "type"})


def kort_pad(pad: str) -> str:
    """The element that names a value (`noodnummer`), with its parent when the name alone says little
    (`nationaliteit/code`); the detail pane shows the whole path."""
    delen = [d.split("[")[0] for d in pad.split("/") if d]
    if len(delen) > 1 and delen[-1].lstrip("@") in _ALGEMEEN:
        return "/".join(delen[-2:])
    return delen[-1] if delen else pad


def detail(rij: Rij, toon: Toon, *, hint: str = "") -> Text:
    """The whole of the row under the cursor, wrapped by the pane: columns cut long values short.

    `toon` gives the style of a component class of the screen (`nadruk`, `toelichting`); `hint` ends
    the first line (how to see the rest when the pane is too small for it)."""
    nadruk, toelichting = toon("nadruk"), toon("toelichting")
    text = Text()
    if isinstance(rij, NietOvergenomen):
        text.append("Niet overgenomen › ", style=nadruk)
        text.append(visible(rij.pad), style=nadruk)
        text.append(visible(hint), style=toelichting)
        text.append("\n")
        text.append(visible(f"waarde: {rij.waarde or '—'}"))
        text.append("\n")
        text.append(visible(f"reden:  {rij.reden or 'geen reden opgegeven'}"), style=toelichting)
        return text
    text.append(visible(f"{rij.sectie} › {rij.veld}"), style=nadruk)
    oordeel = rij.lijst or rij.oordeel
    text.append(visible(f"  ({oordeel}" + (f", eigen keuze: {rij.keuze})" if rij.keuze else ")")))
    text.append(visible(hint), style=toelichting)
    text.append("\n")
    text.append(visible(f"geregistreerd: {rij.geregistreerd or '—'}"))
    text.append("\n")
    text.append(visible(f"dossier:       {rij.dossier or '—'}"))
    return text


def telling(view: DiffView, verborgen: int, *, niet_overgenomen: bool = True) -> str:
    """The counts per verdict, then what is hidden and what is not taken over: "1 nieuw · 2 gelijk"."""
    counts: dict[str, int] = {}
    for regel in view.regels:
        counts[regel.oordeel] = counts.get(regel.oordeel, 0) + 1
    parts = [
        f"{counts[k]} {k}" + (" verborgen" if k == "gelijk" and verborgen else "")
        for k in ("nieuw", "gewijzigd", "alleen geregistreerd", "gelijk")
        if k in counts
    ]
    text = " · ".join(parts) or "geen velden"
    if view.niet_overgenomen and niet_overgenomen:
        text += f" · {len(view.niet_overgenomen)} niet overgenomen"
    return text


def eigen_keuzes(n: int) -> str:
    return aantal(n, "eigen keuze", "eigen keuzes")


def verborgen_gelijk(regels: Sequence[DiffRegel], gelijk_verbergen: bool) -> int:
    return sum(1 for r in regels if r.oordeel == "gelijk") if gelijk_verbergen else 0


def intussen_gewijzigd(oud: DiffView, nieuw: DiffView) -> list[str]:
    """The registered values that differ between two plans of one step, as "Klas: — → 1B"."""
    before = {r.sleutel: r for r in oud.regels}
    after = {r.sleutel: r for r in nieuw.regels}
    velden = {**{k: r.veld for k, r in before.items()}, **{k: r.veld for k, r in after.items()}}
    waarden = {
        k: (before[k].geregistreerd if k in before else "", after[k].geregistreerd if k in after else "")
        for k in velden
    }
    return [f"{velden[k]}: {old or '—'} → {new or '—'}" for k, (old, new) in waarden.items() if old != new]


def taken(view: DiffView, typed: Mapping[str, str], keuzes: Mapping[str, str]) -> dict[str, str]:
    """The choices, with each placement field the user typed taken over what is registered.

    Aanvullen keeps a registered value; but a placement value the user typed is the school's own
    word, not the dossier's: it is never dropped silently. The diff shows it as a choice (*), so the
    user can still flip it back.
    """
    result = dict(keuzes)
    for regel in view.regels:
        if (
            regel.sleutel.removeprefix("plaatsing.") in typed
            and regel.sleutel.startswith("plaatsing.")
            and regel.kiesbaar
            and not regel.wijzigt
            and regel.oordeel == "gewijzigd"
        ):
            result.setdefault(regel.sleutel, "overnemen")
    return result


VERDICT_CLASS = {
    "nieuw": "oordeel--nieuw",
    "gewijzigd": "oordeel--gewijzigd",
    "alleen geregistreerd": "oordeel--alleen-geregistreerd",
    "gelijk": "oordeel--gelijk",
}
PLAATSING_VELDEN = (
    ("schooljaar", "Schooljaar", "jjjj-jjjj"),
    ("leerjaar", "Leerjaar", "1 t/m 6"),
    ("opleiding", "Opleiding", "bijv. havo"),
    ("klas", "Klas", "bijv. 1B"),
    ("startdatum", "Start", "jjjj-mm-dd"),
)


def teken(regel: Rij) -> str:
    """The mark in the first column: taken over, removed, or a value the user may choose."""
    if isinstance(regel, NietOvergenomen):
        return " "
    if regel.wijzigt:
        return "✗" if regel.oordeel == "alleen geregistreerd" else "✓"
    return "·" if regel.kiesbaar else " "


def cellen(regel: Rij) -> list[Cell]:
    """The cells of one diff row, each with the component class of the table that colours it."""
    if isinstance(regel, NietOvergenomen):
        quiet = "niet-overgenomen"
        return [
            (" ", ""),
            ("Niet overg.", quiet),
            (kort_pad(regel.pad), quiet),
            ("—", quiet),
            (regel.waarde or "—", ""),
            ("niet overg.", quiet),
        ]
    tone = VERDICT_CLASS[regel.oordeel]
    oordeel: str = regel.lijst or (
        "alleen reg." if regel.oordeel == "alleen geregistreerd" else regel.oordeel
    )
    if regel.keuze:
        oordeel += "*"
    return [
        (teken(regel), ""),
        (regel.sectie, ""),
        (regel.veld, ""),
        (regel.geregistreerd or "—", "waarde--leeg" if regel.oordeel == "nieuw" else ""),
        (regel.dossier or "—", tone if regel.oordeel != "gelijk" else ""),
        (oordeel, tone),
    ]


def status_regel(view: DiffView, counts: str, toon: Toon) -> Text:
    """The status line: the mode, the counts and what applying would change; `toon` gives the
    style of a component class of the screen (`modus--gekozen`, `modus--ander`, `nadruk`)."""
    text = Text("Modus: ")
    for mode in ("aanvullen", "overschrijven"):
        text.append(
            visible(f" {mode} "), style=toon("modus--gekozen" if mode == view.mode else "modus--ander")
        )
    text.append(visible(f"  {counts}"))
    if view.al_geregistreerd:
        text.append(" → al geregistreerd, niets te doen", style=toon("nadruk"))
    else:
        text.append(visible(f" → {view.wijzigingen} wijzigen"), style=toon("nadruk"))
    if view.keuzes:
        text.append(visible(f" ({eigen_keuzes(len(view.keuzes))} *)"))
    return text

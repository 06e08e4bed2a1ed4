"""From what a service returns to what a screen shows: plain conversions, no store and no widgets.

The backend asks the services; these functions turn a step's plan, a pupil's registered fields and a
dossier's raw data into the view models' rows, so the backend keeps only the asking. Re-choosing on a
diff (`herkies`) is pure: the screens call it themselves, on the plan the view carries.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from oso_tui.datums import toon_datum
from oso_tui.screens.viewmodels import DiffRegel, DiffView, Veld

if TYPE_CHECKING:
    from oso_tui.dossier.models import Dossier
    from oso_tui.services import LeerlingWeergave, StapPlan

LIJST_VERDICT = {"nieuw": "toegevoegd", "gewijzigd": "gewijzigd", "alleen geregistreerd": "ontbreekt"}
PLAATSING_VELDEN = ("schooljaar", "leerjaar", "opleiding", "klas", "startdatum")

CARE_SECTIONS = ("onderwijsondersteuning", "verzuim", "bijlagen")
"""The dossier's care sections: seen, and audited, per pupil under Begeleiding, never as raw fields."""


def diff_view(aanvraag_id: str, plan: StapPlan, *, zorg: bool) -> DiffView:
    """The diff screen's view of a plan; values the step does not take over are masked without `zorg`."""
    from oso_tui.dossier.verantwoording import gemaskeerd
    from oso_tui.registration import steps

    plaatsing = None
    if plan.stap == "personalia":
        values = {**plan.voorstel.waarden, **plan.geregistreerd}
        plaatsing = {
            key: steps.weergave(values.get(f"plaatsing.{key}"), f"plaatsing.{key}")
            for key in PLAATSING_VELDEN
        }
    return DiffView(
        aanvraag_id=aanvraag_id,
        stap=plan.stap,
        naam=plan.dossier.naam,
        versie_id=plan.dossier.id,
        versie_datum=plan.dossier.datum,
        regels=diff_regels(plan),
        mode=plan.modus,
        keuzes=dict(plan.keuzes),
        waarschuwingen=list(plan.waarschuwingen),
        fouten=list(plan.fouten),
        plaatsing=plaatsing,
        al_geregistreerd=plan.al_geregistreerd,
        handle=plan,
        niet_overgenomen=gemaskeerd(plan.niet_overgenomen, zorg),
    )


def diff_regels(plan: StapPlan) -> list[DiffRegel]:
    """The plan's lines as the screen shows them: both sides as text, in section order."""
    from oso_tui.registration import steps
    from oso_tui.registration.labels import naast_elkaar

    regels = []
    for r in plan.regels:
        lijst = LIJST_VERDICT.get(r.oordeel, "") if r.is_rij else ""
        geregistreerd, dossier = naast_elkaar(r.geregistreerd, r.dossier, r.pad)
        regels.append(
            DiffRegel(
                sleutel=r.pad,
                sectie=steps.sectie(r.pad),
                veld=r.label,
                geregistreerd=geregistreerd,
                dossier=dossier,
                oordeel=r.oordeel,
                lijst=cast(Any, lijst),
                wijzigt=r.wijzigt,
                keuze=r.keuze,
                keuzes=tuple(r.mogelijke_keuzes),
            )
        )
    regels.sort(key=lambda d: steps.sectie_volgorde(d.sleutel))
    return regels


def herkies(view: DiffView, mode: str, keuzes: Mapping[str, str]) -> DiffView:
    """The same diff with another mode or per-field choices: the domain recomputes the plan, no store.

    Raises `UsageError` for an unknown mode or choice, as the command line does.
    """
    plan = view.handle.met(modus=cast(Any, mode), keuzes=cast(Any, dict(keuzes)))
    return replace(
        view,
        regels=diff_regels(plan),
        mode=plan.modus,
        keuzes=dict(plan.keuzes),
        al_geregistreerd=plan.al_geregistreerd,
        handle=plan,
    )


def velden_per_stap(weergave: LeerlingWeergave) -> dict[str, list[Veld]]:
    """A pupil's registered fields per step, each with where it came from and who registered it."""
    per_stap: dict[str, list[Veld]] = {}
    for stap in weergave.stappen:
        velden = []
        for v in stap.velden:
            h = v.herkomst
            herkomst = ""
            if h is not None:
                datum = toon_datum(h.dossierdatum) if h.dossierdatum else ""
                bron = f"dossier {datum}" if h.bron == "dossier" else h.bron
                herkomst = f"{bron}, {h.door}"
            velden.append(Veld(v.label, v.tekst, herkomst))
        per_stap[stap.stap] = velden
    return per_stap


def ruwe_velden(dossier: Dossier) -> list[Veld]:
    """The raw fields of a dossier version; care sections are left out and only named."""
    data = dossier.model_dump(mode="json", exclude=set(CARE_SECTIONS))
    fields = [Veld(path, value) for path, value in _flatten("", data)]
    hidden = [s for s in CARE_SECTIONS if getattr(dossier, s, None)]
    if hidden:
        fields.append(Veld("(zorggegevens)", f"{', '.join(hidden)}: zie Leerling → Begeleiding (rol zorg)"))
    return fields


def _flatten(prefix: str, value: object) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(f"{prefix}/{key}" if prefix else str(key), item)
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            yield from _flatten(f"{prefix}[{index}]", item)
    elif value not in (None, "", [], {}):
        yield prefix, str(value)

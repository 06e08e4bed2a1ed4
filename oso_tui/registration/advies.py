"""An adjusted advice in the diff: a raised one is marked, a lowered one is marked and a warning."""

from __future__ import annotations

from collections.abc import Mapping

from oso_tui.dossier import codes
from oso_tui.registration.diff import DiffRegel
from oso_tui.registration.labels import weergave
from oso_tui.registration.models import Inhoud


def _code(value: Inhoud) -> str | None:
    return value if isinstance(value, str) else None


def markeer_advies(
    regel: DiffRegel, geregistreerd: Mapping[str, Inhoud], nieuw: Mapping[str, Inhoud]
) -> DiffRegel:
    """Mark an adjusted advice: upwards (allowed) and downwards (a warning) show in the label."""
    if regel.pad == "loopbaan.advies.herzienadvies" and regel.dossier is not None:
        schooladvies = _code(nieuw.get("loopbaan.advies.advies")) or _code(
            geregistreerd.get("loopbaan.advies.advies")
        )
        lager = codes.lager_advies(_code(regel.dossier), schooladvies)
        return regel.model_copy(
            update={"label": f"{regel.label} {'▼ lager dan het schooladvies' if lager else '▲ bijgesteld'}"}
        )
    if regel.pad == "loopbaan.advies.advies" and regel.oordeel == "gewijzigd":
        lager = codes.lager_advies(_code(regel.dossier), _code(regel.geregistreerd))
        return regel.model_copy(
            update={"label": f"{regel.label} {'▼ lager dan geregistreerd' if lager else '▲ bijgesteld'}"}
        )
    return regel


def effectief_advies(gegevens: Mapping[str, Inhoud]) -> str | None:
    """The advice that counts: the adjusted one where there is one."""
    return _code(gegevens.get("loopbaan.advies.herzienadvies")) or _code(
        gegevens.get("loopbaan.advies.advies")
    )


def advieswaarschuwingen(geregistreerd: Mapping[str, Inhoud], waarden: Mapping[str, Inhoud]) -> list[str]:
    """A warning when this dossier's advice is lower than the registered one: advice may only go up."""
    oud, nieuw = effectief_advies(geregistreerd), effectief_advies(waarden)
    if not codes.lager_advies(nieuw, oud):
        return []
    return [
        f"Het advies in dit dossier ({weergave(nieuw, 'loopbaan.advies.advies')}) is lager dan het "
        f"geregistreerde advies ({weergave(oud, 'loopbaan.advies.advies')}); een advies mag alleen naar "
        "boven worden bijgesteld. Overleg met de toeleverende school."
    ]

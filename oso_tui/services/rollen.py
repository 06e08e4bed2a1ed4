"""Who may do what: roles from the `[rollen]` table of the config file, keyed by OS login.

Over SSH the login is the identity, so the config maps user names to roles:

- ``administratie``: requests, registering personalia and loopbaan;
- ``zorg``: everything administratie may, plus begeleiding and viewing care data;
- ``beheer``: doctor, the audit log and exports.

Without any roles configured there is one local user who may do everything; the program says so once
per user (`melding_zonder_rollen`, remembered in the user's state folder), so nobody mistakes an
unconfigured install for a locked-down one, and `oso-tui doctor` says it every time.
"""

from __future__ import annotations

from typing import Literal

from oso_tui.errors import RefusedError
from oso_tui.settings import ROLES, Settings, default_state_dir

Rol = Literal["administratie", "zorg", "beheer"]
Recht = Literal[
    "aanvragen", "personalia", "loopbaan", "begeleiding", "zorg-inzien", "export", "audit", "beheer"
]

RECHTEN: dict[Recht, frozenset[Rol]] = {
    "aanvragen": frozenset({"administratie", "zorg"}),
    "personalia": frozenset({"administratie", "zorg"}),
    "loopbaan": frozenset({"administratie", "zorg"}),
    "begeleiding": frozenset({"zorg"}),
    "zorg-inzien": frozenset({"zorg"}),
    "export": frozenset({"beheer"}),
    "audit": frozenset({"beheer"}),
    "beheer": frozenset({"beheer"}),
}

_OMSCHRIJVING: dict[Recht, tuple[str, str]] = {
    "aanvragen": ("aanvragen", "doen"),
    "personalia": ("personalia", "registreren"),
    "loopbaan": ("de schoolloopbaan", "registreren"),
    "begeleiding": ("begeleidingsgegevens", "registreren"),
    "zorg-inzien": ("zorggegevens", "inzien"),
    "export": ("gegevens", "exporteren"),
    "audit": ("het auditlog", "inzien"),
    "beheer": ("beheertaken", "uitvoeren"),
}

_ROLLEN: dict[str, Rol] = {"administratie": "administratie", "zorg": "zorg", "beheer": "beheer"}
_announced = False
SHOWN_MARKER = "melding-zonder-rollen"


def zonder_rollen(settings: Settings) -> bool:
    """No roles are configured: the local user has all of them."""
    return not settings.roles


def rollen(settings: Settings, user: str) -> frozenset[Rol]:
    """The roles of `user`; all of them when no roles are configured."""
    names = ROLES if zonder_rollen(settings) else settings.roles.get(user, ())
    return frozenset(_ROLLEN[name] for name in names if name in _ROLLEN)


def mag(settings: Settings, user: str, recht: Recht) -> bool:
    return bool(rollen(settings, user) & RECHTEN[recht])


def vereis(settings: Settings, user: str, recht: Recht) -> None:
    """Refuse with one Dutch sentence naming the user, the action and the role that would allow it."""
    if mag(settings, user, recht):
        return
    nodig = " of ".join(sorted(RECHTEN[recht]))
    wat, doen = _OMSCHRIJVING[recht]
    raise RefusedError(
        f"Gebruiker '{user}' mag {wat} niet {doen}; daarvoor is de rol {nodig} nodig "
        f"(zie [rollen] in {settings.config_path})."
    )


def tekst_zonder_rollen(settings: Settings) -> str:
    return (
        "Er zijn geen rollen ingesteld: de lokale gebruiker heeft alle rechten, ook op zorggegevens. "
        f"Leg rollen vast onder [rollen] in {settings.config_path}."
    )


def melding_zonder_rollen(settings: Settings) -> str | None:
    """The notice that everyone has all rights, the first time for this user; None after that or with
    roles set. A state folder that cannot be written means the notice comes again next time."""
    global _announced
    if not zonder_rollen(settings) or _announced:
        return None
    _announced = True
    marker = default_state_dir() / SHOWN_MARKER
    if marker.exists():
        return None
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{tekst_zonder_rollen(settings)}\n", encoding="utf-8")
    except OSError:
        pass
    return tekst_zonder_rollen(settings)

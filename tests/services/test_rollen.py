"""Roles from the config file; without one the local user may do everything and is told so once."""

from __future__ import annotations

from pathlib import Path

import pytest

from oso_tui.errors import RefusedError
from oso_tui.services import rollen
from oso_tui.settings import Settings


def settings_with(tmp_path: Path, roles: dict[str, tuple[str, ...]]) -> Settings:
    return Settings(db_path=tmp_path / "db.json", config_path=tmp_path / "config.toml", roles=roles)


def test_roles_from_config_decide_what_a_user_may_do(tmp_path: Path) -> None:
    s = settings_with(tmp_path, {"admin": ("administratie",), "ib": ("zorg",), "it": ("beheer",)})
    assert rollen.mag(s, "admin", "personalia") and rollen.mag(s, "admin", "loopbaan")
    assert not rollen.mag(s, "admin", "begeleiding") and not rollen.mag(s, "admin", "zorg-inzien")
    assert rollen.mag(s, "ib", "begeleiding") and rollen.mag(s, "ib", "personalia")
    assert rollen.mag(s, "it", "export") and rollen.mag(s, "it", "audit")
    assert not rollen.mag(s, "it", "personalia")
    assert rollen.rollen(s, "onbekend") == frozenset()
    with pytest.raises(RefusedError, match=r"'admin' mag begeleidingsgegevens niet registreren.*rol zorg"):
        rollen.vereis(s, "admin", "begeleiding")
    assert rollen.melding_zonder_rollen(s) is None


def test_without_roles_the_local_user_has_all_and_is_told_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rollen, "_announced", False)
    s = settings_with(tmp_path, {})
    assert rollen.rollen(s, "wie-dan-ook") == {"administratie", "zorg", "beheer"}
    rollen.vereis(s, "wie-dan-ook", "zorg-inzien")
    first = rollen.melding_zonder_rollen(s)
    assert first is not None and "alle rechten" in first
    assert rollen.melding_zonder_rollen(s) is None

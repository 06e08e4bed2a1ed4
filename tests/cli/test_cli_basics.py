"""The command line's frame: Dutch usage errors, version, no traceback."""

from __future__ import annotations

import pytest

from oso_tui import __version__
from oso_tui.cli import main
from oso_tui.settings import Settings


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_unknown_command_is_a_dutch_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["vlieg"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "ongeldige keuze" in err
    assert "Traceback" not in err


def test_bad_today_is_reported_in_dutch() -> None:
    with pytest.raises(Exception, match="OSO_TUI_TODAY"):
        Settings.load(env={"OSO_TUI_TODAY": "gisteren", "OSO_TUI_DB": "/tmp/x.json"})


def test_settings_from_config(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "config.toml"
    config.write_text(
        '[school]\nregio = "zuid"\n[rollen]\njansen = ["zorg"]\nbeheer = "beheer"\n',
        encoding="utf-8",
    )
    settings = Settings.load(db=str(tmp_path / "db.json"), config=str(config), env={})
    assert settings.region == "zuid"
    assert settings.roles == {"jansen": ("zorg",), "beheer": ("beheer",)}
    assert settings.config_found


def test_unknown_role_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "config.toml"
    config.write_text('[rollen]\njansen = ["koning"]\n', encoding="utf-8")
    with pytest.raises(Exception, match="Onbekende rol 'koning'"):
        Settings.load(db=str(tmp_path / "db.json"), config=str(config), env={})

"""A command runs with cyclic collection paused; the collector runs again when it returns, and the
commands that run until stopped (the app in a browser, the demo) keep it running throughout."""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oso_tui.cli import aanvragen as aanvragen_cli
from oso_tui.cli import main
from oso_tui.cli import serve as serve_cli
from oso_tui.cli.common import Context
from oso_tui.errors import RefusedError


def watching(seen: list[bool], result: int | Exception = 0) -> object:
    def handler(_args: argparse.Namespace, _ctx: Context) -> int:
        seen.append(gc.isenabled())
        if isinstance(result, Exception):
            raise result
        return result

    return handler


@pytest.fixture(autouse=True)
def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "oso.json"))
    assert gc.isenabled()


def test_a_command_runs_with_the_collector_paused_and_resumes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(aanvragen_cli, "_status", watching(seen))
    assert main(["status"]) == 0
    assert seen == [False]
    assert gc.isenabled()


def test_a_refused_command_resumes_the_collector(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(aanvragen_cli, "_status", watching(seen, RefusedError("Niet nu.")))
    assert main(["status"]) == 1
    assert seen == [False] and gc.isenabled()
    assert "oso-tui: Niet nu." in capsys.readouterr().err


def test_a_usage_error_resumes_the_collector(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["status", "--onbekend"])
    assert gc.isenabled()
    capsys.readouterr()


def test_serving_the_app_keeps_the_collector_running(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(serve_cli, "run_serve", watching(seen))
    assert main(["serve"]) == 0
    assert seen == [True]


def test_a_command_run_as_its_own_process_freezes_what_it_built(tmp_path: Path) -> None:
    """Its process ends right after: the collector does not walk it all once more before the exit."""
    code = (
        "import gc, sys\n"
        "from oso_tui.cli import main\n"
        "sys.argv = ['oso-tui', 'config', 'show']\n"
        "code = main()\n"
        "print(code, gc.isenabled(), gc.get_freeze_count() > 1000)\n"
    )
    (tmp_path / "c.toml").write_text("", encoding="utf-8")
    env = {**os.environ, "OSO_TUI_CONFIG": str(tmp_path / "c.toml"), "OSO_TUI_DB": str(tmp_path / "oso.json")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.stdout.strip().splitlines()[-1] == "0 True True", done.stderr


def test_a_command_called_in_process_freezes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aanvragen_cli, "_status", watching([]))
    before = gc.get_freeze_count()
    assert main(["status"]) == 0
    assert gc.get_freeze_count() == before

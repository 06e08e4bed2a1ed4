"""`oso-tui demo` and `--startuptime`: paint once, report on stderr, stop; `--db` keeps the demo store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OSO_TUI_CONFIG": str(tmp_path / "geen.toml"), "HOME": str(tmp_path)}
    env.pop("OSO_TUI_TODAY", None)
    (tmp_path / "geen.toml").write_text("", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "oso_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def test_startuptime_on_a_kept_demo_store(tmp_path: Path) -> None:
    db = tmp_path / "demo.json"
    result = run("--startuptime", "demo", "--db", str(db), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "tijd tot eerste scherm:" in result.stderr
    assert "15 aanvragen" in result.stderr
    assert db.exists() and "blijft bewaard" in result.stderr
    again = run("--startuptime", "--db", str(db), tmp_path=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "15 aanvragen" in again.stderr and "Traceback" not in again.stderr


def test_demo_without_db_leaves_nothing_behind(tmp_path: Path) -> None:
    result = run("--startuptime", "demo", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "tijd tot eerste scherm:" in result.stderr
    assert not (tmp_path / ".local").exists()

"""The UI talks to services only: no screen, widget or the app imports the store or TinyDB."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "oso_tui"
UI_FILES = [PACKAGE / "app.py", *(PACKAGE / "screens").glob("*.py"), *(PACKAGE / "widgets").glob("*.py")]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_ui_modules_never_import_the_store() -> None:
    offenders = {
        path.name: sorted(m for m in imported_modules(path) if m.startswith(("oso_tui.store", "tinydb")))
        for path in UI_FILES
    }
    assert not {name: mods for name, mods in offenders.items() if mods}


def test_importing_the_app_stays_light() -> None:
    """Start-up is a budget: the app module pulls in neither the store nor the XML parser."""
    code = (
        "import sys, oso_tui.app; "
        "print(sorted(m for m in ('tinydb', 'lxml', 'oso_tui.store') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"

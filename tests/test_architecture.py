"""The layers of the design hold: the domain never loads Textual, only the store touches TinyDB."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import oso_tui.cli

PACKAGE = Path(__file__).resolve().parents[1] / "oso_tui"
DOMAIN = [
    "oso_tui.dossier",
    "oso_tui.registration.steps",
    "oso_tui.registration.diff",
    "oso_tui.registration.apply",
    "oso_tui.registration.export",
    "oso_tui.exchange.folder",
    "oso_tui.exchange.demo",
    "oso_tui.exchange.expiry",
    "oso_tui.services",
    *(f"oso_tui.services.{path.stem}" for path in (PACKAGE / "services").glob("[a-z]*.py")),
    "oso_tui.records",
    "oso_tui.store",
]


def loaded_modules(*imports: str) -> set[str]:
    """The modules a fresh interpreter has loaded after these imports (a subprocess: no test leaks)."""
    code = (
        "import json, sys\n"
        + "".join(f"import {m}\n" for m in imports)
        + "print(json.dumps(list(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


@pytest.mark.parametrize("module", DOMAIN)
def test_the_domain_and_services_never_load_textual(module: str) -> None:
    assert not {m for m in loaded_modules(module) if m.split(".")[0] == "textual"}


def test_the_headless_command_line_does_not_load_textual() -> None:
    assert "textual" in loaded_modules("oso_tui.app"), "the check itself must see Textual where it is"
    modules = loaded_modules("oso_tui.cli")
    assert "textual" not in modules
    assert "oso_tui.app" not in modules


def test_only_the_store_imports_tinydb() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] == "tinydb" for name in names):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_screens_reach_data_only_through_the_services() -> None:
    offenders = []
    for folder in ("screens", "widgets"):
        for path in (PACKAGE / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.module
                    and node.module.startswith("oso_tui.store")
                ):
                    in_type_block = any(
                        isinstance(parent, ast.If)
                        and isinstance(parent.test, ast.Name)
                        and parent.test.id == "TYPE_CHECKING"
                        and node in ast.walk(parent)
                        for parent in ast.walk(tree)
                    )
                    if not in_type_block:
                        offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_the_start_up_path_leaves_the_dossier_reader_unloaded() -> None:
    """Opening the request list reads no dossier: lxml, the rules and the schema load on first use."""
    modules = loaded_modules(
        "oso_tui.cli", "oso_tui.app", "oso_tui.screens.aanvragen", "oso_tui.screens.backend"
    )
    assert "lxml" not in modules
    assert "oso_tui.dossier.parser" not in modules
    assert "oso_tui.dossier.parser" in loaded_modules("oso_tui.dossier.parser")


def test_a_plain_start_loads_no_other_command() -> None:
    """`oso-tui` without a command parses its options without importing the headless commands (and
    through them registration and the dossier models); `oso-tui --help` still lists them all."""
    code = (
        "import json, sys\n"
        "import oso_tui.cli, oso_tui.cli.tui\n"
        "oso_tui.cli.tui.run_default = lambda args, ctx: 0\n"
        "assert oso_tui.cli.main(['--db', 'x.json', '--startuptime']) == 0\n"
        "print(json.dumps(list(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    modules = set(json.loads(out))
    commands = [f"oso_tui.cli.{name}" for name in oso_tui.cli.COMMAND_MODULES if name != "tui"]
    assert len(commands) >= 6
    assert not modules.intersection(commands)
    assert "oso_tui.services.applying" not in modules
    assert "oso_tui.dossier.models" not in modules
    assert "oso_tui.dossier.models" in loaded_modules("oso_tui.services.planning"), "registering loads them"


def test_only_the_clock_asks_the_system_for_the_date_or_time() -> None:
    """Every use case takes "today" and "now" from `oso_tui.clock`, so OSO_TUI_TODAY and tests reach all."""
    calls = ("datetime.now(", "datetime.today(", "date.today(", "datetime.utcnow(", "time.time(")
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        name = path.relative_to(PACKAGE).as_posix()
        if name == "clock.py":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{name}: {call}" for call in calls if call in text]
    assert offenders == []
    assert "datetime.now(" in (PACKAGE / "clock.py").read_text(encoding="utf-8"), "the check must see it"


def test_only_the_records_know_tables_and_shards() -> None:
    """The services ask for "the pupil with this PGN", never for a table, a shard or a collection."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name in ("store", "records"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in (
                "oso_tui.store.tables",
                "oso_tui.store.audit",
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} imports {node.module}")
            if isinstance(node, ast.Attribute) and node.attr in (
                "collection",
                "table",
                "shard_of",
                "all_shards",
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} uses .{node.attr}")
    assert offenders == []
    records = "".join(p.read_text(encoding="utf-8") for p in (PACKAGE / "records").glob("*.py"))
    assert "shard_of(" in records and ".collection(" in records, "the check must see where they are"

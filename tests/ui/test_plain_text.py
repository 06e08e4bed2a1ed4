"""Text from outside never reaches a widget as markup: a scan of the UI code for the ways it could.

A plain `str` given to a Static, a Label, a DataTable cell or an option is parsed as markup, and a
`Text` built from an f-string sends any control character in a value to the terminal. The rule (see
`oso_tui.widgets.plain`): an f-string, a concatenation or `.format()` never goes straight into a
widget; a `Text` is built only from literals or from `plain()`/`visible()`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import oso_tui

UI = Path(oso_tui.__file__).parent
NOT_UI = {"backend.py", "omzetten.py", "viewmodels.py"}
"""No Textual in these: they build the data, not the screen."""
UI_FILES = sorted(
    path
    for path in [UI / "app.py", *(UI / "screens").glob("*.py"), *(UI / "widgets").glob("*.py")]
    if path.name not in NOT_UI
)
WIDGET_SINKS = {"Static", "Label", "Button", "Option", "update", "update_cell_at", "add_row", "add_column"}
TEXT_SINKS = {"Text", "append", "Content"}
SAFE_CALLS = {"plain", "visible"}
TITLES = {"title", "sub_title", "border_title", "border_subtitle"}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _built(node: ast.expr) -> bool:
    """A string put together from parts at run time: the parts may come from outside."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return True
    return isinstance(node, ast.Call) and _name(node.func) == "format"


def _literal_or_safe(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Call):
        return _name(node.func) in SAFE_CALLS
    if isinstance(node, ast.IfExp):
        return _literal_or_safe(node.body) and _literal_or_safe(node.orelse)
    if isinstance(node, ast.BoolOp):
        return all(_literal_or_safe(v) for v in node.values)
    return False


def _textual(node: ast.expr) -> bool:
    """Could be a string (a list, tuple or dict appended to a list is not)."""
    return not isinstance(node, (ast.List, ast.Tuple, ast.Dict, ast.ListComp, ast.Set))


def problems(source: str, filename: str) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            first = node.args[:1]
            if name in WIDGET_SINKS and any(_built(a) for a in node.args):
                found.append(f"{filename}:{node.lineno}: {name}() gets a built string; use plain()")
            if name in TEXT_SINKS and first and _textual(first[0]) and not _literal_or_safe(first[0]):
                found.append(f"{filename}:{node.lineno}: {name}() gets a value; use plain() or visible()")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                title = isinstance(target, ast.Attribute) and target.attr in TITLES
                if title and not _literal_or_safe(node.value):
                    found.append(f"{filename}:{node.lineno}: a title gets a value; use visible()")
    return found


def test_no_ui_code_hands_a_value_to_a_widget_as_markup() -> None:
    assert len(UI_FILES) > 10
    found = [p for path in UI_FILES for p in problems(path.read_text(encoding="utf-8"), path.name)]
    assert found == []


def test_the_scan_sees_each_way_markup_slips_in() -> None:
    """The scan itself can fail: each of these lines is one of the mistakes it is there to catch."""
    bad = [
        'Static(f"Aanvraag {naam}")',
        'widget.update("Naam: " + naam)',
        'table.add_row(f"{naam}")',
        "Text(naam)",
        'kop.append(f" · {naam}")',
        'self.app.sub_title = f"Aanvraag {naam}"',
        'Label("{}".format(naam))',
    ]
    for line in bad:
        assert problems(line, "x.py"), line
    good = [
        'Static(plain(f"Aanvraag {naam}"))',
        'Text("✓" if gekozen else " ")',
        'kop.append(visible(naam), style="bold")',
        'self.app.sub_title = visible(f"Aanvraag {naam}")',
        'Static("Laden…")',
    ]
    for line in good:
        assert not problems(line, "x.py"), line

"""The one way text reaches a widget: as text, never as markup, with control characters visible.

A plain `str` handed to a Static, a Label, a DataTable cell or a modal question is parsed as markup,
so a surname such as `Berg[/bold]` crashes the screen and `[@click=app.quit]` turns a click into an
action. Every value that comes from a dossier, a CSV, a file name, the configuration or the user
reaches a widget through `plain` (or, inside a `Text` being built, through `visible`). Markup stays
only in string literals the code itself writes.
"""

from __future__ import annotations

from rich.text import Text

from oso_tui.display import visible

__all__ = ["plain", "visible"]


def plain(value: str, style: str = "") -> Text:
    """`value` as a Text to show as it is: no markup, control characters spelled out (`\\x1b`)."""
    return Text(visible(value), style=style, end="")

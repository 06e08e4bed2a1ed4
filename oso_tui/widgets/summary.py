"""The summary bar above the request list: counts per status, pupils, active filter, selection."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from oso_tui.screens.viewmodels import STATUSES, Overzicht
from oso_tui.widgets.plain import visible


class SummaryBar(Static):
    """One or two lines of counts; the status filter in force is shown in reverse."""

    DEFAULT_CSS = """
    SummaryBar {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    """

    def show(
        self,
        overzicht: Overzicht,
        status_filter: str | None,
        selected: int,
        *,
        te_doen: int = 0,
        werklijst: bool = False,
    ) -> None:
        text = Text()
        parts: list[tuple[str, str | None]] = [(f"alle {overzicht.totaal}", None)]
        parts += [(f"{s} {overzicht.per_status.get(s, 0)}", s) for s in STATUSES]
        for index, (label, status) in enumerate(parts):
            if index:
                text.append(" · ", style="dim")
            text.append(visible(label), style="reverse bold" if status == status_filter else "")
        text.append(visible(f" │ leerlingen {overzicht.leerlingen}"), style="bold")
        text.append(" │ ", style="bold")
        text.append(visible(f"werklijst {te_doen}"), style="reverse bold" if werklijst else "bold")
        if selected:
            text.append(visible(f" │ {selected} geselecteerd"), style="bold")
        self.update(text)

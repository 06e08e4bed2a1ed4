"""The summary bar above the request list: counts per status, pupils, active filter, selection."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
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
    SummaryBar > .samenvatting--scheiding { text-style: dim; }
    SummaryBar > .samenvatting--nadruk { text-style: bold; }
    SummaryBar > .samenvatting--gekozen { text-style: reverse bold; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "samenvatting--scheiding",
        "samenvatting--nadruk",
        "samenvatting--gekozen",
    }

    def show(
        self,
        overzicht: Overzicht,
        status_filter: str | None,
        selected: int,
        *,
        te_doen: int = 0,
        werklijst: bool = False,
    ) -> None:
        def style(name: str) -> Style:
            return self.get_component_rich_style(f"samenvatting--{name}", partial=True)

        scheiding, nadruk, gekozen = style("scheiding"), style("nadruk"), style("gekozen")
        text = Text()
        parts: list[tuple[str, str | None]] = [(f"alle {overzicht.totaal}", None)]
        parts += [(f"{s} {overzicht.per_status.get(s, 0)}", s) for s in STATUSES]
        for index, (label, status) in enumerate(parts):
            if index:
                text.append(" · ", style=scheiding)
            text.append(visible(label), style=gekozen if status == status_filter else "")
        text.append(visible(f" │ leerlingen {overzicht.leerlingen}"), style=nadruk)
        text.append(" │ ", style=nadruk)
        text.append(visible(f"werklijst {te_doen}"), style=gekozen if werklijst else nadruk)
        if selected:
            text.append(visible(f" │ {selected} geselecteerd"), style=nadruk)
        self.update(text)

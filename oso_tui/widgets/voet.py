"""A footer that is rebuilt only when the keys it shows change.

Textual's `Footer` throws its keys away and mounts new ones on every change of the screen's bindings:
on mounting, on each focus change, on returning to the screen, on every `refresh_bindings`. Opening a
screen did that up to eight times, each time styling a dozen new widgets, most of it for the very same
keys. This footer remembers what it shows and skips a rebuild that would show the same, and builds its
keys with their compact class set, so none is styled twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from oso_tui.widgets.watchers import prune_watchers

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

Toetsen = tuple[tuple[object, ...], ...]


class Voet(Footer):
    """`Footer`, rebuilt only when its keys (or whether they can be used) change."""

    def __init__(self, *, compact: bool = False, show_command_palette: bool = True) -> None:
        super().__init__(compact=compact, show_command_palette=show_command_palette)
        self.shown: Toetsen | None = None
        """The keys as last composed; None before the first time."""
        self.rebuilds = 0
        """How often the keys were built: the work the footer costs, which tests count."""

    def toetsen(self) -> Toetsen:
        """What `Footer.compose` reads of the screen's bindings: the shown ones and the command palette's.
        A focus move between widgets whose keys are all hidden changes nothing here."""
        keys = tuple(
            (
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                binding.show,
                enabled,
                tooltip,
            )
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == self.app.COMMAND_PALETTE_BINDING
        )
        return (*keys, (self.show_command_palette,))

    def compose(self) -> ComposeResult:
        """Footer's keys, each with its compact class already set: a key that gets it only once
        mounted (from its `compact` watcher) is styled a second time."""
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        if not self.is_attached:
            return
        toetsen = self.toetsen()
        if toetsen == self.shown:
            return
        self.shown = toetsen
        self.rebuilds += 1
        await self.recompose()
        prune_watchers(self)  # the old keys' bindings to `compact`

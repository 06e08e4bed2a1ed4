"""Letting go of widgets that are gone: Textual keeps a watcher until the value it watches changes.

A `Header` watches the app's title, a footer key its footer's `compact`; Textual drops the watcher of a
closed widget only when that value changes again, which the app's title never does. So every screen
pushed left its header alive, and every rebuild of a footer its old keys, each with its caches of
rendered lines: megabytes per round of work through the screens, without end. Textual's styles cache
also keeps, in a class-wide cache of 1,024 entries, the line caches of the widgets it styled last.
"""

from __future__ import annotations

from typing import Any


def prune_watchers(*objects: object) -> int:
    """Drop the watchers of widgets that are closed or no longer attached; how many were dropped."""
    dropped = 0
    for obj in objects:
        watchers: dict[str, list[tuple[Any, Any]]] | None = getattr(obj, "__watchers", None)
        for found in (watchers or {}).values():
            alive = [(node, callback) for node, callback in found if _alive(node)]
            dropped += len(found) - len(alive)
            found[:] = alive
    return dropped


def _alive(node: Any) -> bool:
    if getattr(node, "_closing", False) or getattr(node, "_closed", False):
        return False
    attached = getattr(node, "is_attached", None)
    return attached is None or bool(attached)


def forget_closed_styles() -> None:
    """Empty Textual's class-wide cache of colours per styles cache: its keys hold the line caches of
    closed widgets (recomputing an entry costs microseconds)."""
    from textual._styles_cache import StylesCache

    cached = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if callable(cached):
        cached()

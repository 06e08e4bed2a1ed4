"""Snapshots of the diff at 80x24 and 120x40 with many lines, a long value and values not taken over."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.ui.conftest import SIZES, make_app
from tests.ui.test_diff_80x24 import LongStub
from tests.ui.test_snapshots import keys

OPEN = ("slash", *"sanne", "enter", "enter", "down", "enter")  # Schoolloopbaan: no placement form


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_diff_at_the_last_row_with_the_detail_pane_large(
    size: tuple[int, int], snap_compare: Callable[..., bool]
) -> None:
    """Guards: after moving to the last row and enlarging the detail pane (v), the cursor row is still
    on screen above the pane; the section "Niet overg." shows its values as plain text (a markup-like
    value stays literal); every key of the diff, "g" among them, fits in the footer."""
    steps = keys(*OPEN, "end", *["down"] * 40, "up", "up", "v")
    assert snap_compare(make_app(LongStub()), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_diff_with_the_equal_lines_hidden(size: tuple[int, int], snap_compare: Callable[..., bool]) -> None:
    """Guards: "g" hides the equal lines, the status line counts them as hidden, the footer now offers
    "Gelijk tonen", and the detail pane of a long value asks for "v" instead of cutting it silently."""
    steps = keys(*OPEN, "g", "end", *["down"] * 40, "up", "up")
    assert snap_compare(make_app(LongStub()), run_before=steps, terminal_size=size)

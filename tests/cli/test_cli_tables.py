"""Tables off a terminal are laid out without Rich, line for line as Rich lays them out.

`show` and `list` in scripts print through `plain_table_lines`; it must give exactly what Rich gives for
the same table (no colour, no width limit), and hand over what it cannot lay out itself.
"""

from __future__ import annotations

import random

import pytest

from oso_tui.cli.output import Cell, plain_table_lines, table_lines

PIECES = ["a", "Z", " ", "é", "日", "😀", "\u0301", "\x1b", "─", "ß", "ﬀ", "\u200b", "ا", "  ", "xxxxx", "\n"]
PIECES += ["\u00ad", "\ufe0f", "🇳🇱", "\r", "\x7f", "\u2028"]


def _text(rnd: random.Random) -> str:
    return "".join(rnd.choice(PIECES) for _ in range(rnd.randrange(0, 8)))


def _tables(count: int) -> list[tuple[tuple[str, ...], list[tuple[Cell, ...]]]]:
    rnd = random.Random(17)
    tables = []
    for _ in range(count):
        n = rnd.randrange(1, 5)
        headers = tuple(rnd.choice(["Veld", "PGN", "Naam", "", " x", "日本"]) for _ in range(n))
        rows: list[tuple[Cell, ...]] = [
            tuple((_text(rnd), "bold") if rnd.random() < 0.2 else _text(rnd) for _ in range(n))
            for _ in range(rnd.randrange(0, 5))
        ]
        tables.append((headers, rows))
    return tables


@pytest.mark.parametrize(("headers", "rows"), _tables(400))
def test_plain_tables_are_what_rich_lays_out(headers: tuple[str, ...], rows: list[tuple[Cell, ...]]) -> None:
    plain = plain_table_lines(headers, rows)
    by_rich = table_lines(headers, rows, width=100_000)
    assert plain is None or plain == by_rich
    assert table_lines(headers, rows) == by_rich


def test_a_plain_table_lays_out_most_tables_itself() -> None:
    tables = _tables(400)
    assert sum(plain_table_lines(h, r) is not None for h, r in tables) > 350


@pytest.mark.parametrize(
    ("headers", "rows"),
    [(("A",), [("x\ty",)]), (("",), [("",)]), (("A",), [("x", "y")])],
    ids=["tab", "no width", "row longer than headers"],
)
def test_what_only_rich_lays_out_is_handed_to_rich(
    headers: tuple[str, ...], rows: list[tuple[Cell, ...]]
) -> None:
    assert plain_table_lines(headers, rows) is None
    assert table_lines(headers, rows) == table_lines(headers, rows, width=100_000)


def test_a_table_with_a_wide_character() -> None:
    assert plain_table_lines(("Naam", "PGN"), [("日本", "1"), ("Ab", "12345")]) == [
        "Naam   PGN",
        "────────────",
        "日本   1",
        "Ab     12345",
    ]

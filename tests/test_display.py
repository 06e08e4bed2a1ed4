"""Control characters from outside are spelled out for display, and nothing else changes."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oso_tui.cli.output import colours, json_text, table_lines, terminal_csv
from oso_tui.display import visible, visible_json
from tests.hostile_corpus import raw_controls


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Berg\x1b[31m", "Berg\\x1b[31m"),
        ("a\r\nb", "a\\r\\nb"),
        ("\x00\x07\x08\x7f", "\\x00\\x07\\x08\\x7f"),
        ("\u009b2J\u0085", "\\x9b2J\\x85"),
        ("abc\u202edef", "abc<U+202E>def"),
        ("\u2066x\u2069", "<U+2066>x<U+2069>"),
        ("een\u2028twee", "een<U+2028>twee"),
    ],
)
def test_control_characters_are_spelled_out(raw: str, shown: str) -> None:
    assert visible(raw) == shown


@pytest.mark.parametrize("text", ["Zoë Çelik", "IJzerman", "Berg[/bold]", "tab\there", "‘t Hoen — 12", ""])
def test_ordinary_text_and_markup_look_stay_as_they_are(text: str) -> None:
    assert visible(text) == text


@given(st.text())
def test_whatever_comes_in_no_raw_control_character_goes_out(text: str) -> None:
    assert raw_controls(visible(text)) == []


@given(st.recursive(st.text() | st.none(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_stays_valid_exact_and_free_of_raw_control_characters(data: object) -> None:
    text = json_text(data)
    assert json.loads(text) == data
    assert raw_controls(text.replace("\n", "")) == []
    assert visible_json(json.dumps(data)) == json.dumps(data), "ASCII JSON has nothing to escape"


def test_a_table_has_one_line_per_row_and_colour_only_when_asked() -> None:
    rows = [("Berg[/bold]\r\noso-tui: 0 fouten", "\x1b[2J"), ("Noor", "klaar")]
    plain = table_lines(("Naam", "Status"), rows)
    assert len(plain) == 2 + len(rows), "a heading, a rule, one line per row"
    assert plain[0].split() == ["Naam", "Status"]
    assert "Berg[/bold]\\r\\noso-tui: 0 fouten" in plain[2] and "\\x1b[2J" in plain[2]
    assert not any("\x1b" in line for line in plain)
    coloured = table_lines(("Naam", "Status"), [(("Noor", "green"), "klaar")], colour=True)
    assert any("\x1b[" in line for line in coloured)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colours_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert colours(Tty()) and not colours(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colours(Tty())


def test_csv_to_a_terminal_is_one_line_per_record_and_exact_elsewhere() -> None:
    text = 'pgn;naam\r\n1;"Berg\r\nnep;regel"\r\n2;\x1b[2JNoor\r\n'
    assert terminal_csv(text, io.StringIO()) == text
    shown = terminal_csv(text, Tty())
    assert shown.splitlines() == ["pgn;naam", '1;"Berg\\r\\nnep;regel"', "2;\\x1b[2JNoor"]


def test_the_escape_loads_neither_textual_nor_rich() -> None:
    """The command line and the domain may use it at no cost."""
    from tests.test_architecture import loaded_modules

    modules = {m.split(".")[0] for m in loaded_modules("oso_tui.display")}
    assert not modules & {"textual", "rich"}
    assert "rich" in {m.split(".")[0] for m in loaded_modules("oso_tui.widgets.plain")}, "the check sees Rich"

"""Options are Dutch, and the English spellings a school may have scripted still work."""

from __future__ import annotations

import pytest

from oso_tui.cli import build_parser

PAIRS = [
    (
        ["register", "--pgn", "123456782", "--stap", "personalia", "--modus", "overschrijven", "--voorbeeld"],
        ["register", "--pgn", "123456782", "--step", "personalia", "--mode", "overschrijven", "--dry-run"],
    ),
    (
        ["undo", "--pgn", "123456782", "--stap", "loopbaan"],
        ["undo", "--pgn", "123456782", "--step", "loopbaan"],
    ),
    (["renew", "--alle"], ["renew", "--all"]),
    (
        ["export", "--formaat", "json", "--bestand", "uit.json"],
        ["export", "--format", "json", "--out", "uit.json"],
    ),
    (["doctor", "--herstel"], ["doctor", "--repair"]),
]


@pytest.mark.parametrize(("dutch", "english"), PAIRS)
def test_the_old_spelling_means_the_same(dutch: list[str], english: list[str]) -> None:
    parser = build_parser()
    parsed, old = vars(parser.parse_args(dutch)), vars(parser.parse_args(english))
    assert parsed == old
    assert any(
        value not in (None, False, "aanvullen", "csv") for key, value in parsed.items() if key != "pgn"
    )


def test_every_step_is_alle_or_all() -> None:
    from oso_tui.cli.registratie import _stappen

    assert _stappen("alle") == _stappen("all") == ["personalia", "loopbaan", "begeleiding"]


def test_help_names_the_dutch_spelling_first(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["register", "--help"])
    out = capsys.readouterr().out
    assert "--stap STAP, --step STAP" in out and "--voorbeeld, --dry-run" in out

"""The folder exchange moves files without overwriting, and copes with a folder or file that goes away."""

from __future__ import annotations

import shutil
from pathlib import Path

from oso_tui.exchange.folder import PROCESSED, REJECTED, FolderExchange


def _items(inbox: Path, *names: str) -> FolderExchange:
    inbox.mkdir(exist_ok=True)
    for name in names:
        (inbox / name).write_text(f"<dossier>{name}</dossier>", encoding="utf-8")
    return FolderExchange(inbox)


def test_a_taken_name_gets_a_number_and_nothing_is_overwritten(tmp_path: Path) -> None:
    exchange = _items(tmp_path / "inbox", "a.xml")
    (tmp_path / "inbox" / PROCESSED).mkdir()
    (tmp_path / "inbox" / PROCESSED / "a.xml").write_text("eerder", encoding="utf-8")
    (item,) = exchange.binnenkomend([])
    exchange.verwerkt(item)
    moved = tmp_path / "inbox" / PROCESSED
    assert (moved / "a.xml").read_text(encoding="utf-8") == "eerder"
    assert (moved / "a-1.xml").read_text(encoding="utf-8") == "<dossier>a.xml</dossier>"


def test_a_folder_removed_between_two_moves_is_made_again(tmp_path: Path) -> None:
    exchange = _items(tmp_path / "inbox", "a.xml", "b.xml")
    first, second = exchange.binnenkomend([])
    exchange.verwerkt(first)
    shutil.rmtree(tmp_path / "inbox" / PROCESSED)
    exchange.verwerkt(second)
    assert sorted(p.name for p in (tmp_path / "inbox" / PROCESSED).iterdir()) == ["b.xml"]


def test_a_file_another_session_moved_is_left_alone(tmp_path: Path) -> None:
    exchange = _items(tmp_path / "inbox", "a.xml")
    (item,) = exchange.binnenkomend([])
    (tmp_path / "inbox" / "a.xml").rename(tmp_path / "elders.xml")
    exchange.afgewezen(item, "ongeldig")
    assert not (tmp_path / "inbox" / REJECTED / "a.xml").exists()
    assert (tmp_path / "elders.xml").exists()

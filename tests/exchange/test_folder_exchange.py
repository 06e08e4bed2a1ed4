"""The folder exchange: refused files are moved without overwriting, stored ones leave the inbox only
when unchanged, everything it writes is owner-only, and its purge goes by the date in the reason file."""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from oso_tui.errors import ReadError
from oso_tui.exchange.base import Binnenkomend
from oso_tui.exchange.folder import PROCESSED, REASON_SUFFIX, REJECTED, FolderExchange


def _items(inbox: Path, *names: str) -> FolderExchange:
    inbox.mkdir(exist_ok=True)
    for name in names:
        (inbox / name).write_text(f"<dossier>{name}</dossier>", encoding="utf-8")
    return FolderExchange(inbox)


def test_a_taken_name_gets_a_number_and_nothing_is_overwritten(tmp_path: Path) -> None:
    exchange = _items(tmp_path / "inbox", "a.xml")
    (tmp_path / "inbox" / REJECTED).mkdir()
    (tmp_path / "inbox" / REJECTED / "a.xml").write_text("eerder", encoding="utf-8")
    (item,) = exchange.binnenkomend([])
    exchange.afgewezen(item, "ongeldig", date(2027, 3, 1))
    moved = tmp_path / "inbox" / REJECTED
    assert (moved / "a.xml").read_text(encoding="utf-8") == "eerder"
    assert (moved / "a-1.xml").read_text(encoding="utf-8") == "<dossier>a.xml</dossier>"
    reason = (moved / f"a-1.xml{REASON_SUFFIX}").read_text(encoding="utf-8")
    assert reason.startswith("ongeldig\n") and "zomervakantie na 2027-03-01" in reason


def test_a_folder_removed_between_two_moves_is_made_again(tmp_path: Path) -> None:
    exchange = _items(tmp_path / "inbox", "a.xml", "b.xml")
    first, second = exchange.binnenkomend([])
    exchange.afgewezen(first, "ongeldig")
    shutil.rmtree(tmp_path / "inbox" / REJECTED)
    exchange.afgewezen(second, "ongeldig")
    assert sorted(p.name for p in (tmp_path / "inbox" / REJECTED).iterdir()) == [
        "b.xml",
        f"b.xml{REASON_SUFFIX}",
    ]


def test_a_file_another_session_moved_is_left_alone(tmp_path: Path) -> None:
    exchange = _items(tmp_path / "inbox", "a.xml")
    (item,) = exchange.binnenkomend([])
    (tmp_path / "inbox" / "a.xml").rename(tmp_path / "elders.xml")
    exchange.afgewezen(item, "ongeldig")
    assert not (tmp_path / "inbox" / REJECTED / "a.xml").exists()
    assert (tmp_path / "elders.xml").exists()


def test_a_stored_file_leaves_the_inbox_unless_it_changed_since_it_was_read(tmp_path: Path) -> None:
    exchange = _items(tmp_path / "inbox", "a.xml", "b.xml")
    first, second = exchange.binnenkomend([])
    assert exchange.lees(first) == b"<dossier>a.xml</dossier>"
    exchange.lees(second)
    (tmp_path / "inbox" / "b.xml").write_text("<dossier>nieuwer en langer</dossier>", encoding="utf-8")
    exchange.verwerkt(first)
    exchange.verwerkt(second)
    assert sorted(p.name for p in (tmp_path / "inbox").iterdir()) == ["b.xml"]
    assert not (tmp_path / "inbox" / PROCESSED).exists()


def test_many_stored_files_leave_together_and_each_failure_is_told_in_order(tmp_path: Path) -> None:
    names = [f"d{i:02}.xml" for i in range(40)]
    _items(tmp_path / "inbox", *names)

    class Weigert(FolderExchange):
        def verwerkt(self, item: Binnenkomend) -> None:
            if item.naam in ("d05.xml", "d31.xml"):
                raise ReadError(f"{item.naam} kon niet verwijderd worden.")
            super().verwerkt(item)

    exchange = Weigert(tmp_path / "inbox")
    items = exchange.binnenkomend([])
    for item in items:
        exchange.lees(item)
    (tmp_path / "inbox" / "d12.xml").write_text("<dossier>nieuwer en langer</dossier>", encoding="utf-8")
    meldingen = exchange.verwerkt_alle(items)
    assert meldingen == ["d05.xml kon niet verwijderd worden.", "d31.xml kon niet verwijderd worden."]
    assert sorted(p.name for p in (tmp_path / "inbox").iterdir()) == ["d05.xml", "d12.xml", "d31.xml"]


def test_a_file_still_growing_is_left_for_the_next_fetch(tmp_path: Path) -> None:
    from oso_tui.exchange.base import ItemGoneError

    exchange = _items(tmp_path / "inbox", "a.xml")
    (item,) = exchange.binnenkomend([])
    with (tmp_path / "inbox" / "a.xml").open("a", encoding="utf-8") as handle:
        handle.write("<!-- meer -->")
    with pytest.raises(ItemGoneError):
        exchange.lees(item)


def test_moved_and_written_files_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        exchange = FolderExchange(tmp_path / "nieuw", create=True)
        (tmp_path / "nieuw" / "a.xml").write_text("<x/>", encoding="utf-8")
        (tmp_path / "nieuw" / "a.xml").chmod(0o666)
        (item,) = exchange.binnenkomend([])
        exchange.afgewezen(item, "ongeldig", date(2027, 3, 1))
    finally:
        os.umask(old)
    rejected = tmp_path / "nieuw" / REJECTED
    assert (tmp_path / "nieuw").stat().st_mode & 0o777 == 0o700
    assert rejected.stat().st_mode & 0o777 == 0o700
    assert {p.name: p.stat().st_mode & 0o777 for p in rejected.iterdir()} == {
        "a.xml": 0o600,
        f"a.xml{REASON_SUFFIX}": 0o600,
    }


def test_with_a_staff_group_files_are_0660_and_folders_2770(tmp_path: Path) -> None:
    import grp

    group = grp.getgrgid(os.getgid()).gr_name
    exchange = FolderExchange(tmp_path / "inbox", create=True, group=group)
    (tmp_path / "inbox" / "a.xml").write_text("<x/>", encoding="utf-8")
    (item,) = exchange.binnenkomend([])
    exchange.afgewezen(item, "ongeldig", date(2027, 3, 1))
    rejected = tmp_path / "inbox" / REJECTED
    assert rejected.stat().st_mode & 0o7777 == 0o2770
    assert {p.stat().st_mode & 0o777 for p in rejected.iterdir()} == {0o660}


def test_purge_goes_by_the_date_in_the_reason_or_else_the_files_own_date(tmp_path: Path) -> None:
    exchange = _items(tmp_path / "inbox", "maart.xml", "juni.xml")
    maart, juni = sorted(exchange.binnenkomend([]), key=lambda i: i.naam != "maart.xml")
    exchange.afgewezen(maart, "Het dossier is van 2027-03-01; zomervakantie na 2099-01-01", date(2027, 3, 1))
    exchange.afgewezen(juni, "ongeldig", date(2027, 9, 20))
    legacy = tmp_path / "inbox" / PROCESSED
    legacy.mkdir()
    (legacy / "oud.xml").write_text("<x/>", encoding="utf-8")
    stamp = datetime(2027, 5, 1).timestamp()
    os.utime(legacy / "oud.xml", (stamp, stamp))
    (legacy / "recent.xml").write_text("<x/>", encoding="utf-8")
    stamp = datetime(2027, 10, 1).timestamp()
    os.utime(legacy / "recent.xml", (stamp, stamp))

    removed = exchange.opschonen(lambda d: d < date(2027, 8, 30))
    assert sorted(p.name for p in removed) == ["maart.xml", f"maart.xml{REASON_SUFFIX}", "oud.xml"]
    assert sorted(p.name for p in (tmp_path / "inbox" / REJECTED).iterdir()) == [
        "juni.xml",
        f"juni.xml{REASON_SUFFIX}",
    ]
    assert [p.name for p in legacy.iterdir()] == ["recent.xml"]


def test_a_rejected_link_to_another_folder_is_never_filled_changed_or_purged(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    elsewhere.chmod(0o755)
    (elsewhere / "oud.xml").write_text("<x/>", encoding="utf-8")
    stamp = datetime(2020, 1, 1).timestamp()
    os.utime(elsewhere / "oud.xml", (stamp, stamp))
    exchange = _items(tmp_path / "inbox", "a.xml")
    (tmp_path / "inbox" / REJECTED).symlink_to(elsewhere)
    (item,) = exchange.binnenkomend([])
    with pytest.raises(ReadError, match="koppeling"):
        exchange.afgewezen(item, "ongeldig", date(2027, 3, 1))
    assert exchange.opschonen(lambda d: True) == []
    assert sorted(p.name for p in elsewhere.iterdir()) == ["oud.xml"]
    assert elsewhere.stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "inbox" / "a.xml").exists()


def test_purge_leaves_files_that_are_not_its_own(tmp_path: Path) -> None:
    exchange = _items(tmp_path / "inbox")
    rejected = tmp_path / "inbox" / REJECTED
    rejected.mkdir()
    for name in ("notities.txt", "a.XML", f"a.XML{REASON_SUFFIX}"):
        (rejected / name).write_text("x", encoding="utf-8")
    assert sorted(p.name for p in exchange.opschonen(lambda d: True)) == ["a.XML", f"a.XML{REASON_SUFFIX}"]
    assert [p.name for p in rejected.iterdir()] == ["notities.txt"]

"""After the summer not one byte of a pre-summer dossier is left anywhere oso-tui wrote or moved it.

Each dossier carries a unique string in a field no step registers (the package name in its metadata), so
a grep over every file under the store's folder and the exchange folders finds a copy wherever it is:
packs, loose files, refused copies and their reasons, backups, temp files a killed writer left.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from oso_tui import services
from oso_tui.cli import main
from oso_tui.exchange.folder import FolderExchange
from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.aanvraag_helpers import dossier_xml, settings_for, valid_bsns
from tests.service_context import ctx_of

MAART = date(2026, 3, 20)
NA_DE_ZOMER = date(2026, 9, 15)
BSN1, BSN2, BSN3, BSN4 = valid_bsns(4, start=400_000_000)
BIRTH = date(2014, 5, 1)


def marked(pgn: str, mark: str, **kw: object) -> bytes:
    """A dossier whose package name is `mark`: a string found nowhere else."""
    return dossier_xml(pgn, **kw).replace(b"Testpakket", mark.encode())  # type: ignore[arg-type]


def holders(mark: str, *folders: Path) -> list[str]:
    """Every file under `folders` whose bytes hold `mark`."""
    return sorted(
        str(path)
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and mark.encode() in path.read_bytes()
    )


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Settings, Path, Path]:
    store_folder = tmp_path / "opslag"
    store_folder.mkdir()
    settings = settings_for(store_folder, MAART)  # its inbox lies inside the store's folder
    elders = tmp_path / "elders"  # another exchange folder, named once with `fetch --inbox`
    elders.mkdir()
    return settings, store_folder, elders


def test_nothing_of_a_purged_dossier_is_left_on_disk(
    setup: tuple[Settings, Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings, store_folder, elders = setup
    store = Store.open(settings.db_path)
    for pgn in (BSN1, BSN2, BSN3, BSN4):
        services.request(ctx_of(store, settings, "jan"), pgn=pgn, geboortedatum=BIRTH, brin="12AB")
    inbox = settings.inbox_dir
    inbox.mkdir()
    (inbox / "opgeslagen.xml").write_bytes(marked(BSN1, "UNIEK-opgeslagen"))
    (inbox / "afwijkend.xml").write_bytes(marked(BSN2, "UNIEK-afwijkend", geboortedatum=date(2014, 5, 2)))
    (inbox / "kapot.xml").write_bytes(marked(BSN3, "UNIEK-kapot")[:-30])
    services.fetch(ctx_of(store, settings, "jan"), FolderExchange(inbox))
    (elders / "elders.xml").write_bytes(marked(BSN4, "UNIEK-elders"))
    services.fetch(ctx_of(store, settings, "jan"), FolderExchange(elders))
    (elders / "ouder.xml").write_bytes(marked(BSN4, "UNIEK-ouder", datum=date(2026, 3, 1)))
    report = services.fetch(ctx_of(store, settings, "jan"), FolderExchange(elders))
    assert [r.uitkomst for r in report.regels] == ["geen nieuwe gegevens"]
    killed = store.raw_dir / ".pak-oud.pak.tmp-1-abcd"  # a writer killed in March left this
    killed.write_bytes(marked(BSN1, "UNIEK-tijdelijk"))
    os.utime(killed, (datetime(2026, 3, 20).timestamp(),) * 2)
    store.backup("test")

    marks = ["opgeslagen", "afwijkend", "kapot", "elders", "ouder", "tijdelijk"]
    before = {m: holders(f"UNIEK-{m}", store_folder, elders) for m in marks}
    assert all(before.values()), f"every dossier has a copy on disk before the summer: {before}"
    assert not list(inbox.glob("*.xml")) and not list(elders.glob("*.xml")), "stored or refused"
    for backup in store.backups():
        content = backup.read_bytes()
        assert b"UNIEK-" not in content and b"<dossier" not in content, "a backup holds no raw dossier"

    # Any command after the summer purges first.
    monkeypatch.setenv("OSO_TUI_TODAY", NA_DE_ZOMER.isoformat())
    monkeypatch.setenv("OSO_TUI_CONFIG", str(store_folder / "geen-config.toml"))
    (store_folder / "geen-config.toml").write_text("", encoding="utf-8")
    assert main(["--db", str(settings.db_path), "status"]) == 0
    capsys.readouterr()

    after = {m: holders(f"UNIEK-{m}", store_folder, elders) for m in marks}
    assert after == {m: [] for m in marks}
    leftovers = [p for p in [*store_folder.rglob("*"), *elders.rglob("*")] if ".tmp" in p.name]
    assert leftovers == []


def test_files_written_or_moved_are_owner_only_whatever_the_umask(
    setup: tuple[Settings, Path, Path],
) -> None:
    settings, store_folder, _ = setup
    old = os.umask(0)
    try:
        store = Store.open(settings.db_path)
        services.request(ctx_of(store, settings, "jan"), pgn=BSN1, geboortedatum=BIRTH, brin="12AB")
        services.request(ctx_of(store, settings, "jan"), pgn=BSN2, geboortedatum=BIRTH, brin="12AB")
        inbox = settings.inbox_dir
        inbox.mkdir()
        (inbox / "goed.xml").write_bytes(dossier_xml(BSN1))
        (inbox / "fout.xml").write_bytes(dossier_xml(BSN2, brin="99ZZ"))
        for path in inbox.iterdir():
            path.chmod(0o644)
        services.fetch(ctx_of(store, settings, "jan"), FolderExchange(inbox))
        store.backup("test")
    finally:
        os.umask(old)
    files = [p for p in store_folder.rglob("*") if p.is_file() and p.parent != inbox]
    modes = {str(p.relative_to(store_folder)): oct(p.stat().st_mode & 0o777) for p in files}
    assert any("rejected" in name for name in modes) and any(name.endswith(".pak") for name in modes)
    assert set(modes.values()) == {"0o600"}, modes

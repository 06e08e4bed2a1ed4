"""Puts into a table nobody read whole: only the files holding them are written, nothing is parsed
whole, the transaction sees its own puts, and a failed transaction leaves no trace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from oso_tui.store import Store
from oso_tui.store.manifest import PartsState, read_manifest
from oso_tui.store.tables import AANVRAGEN
from tests.store_helpers import count_parses

ROWS = 200


class Rij(BaseModel):
    id: str
    naam: str
    tekst: str = ""


def filled(path: Path) -> Store:
    store = Store.open(path)
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put_many(
            [Rij(id=f"r{i:03d}", naam=f"Rij {i}", tekst="x" * 400) for i in range(ROWS)]
        )
    return store


def count_files_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The indexes of the table files a commit reads from now on (filled as they are read)."""
    read: list[int] = []
    real = PartsState.piece

    def counting(self: PartsState, name: str, index: int) -> bytes:
        read.append(index)
        return real(self, name, index)

    monkeypatch.setattr(PartsState, "piece", counting)
    return read


def parts(store: Store) -> list[str]:
    manifest = read_manifest(store.path)
    assert manifest is not None
    return [p.file for p in manifest.parts[AANVRAGEN]]


def test_a_put_rewrites_only_the_file_that_holds_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = parts(filled(tmp_path / "oso.json"))
    assert len(before) > 4, "the table lies in several files"
    seen = count_parses(monkeypatch)
    store = Store.open(tmp_path / "oso.json")
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        rows.put(Rij(id="r100", naam="Gewijzigd"))
        rows.put(Rij(id="nieuw", naam="Nieuw"))
        assert rows.get("r100") == Rij(id="r100", naam="Gewijzigd"), "the transaction sees its put"
        assert "nieuw" in rows
    assert seen == [], "no table was parsed whole"
    after = parts(store)
    assert len(set(before) - set(after)) <= 2, "the file with r100 and the last file, no other"
    assert after[0] == before[0]
    with Store.open(tmp_path / "oso.json").snapshot() as view:
        rows_after = view.collection(AANVRAGEN, Rij).all()
    assert [r.id for r in rows_after] == [f"r{i:03d}" for i in range(ROWS)] + ["nieuw"], "order as TinyDB's"
    assert rows_after[100].naam == "Gewijzigd" and rows_after[99].naam == "Rij 99"


def test_reading_the_table_whole_after_a_put_sees_it(tmp_path: Path) -> None:
    store = filled(tmp_path / "oso.json")
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        rows.put(Rij(id="r005", naam="Vijf"))
        assert {r.id: r.naam for r in rows.all()}["r005"] == "Vijf"
        rows.put(Rij(id="r006", naam="Zes"))  # the table is in memory now: TinyDB writes it
        assert len(rows) == ROWS
    with store.snapshot() as view:
        got = view.collection(AANVRAGEN, Rij)
        assert (got.get("r005").naam, got.get("r006").naam) == ("Vijf", "Zes")  # type: ignore[union-attr]
        assert len(got.all()) == ROWS


def test_a_failed_transaction_leaves_its_puts_unwritten(tmp_path: Path) -> None:
    store = filled(tmp_path / "oso.json")
    before = parts(store)
    files = sorted(p.name for p in store.parts_dir.iterdir())
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="r001", naam="Nooit"))
        raise RuntimeError("afgebroken")
    assert parts(store) == before
    assert sorted(p.name for p in store.parts_dir.iterdir()) == files
    with Store.open(tmp_path / "oso.json").snapshot() as view:
        assert view.collection(AANVRAGEN, Rij).get("r001").naam == "Rij 1"  # type: ignore[union-attr]


def test_a_damaged_file_is_never_rewritten_by_a_put(tmp_path: Path) -> None:
    from oso_tui.store.errors import StoreCorruptError

    store = filled(tmp_path / "oso.json")
    victim = store.parts_dir / parts(store)[1]
    victim.write_bytes(victim.read_bytes().replace(b"xxxx", b"yyyy", 1))
    before = sorted(p.name for p in store.parts_dir.iterdir())
    with pytest.raises(StoreCorruptError), store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="nieuw", naam="Nieuw"))
    assert sorted(p.name for p in store.parts_dir.iterdir()) == before


def test_the_other_documents_of_a_rewritten_file_keep_their_stored_text(tmp_path: Path) -> None:
    """The file is cut at its documents, not parsed and encoded again: strings full of JSON's own
    characters cut right, and every other document is byte for byte what was stored."""
    store = Store.open(tmp_path / "oso.json")
    tricky = ['},"r1":{"naam":"nep"}', 'Ëlla "x"\n\\', "{[", "\u202e"]
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put_many([Rij(id=f"r{i}", naam=t) for i, t in enumerate(tricky)])
    (file,) = parts(store)
    before = (store.parts_dir / file).read_bytes()
    with Store.open(tmp_path / "oso.json").transaction() as tx:
        tx.collection(AANVRAGEN, Rij).put(Rij(id="r1", naam="Anders"))
    (file,) = parts(store)
    after = (store.parts_dir / file).read_bytes()
    assert after != before and b"Anders" in after
    for i in (0, 2, 3):
        doc = {f"r{i}": {"id": f"r{i}", "naam": tricky[i], "tekst": ""}}
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))[1:-1].encode()
        assert text in before and text in after
    with Store.open(tmp_path / "oso.json").snapshot() as view:
        got = {r.id: r.naam for r in view.collection(AANVRAGEN, Rij).all()}
    assert got == {"r0": tricky[0], "r1": "Anders", "r2": tricky[2], "r3": tricky[3]}


def test_a_put_then_a_delete_through_the_whole_table_keeps_both(tmp_path: Path) -> None:
    """A put staged as a patch, then a delete that reads the whole table in the same transaction: the
    commit looks only at the documents the table's updates touched, and must count the put among them."""
    filled(tmp_path / "oso.json")
    store = Store.open(tmp_path / "oso.json")
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        rows.put(Rij(id="r010", naam="Tien"))
        assert store._middleware.staged().patches, "the put waits as a patch"  # type: ignore[attr-defined]
        assert rows.delete("r190")
    with Store.open(tmp_path / "oso.json").snapshot() as view:
        after = {r.id: r for r in view.collection(AANVRAGEN, Rij).all()}
    assert len(after) == ROWS - 1 and "r190" not in after
    assert after["r010"].naam == "Tien"
    with store.snapshot() as view:
        assert [r.id for r in view.collection(AANVRAGEN, Rij).where(naam="Tien")] == ["r010"], (
            "the field index of the committed table knows the put"
        )


def test_a_put_after_a_lookup_goes_straight_to_the_file_the_lookup_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registration looks up its pupil and request and then puts them: the commit does not search
    the table's files a second time."""
    filled(tmp_path / "oso.json")
    store = Store.open(tmp_path / "oso.json")
    with store.snapshot() as view:
        rows = view.collection(AANVRAGEN, Rij)
        assert rows.get("r150") is not None and rows.get("weg") is None
    read = count_files_read(monkeypatch)
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        rows.put(Rij(id="r150", naam="Gewijzigd"))
        rows.put(Rij(id="weg", naam="Nieuw"))
    files = parts(store)
    assert len(set(read)) == 2, f"the file holding r150 and the last file, not {sorted(set(read))}"
    assert len(files) > 4
    with Store.open(tmp_path / "oso.json").snapshot() as view:
        after = view.collection(AANVRAGEN, Rij).all()
    assert [r.id for r in after] == [f"r{i:03d}" for i in range(ROWS)] + ["weg"]
    assert after[150].naam == "Gewijzigd" and after[149].naam == "Rij 149"


def test_a_document_with_a_minted_id_goes_to_the_last_file_unsearched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new history entry: its id was just made, so no file of the table is read to look for it."""
    filled(tmp_path / "oso.json")
    store = Store.open(tmp_path / "oso.json")
    read = count_files_read(monkeypatch)
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        rows.add_many([Rij(id="nieuw-1", naam="Een"), Rij(id="nieuw-2", naam="Twee")])
        assert rows.get("nieuw-1") == Rij(id="nieuw-1", naam="Een"), "the transaction sees it"
    files = parts(store)
    assert set(read) <= {len(files) - 1, len(files) - 2}, f"only the last file was read, not {read}"
    with Store.open(tmp_path / "oso.json").snapshot() as view:
        after = view.collection(AANVRAGEN, Rij).all()
    assert [r.id for r in after] == [f"r{i:03d}" for i in range(ROWS)] + ["nieuw-1", "nieuw-2"]


def test_minted_ids_in_a_table_read_whole_are_put_as_any_other(tmp_path: Path) -> None:
    store = filled(tmp_path / "oso.json")
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        assert len(rows.all()) == ROWS
        rows.add_many([Rij(id="nieuw", naam="Nieuw")])
    with Store.open(tmp_path / "oso.json").snapshot() as view:
        assert view.collection(AANVRAGEN, Rij).get("nieuw") == Rij(id="nieuw", naam="Nieuw")
        assert len(view.collection(AANVRAGEN, Rij).all()) == ROWS + 1

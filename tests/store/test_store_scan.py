"""`Collection.scan()`: the request list's one-pass read, straight from the stored JSON.

It must give exactly what `all()` gives (the same models in the same order, the same Dutch error for a
damaged or unfitting record) while leaving the table unparsed: asserted with the parse counter
`CommittedState.loaded`, never with timings.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Literal

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from oso_tui.store import Store, StoreCorruptError
from oso_tui.store.lazy import CommittedState
from oso_tui.store.tables import AANVRAGEN, DOSSIERS
from tests.store.legacy_layout import part_file, to_single_file


class Kop(BaseModel):
    """A slim view of a record: fields the writer stores besides these are ignored."""

    id: str
    naam: str
    datum: date
    aantal: int = 0
    klaar: bool = False
    soort: Literal["a", "b"] = "a"
    reden: str | None = None
    versies: list[str] = Field(default_factory=list)


def state_of(store: Store) -> CommittedState:
    state = store._storage.committed
    assert state is not None
    return state


def docs(n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"a{i}",
            "naam": f"Ëlla {i}",
            "datum": f"2027-03-{i % 28 + 1:02d}",
            "aantal": i,
            "klaar": i % 2 == 0,
            "versies": [f"v{i}", f"w{i}"],
            "statushistorie": [{"van": None, "naar": "aangevraagd", "datum": "2027-01-01"}],
        }
        for i in range(n)
    ]


def filled(path: Path, records: list[dict[str, Any]]) -> Store:
    store = Store.open(path)
    with store.transaction() as tx:
        tx.table(AANVRAGEN).insert_multiple(records)
        tx.table(DOSSIERS).insert({"id": "d1", "naam": "x", "datum": "2027-01-01"})
    return store


def read_both(path: Path) -> tuple[object, object]:
    """(scan, all) on fresh stores, each a list of models or the Dutch message it raised."""

    def outcome(scan: bool) -> object:
        with Store.open(path).snapshot() as view:
            coll = view.collection(AANVRAGEN, Kop)
            try:
                return coll.scan() if scan else coll.all()
            except StoreCorruptError as exc:
                return exc.message

    return outcome(True), outcome(False)


def test_scan_gives_what_all_gives_and_parses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "oso.json"
    filled(path, docs(300))
    fresh = Store.open(path)
    with fresh.snapshot() as view:
        scanned = view.collection(AANVRAGEN, Kop).scan()
    assert state_of(fresh).loaded == [], "the table was validated from its bytes, not parsed"
    with fresh.snapshot() as view:
        assert scanned == view.collection(AANVRAGEN, Kop).all()
    assert [k.id for k in scanned] == [f"a{i}" for i in range(300)]
    assert scanned[7] == Kop(
        id="a7", naam="Ëlla 7", datum=date(2027, 3, 8), aantal=7, klaar=False, versies=["v7", "w7"]
    )


def test_scan_in_a_transaction_sees_the_staged_changes(tmp_path: Path) -> None:
    store = filled(tmp_path / "oso.json", docs(5))
    with store.transaction() as tx:
        coll = tx.collection(AANVRAGEN, Kop)
        coll.put(Kop(id="nieuw", naam="Nieuw", datum=date(2027, 4, 1)))
        coll.delete("a0")
        assert coll.scan() == coll.all()
        assert [k.id for k in coll.scan()] == ["a1", "a2", "a3", "a4", "nieuw"]


def test_scan_of_a_file_without_index_reads_it_the_old_way(tmp_path: Path) -> None:
    path = tmp_path / "oso.json"
    filled(path, docs(5))
    raw = to_single_file(path)
    path.write_bytes(raw.replace(b'"index":', b'"indeks":', 1))
    store = Store.open(path)
    assert not state_of(store).lazy
    with store.snapshot() as view:
        assert [k.id for k in view.collection(AANVRAGEN, Kop).scan()] == [f"a{i}" for i in range(5)]


def test_a_damaged_table_is_reported_by_scan_as_by_all(tmp_path: Path) -> None:
    path = tmp_path / "oso.json"
    filled(path, docs(20))
    part = part_file(path, AANVRAGEN, b'"naam":"\xc3\x8blla 17"')
    raw = part.read_bytes()
    part.write_bytes(raw.replace(b'"naam":"\xc3\x8blla 17"', b'"naam":"\xc3\x8blla 71"', 1))
    scanned, listed = read_both(path)
    assert isinstance(scanned, str) and "controlegetal" in scanned and "aanvragen" in scanned
    assert scanned == listed


def test_a_record_that_does_not_fit_is_reported_by_scan_as_by_all(tmp_path: Path) -> None:
    records = docs(20)
    records[13]["datum"] = "dertien maart"
    filled(tmp_path / "oso.json", records)
    scanned, listed = read_both(tmp_path / "oso.json")
    assert scanned == listed
    assert isinstance(scanned, str) and "Record 'a13' in tabel 'aanvragen' past niet bij Kop" in scanned


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "a", "b", "ja", "0", "1", "2027-03-01", "2027-02-30", "20270301", "1.5", "nee"]),
    st.text(max_size=6),
    st.lists(st.sampled_from(["v", "", "1"]), max_size=2),
    st.lists(st.integers(0, 3), max_size=2),
    st.just({}),
)
_record = st.fixed_dictionaries(
    {"naam": st.one_of(st.text(max_size=8), _values), "datum": st.one_of(st.just("2027-03-01"), _values)},
    optional={
        "aantal": _values,
        "klaar": _values,
        "soort": _values,
        "reden": _values,
        "versies": _values,
        "extra": _values,
    },
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_record, min_size=1, max_size=4))
def test_scan_accepts_and_refuses_exactly_what_all_does(records: list[dict[str, Any]]) -> None:
    """JSON validation in one pass must not be more lenient, or stricter, than validating each dict."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "oso.json"
        filled(path, [{"id": f"r{i}", **record} for i, record in enumerate(records)])
        scanned, listed = read_both(path)
    assert scanned == listed

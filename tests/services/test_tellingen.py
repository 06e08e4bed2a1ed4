"""The counts record and the PGN index: equal to a recount after every kind of transaction, rebuilt for a
store without them, checked by doctor, and what makes `request`, `register` and `status` read no table
whole: what they parse is the same with 50 pupils as with 500."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from oso_tui import services
from oso_tui.cli import main
from oso_tui.exchange.folder import FolderExchange
from oso_tui.exchange.models import STATUSES, Aanvraag, DossierVersie
from oso_tui.records import aanvragen, tellingen
from oso_tui.settings import Settings
from oso_tui.store import Store
from oso_tui.store.manifest import PartsState, read_manifest
from oso_tui.store.tables import AANVRAGEN, DOSSIERS
from tests.aanvraag_helpers import dossier_xml, settings_for, valid_bsns
from tests.service_context import ctx_of
from tests.store_helpers import count_parses

MAART = date(2026, 3, 20)
NA_DE_ZOMER = date(2026, 9, 15)
BIRTH = date(2014, 5, 1)


def counted_by_hand(store: Store) -> dict[str, Any]:
    """What `status` shows, counted from the tables the way it was before the record existed."""
    with store.snapshot() as view:
        heads = view.collection(AANVRAGEN, Aanvraag).all()
        versies = view.collection(DOSSIERS, DossierVersie).all()
    per = Counter(a.status for a in heads)
    present = {v.id for v in versies if not v.verwijderd}
    purged = sum(1 for a in heads if a.status == "opgehaald" and a.versies and not present & set(a.versies))
    return {
        "totaal": len(heads),
        "per_status": {s: per.get(s, 0) for s in STATUSES},
        "dossiers": len(present),
        "hernieuwen_nodig": per.get("verlopen", 0) + purged,
    }


def assert_counts_hold(store: Store, settings: Settings) -> None:
    with store.snapshot() as view:
        assert tellingen.read(view) is not None, "the record is there and matches the tables"
        assert list(tellingen.problems(view)) == []
    telling = services.count_statuses(ctx_of(store, settings))
    shown = {k: getattr(telling, k) for k in ("totaal", "per_status", "dossiers", "hernieuwen_nodig")}
    assert shown == counted_by_hand(store)


def fetch(store: Store, settings: Settings, files: dict[str, bytes]) -> None:
    inbox = settings.inbox_dir
    inbox.mkdir(exist_ok=True)
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    services.fetch(ctx_of(store, settings, "jan"), FolderExchange(inbox))


def test_the_record_equals_a_recount_after_every_kind_of_transaction(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, MAART)
    store = Store.open(settings.db_path)
    ctx = ctx_of(store, settings, "jan")
    a, b, c, d, e, f = valid_bsns(6, start=300_000_000)
    for pgn in (a, b, c):
        services.request(ctx, pgn=pgn, geboortedatum=BIRTH, brin="12AB")
        assert_counts_hold(store, settings)
    csv = tmp_path / "aanmeldingen.csv"
    csv.write_text("pgn;geboortedatum;brin\n" + "".join(f"{p};01-05-2014;12AB\n" for p in (d, e, f)), "utf-8")
    services.request_csv(ctx, csv)
    assert_counts_hold(store, settings)
    services.withdraw(ctx, pgn=f)
    assert_counts_hold(store, settings)
    fetch(store, settings, {f"{p}.xml": dossier_xml(p) for p in (a, b, c)})
    assert_counts_hold(store, settings)
    services.register(ctx, pgn=a, stappen=("personalia",), accepteer_waarschuwingen=True)
    assert_counts_hold(store, settings)
    services.undo(ctx, pgn=a)
    assert_counts_hold(store, settings)
    services.register(ctx, pgn=b, stappen=("personalia",), accepteer_waarschuwingen=True)
    services.renew(ctx, pgns=[c])
    assert_counts_hold(store, settings)
    fetch(store, settings, {"nieuw.xml": dossier_xml(c, datum=date(2026, 3, 15))})
    assert_counts_hold(store, settings)
    assert counted_by_hand(store)["dossiers"] == 4

    later = settings_for(tmp_path, NA_DE_ZOMER)
    result = services.expire(ctx_of(store, later, "jan"))
    assert result.iets_gedaan
    assert_counts_hold(store, later)
    hand = counted_by_hand(store)
    assert hand["dossiers"] == 0 and hand["hernieuwen_nodig"] == 5, "purged and expired: all need renewing"


def test_doctor_says_a_missing_record_comes_with_the_next_save_and_makes_it_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path, MAART)
    store = Store.open(settings.db_path)
    services.request(ctx_of(store, settings), pgn=valid_bsns(1)[0], geboortedatum=BIRTH, brin="12AB")
    with store.transaction() as tx:
        tx.table(tellingen.TELLINGEN).truncate()
    (tmp_path / "geen-config.toml").touch()
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "geen-config.toml"))
    db = ["--db", str(settings.db_path)]
    assert main(["doctor", *db]) == 0, "an older store is not damaged"
    assert "ontbreken nog" in capsys.readouterr().out
    assert main(["doctor", "--herstel", *db]) == 0
    assert "hersteld" in capsys.readouterr().out
    assert_counts_hold(store, settings)


def test_a_store_without_the_record_is_counted_and_gets_it_with_the_next_save(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, MAART)
    store = Store.open(settings.db_path)
    ctx = ctx_of(store, settings, "jan")
    a, b, c = valid_bsns(3, start=310_000_000)
    for pgn in (a, b):
        services.request(ctx, pgn=pgn, geboortedatum=BIRTH, brin="12AB")
    fetch(store, settings, {"a.xml": dossier_xml(a)})
    with store.transaction() as tx:  # as an older oso-tui left it: no record, no index
        tx.table(tellingen.TELLINGEN).truncate()
        tx.table(tellingen.PGN_INDEX).truncate()
    with store.snapshot() as view:
        assert tellingen.read(view) is None
        assert tellingen.of_pgn(view, a) is None, "no index: finding by PGN reads the table"
    telling = services.count_statuses(ctx)
    assert (telling.totaal, telling.dossiers) == (2, 1)
    assert services.get_request(ctx, pgn=a).pgn == a
    services.request(ctx, pgn=c, geboortedatum=BIRTH, brin="12AB")
    assert_counts_hold(store, settings)
    versies = [v.id for v in services.list_versions(ctx, services.get_request(ctx, pgn=a))]
    with store.snapshot() as view:
        regel = tellingen.of_pgn(view, a)
    assert regel is not None and list(regel.versies) == versies


def test_a_table_changed_past_the_record_is_not_trusted(tmp_path: Path) -> None:
    """A request written without the records (an older oso-tui, a hand edit) makes the counts differ
    from the table's size: the record is ignored until the next save rebuilds it."""
    settings = settings_for(tmp_path, MAART)
    store = Store.open(settings.db_path)
    ctx = ctx_of(store, settings, "jan")
    a, b, c = valid_bsns(3, start=320_000_000)
    services.request(ctx, pgn=a, geboortedatum=BIRTH, brin="12AB")
    made = services.get_request(ctx, pgn=a)
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Aanvraag).put(made.model_copy(update={"id": "buiten-om", "pgn": b}))
    with store.snapshot() as view:
        assert tellingen.read(view) is None
    assert services.count_statuses(ctx).totaal == 2
    assert services.get_request(ctx, pgn=b).id == "buiten-om"
    services.request(ctx, pgn=c, geboortedatum=BIRTH, brin="12AB")
    assert_counts_hold(store, settings)


def test_doctor_finds_a_wrong_record_and_rebuilds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path, MAART)
    store = Store.open(settings.db_path)
    ctx = ctx_of(store, settings, "jan")
    a, b = valid_bsns(2, start=330_000_000)
    for pgn in (a, b):
        services.request(ctx, pgn=pgn, geboortedatum=BIRTH, brin="12AB")
    with store.transaction() as tx:  # same totals, wrong split: only a recount can tell
        tx.collection(tellingen.TELLINGEN, tellingen.Telling).put(
            tellingen.Telling(waarden={"aanvragen": 2, "status:opgehaald": 2})
        )
    (tmp_path / "geen-config.toml").touch()
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "geen-config.toml"))
    db = ["--db", str(settings.db_path)]
    assert main(["doctor", *db]) == 1
    out = capsys.readouterr().out
    assert "PROBLEEM" in out and "tellingen" in out and "kloppen niet" in out
    assert main(["doctor", "--herstel", *db]) == 0
    assert "hersteld" in capsys.readouterr().out
    assert_counts_hold(store, settings)
    assert main(["doctor", *db]) == 0
    assert "tellingen" in capsys.readouterr().out


def test_doctor_never_rebuilds_in_a_damaged_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path, MAART)
    store = Store.open(settings.db_path)
    services.request(ctx_of(store, settings), pgn=valid_bsns(1)[0], geboortedatum=BIRTH, brin="12AB")
    with store.snapshot() as view:
        state = view.store._storage.committed  # type: ignore[union-attr]
    assert isinstance(state, PartsState)
    victim = store.parts_dir / state.manifest.parts[AANVRAGEN][0].file
    victim.write_bytes(victim.read_bytes().replace(b"12AB", b"99ZZ"))
    before = {p.name: p.read_bytes() for p in store.parts_dir.iterdir()}
    (tmp_path / "geen-config.toml").touch()
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "geen-config.toml"))
    assert main(["doctor", "--herstel", "--db", str(settings.db_path)]) == 1
    assert "beschadigd" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in store.parts_dir.iterdir()} == before


# -- what a command reads ------------------------------------------------------------------------------


def store_with(tmp_path: Path, pupils: int) -> tuple[Store, Settings, str, str]:
    """A store with `pupils` fetched requests (written in bulk) and one real fetched dossier; returns the
    store, its settings, the PGN of that dossier and a PGN no request has."""
    settings = settings_for(tmp_path, MAART)
    store = Store.open(settings.db_path)
    ctx = ctx_of(store, settings, "jan")
    *bulk, echt, nieuw = valid_bsns(pupils + 2, start=340_000_000)
    services.request(ctx, pgn=echt, geboortedatum=BIRTH, brin="12AB")
    fetch(store, settings, {"echt.xml": dossier_xml(echt)})
    made = services.get_request(ctx, pgn=echt)
    versie = services.list_versions(ctx, made)[0]
    with store.transaction() as tx:
        from oso_tui.records import aanvragen, dossiers

        aanvragen.save(tx, [made.model_copy(update={"id": f"a{i}", "pgn": p}) for i, p in enumerate(bulk)])
        dossiers.save(
            tx,
            [
                versie.model_copy(update={"id": f"v{i}", "pgn": p, "aanvraag_id": f"a{i}"})
                for i, p in enumerate(bulk)
            ],
        )
    return store, settings, echt, nieuw


def parsed_by(store: Store, monkeypatch: pytest.MonkeyPatch, work: Any) -> list[str]:
    """The tables parsed whole while `work` runs (from a freshly opened store, as a new process would)."""
    real = PartsState._load
    seen = count_parses(monkeypatch)
    work(Store.open(store.path))
    monkeypatch.setattr(PartsState, "_load", real)
    return sorted(seen)


@pytest.mark.parametrize("command", ["request", "register", "status", "versions"])
def test_a_command_reads_the_same_at_50_and_at_500_pupils(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    reads = []
    for pupils in (50, 500):
        store, settings, echt, nieuw = store_with(tmp_path / str(pupils), pupils)

        def work(
            fresh: Store, settings: Settings = settings, echt: str = echt, nieuw: str = nieuw, n: int = pupils
        ) -> None:
            ctx = ctx_of(fresh, settings, "jan")
            if command == "request":
                services.request(ctx, pgn=nieuw, geboortedatum=BIRTH, brin="12AB")
            elif command == "register":
                services.register(ctx, pgn=echt, stappen=("personalia",), accepteer_waarschuwingen=True)
            elif command == "status":
                assert services.count_statuses(ctx).totaal == n + 1
            else:
                assert len(services.latest_dossier(ctx, echt)) == 2

        reads.append(parsed_by(store, monkeypatch, work))
    assert reads[0] == reads[1]
    assert not {AANVRAGEN, DOSSIERS, tellingen.PGN_INDEX} & set(reads[1]), reads[1]


def test_a_save_that_leaves_index_and_counts_as_they_were_does_not_write_them(tmp_path: Path) -> None:
    """Saving requests whose status and versions stay as they were (a registration links its request
    to the pupil; a fetch notes a file) keeps the index's and the counts' files."""
    settings = settings_for(tmp_path, MAART)
    store = Store.open(settings.db_path)
    ctx = ctx_of(store, settings, "jan")
    a, b = valid_bsns(2, start=300_000_000)
    for pgn in (a, b):
        services.request(ctx, pgn=pgn, geboortedatum=BIRTH, brin="12AB")
    fetch(store, settings, {f"{p}.xml": dossier_xml(p) for p in (a, b)})
    store = Store.open(settings.db_path)  # as a new command: no table read whole yet
    ctx = ctx_of(store, settings, "jan")
    before = read_manifest(settings.db_path)
    services.register(ctx, pgn=a, stappen=("personalia",), accepteer_waarschuwingen=True)
    with store.transaction() as tx:
        (request,) = aanvragen.of_pgn(tx, b)
        aanvragen.save(tx, [request.model_copy(update={"leerling_id": "ll-elders"})])
    after = read_manifest(settings.db_path)
    assert before is not None and after is not None
    assert after.parts[AANVRAGEN] != before.parts[AANVRAGEN], "the requests were saved"
    for table in (tellingen.PGN_INDEX, tellingen.TELLINGEN):
        assert after.parts[table] == before.parts[table], f"{table} was written again unchanged"
    assert_counts_hold(store, settings)
    services.withdraw(ctx, pgn=b)
    changed = read_manifest(settings.db_path)
    assert changed is not None
    for table in (tellingen.PGN_INDEX, tellingen.TELLINGEN):
        assert changed.parts[table] != after.parts[table], f"a new status reaches {table}"
    assert_counts_hold(store, settings)

"""Helper processes for the multi-process store tests (run as scripts, not collected by pytest).

    store_worker.py many DB PREFIX N     N transactions, each adding three rows and a history entry
    store_worker.py kill DB ROUNDS SEED  fork writers and SIGKILL them at random moments, ROUNDS times
    store_worker.py pack DB PREFIX N R   R raw batches of N dossiers each (plus shared ones)
    store_worker.py purge DB SHA...      remove these raw dossiers, one purge per sha (many pack rewrites)
    store_worker.py crash DB N           put N dossiers in a raw batch, then die without ending the block
    store_worker.py audit DB PREFIX N    N transactions that only add one audit entry (`PREFIX-i`), 5 ms apart

Every transaction `i` writes rows `PREFIX-i-a/b/c`, a history entry and sets the counter row
`teller-PREFIX` to i, so a checker can tell whether a transaction landed wholly or not at all.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

from pydantic import BaseModel

from oso_tui.store import Store
from oso_tui.store.files import TEMP_MARKER
from oso_tui.store.tables import AANVRAGEN, HISTORIE


class Rij(BaseModel):
    id: str
    stap: int
    tekst: str = ""


def one_transaction(store: Store, prefix: str, i: int) -> None:
    with store.transaction() as tx:
        rows = tx.collection(AANVRAGEN, Rij)
        rows.put_many([Rij(id=f"{prefix}-{i}-{part}", stap=i, tekst="x" * (i % 50)) for part in "abc"])
        tx.table(HISTORIE).insert({"prefix": prefix, "stap": i})
        rows.put(Rij(id=f"teller-{prefix}", stap=i))


def check(path: Path, prefix: str) -> int:
    """Verify every transaction is wholly there or wholly absent; returns the last one that landed."""
    store = Store.open(path)
    with store.snapshot() as view:
        rows = {r.id: r for r in view.collection(AANVRAGEN, Rij).all()}
        history = sorted(d["stap"] for d in view.table(HISTORIE).all() if d["prefix"] == prefix)
    counter = rows.get(f"teller-{prefix}")
    last = counter.stap if counter is not None else -1
    for i in range(last + 1):
        parts = [f"{prefix}-{i}-{part}" in rows for part in "abc"]
        assert all(parts), f"transactie {i} is half aanwezig: {parts}"
    assert f"{prefix}-{last + 1}-a" not in rows, "transactie na de teller is aanwezig"
    assert history == list(range(last + 1)), "historie past niet bij de teller"
    return last


def audit(path: Path, prefix: str, count: int) -> None:
    from datetime import UTC, datetime

    from oso_tui.store.audit import record_audit

    store = Store.open(path)
    for i in range(count):
        with store.transaction() as tx:
            record_audit(
                tx,
                user=prefix,
                actie="bekijken-zorg",
                detail=f"{prefix}-{i}",
                wanneer=datetime(2027, 1, 4, 8, 0, tzinfo=UTC),
            )
        # A person reads between two views. Without a pause the one that just let go of the lock
        # takes it again before a polling colleague looks, and a loaded machine starves the other.
        time.sleep(0.005)


def many(path: Path, prefix: str, count: int) -> None:
    store = Store.open(path)
    for i in range(count):
        one_transaction(store, prefix, i)


def writer_forever(path: Path, prefix: str, ready: int) -> None:
    store = Store.open(path)
    i = check(path, prefix) + 1
    os.write(ready, b"x")
    while True:
        one_transaction(store, prefix, i)
        i += 1


def kill(path: Path, rounds: int, seed: int) -> None:
    rng = random.Random(seed)
    Store.open(path)
    landed = -1
    mid_write = 0
    for _ in range(rounds):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_end)
                writer_forever(path, "k", write_end)
            finally:
                os._exit(1)
        os.close(write_end)
        os.read(read_end, 1)
        os.close(read_end)
        time.sleep(rng.uniform(0.0, 0.06))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        mid_write += any(TEMP_MARKER in p.name for p in path.parent.iterdir())
        last = check(path, "k")
        assert last >= landed, "een bevestigde transactie is verdwenen"
        landed = last
    print(landed, mid_write)


def blob(prefix: str, i: int) -> bytes:
    """A recognisable fake dossier of varying size."""
    return f"<dossier>{prefix}-{i}</dossier>".encode() * (1 + i % 37)


def pack(path: Path, prefix: str, count: int, rounds: int) -> None:
    store = Store.open(path)
    for r in range(rounds):
        with store.raw_batch() as batch:
            for i in range(r * count, (r + 1) * count):
                batch.put(blob(prefix, i))
                batch.put(blob("gedeeld", i))  # both writers store these: duplicates across packs


def purge(path: Path, shas: list[str]) -> None:
    store = Store.open(path)
    for sha in shas:
        store.remove_raw(sha)


def crash(path: Path, count: int) -> None:
    store = Store.open(path)
    with store.raw_batch() as batch:
        for i in range(count):
            batch.put(blob("crash", i))
        os._exit(3)  # a killed fetch: the block never ends


def half(path: Path, prefix: str) -> None:
    """A writer killed after writing its table files, before its manifest (exit 0 there)."""
    import oso_tui.store.storage as storage

    storage.atomic_write = lambda *args, **kwargs: os._exit(0)  # type: ignore[assignment]
    one_transaction(Store.open(path), prefix, 0)
    raise SystemExit("de schrijver kwam niet bij de inhoudsopgave")


if __name__ == "__main__":
    command, db = sys.argv[1], Path(sys.argv[2])
    if command == "many":
        many(db, sys.argv[3], int(sys.argv[4]))
    elif command == "kill":
        kill(db, int(sys.argv[3]), int(sys.argv[4]))
    elif command == "pack":
        pack(db, sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif command == "purge":
        purge(db, sys.argv[3:])
    elif command == "crash":
        crash(db, int(sys.argv[3]))
    elif command == "half":
        half(db, sys.argv[3])
    elif command == "audit":
        audit(db, sys.argv[3], int(sys.argv[4]))
    else:
        raise SystemExit(f"onbekende opdracht {command}")

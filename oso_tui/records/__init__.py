"""The records: what the services keep in the store, asked for by what it is, never by where it lives.

Only this layer knows table names, the pupil shards and the overview table; the services ask for "the
pupil with this PGN" or "the versions of this request" (`tests/test_architecture.py` holds them to it).
One module per kind of record, with English verbs: `leerlingen.get(view, pgn)`, `historie.of(view,
pgn)`, `aanvragen.save(tx, ...)`, `dossiers.of_request(view, aanvraag)`, `audit.record(tx, ...)`.
"""

from __future__ import annotations

from oso_tui.store import Snapshot, Transaction

View = Transaction | Snapshot
"""What a reader needs: a snapshot, or the transaction it writes in."""

__all__ = ["View"]

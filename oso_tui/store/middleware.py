"""The transaction's staging: every TinyDB write kept in memory until the store commits the whole user
action as one write (see `storage.py`)."""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

from tinydb.middlewares import Middleware

from oso_tui.store.lazy import CommittedState, Tables
from oso_tui.store.overlay import Overlay, parsed_base
from oso_tui.store.patches import PatchedOverlay

if TYPE_CHECKING:
    from oso_tui.store.storage import SafeJSONStorage


class TransactionMiddleware(Middleware):
    """Stages TinyDB's writes in memory between `begin` and `commit`/`rollback`.

    TinyDB writes the whole database after every table operation; here those writes only replace
    the staged state, and the store writes once at commit. Outside a transaction there is nothing to
    read, so a stray write without a transaction fails loudly instead of touching the file.
    """

    storage: SafeJSONStorage

    def __init__(self, storage_cls: type[SafeJSONStorage]) -> None:
        super().__init__(storage_cls)
        self._staged: MutableMapping[str, dict[str, Any]] | None = None
        self._base: Tables = {}
        self.dirty: dict[str, set[str]] = {}
        """Per table written in this transaction, the ids of the documents its updates touched, so the
        commit looks at those runs only; a table not in it (one replaced or dropped whole) is compared
        in full."""

    @property
    def active(self) -> bool:
        return self._staged is not None

    def begin(self, base: Tables) -> MutableMapping[str, dict[str, Any]]:
        """Start staging on top of `base`, the freshly read committed state (never mutated).

        The staged state is an overlay, not a copy: copying would parse every table of the file.
        """
        self._base = base
        self._staged = PatchedOverlay(base)
        self.dirty = {}
        return self._staged

    def read(self) -> MutableMapping[str, dict[str, Any]]:
        if self._staged is None:
            raise RuntimeError("TinyDB is alleen binnen Store.transaction() te gebruiken")
        return self._staged

    def write(self, data: MutableMapping[str, dict[str, Any]]) -> None:
        if self._staged is None:
            raise RuntimeError("TinyDB is alleen binnen Store.transaction() te gebruiken")
        self._staged = data

    def changed_tables(self) -> list[str]:
        """Tables whose content differs from the base (TinyDB replaces a table dict on every update).

        Only tables TinyDB replaced or dropped are candidates; a table it never wrote is unchanged
        and stays unparsed.
        """
        staged, base = self._staged or {}, self._base
        patched = staged.patches if isinstance(staged, PatchedOverlay) and staged.base is base else {}
        if isinstance(staged, Overlay) and staged.base is base:
            names = set(staged.local) | staged.dropped
        else:
            names = set(staged) | set(base)
        return sorted(set(patched) | {n for n in names if _differs(staged, base, n)})

    def patch(
        self, name: str, docs: Sequence[tuple[str, dict[str, Any] | None]], *, new: bool = False
    ) -> bool:
        """Stage puts (None: deletes) into `name` without reading it, when it was not read whole (see
        `patches.py`); False when the caller must write through TinyDB. `new`: the caller minted the
        ids."""
        staged = self._staged
        if not isinstance(staged, PatchedOverlay) or staged.base is not self._base:
            return False
        if name not in staged.patches and not staged.can_patch(name):
            return False
        staged.patch(name, docs, new=new)
        return True

    def staged(self) -> MutableMapping[str, dict[str, Any]]:
        if self._staged is None:
            raise RuntimeError("geen transactie actief")
        return self._staged

    def end(self) -> None:
        self._staged = None
        self._base = {}
        self.dirty = {}

    def touch(self, name: str, keys: Iterable[str]) -> None:
        """Note the documents a table update added, replaced or removed (see `dirty`)."""
        self.dirty.setdefault(name, set()).update(keys)


def _differs(staged: Tables, base: Tables, name: str) -> bool:
    if (name in staged) != (name in base):
        return True
    if name not in staged:
        return False
    new = staged[name]
    known = parsed_base(staged, base, name) if isinstance(base, CommittedState) else base.get(name)
    return new is not known and new != base[name]

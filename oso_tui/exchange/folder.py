"""The folder exchange (the default): dossiers arrive as XML files in an inbox folder.

After a fetch each file is dealt with so that no copy outlives the summer purge:
- stored (or already known): the store holds exactly these bytes, durably, in its own folder, so the
  inbox file is removed; the purge after the summer removes the stored copy, and with it the last one;
- refused: moved to `rejected/` with a `<name>.reden.txt` beside it that says why and until when it is
  kept; after the summer vacation following that date both are removed (`opschonen`);
- no request yet, or the link waits for confirmation: the file stays in the inbox, untouched.

Files moved or written here get mode 0600, or 0660 with the configured staff group, whatever the umask;
folders made here get 0700 or 2770.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from oso_tui.errors import OsoError, ReadError
from oso_tui.exchange.base import Binnenkomend, Exchange, ItemGoneError
from oso_tui.exchange.models import Aanvraag
from oso_tui.store.files import FileMode

PROCESSED = "processed"
"""Where earlier versions moved stored files; still swept by `opschonen`, no longer written."""
REJECTED = "rejected"
REASON_SUFFIX = ".reden.txt"
_SAMEN_VANAF = 16  # fewer files than this are removed one after another
_VERWIJDERAARS = 8  # threads that remove files side by side (they wait on the disk, not the CPU)
_KEPT_UNTIL = re.compile(r"zomervakantie na (\d{4}-\d{2}-\d{2})")


def bewaartekst(datum: date) -> str:
    """The reason file's last line: the date the purge goes by (the dossier's, or when it came in)."""
    return (
        f"oso-tui verwijdert dit bestand en deze reden na de zomervakantie na {datum.isoformat()} "
        "(OSO-gegevens van vóór de zomer zijn daarna niet meer beschikbaar)."
    )


class FolderExchange(Exchange):
    """Reads `*.xml` files directly inside `inbox` (not in its subfolders)."""

    def __init__(self, inbox: Path, *, create: bool = False, group: str | None = None) -> None:
        """`create` makes a missing inbox; `group` (the staff group) gets read and write access."""
        self.inbox = Path(inbox).expanduser()
        self.naam = f"map {self.inbox}"
        self.file_mode = FileMode.for_group(group)
        self._dir_mode = self.file_mode.dir_mode
        self._made: set[Path] = set()  # folders made (or found) by this exchange: one mkdir each
        self._read: dict[str, tuple[int, int, int, int]] = {}  # what `lees` saw of each file
        if create and not self.inbox.exists():
            self._mkdir(self.inbox, parents=True)
        if not self.inbox.exists():
            raise ReadError(f"De inbox {self.inbox} bestaat niet.")
        if not self.inbox.is_dir():
            raise ReadError(f"De inbox {self.inbox} is geen map.")

    def _mkdir(self, folder: Path, *, parents: bool = False) -> None:
        if folder.is_symlink():  # never chmod, fill or purge a folder elsewhere that a link points at
            raise ReadError(f"{folder} is een koppeling naar een andere map; maak er een gewone map van.")
        folder.mkdir(parents=parents, exist_ok=True)
        with contextlib.suppress(PermissionError):  # a folder someone else made keeps its mode
            folder.chmod(self._dir_mode)
            if self.file_mode.gid is not None:
                os.chown(folder, -1, self.file_mode.gid)

    def binnenkomend(self, aanvragen: Sequence[Aanvraag]) -> list[Binnenkomend]:
        try:
            entries = sorted(os.scandir(self.inbox), key=lambda e: e.name)
        except OSError as exc:
            raise ReadError(f"De inbox {self.inbox} kan niet gelezen worden ({exc.strerror}).") from None
        items = []
        for entry in entries:
            if entry.name.startswith(".") or not entry.name.lower().endswith(".xml"):
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            items.append(Binnenkomend(naam=entry.name, sleutel=entry.path, grootte=entry.stat().st_size))
        return items

    def lees(self, item: Binnenkomend) -> bytes:
        try:
            fd = os.open(item.sleutel, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            raise ItemGoneError(f"{item.naam} is intussen door een andere sessie opgehaald.") from None
        except OSError as exc:
            raise ReadError(f"{item.naam} kan niet gelezen worden ({exc.strerror}).") from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise ReadError(f"{item.naam} is geen gewoon bestand en wordt niet gelezen.")
            # Never more than was listed: a file still growing is offered again at the next fetch.
            data = _read_fd(fd, None if item.grootte is None else item.grootte + 1)
            if item.grootte is not None and len(data) > item.grootte:
                raise ItemGoneError(f"{item.naam} wordt nog geschreven; het wordt later opgehaald.")
        except OSError as exc:
            raise ReadError(f"{item.naam} kan niet gelezen worden ({exc.strerror}).") from None
        finally:
            os.close(fd)
        self._read[item.sleutel] = _identity(info)
        return data

    def verwerkt(self, item: Binnenkomend) -> None:
        """The store holds these bytes: the inbox copy goes, unless the file changed since it was read."""
        path = Path(item.sleutel)
        try:
            if _identity(path.lstat()) != self._read.get(item.sleutel):
                return  # replaced meanwhile: the new content is offered at the next fetch
            path.unlink()
        except FileNotFoundError:
            return  # another session dealt with it meanwhile
        except OSError as exc:
            raise ReadError(
                f"{item.naam} is opgeslagen maar kon niet uit de inbox verwijderd worden ({exc.strerror})."
            ) from None

    def verwerkt_alle(self, items: Sequence[Binnenkomend]) -> list[str]:
        """Removes many files at once: each removal mostly waits for the file system's journal, and
        waiting side by side costs about as much as waiting for one."""
        if len(items) < _SAMEN_VANAF:
            return super().verwerkt_alle(items)

        def one(item: Binnenkomend) -> str | None:
            try:
                self.verwerkt(item)
            except OsoError as exc:
                return exc.message
            return None

        with ThreadPoolExecutor(max_workers=_VERWIJDERAARS) as pool:
            return [m for m in pool.map(one, items) if m is not None]

    def afgewezen(self, item: Binnenkomend, reden: str, datum: date | None = None) -> None:
        target = self._move(item, self.inbox / REJECTED)
        if target is None:
            return
        reason = target.with_name(target.name + REASON_SUFFIX)
        text = reden + "\n" + (bewaartekst(datum) + "\n" if datum is not None else "")
        try:
            self._write_new(reason, text.encode("utf-8"))
        except OSError as exc:
            raise ReadError(
                f"De reden bij {target.name} kon niet geschreven worden ({exc.strerror})."
            ) from None

    def opschonen(self, verlopen: Callable[[date], bool]) -> list[Path]:
        """Remove what this exchange moved or wrote that has passed its summer; returns what went.

        A refused file goes with its reason file once `verlopen` holds for the date in that reason;
        without a readable date (a file moved by an older version, or a reason that could not be
        written) the file's own modification date counts.
        """
        removed: list[Path] = []
        for folder in (self.inbox / REJECTED, self.inbox / PROCESSED):
            if folder.is_symlink():
                continue  # not a folder this exchange made
            try:
                entries = {e.name: e for e in os.scandir(folder)}
            except OSError:
                continue
            for name, entry in sorted(entries.items()):
                if not entry.is_file(follow_symlinks=False) or not _ours(name):
                    continue
                if name.endswith(REASON_SUFFIX):
                    if name.removesuffix(REASON_SUFFIX) in entries:
                        continue  # goes with its file
                    reason = Path(entry.path)
                    if verlopen(_kept_until(reason) or _mtime_date(reason)):
                        removed += _unlink(reason)
                    continue
                path = Path(entry.path)
                reason = path.with_name(name + REASON_SUFFIX)
                kept = _kept_until(reason) if name + REASON_SUFFIX in entries else None
                if verlopen(kept or _mtime_date(path)):
                    removed += _unlink(path, reason)
        return removed

    def _move(self, item: Binnenkomend, folder: Path) -> Path | None:
        """Move without ever overwriting: a name already taken gets a number."""
        source = Path(item.sleutel)
        try:
            try:
                return self._move_once(source, folder)
            except FileNotFoundError:
                if not source.exists():
                    return None  # another session moved it meanwhile
                self._made.discard(folder)  # the folder went away meanwhile: make it again
                return self._move_once(source, folder)
        except OSError as exc:
            raise ReadError(
                f"{item.naam} is verwerkt maar kon niet naar {folder} verplaatst worden ({exc.strerror})."
            ) from None

    def _move_once(self, source: Path, folder: Path) -> Path:
        if folder not in self._made:  # one mkdir per folder per exchange, not one per file
            self._mkdir(folder)
            self._made.add(folder)
        target = folder / source.name
        number = 1
        while target.exists() or target.with_name(target.name + REASON_SUFFIX).exists():
            target = folder / f"{source.stem}-{number}{source.suffix}"
            number += 1
        source.rename(target)
        self._restrict(target)
        return target

    def _restrict(self, path: Path) -> None:
        """A moved file keeps the mode it arrived with; it holds pupil data, so it gets ours."""
        with contextlib.suppress(PermissionError):
            path.chmod(self.file_mode.mode, follow_symlinks=False)
            if self.file_mode.gid is not None:
                os.chown(path, -1, self.file_mode.gid, follow_symlinks=False)

    def _write_new(self, path: Path, data: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
        try:
            os.fchmod(fd, self.file_mode.mode)
            if self.file_mode.gid is not None:
                with contextlib.suppress(PermissionError):
                    os.fchown(fd, -1, self.file_mode.gid)
            os.write(fd, data)
        finally:
            os.close(fd)


def _ours(name: str) -> bool:
    """A name this exchange gives: a dossier (`*.xml`, perhaps numbered) or its reason file."""
    lower = name.lower()
    return lower.endswith(".xml") or lower.endswith(".xml" + REASON_SUFFIX)


def _read_fd(fd: int, limit: int | None) -> bytes:
    """Up to `limit` bytes (all without one) with plain reads: no buffered file object per dossier."""
    parts: list[bytes] = []
    total = 0
    while limit is None or total < limit:
        chunk = os.read(fd, 1 << 20 if limit is None else limit - total)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _kept_until(reason: Path) -> date | None:
    try:
        with reason.open("rb") as handle:
            text = handle.read(64 * 1024).decode("utf-8", errors="replace")
    except OSError:
        return None
    found = _KEPT_UNTIL.findall(text)
    try:
        return date.fromisoformat(found[-1]) if found else None
    except ValueError:
        return None


def _mtime_date(path: Path) -> date:
    try:
        return date.fromtimestamp(path.lstat().st_mtime)
    except (OSError, ValueError, OverflowError):
        return date.min


def _unlink(*paths: Path) -> list[Path]:
    """Remove what can be removed; one that cannot (rights) is tried again at the next purge."""
    gone = []
    for path in paths:
        try:
            path.unlink()
            gone.append(path)
        except OSError:
            continue
    return gone

"""`oso-tui doctor`: check the store on disk and, when asked, repair what can be repaired safely.

Checks: every table file the manifest names is there, parses and matches its length and CRC (one
table at a time, so a large store is checked in bounded memory), no file it does not name, its
schema version, raw dossiers that are missing or no longer referenced, file and folder permissions,
and temp and table files left by a killed writer. Repairs never touch a damaged database and never
remove data that is still referenced; everything runs under the store lock so no one writes meanwhile.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from oso_tui.clock import file_seconds, file_time
from oso_tui.store.audit import AuditPart, audit_dir, part_bytes, read_journal
from oso_tui.store.backups import SHARED, age_text
from oso_tui.store.errors import StoreCorruptError, StoreError, StoreReadOnlyError
from oso_tui.store.files import FileMode, is_temp, os_reason, writer_gone
from oso_tui.store.lazy import not_a_file_error
from oso_tui.store.leftovers import remove_leftovers, stale_leftovers
from oso_tui.store.manifest import PartsState
from oso_tui.store.opening import missing_manifest
from oso_tui.store.schema import SCHEMA_VERSION, schema_of
from oso_tui.store.storage import Tables, open_state
from oso_tui.store.store import DEFAULT_LOCK_TIMEOUT, Store
from oso_tui.store.tables import AUDIT, AUDIT_PARTS, DOSSIERS

ORPHAN_GRACE_SECONDS = 3600
"""A raw dossier is stored just before the transaction that references it; give that time to land."""

Status = Literal["ok", "probleem", "hersteld", "info"]


@dataclass
class Line:
    status: Status
    text: str
    fixable: bool = False


@dataclass
class DoctorReport:
    """What doctor found, as lines for the user; healthy when no problem is left."""

    path: Path
    lines: list[Line] = field(default_factory=list)

    def add(self, status: Status, text: str, *, fixable: bool = False) -> None:
        self.lines.append(Line(status, text, fixable))

    @property
    def healthy(self) -> bool:
        return not any(line.status == "probleem" for line in self.lines)

    def render(self) -> list[str]:
        labels = {"ok": "in orde", "probleem": "PROBLEEM", "hersteld": "hersteld", "info": "let op"}
        out = [f"Controle van de database {self.path}:"]
        out += [f"  {labels[line.status]:<9} {line.text}" for line in self.lines]
        if self.healthy:
            out.append("De database is gezond.")
        else:
            problems = sum(line.status == "probleem" for line in self.lines)
            fixable = any(line.status == "probleem" and line.fixable for line in self.lines)
            hint = " Herstel wat kan met 'oso-tui doctor --herstel'." if fixable else ""
            out.append(f"Er {'is 1 probleem' if problems == 1 else f'zijn {problems} problemen'}.{hint}")
        return out


def restoring_store(path: Path, *, group: str | None = None) -> Store:
    """The store at `path` without opening it: doctor must work on a file that does not open."""
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise not_a_file_error(path, is_dir=True)
    return Store(path, FileMode.for_group(group), DEFAULT_LOCK_TIMEOUT)


def diagnose(path: Path, *, group: str | None = None, repair: bool = False) -> DoctorReport:
    """Check the store at `path`; with `repair`, fix what can be fixed without losing data."""
    path = Path(path).expanduser().absolute()
    report = DoctorReport(path)
    if path.is_dir() or (path.exists() and not path.is_file()):
        report.add("probleem", not_a_file_error(path, is_dir=path.is_dir()).message)
        return report
    store = restoring_store(path, group=group)
    if not path.exists():
        damage = missing_manifest(path, store.restore_hint)
        if damage is not None:
            report.add(
                "probleem", f"{damage.message} Doctor repareert dit niet zelf, om niets te overschrijven."
            )
        else:
            report.add(
                "probleem", f"Er is geen databasebestand op {path} (verkeerd pad, of nog nooit opgeslagen)."
            )
        return report
    if repair:
        with store._locked():
            _run(store, report, repair=True)
    else:
        _run(store, report, repair=False)
    return report


def _run(store: Store, report: DoctorReport, *, repair: bool) -> None:
    data = _check_json(store, report)
    if data is not None:
        _check_schema(store, data, report, repair=repair)
        _check_raw(store, data, report, repair=repair)
        _check_audit(store, data, report)
        _check_leftovers(store, data, report, repair=repair)
    _check_temps(store, report, repair=repair)
    _check_permissions(store, report, repair=repair)
    _check_backups(store, report)


def _check_json(store: Store, report: DoctorReport) -> Tables | None:
    try:
        state = open_state(store.path, store.restore_hint)
        if state is None:
            report.add("probleem", f"Er is geen databasebestand op {store.path}.")
            return None
        counts = state.verify()
    except StoreCorruptError as exc:
        report.add("probleem", f"{exc.message} Doctor repareert dit niet zelf, om niets te overschrijven.")
        for name in exc.tables[:3]:
            report.add("info", _table_in_backups(store, name))
        return None
    except StoreError as exc:
        report.add("probleem", exc.message)
        return None
    count = sum(n for name, n in counts.items() if not name.startswith("_"))
    size_bytes = state.size if isinstance(state, PartsState) else state.identity.size
    size = f"{size_bytes} bytes" if size_bytes < 10 * 1024 else f"{size_bytes / 1024:.0f} KiB"
    if isinstance(state, PartsState):
        tables, files = len(state.manifest.parts), len(state.manifest.files)
        report.add(
            "ok",
            f"Alle {tables} tabellen ({files} {'bestand' if files == 1 else 'bestanden'}) zijn aanwezig, "
            f"heel en geldige JSON ({size}, {count} records).",
        )
    else:
        report.add("ok", f"Het bestand is geldige JSON ({size}, {count} records).")
        report.add(
            "info",
            "Het bestand heeft de indeling van een oudere oso-tui (alles in één bestand); de eerste "
            "wijziging zet het om naar een map met tabelbestanden, na een reservekopie.",
        )
    return state


def _check_leftovers(store: Store, data: Tables, report: DoctorReport, *, repair: bool) -> None:
    """Table files a killed writer left: harmless, removed by the next change or by --herstel."""
    if not isinstance(data, PartsState) or data.folder != store.parts_dir:
        return
    found = stale_leftovers(data.folder, data.manifest)
    if not found:
        return
    if repair:
        removed = remove_leftovers(data.folder, data.manifest)
        report.add(
            "hersteld",
            f"{len(removed)} achtergebleven tabelbestand(en) van een afgebroken wijziging verwijderd.",
        )
    else:
        report.add(
            "info",
            f"{len(found)} achtergebleven tabelbestand(en) van een afgebroken wijziging (bijvoorbeeld "
            f"{found[0]}); de volgende wijziging of --herstel ruimt ze op.",
        )


def _table_in_backups(store: Store, name: str) -> str:
    """Which restore point still holds a table the file lost or damaged."""
    now = file_time()
    for backup in store.backup_list():
        try:
            state = open_state(backup.path, lambda: "")
            if state is None or name not in state:
                continue
            try:
                records = len(state[name])
            finally:
                state.close()
        except StoreError:
            continue
        return (
            f"Tabel '{name}' staat heel in de reservekopie {backup.path.name} (van "
            f"{age_text(backup.made, now)}, {records} record{'' if records == 1 else 's'}); zet die terug "
            f"met 'oso-tui doctor --terugzetten {backup.path.name}'."
        )
    return f"Geen enkele reservekopie bevat tabel '{name}'."


def _check_schema(store: Store, data: Tables, report: DoctorReport, *, repair: bool) -> None:
    version = schema_of(data)
    if version == SCHEMA_VERSION:
        report.add("ok", f"Schemaversie {version} is de huidige.")
    elif version > SCHEMA_VERSION:
        report.add(
            "probleem",
            f"Schemaversie {version} is nieuwer dan deze oso-tui kent ({SCHEMA_VERSION}); werk oso-tui bij.",
        )
    elif repair:
        try:
            store._create_or_migrate()
        except StoreReadOnlyError as exc:
            report.add("probleem", exc.message)
            return
        report.add(
            "hersteld", f"Schemaversie {version} is bijgewerkt naar {SCHEMA_VERSION} (na een reservekopie)."
        )
    else:
        report.add(
            "probleem",
            f"Schemaversie {version} is verouderd; de eerste wijziging of --herstel werkt haar bij.",
            fixable=True,
        )


def _dossier_refs(data: Tables) -> tuple[set[str], set[str]]:
    """Raw dossiers that must exist, and those whose raw file was purged on purpose."""
    needed: set[str] = set()
    purged: set[str] = set()
    for key, doc in data.get(DOSSIERS, {}).items():
        sha = str(doc.get("id", key))
        (purged if doc.get("verwijderd") else needed).add(sha)
    return needed, purged


def _check_raw(store: Store, data: Tables, report: DoctorReport, *, repair: bool) -> None:
    needed, _purged = _dossier_refs(data)
    present = set(store.raw_ids())
    missing = sorted(needed - present)
    if missing:
        report.add(
            "probleem",
            f"{len(missing)} dossierbestand(en) ontbreken in {store.raw_dir} "
            f"(bijvoorbeeld {missing[0][:12]}…); haal die dossiers opnieuw op.",
        )
    damaged = [sha for sha in sorted(needed & present) if not _intact(store, sha)]
    if damaged:
        report.add(
            "probleem",
            f"{len(damaged)} dossierbestand(en) zijn beschadigd (inhoud past niet bij de naam, bijvoorbeeld "
            f"{damaged[0][:12]}…); haal die dossiers opnieuw op.",
        )
    orphans = sorted(present - needed)
    now = file_seconds()
    old_orphans = [s for s in orphans if now - store.raw_mtime(s) > ORPHAN_GRACE_SECONDS]
    if old_orphans and repair:
        store.remove_raw_many(old_orphans)
        report.add("hersteld", f"{len(old_orphans)} dossierbestand(en) zonder dossierversie verwijderd.")
    elif old_orphans:
        report.add(
            "probleem",
            f"{len(old_orphans)} dossierbestand(en) horen bij geen enkele dossierversie (of zijn al "
            "opgeschoond) en bevatten mogelijk nog persoonsgegevens.",
            fixable=True,
        )
    if len(orphans) > len(old_orphans):
        report.add(
            "info", f"{len(orphans) - len(old_orphans)} recent opgeslagen dossierbestand(en) wachten nog."
        )
    broken = store.damaged_packs()
    for pack, reason in broken.items():
        report.add(
            "probleem",
            f"{reason[:1].upper()}{reason[1:]}; de dossiers erin zijn onbruikbaar en bevatten mogelijk nog "
            f"persoonsgegevens. Haal ze opnieuw op en verwijder daarna {pack}, of zet het terug uit de "
            "systeemback-up.",
        )
    if not (missing or damaged or old_orphans or broken):
        report.add("ok", f"Alle {len(needed)} dossierbestanden zijn aanwezig en heel.")


def _check_audit(store: Store, data: Tables, report: DoctorReport) -> None:
    """Every sealed part of the audit log the database lists is there and matches its sha256."""
    try:
        parts = [AuditPart.model_validate(doc) for doc in data.get(AUDIT_PARTS, {}).values()]
    except ValidationError:
        report.add("probleem", f"De lijst van auditdelen (tabel {AUDIT_PARTS}) is onleesbaar.")
        return
    problems = 0
    for part in sorted(parts, key=lambda p: p.id):
        try:
            part_bytes(store, part)
        except StoreError as exc:
            report.add("probleem", exc.message)
            problems += 1
    journal = 0
    try:
        journal = len(read_journal(store, max((int(p.id) for p in parts if p.id.isdigit()), default=0) + 1))
    except StoreError as exc:
        report.add("probleem", exc.message)
        problems += 1
    listed = {p.bestand for p in parts}
    folder = audit_dir(store)
    loose = (
        sorted(p.name for p in folder.glob("deel-*.json") if p.name not in listed) if folder.is_dir() else []
    )
    if loose:
        one = len(loose) == 1
        report.add(
            "info",
            f"{len(loose)} {'auditdeel staat' if one else 'auditdelen staan'} niet in de database "
            f"({', '.join(loose[:3])}), bijvoorbeeld na het terugzetten van een reservekopie; doctor laat "
            f"{'het' if one else 'ze'} staan.",
        )
    if not problems:
        open_lines = len(data.get(AUDIT, {})) + journal
        report.add(
            "ok",
            f"Het auditlog: {len(parts)} afgesloten {'deel' if len(parts) == 1 else 'delen'} en "
            f"{open_lines} open {'regel' if open_lines == 1 else 'regels'}, alle heel.",
        )


def _intact(store: Store, sha: str) -> bool:
    """Some stored copy matches its sha256 (a loose file or a packed blob)."""
    try:
        store.get_raw(sha)
    except StoreError:
        return False
    return True


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _store_files(store: Store) -> Iterator[Path]:
    yield store.path
    for folder in (store.parts_dir, store.backup_dir / SHARED):
        if folder.is_dir():
            yield from sorted(p for p in folder.iterdir() if p.is_file() and not is_temp(p))
    if store.lock_path.exists():
        yield store.lock_path
    yield from store.backups()
    for sha in store.raw_ids():
        loose = store.raw_dir / f"{sha}.xml"
        if loose.exists():
            yield loose
    yield from store.raw_packs()
    if store.pack_lock_path.exists():
        yield store.pack_lock_path
    folder = audit_dir(store)
    if folder.is_dir():
        yield from sorted(folder.glob("deel-*.json"))
        yield from sorted(folder.glob("open-*.jsonl"))


def _temp_files(store: Store, *, locked: bool) -> list[Path]:
    """Temp files of a killed writer; one whose writer still holds its lock belongs to a save or fetch
    in progress right now.

    Under the store lock no database write can be in progress, so then every temp file of the
    database is stale; elsewhere a temp file counts once no writer holds its lock.
    """
    found: list[Path] = []
    for folder in (
        store.path.parent,
        store.raw_dir,
        store.backup_dir,
        audit_dir(store),
        store.backup_dir / SHARED,
    ):
        try:
            entries = list(folder.iterdir())
        except FileNotFoundError:
            continue
        for path in entries:
            if not is_temp(path):
                continue
            ours_db = folder == store.path.parent
            if ours_db and not path.name.startswith(f".{store.path.name}"):
                continue
            if (ours_db and locked) or writer_gone(path):
                found.append(path)
    return found


def _check_temps(store: Store, report: DoctorReport, *, repair: bool) -> None:
    temps = _temp_files(store, locked=repair)
    if not temps:
        report.add("ok", "Geen achtergebleven tijdelijke bestanden.")
    elif repair:
        for temp in temps:
            temp.unlink(missing_ok=True)
        report.add("hersteld", f"{len(temps)} achtergebleven tijdelijk(e) bestand(en) verwijderd.")
    else:
        report.add(
            "probleem",
            f"{len(temps)} achtergebleven tijdelijk(e) bestand(en) van een afgebroken schrijfactie "
            f"(bijvoorbeeld {temps[0].name}).",
            fixable=True,
        )


def _check_permissions(store: Store, report: DoctorReport, *, repair: bool) -> None:
    expected = store.mode
    wrong: list[Path] = []
    try:
        store._refuse_read_only()
    except StoreReadOnlyError:
        report.add(
            "info",
            f"Het databasebestand is alleen-lezen (rechten {stat.S_IMODE(store.path.stat().st_mode):04o}): "
            "oso-tui leest het, maar weigert elke wijziging; doctor laat die rechten zo.",
        )
    for path in _store_files(store):
        st = path.stat()
        if path == store.path and not st.st_mode & 0o222:
            continue  # read-only on purpose: respected, never "repaired"
        if stat.S_IMODE(st.st_mode) != expected.mode or (
            expected.gid is not None and st.st_gid != expected.gid
        ):
            wrong.append(path)
    for folder in (store.raw_dir, store.backup_dir, audit_dir(store), store.parts_dir):
        if folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) & 0o007:
            wrong.append(folder)
    if not wrong:
        report.add("ok", f"Rechten van alle bestanden zijn {expected.mode:04o}.")
        return
    if not repair:
        report.add(
            "probleem",
            f"{len(wrong)} bestand(en) of map(pen) hebben andere rechten dan {expected.mode:04o}"
            f"{' met de ingestelde groep' if expected.gid is not None else ''} (bijvoorbeeld {wrong[0]}).",
            fixable=True,
        )
        return
    try:
        for path in wrong:
            path.chmod(expected.dir_mode if path.is_dir() else expected.mode)
            if expected.gid is not None:
                os.chown(path, -1, expected.gid)
    except OSError as exc:
        raise StoreError(f"De rechten van {path} kunnen niet aangepast worden ({os_reason(exc)}).") from None
    report.add("hersteld", f"Rechten van {len(wrong)} bestand(en) of map(pen) rechtgezet.")


def _check_backups(store: Store, report: DoctorReport) -> None:
    found = store.backup_list()
    if not found:
        report.add("info", f"Er is nog geen reservekopie in {store.backup_dir}.")
        return
    good = 0
    for backup in found:
        try:
            state = open_state(backup.path, lambda: "")
            if state is not None:
                try:
                    state.verify()
                finally:
                    state.close()
                good += 1
        except StoreError as exc:
            what = exc.what if isinstance(exc, StoreCorruptError) and exc.what else "onleesbaar"
            report.add("probleem", f"De reservekopie {backup.path.name} is beschadigd ({what}).")
    newest = found[0]
    report.add(
        "ok",
        f"{good} bruikbare {'reservekopie' if good == 1 else 'reservekopieën'}; de nieuwste is "
        f"{newest.path.name} (van {age_text(newest.made, file_time())}).",
    )

"""A dossier's attachments: listing them and saving them (zorg only, audited: they are care data)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from oso_tui.dossier.identifiers import validate_pgn
from oso_tui.dossier.models import Dossier
from oso_tui.errors import UsageError
from oso_tui.services import rollen
from oso_tui.services.context import Context
from oso_tui.services.reading import choose_version, read_version


class BijlageInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    bestandsnaam: str
    omschrijving: str | None = None
    grootte: int = 0
    bron: str = ""


def _dossier(ctx: Context, pgn: str, versie: str | None) -> Dossier:
    rollen.vereis(ctx.settings, ctx.user, "zorg-inzien")
    with ctx.store.snapshot() as view:
        gekozen = choose_version(view, pgn, versie)
    dossier, _, _ = read_version(ctx, gekozen)
    return dossier


def list_attachments(ctx: Context, *, pgn: str, versie: str | None = None) -> list[BijlageInfo]:
    """The attachments of the latest (or a chosen) dossier version; zorg only and audited (care data)."""
    pgn = validate_pgn(pgn)
    dossier = _dossier(ctx, pgn, versie)
    if dossier.bijlagen:
        with ctx.store.transaction() as tx:
            ctx.audit(tx, actie="bekijken-zorg", pgn=pgn, detail="bijlagen tonen")
    return [
        BijlageInfo(bestandsnaam=b.bestandsnaam, omschrijving=b.omschrijving, grootte=b.grootte, bron=b.bron)
        for b in dossier.bijlagen
    ]


def save_attachments(
    ctx: Context,
    *,
    pgn: str,
    map: Path,
    namen: Iterable[str] | None = None,
    nummers: Iterable[int] | None = None,
    versie: str | None = None,
) -> list[Path]:
    """Save attachments (as the ZIP files they are, never unpacked) into `map`; existing files are kept.

    All of them, or those named (`namen`) or numbered as in `list_attachments()` (`nummers`, from 0).
    Only on request, zorg only, audited. A name that exists already gets a number: nothing is overwritten.
    """
    pgn = validate_pgn(pgn)
    dossier = _dossier(ctx, pgn, versie)
    wanted = set(namen) if namen is not None else None
    chosen = [b for b in dossier.bijlagen if wanted is None or b.bestandsnaam in wanted]
    if nummers is not None:
        indices = sorted(set(nummers))
        if any(not 0 <= i < len(dossier.bijlagen) for i in indices):
            raise UsageError(
                f"Het dossier heeft {len(dossier.bijlagen)} bijlage(n); dat nummer bestaat niet."
            )
        chosen = [b for i, b in enumerate(dossier.bijlagen) if i in indices and b in chosen]
    if wanted is not None:
        missing = wanted - {b.bestandsnaam for b in chosen}
        if missing:
            raise UsageError(f"Het dossier heeft geen bijlage '{sorted(missing)[0]}'.")
    if not map.is_dir():
        raise UsageError(f"De map {map} bestaat niet.")
    contents = [(Path(b.bestandsnaam).name or "bijlage", b.inhoud()) for b in chosen]
    saved: list[Path] = []
    try:
        for name, data in contents:
            saved.append(_write_new(map, name if name.lower().endswith(".zip") else f"{name}.zip", data))
        with ctx.store.transaction() as tx:
            ctx.audit(tx, actie="bijlagen-opslaan", pgn=pgn, detail=f"{len(saved)} bijlage(n) opgeslagen")
    except BaseException:
        for path in saved:
            path.unlink(missing_ok=True)
        raise
    return saved


def _write_new(folder: Path, name: str, data: bytes) -> Path:
    """A new file (never an existing one: a number is added), created owner-only: it may hold care data."""
    stem = name[:-4] if name.lower().endswith(".zip") else name
    for n in itertools.count(1):
        target = folder / (name if n == 1 else f"{stem}-{n}.zip")
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise UsageError(f"De bijlage kan niet in {folder} bewaard worden ({exc.strerror}).") from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return target
    raise AssertionError("unreachable")

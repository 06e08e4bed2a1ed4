"""Reading a file a user names (a dossier, a CSV) with bounded work, whatever the path points at.

`/dev/zero` never ends, a FIFO blocks until someone writes, a sparse file can claim any size. So the
file is opened without blocking, refused at once unless it is a regular file, refused before reading
when it is larger than the limit, and never read beyond the limit (a file that grows meanwhile).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from oso_tui.errors import ReadError


def read_regular(
    path: Path, max_bytes: int, too_large: Callable[[], str], *, soort: str = "bestand"
) -> bytes:
    """The bytes of the regular file at `path`, at most `max_bytes`; otherwise one Dutch ReadError.

    `too_large` gives the sentence for a file over the limit; `soort` names what was expected
    ("bestand", "CSV-bestand") in the sentence for a folder.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ReadError(f"Het bestand {path} bestaat niet.") from None
    except IsADirectoryError:
        raise ReadError(f"{path} is een map, geen {soort}.") from None
    except PermissionError:
        raise ReadError(f"Geen leesrechten op {path}.") from None
    except OSError as exc:
        raise ReadError(f"Het bestand {path} kan niet gelezen worden ({exc.strerror}).") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError(f"{path} is een map, geen {soort}.")
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(
                f"{path} is geen gewoon bestand (maar een apparaat, pipe of socket) en wordt niet gelezen."
            )
        if info.st_size > max_bytes:
            raise ReadError(too_large())
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise ReadError(f"Het bestand {path} kan niet gelezen worden ({exc.strerror}).") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise ReadError(too_large())
    return data

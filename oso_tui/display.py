"""Text from outside made safe to show: control characters become visible, nothing else changes.

A dossier value, a CSV cell, a file name or a setting may carry control characters: an ESC sequence
that recolours or clears the terminal, a C1 code that some terminals read as ESC, a bidi override that
makes text read backwards, a CR or LF that forges an extra output line. `visible` replaces each of
them by a visible spelling (`\\x1b`, `\\n`, `<U+202E>`) just before the text is shown, in the terminal
app and on the command line alike. The stored value stays exactly as it came in; only the display
escapes. This module imports neither Textual nor Rich, so the command line can use it for free.
"""

from __future__ import annotations

_NAMED = {"\n": "\\n", "\r": "\\r"}


def _spelling(code: int) -> str:
    char = chr(code)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code <= 0xFF else f"<U+{code:04X}>"


CONTROL_CODES = (
    [c for c in range(0x20) if c != 0x09]  # C0 except tab
    + [0x7F]  # DEL
    + list(range(0x80, 0xA0))  # C1, among them CSI (U+009B) and NEL (U+0085)
    + list(range(0x202A, 0x202F))  # bidi embeddings and overrides
    + list(range(0x2066, 0x206A))  # bidi isolates
    + [0x2028, 0x2029]  # line and paragraph separator: a line break for some readers
)
_TABLE = {code: _spelling(code) for code in CONTROL_CODES}
# JSON escapes C0 itself; the rest it writes raw (ensure_ascii=False), so spell those the JSON way.
_JSON_TABLE = {code: f"\\u{code:04x}" for code in CONTROL_CODES if code >= 0x20}


def visible(text: str) -> str:
    """`text` with every control character spelled out; a text without them comes back as it is."""
    return text.translate(_TABLE)


def visible_json(text: str) -> str:
    """JSON text (as `json.dumps` writes it) with control characters as `\\uXXXX` escapes.

    They can only stand inside JSON strings, so the result is valid JSON that reads back to exactly
    the same values; a terminal showing it gets no raw control code."""
    return text.translate(_JSON_TABLE)


_UNSAFE_IN_NAMES = {code: "_" for code in CONTROL_CODES} | {ord(c): "_" for c in '/\\:*?"<>|\x00'}
MAX_NAME_BYTES = 200
"""Below every common file system's limit of 255 bytes, with room for a number and `.zip`."""


def safe_file_name(name: str, fallback: str = "bijlage") -> str:
    """A file name from outside (an attachment's `bestandsnaam`) made safe to create on disk.

    Control and bidi characters (a U+202E makes `piz.exe` look like `exe.zip`) and path or shell-glob
    separators become `_`; leading dots go, so the file is never hidden; the name is cut to
    `MAX_NAME_BYTES` in UTF-8. What is left of nothing is `fallback`.
    """
    cleaned = name.translate(_UNSAFE_IN_NAMES).strip().lstrip(".").strip()
    encoded = cleaned.encode("utf-8")[:MAX_NAME_BYTES]
    cleaned = encoded.decode("utf-8", errors="ignore").strip()
    return cleaned or fallback


def aantal(n: int, enkelvoud: str, meervoud: str) -> str:
    """A count with its noun in the right number: "1 leerling", "2 leerlingen", "0 leerlingen"."""
    return f"{n} {enkelvoud if n == 1 else meervoud}"

"""oso-tui: receive OSO transfer dossiers and register new pupils, in the terminal.

The version is written once, in pyproject.toml; it is read from the installed package's metadata
when asked for, so a plain start does not pay for importlib.metadata.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("oso-tui")
        except PackageNotFoundError:
            return "onbekend"
    raise AttributeError(f"module 'oso_tui' has no attribute {name!r}")

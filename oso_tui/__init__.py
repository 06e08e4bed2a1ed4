"""oso-tui: receive OSO transfer dossiers and register new pupils, in the terminal."""

__version__ = "0.1.0"

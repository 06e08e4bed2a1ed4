"""Names of the tables in the store; every area uses these constants, never string literals."""

from __future__ import annotations

AANVRAGEN = "aanvragen"
DOSSIERS = "dossiers"
LEERLINGEN = "leerlingen"
LEERLINGOVERZICHT = "leerlingoverzicht"
"""One small row per pupil (id, pgn, name, registered steps): what lists need without the pupil's data."""
HISTORIE = "historie"
AUDIT = "audit"

META = "_meta"
"""Internal table with one document: schema version and commit generation."""

ALL_TABLES = (AANVRAGEN, DOSSIERS, LEERLINGEN, LEERLINGOVERZICHT, HISTORIE, AUDIT)

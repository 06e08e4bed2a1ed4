"""The structure of each yearly version of the OSO-gegevensset, one generated module per version.

See `oso_tui/dossier/schema.py` for the table types and `oso_tui/dossier/versions.py` for the versions.
"""

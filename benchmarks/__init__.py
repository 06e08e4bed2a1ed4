"""Benchmarks and the dossier generator they run on (issue 7)."""

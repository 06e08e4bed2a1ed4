"""Shared fixtures: the official files of each version in ../shared (tests skip with a reason when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
OFFICIAL = SHARED / "oso-gegevensset-2019.1"
EXAMPLES = OFFICIAL / "examples"
SKIP_REASON = (
    "the official OSO 2019.1 files (../shared/oso-gegevensset-2019.1) are not present beside the "
    "repository; conformance with the official XSD and examples cannot be checked here"
)


VERSIONS = ("2016.1", "2017.1", "2018.1", "2019.1")


def official_folder(version: str) -> Path:
    return SHARED / f"oso-gegevensset-{version}"


def skip_reason(version: str) -> str:
    return (
        f"the official OSO {version} files (../shared/oso-gegevensset-{version}) are not present beside "
        "the repository; conformance with that version's official XSD and rules cannot be checked here"
    )


def official_examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.xml")) if EXAMPLES.is_dir() else []


@pytest.fixture
def full_example() -> bytes:
    path = EXAMPLES / "Voorbeelddossier_OV_POVO_full.xml"
    if not path.is_file():
        pytest.skip(SKIP_REASON)
    return path.read_bytes()


@pytest.fixture
def optout_example() -> bytes:
    path = EXAMPLES / "Voorbeelddossier_OV_POVO_opt_out.xml"
    if not path.is_file():
        pytest.skip(SKIP_REASON)
    return path.read_bytes()

"""Small, fictional OSO dossiers and a fixed-date setup for the request and fetch tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from oso_tui.settings import Settings
from tests.dossier import builders


def dossier_xml(
    pgn: str,
    *,
    datum: date = date(2026, 3, 10),
    geboortedatum: date = date(2014, 5, 1),
    brin: str = "12AB",
    achternaam: str = "Jansen",
    voornaam: str = "Noor",
) -> bytes:
    """A minimal POVO dossier: the pupil's identity and nothing after it."""
    leerling = builders.Leerling(
        voornamen=(voornaam,),
        voorletters=None,
        voorvoegsel=None,
        achternaam=achternaam,
        roepnaam=voornaam,
        geboortedatum=geboortedatum.isoformat(),
        adres=None,
        communicatie=False,
        bsn=pgn,
        inschrijving=False,
    )
    verplicht = ("oudersverzorgers", "schoolloopbaan", "overstapadvies")
    return builders.dossier_text(
        datum=datum.isoformat(),
        categories=dict.fromkeys(verplicht, "VERPLICHT"),
        category_default="OPT-UIT",
        inzagedatum=datum.isoformat(),
        school=builders.school_xml("Basisschool De Test", brin, details=False),
        leerling=leerling,
        inhoud=[],
    ).encode("utf-8")


def settings_for(tmp_path: Path, today: date, region: str = "midden", **kwargs: object) -> Settings:
    return Settings(
        db_path=tmp_path / "oso.json",
        config_path=tmp_path / "geen-config.toml",
        region=region,
        fixed_today=today,
        inbox=tmp_path / "inbox",
        **kwargs,  # type: ignore[arg-type]
    )


def valid_bsns(n: int, start: int = 100_000_000) -> list[str]:
    """`n` distinct 9-digit numbers that pass the elfproef."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    found = []
    number = start
    while len(found) < n:
        text = f"{number:09d}"
        if sum(w * int(d) for w, d in zip(weights, text, strict=True)) % 11 == 0:
            found.append(text)
        number += 1
    return found

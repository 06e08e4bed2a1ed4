"""Small, fictional OSO dossiers and a fixed-date setup for the request and fetch tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from oso_tui.settings import Settings

TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<dossier xmlns="http://www.edustandaard.nl/oso_gegevensset/2019/dossier">
  <metadata>
    <deeldossier>LASLVS</deeldossier>
    <pakketnaam>Testpakket</pakketnaam>
    <pakketversie>1</pakketversie>
    <datum>{datum}</datum>
    <standaardversie>2019.1</standaardversie>
    <validatieversie>2019.1.1</validatieversie>
    <categorie_uitlevering>
      <cat_metadata>VERPLICHT</cat_metadata>
      <cat_ouderinzage>VERPLICHT</cat_ouderinzage>
      <cat_school>VERPLICHT</cat_school>
      <cat_leerling>VERPLICHT</cat_leerling>
      <cat_oudersverzorgers>VERPLICHT</cat_oudersverzorgers>
      <cat_vve>VERBODEN</cat_vve>
      <cat_schoolloopbaan>VERPLICHT</cat_schoolloopbaan>
      <cat_overstapadvies>VERPLICHT</cat_overstapadvies>
      <cat_onderwijsondersteuning>OPT-UIT</cat_onderwijsondersteuning>
      <cat_verzuim>OPT-UIT</cat_verzuim>
      <cat_eindtoetsbo>OPT-UIT</cat_eindtoetsbo>
      <cat_toetsresultaten>OPT-UIT</cat_toetsresultaten>
      <cat_handelingsplannen>OPT-UIT</cat_handelingsplannen>
      <cat_cijferlijsten>OPT-UIT</cat_cijferlijsten>
      <cat_vombo>VERBODEN</cat_vombo>
      <cat_bijlagedocs>OPT-UIT</cat_bijlagedocs>
    </categorie_uitlevering>
    <overstap>POVO</overstap>
  </metadata>
  <overdrachtsoort>overstapdossier</overdrachtsoort>
  <inzage>
    <voorlopigdossier>false</voorlopigdossier>
    <inzage>true</inzage>
    <inzagedatum>{datum}</inzagedatum>
    <akkoord>Ja</akkoord>
    <toestemming>Ja</toestemming>
  </inzage>
  <huidigeschool>
    <naam>Basisschool De Test</naam>
    <brincode>{brin}</brincode>
    <vestigingscode>00</vestigingscode>
    <aanleverpunt>1</aanleverpunt>
    <leerling>
      <voornaam>{voornaam}</voornaam>
      <achternaam>{achternaam}</achternaam>
      <roepnaam>{voornaam}</roepnaam>
      <geboortedatum>{geboortedatum}</geboortedatum>
      <geslacht>1</geslacht>
      <adresgeheim>false</adresgeheim>
      <bsn>{pgn}</bsn>
    </leerling>
  </huidigeschool>
</dossier>
"""


def dossier_xml(
    pgn: str,
    *,
    datum: date = date(2026, 3, 10),
    geboortedatum: date = date(2014, 5, 1),
    brin: str = "12AB",
    achternaam: str = "Jansen",
    voornaam: str = "Noor",
) -> bytes:
    return TEMPLATE.format(
        pgn=pgn,
        datum=datum.isoformat(),
        geboortedatum=geboortedatum.isoformat(),
        brin=brin,
        achternaam=achternaam,
        voornaam=voornaam,
    ).encode()


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

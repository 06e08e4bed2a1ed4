"""Fictional dossiers and a store seeded with them, for the registration tests (no real people)."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from oso_tui.exchange.models import Aanvraag, DossierVersie, new_aanvraag
from oso_tui.settings import Settings
from oso_tui.store import Store
from oso_tui.store.tables import AANVRAGEN, DOSSIERS

PGN = "123456782"
NS = "http://www.edustandaard.nl/oso_gegevensset/2019/dossier"


def _zip(name: str, text: str) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, text)
    return base64.b64encode(buffer.getvalue()).decode()


def dossier_xml(
    *,
    datum: str = "2027-03-01",
    straat: str = "Kastanjelaan",
    nummer: str = "12",
    achternaam: str = "Vermeulen",
    eindtoets: bool = False,
    zorg: bool = False,
    voorlopig: bool = False,
    bsn: str = PGN,
) -> bytes:
    """A compact POVO dossier of one fictional pupil; May versions add the eindtoets."""
    toets = (
        """
      <eindtoets_basisonderwijs>
        <eindtoetsresultaat>
          <toetssoort>0013</toetssoort>
          <toetsniveau>G</toetsniveau>
          <toetsomschrijving>IEP Eindtoets</toetsomschrijving>
          <datum_afname>2027-04-15</datum_afname>
          <wettelijke_ontheffing>N</wettelijke_ontheffing>
          <standaardscore>88</standaardscore>
          <toets_advies>havo/vwo</toets_advies>
          <onderdelen>
            <onderdeel>
              <onderdeelcode>8001</onderdeelcode>
              <onderdeelomschrijving>Rekenen</onderdeelomschrijving>
              <ond_referentieniveau>03</ond_referentieniveau>
            </onderdeel>
          </onderdelen>
        </eindtoetsresultaat>
        <deelgenomen>true</deelgenomen>
      </eindtoets_basisonderwijs>"""
        if eindtoets
        else ""
    )
    ondersteuning = (
        f"""
      <onderwijsondersteuning>
        <diagnose>
          <code>F81.0</code>
          <naam>Dyslexie</naam>
          <datum>2024-02-01</datum>
          <doorwie>Drs. Fictief</doorwie>
          <document>
            <bestandsnaam>dyslexieverklaring.pdf</bestandsnaam>
            <omschrijving>Dyslexieverklaring</omschrijving>
            <bestandsinhoud>{_zip("dyslexieverklaring.pdf", "fictieve verklaring")}</bestandsinhoud>
          </document>
        </diagnose>
        <medicijngebruik>false</medicijngebruik>
      </onderwijsondersteuning>"""
        if zorg
        else ""
    )
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<dossier xmlns="{NS}">
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
      <cat_onderwijsondersteuning>OPTIONEEL</cat_onderwijsondersteuning>
      <cat_verzuim>OPTIONEEL</cat_verzuim>
      <cat_eindtoetsbo>OPTIONEEL</cat_eindtoetsbo>
      <cat_toetsresultaten>OPTIONEEL</cat_toetsresultaten>
      <cat_handelingsplannen>OPTIONEEL</cat_handelingsplannen>
      <cat_cijferlijsten>OPTIONEEL</cat_cijferlijsten>
      <cat_vombo>VERBODEN</cat_vombo>
      <cat_bijlagedocs>OPTIONEEL</cat_bijlagedocs>
    </categorie_uitlevering>
    <overstap>POVO</overstap>
  </metadata>
  <overdrachtsoort>overstapdossier</overdrachtsoort>
  <inzage>
    <voorlopigdossier>{"true" if voorlopig else "false"}</voorlopigdossier>
    <inzage>true</inzage>
    <inzagedatum>{datum}</inzagedatum>
    <akkoord>Ja</akkoord>
  </inzage>
  <huidigeschool>
    <naam>Basisschool De Fictieve Linde</naam>
    <brincode>99XX</brincode>
    <vestigingscode>00</vestigingscode>
    <aanleverpunt>1</aanleverpunt>
    <leerling>
      <voornaam>Noor</voornaam>
      <voornaam>Anna</voornaam>
      <voorletters-1>N.A.</voorletters-1>
      <achternaam>{achternaam}</achternaam>
      <roepnaam>Noor</roepnaam>
      <geboortedatum>2015-06-01</geboortedatum>
      <geslacht>1</geslacht>
      <adresgeheim>false</adresgeheim>
      <adreslijst>
        <adres>
          <soortadres>gba</soortadres>
          <straat>{straat}</straat>
          <nummer>{nummer}</nummer>
          <postcode>3511AB</postcode>
          <plaats>Utrecht</plaats>
          <land omschrijving="Nederland">6030</land>
        </adres>
      </adreslijst>
      <bsn>{bsn}</bsn>
      <overstapadvies>
        <advies>60</advies>
      </overstapadvies>
      <schoolloopbaanlijst>
        <schoolloopbaan>
          <schooljaar>2026-2027</schooljaar>
          <groepscode>8</groepscode>
          <groepsnaam>groep 8</groepsnaam>
          <jaargroep>8</jaargroep>
          <brincode>99XX</brincode>
          <vestigingscode>00</vestigingscode>
        </schoolloopbaan>
      </schoolloopbaanlijst>{ondersteuning}{toets}
      <verzorger>
        <voornaam>Sanne</voornaam>
        <achternaam>{achternaam}</achternaam>
        <geslacht>1</geslacht>
        <relatietotkind>1</relatietotkind>
        <wettigevertegenwoordiger>true</wettigevertegenwoordiger>
      </verzorger>
    </leerling>
  </huidigeschool>
</dossier>
"""
    return xml.encode("utf-8")


def make_settings(tmp_path: Path, roles: dict[str, tuple[str, ...]] | None = None) -> Settings:
    return Settings(
        db_path=tmp_path / "oso.json",
        config_path=tmp_path / "config.toml",
        roles=roles or {},
        fixed_today=date(2027, 3, 14),
    )


def aanvraag(store: Store, *, pgn: str = PGN, id: str = "a1") -> None:
    request = new_aanvraag(
        id=id, pgn=pgn, geboortedatum=date(2015, 6, 1), brin="99XX", datum=date(2027, 2, 1)
    )
    with store.transaction() as tx:
        tx.collection(AANVRAGEN, Aanvraag).put(request)


def ontvang(
    store: Store, raw: bytes, *, pgn: str = PGN, aanvraag_id: str = "a1", datum: str = "2027-03-01"
) -> str:
    """Store a received dossier version as the fetch does: raw bytes beside the db, a version record."""
    sha = store.put_raw(raw)
    assert sha == hashlib.sha256(raw).hexdigest()
    versie = DossierVersie(
        id=sha,
        aanvraag_id=aanvraag_id,
        pgn=pgn,
        datum=date.fromisoformat(datum),
        standaardversie="2019.1",
        ontvangen=datetime.fromisoformat(f"{datum}T12:00:00").replace(tzinfo=UTC),
        bron="test",
        naam="Noor Vermeulen",
    )
    with store.transaction() as tx:
        tx.collection(DOSSIERS, DossierVersie).put(versie)
    return sha

"""Fictional dossiers and a store seeded with them, for the registration tests (no real people)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

from oso_tui.exchange.models import Aanvraag, DossierVersie, new_aanvraag
from oso_tui.settings import Settings
from oso_tui.store import Store
from oso_tui.store.tables import AANVRAGEN, DOSSIERS
from tests.dossier import builders

PGN = "123456782"
NS = builders.NS


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
    leerling = builders.Leerling(
        voornamen=("Noor", "Anna"),
        voorletters="N.A.",
        voorvoegsel=None,
        achternaam=achternaam,
        roepnaam="Noor",
        geboortedatum="2015-06-01",
        adres=builders.Adres(straat=straat, nummer=nummer, postcode="3511AB", soort="gba", land=True),
        communicatie=False,
        bsn=bsn,
        inschrijving=False,
    )
    inhoud = [
        builders.overstapadvies_xml("60", contact=False),
        builders.LOOPBAAN_8,
        builders.dyslexieverklaring_xml() if zorg else "",
        builders.EINDTOETS if eindtoets else "",
        builders.verzorger_xml("Sanne", None, achternaam, geslacht="1"),
    ]
    verplicht = ("oudersverzorgers", "schoolloopbaan", "overstapadvies")
    return builders.dossier_text(
        datum=datum,
        categories=dict.fromkeys(verplicht, "VERPLICHT"),
        voorlopig=voorlopig,
        inzagedatum=datum,
        toestemming=False,
        school=builders.school_xml("Basisschool De Fictieve Linde", "99XX", details=False),
        leerling=leerling,
        inhoud=inhoud,
    ).encode("utf-8")


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
    """Store a received dossier version as the fetch does: raw bytes beside the db, a version record
    linked into its request (when the request is there)."""
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
        requests = tx.collection(AANVRAGEN, Aanvraag)
        request = requests.get(aanvraag_id)
        if request is not None and sha not in request.versies:
            requests.put(request.model_copy(update={"versies": [*request.versies, sha]}))
    return sha

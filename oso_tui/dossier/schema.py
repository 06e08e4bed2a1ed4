"""Our own copy of the structure of an OSO dossier, as the 2019.1 XSD defines it.

Users do not have the official XSD, so the product carries the structure as plain tables: per type
its content model (sequences and choices of elements with their occurrences), attributes and simple
value types. `tests/dossier/xsd_tables.py` derives the same tables from the official XSD and a
conformance test checks that they are equal; it also prints this table part when the standard moves.
Element names are local names: the namespace changes every year, the structure far less.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Union


def _short_repr(obj: object) -> str:
    """Only the fields that differ from their default, so the tables stay readable."""
    parts = []
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if f.default is not value and f.default != value:
            parts.append(f"{f.name}={value!r}")
    return f"{type(obj).__name__}({', '.join(parts)})"


@dataclass(frozen=True, repr=False)
class Simple:
    """A simple value type: an XSD built-in base with facets."""

    base: str = "string"  # string, date, boolean, integer, int, decimal
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_inclusive: int | None = None
    max_inclusive: int | None = None

    def __repr__(self) -> str:
        return _short_repr(self)


@dataclass(frozen=True, repr=False)
class El:
    """An element in a content model; `type` is a key of SIMPLE_TYPES or COMPLEX_TYPES."""

    name: str
    type: str = "string"
    min: int = 1
    max: int | None = 1  # None: unbounded

    def __repr__(self) -> str:
        return _short_repr(self)


@dataclass(frozen=True, repr=False)
class Seq:
    items: tuple[Particle, ...] = ()
    min: int = 1
    max: int | None = 1

    def __repr__(self) -> str:
        return _short_repr(self)


@dataclass(frozen=True, repr=False)
class Choice:
    items: tuple[Particle, ...] = ()
    min: int = 1
    max: int | None = 1

    def __repr__(self) -> str:
        return _short_repr(self)


Particle = Union[El, Seq, Choice]  # noqa: UP007 (a runtime alias used by isinstance-free code)


@dataclass(frozen=True, repr=False)
class Attr:
    name: str
    type: str = "string"
    required: bool = False

    def __repr__(self) -> str:
        return _short_repr(self)


@dataclass(frozen=True, repr=False)
class Complex:
    """A complex type: element content (`content`), or simple content (`simple`) with attributes."""

    content: Particle | None = None
    simple: str | None = None
    attributes: tuple[Attr, ...] = ()

    def __repr__(self) -> str:
        return _short_repr(self)


# --- tables (generated from OSO_gegevensset.xsd 2019.1 by tests/dossier/xsd_tables.py) ---

SIMPLE_TYPES: dict[str, Simple] = {
    "EindtoetsDomeincodeType": Simple(),
    "EindtoetsOnderdeelcodeType": Simple(),
    "EindtoetsReferentieniveauType": Simple(),
    "EindtoetsStandaardscoreType": Simple(base="integer", min_inclusive=0, max_inclusive=1000),
    "EindtoetsToetsType/toets_advies": Simple(min_length=0, max_length=1024),
    "EindtoetsToetsniveauType": Simple(),
    "EindtoetsToetssoortType": Simple(),
    "EindtoetsWettelijkeOntheffingType": Simple(),
    "aandachtspuntenType": Simple(min_length=1, max_length=280),
    "adresType/locatieomschrijving": Simple(min_length=1, max_length=35),
    "adresType/straat": Simple(min_length=1),
    "boolean": Simple(base="boolean"),
    "brincodeType": Simple(pattern="[0-9][0-9][A-Z][A-Z]"),
    "categorieType": Simple(),
    "date": Simple(base="date"),
    "decimal": Simple(base="decimal"),
    "einddatumType": Simple(base="date", pattern="[0-9][0-9][0-9][0-9]-07-31"),
    "elementcodeType": Simple(pattern="[0-9][0-9][0-9][0-9]"),
    "geboortemaandType": Simple(pattern="\\d{4}-\\d{2}"),
    "geslachtType": Simple(base="integer"),
    "int": Simple(base="int"),
    "integer": Simple(base="integer"),
    "jaargroepType": Simple(),
    "leerlingType/adresbuitenland": Simple(min_length=1, max_length=35),
    "leerlingType/gba/gbageboortedatum": Simple(pattern="\\d{2}-\\d{2}-\\d{4}"),
    "leerlingType/voorschools/voorschoolsemaanden": Simple(base="integer", min_inclusive=1, max_inclusive=24),
    "nonEmptyStringType": Simple(min_length=1),
    "schooljaarType": Simple(pattern="[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]"),
    "string": Simple(),
    "vestigingscodeType": Simple(pattern="[0-9][0-9]"),
    "voadviesduoType": Simple(),
}

COMPLEX_TYPES: dict[str, Complex] = {
    "EindtoetsDomeinType": Complex(
        content=Seq(
            items=(
                El(name="domeincode", type="EindtoetsDomeincodeType"),
                El(name="domeinomschrijving", min=0),
                El(name="dom_referentieniveau", type="EindtoetsReferentieniveauType", min=0),
            )
        )
    ),
    "EindtoetsDomeinenType": Complex(
        content=Seq(items=(El(name="domein", type="EindtoetsDomeinType", min=0, max=None),))
    ),
    "EindtoetsOnderdeelType": Complex(
        content=Seq(
            items=(
                El(name="onderdeelcode", type="EindtoetsOnderdeelcodeType"),
                El(name="onderdeelomschrijving", min=0),
                El(name="ond_referentieniveau", type="EindtoetsReferentieniveauType", min=0),
                El(name="domeinen", type="EindtoetsDomeinenType", min=0),
            )
        )
    ),
    "EindtoetsOnderdelenType": Complex(
        content=Seq(items=(El(name="onderdeel", type="EindtoetsOnderdeelType", min=0, max=None),))
    ),
    "EindtoetsToetsType": Complex(
        content=Seq(
            items=(
                El(name="toetssoort", type="EindtoetsToetssoortType"),
                El(name="toetsniveau", type="EindtoetsToetsniveauType"),
                El(name="toetsomschrijving", min=0),
                El(name="datum_afname", type="date"),
                El(name="wettelijke_ontheffing", type="EindtoetsWettelijkeOntheffingType", min=0),
                El(name="standaardscore", type="EindtoetsStandaardscoreType", min=0),
                El(name="toets_advies", type="EindtoetsToetsType/toets_advies", min=0),
                El(name="onderdelen", type="EindtoetsOnderdelenType"),
            )
        )
    ),
    "adresType": Complex(
        content=Seq(
            items=(
                El(name="soortadres", type="nonEmptyStringType"),
                El(name="straat", type="adresType/straat"),
                El(name="nummer", type="nonEmptyStringType"),
                El(name="toevoeging", type="nonEmptyStringType", min=0),
                El(name="aanduiding", type="nonEmptyStringType", min=0),
                El(name="locatieomschrijving", type="adresType/locatieomschrijving", min=0),
                El(name="postcode", type="nonEmptyStringType"),
                El(name="plaats", type="nonEmptyStringType"),
                El(name="gemeente", type="nonEmptyStringType", min=0),
                El(name="land", type="adresType/land", min=0),
            )
        )
    ),
    "adresType/land": Complex(
        simple="nonEmptyStringType", attributes=(Attr(name="omschrijving", type="nonEmptyStringType"),)
    ),
    "afgenomendoorType": Complex(
        content=Seq(
            items=(
                El(name="naammedewerker", type="nonEmptyStringType"),
                El(name="functie", type="nonEmptyStringType", min=0),
                El(name="werktbijinstelling", type="afgenomendoorType/werktbijinstelling", min=0),
            )
        )
    ),
    "afgenomendoorType/werktbijinstelling": Complex(
        content=Choice(
            items=(El(name="instelling", type="instellingType"), El(name="school", type="schoolType"))
        )
    ),
    "categorie_uitlevering": Complex(
        content=Seq(
            items=(
                El(name="cat_metadata", type="categorieType"),
                El(name="cat_ouderinzage", type="categorieType"),
                El(name="cat_school", type="categorieType"),
                El(name="cat_leerling", type="categorieType"),
                El(name="cat_oudersverzorgers", type="categorieType"),
                El(name="cat_vve", type="categorieType"),
                El(name="cat_schoolloopbaan", type="categorieType"),
                El(name="cat_overstapadvies", type="categorieType"),
                El(name="cat_onderwijsondersteuning", type="categorieType"),
                El(name="cat_verzuim", type="categorieType"),
                El(name="cat_eindtoetsbo", type="categorieType"),
                El(name="cat_toetsresultaten", type="categorieType"),
                El(name="cat_handelingsplannen", type="categorieType"),
                El(name="cat_cijferlijsten", type="categorieType"),
                El(name="cat_vombo", type="categorieType"),
                El(name="cat_bijlagedocs", type="categorieType"),
            )
        )
    ),
    "cijferlijst": Complex(
        content=Seq(
            items=(
                El(name="cijferlijstTypelijst", type="cijferlijstTypelijstType"),
                El(name="afnamedatum", type="date", min=0),
                El(name="jaargroep", type="jaargroepType"),
                El(name="periode", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "cijferlijstTypelijstType": Complex(
        content=Seq(
            items=(
                El(name="naam", type="nonEmptyStringType"),
                El(name="onderdeel", type="onderdeelType", min=0, max=None),
                El(name="score", type="scoreType", max=None),
            ),
            max=None,
        )
    ),
    "communicatieType": Complex(
        content=Seq(
            items=(
                El(name="soort", type="nonEmptyStringType"),
                El(name="aanduiding", type="nonEmptyStringType", min=0),
                El(name="nummer", type="nonEmptyStringType"),
                El(name="geheim", type="boolean", min=0),
                El(name="noodnummer", type="boolean", min=0),
            )
        )
    ),
    "documentType": Complex(
        content=Seq(
            items=(
                El(name="bestandsnaam", type="nonEmptyStringType"),
                El(name="omschrijving", type="nonEmptyStringType", min=0),
                El(name="bestandsinhoud", type="nonEmptyStringType"),
            )
        )
    ),
    "dossierType": Complex(
        content=Seq(
            items=(
                El(name="metadata", type="metadata"),
                El(name="overdrachtsoort", type="nonEmptyStringType"),
                El(name="inzage", type="inzageType", min=0),
                El(name="huidigeschool", type="huidigeschoolType"),
            )
        )
    ),
    "handelingsplanType": Complex(
        content=Seq(
            items=(
                El(name="startdatum", type="date"),
                El(name="einddatum", type="date", min=0),
                El(name="isgerichtop", type="nonEmptyStringType"),
                El(name="document", type="documentType", min=0),
            )
        )
    ),
    "huidigeschoolType": Complex(
        content=Seq(
            items=(
                Seq(
                    items=(
                        Seq(
                            items=(
                                El(name="naam", type="nonEmptyStringType"),
                                El(name="adreslijst", type="instellingType/adreslijst", min=0),
                                El(name="communicatielijst", type="instellingType/communicatielijst", min=0),
                            )
                        ),
                        Seq(
                            items=(
                                El(name="brincode", type="brincodeType"),
                                El(name="vestigingscode", type="vestigingscodeType"),
                                El(name="aanleverpunt", type="nonEmptyStringType"),
                                El(name="soort", type="nonEmptyStringType", min=0),
                                El(name="type", type="nonEmptyStringType", min=0),
                                El(name="naamdirecteur", type="nonEmptyStringType", min=0),
                                El(name="website", type="nonEmptyStringType", min=0),
                            )
                        ),
                    )
                ),
                Seq(items=(El(name="leerling", type="leerling"),)),
            )
        )
    ),
    "instellingType": Complex(
        content=Seq(
            items=(
                El(name="naam", type="nonEmptyStringType"),
                El(name="adreslijst", type="instellingType/adreslijst", min=0),
                El(name="communicatielijst", type="instellingType/communicatielijst", min=0),
            )
        )
    ),
    "instellingType/adreslijst": Complex(content=Seq(items=(El(name="adres", type="adresType", max=None),))),
    "instellingType/communicatielijst": Complex(
        content=Seq(items=(El(name="communicatie", type="communicatieType", max=None),))
    ),
    "inzageType": Complex(
        content=Seq(
            items=(
                El(name="voorlopigdossier", type="boolean"),
                El(name="inzage", type="boolean", min=0),
                El(name="inzagedatum", type="date", min=0),
                El(name="akkoord", type="nonEmptyStringType", min=0),
                El(name="redennietakkoord", type="nonEmptyStringType", min=0),
                El(name="toestemming", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "leerling": Complex(
        content=Seq(
            items=(
                El(name="voornaam", type="nonEmptyStringType", min=0, max=None),
                El(name="voorletters-1", type="nonEmptyStringType", min=0),
                El(name="voorvoegsel", type="nonEmptyStringType", min=0),
                El(name="achternaam", type="nonEmptyStringType"),
                El(name="roepnaam", type="nonEmptyStringType", min=0),
                Choice(
                    items=(
                        El(name="geboortedatum", type="date", min=0),
                        El(name="geboortemaand", type="geboortemaandType", min=0),
                    ),
                    min=0,
                ),
                El(name="geslacht", type="geslachtType", min=0),
                El(name="adresgeheim", type="boolean", min=0),
                Choice(
                    items=(
                        El(name="adreslijst", type="leerlingType/adreslijst", min=0),
                        El(name="postcode4adres", type="nonEmptyStringType", min=0),
                    ),
                    min=0,
                ),
                El(name="communicatielijst", type="leerlingType/communicatielijst", min=0),
                El(name="gba", type="leerlingType/gba", min=0),
                El(name="adresbuitenland", type="leerlingType/adresbuitenland", min=0, max=None),
                El(name="geboorteplaats", type="nonEmptyStringType", min=0),
                El(name="nationaliteit", type="leerlingType/nationaliteit", min=0, max=None),
                Choice(
                    items=(
                        El(name="onderwijsnummer", type="nonEmptyStringType"),
                        El(name="bsn", type="nonEmptyStringType"),
                    ),
                    min=0,
                ),
                El(name="leerlingid", type="nonEmptyStringType", min=0),
                El(name="onderwijssinds", type="date", min=0),
                El(name="startdatumhuidigonderwijs", type="date", min=0),
                El(name="datuminschrijving", type="date", min=0),
                El(name="datumuitschrijving", type="date", min=0),
                El(name="teruggeplaatstnaarbrin", type="brincodeType", min=0),
                El(name="leerlinggewicht", type="nonEmptyStringType", min=0),
                El(name="nnca", type="nonEmptyStringType", min=0),
                El(name="tehuis", type="boolean", min=0),
                El(name="huisarts", type="persoonType", min=0),
                El(name="verzorgersaansprakelijk", type="boolean", min=0),
                El(name="aansprakelijkeinstelling", type="instellingType", min=0),
                El(name="overstapadvies", type="leerlingType/overstapadvies", min=0),
                El(name="vanpeuterspeelzaal", type="boolean", min=0),
                El(name="naampeuterspeelzaal", type="nonEmptyStringType", min=0),
                El(name="voorschools", type="leerlingType/voorschools", min=0),
                El(name="vroegschools", type="leerlingType/vroegschools", min=0, max=None),
                El(name="schoolloopbaanlijst", type="leerlingType/schoolloopbaanlijst", min=0),
                El(name="onderwijsondersteuning", type="leerlingType/onderwijsondersteuning", min=0),
                El(name="verzuim", type="leerlingType/verzuim", min=0),
                El(name="eindtoets_basisonderwijs", type="leerlingType/eindtoets_basisonderwijs", min=0),
                El(name="toetslijst", type="leerlingType/toetslijst", min=0),
                El(name="cijferlijstlijst", type="leerlingType/cijferlijstlijst", min=0),
                El(name="overigdocumentlijst", type="leerlingType/overigdocumentlijst", min=0),
                El(name="verzorger", type="verzorgerType", min=0, max=None),
                El(name="bevorderd", type="leerlingType/bevorderd", min=0),
                El(name="examenresultaat", type="leerlingType/examenresultaat", min=0),
                El(name="resultaatvakkenvo", type="leerlingType/resultaatvakkenvo", min=0, max=None),
                El(name="certificaat", type="nonEmptyStringType", min=0, max=None),
                El(name="competenties", type="leerlingType/competenties", min=0, max=None),
                El(name="stage", type="leerlingType/stage", min=0, max=None),
                El(name="overigvombo", type="leerlingType/overigvombo", min=0),
            )
        )
    ),
    "leerlingType/adreslijst": Complex(content=Seq(items=(El(name="adres", type="adresType", max=None),))),
    "leerlingType/bevorderd": Complex(
        content=Seq(
            items=(
                El(name="elementcode", type="elementcodeType", min=0),
                El(name="leerjaar", type="jaargroepType", min=0),
            )
        )
    ),
    "leerlingType/cijferlijstlijst": Complex(
        content=Seq(items=(El(name="cijferlijst", type="cijferlijst", max=None),))
    ),
    "leerlingType/communicatielijst": Complex(
        content=Seq(items=(El(name="communicatie", type="communicatieType", max=None),))
    ),
    "leerlingType/competenties": Complex(
        content=Seq(
            items=(
                El(name="competentiereferentie", type="nonEmptyStringType", min=0),
                El(name="competentiecategorie", type="nonEmptyStringType", min=0),
                El(name="competentiebeschrijving", type="nonEmptyStringType", min=0),
                El(name="competentiestatus", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "leerlingType/eindtoets_basisonderwijs": Complex(
        content=Seq(
            items=(
                El(name="eindtoetsresultaat", type="EindtoetsToetsType", min=0),
                El(name="deelgenomen", type="boolean"),
                El(name="document", type="documentType", min=0, max=None),
            )
        )
    ),
    "leerlingType/examenresultaat": Complex(
        content=Seq(
            items=(
                El(name="soortdiploma", type="nonEmptyStringType", min=0),
                El(name="examenjaar", type="int", min=0),
                El(name="datumuitslag", type="date", min=0),
                El(name="examenuitslag", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "leerlingType/gba": Complex(
        content=Seq(
            items=(
                El(name="gbavoornaam", type="nonEmptyStringType", max=None),
                El(name="gbavoorvoegsel", type="nonEmptyStringType", min=0),
                El(name="gbaachternaam", type="nonEmptyStringType"),
                El(name="gbageboortedatum", type="leerlingType/gba/gbageboortedatum"),
            )
        )
    ),
    "leerlingType/nationaliteit": Complex(
        simple="string", attributes=(Attr(name="omschrijving", type="nonEmptyStringType"),)
    ),
    "leerlingType/onderwijsondersteuning": Complex(
        content=Seq(
            items=(
                El(
                    name="toelichting_onderwijsbehoeften",
                    type="leerlingType/onderwijsondersteuning/toelichting_onderwijsbehoeften",
                    min=0,
                ),
                El(name="diagnose", type="leerlingType/onderwijsondersteuning/diagnose", min=0, max=None),
                El(name="medicijngebruik", type="boolean", min=0),
                El(name="handelingsplan", type="handelingsplanType", min=0, max=None),
                El(name="opp", type="leerlingType/onderwijsondersteuning/opp", min=0),
                El(name="tlv", type="leerlingType/onderwijsondersteuning/tlv", min=0, max=None),
                El(
                    name="arrangement_cluster12",
                    type="leerlingType/onderwijsondersteuning/arrangement_cluster12",
                    min=0,
                    max=None,
                ),
                El(
                    name="arrangement_pao",
                    type="leerlingType/onderwijsondersteuning/arrangement_pao",
                    min=0,
                    max=None,
                ),
                El(name="lwoo", type="leerlingType/onderwijsondersteuning/lwoo", min=0),
                El(name="rvc", type="leerlingType/onderwijsondersteuning/rvc", min=0),
            )
        )
    ),
    "leerlingType/onderwijsondersteuning/arrangement_cluster12": Complex(
        content=Seq(
            items=(
                El(name="arrangement_datum", type="date"),
                El(name="arrangement_brin", type="brincodeType", min=0),
                El(name="arrangement_vestigingscode", type="vestigingscodeType", min=0),
            )
        )
    ),
    "leerlingType/onderwijsondersteuning/arrangement_pao": Complex(
        content=Seq(
            items=(
                El(name="arrangement_datum", type="date"),
                El(name="arrangement_kenmerk", type="nonEmptyStringType", min=0),
                El(name="arrangement_beschikkingsnr", type="nonEmptyStringType", min=0),
                El(name="arrangement_einddatum", type="date", min=0),
            )
        )
    ),
    "leerlingType/onderwijsondersteuning/diagnose": Complex(
        content=Seq(
            items=(
                El(name="code", type="nonEmptyStringType", max=None),
                El(name="naam", type="nonEmptyStringType", min=0),
                El(name="datum", type="date", min=0),
                El(name="doorwie", type="nonEmptyStringType", min=0),
                El(name="instantie", type="nonEmptyStringType", min=0),
                El(name="document", type="documentType", min=0, max=None),
            )
        )
    ),
    "leerlingType/onderwijsondersteuning/lwoo": Complex(
        content=Seq(
            items=(
                El(name="lwoo_ingangdatum", type="date"),
                El(name="lwoo_swvnummer", type="nonEmptyStringType"),
                El(name="lwoo_beschikkingsnummer", type="nonEmptyStringType"),
                El(name="lwoo_einddatum", type="einddatumType", min=0),
                El(name="document", type="documentType", min=0),
            )
        )
    ),
    "leerlingType/onderwijsondersteuning/opp": Complex(
        content=Seq(
            items=(
                El(name="opp_ingangdatum", type="date"),
                El(name="opp_einddatum", type="date", min=0),
                El(name="document", type="documentType", min=0, max=None),
            )
        )
    ),
    "leerlingType/onderwijsondersteuning/rvc": Complex(
        content=Seq(
            items=(
                El(name="centraleproblematiek", type="nonEmptyStringType", min=0),
                El(name="maatregelen", type="nonEmptyStringType", min=0),
                El(
                    name="signaleringlwoopro",
                    type="leerlingType/onderwijsondersteuning/rvc/signaleringlwoopro",
                ),
                El(name="rvcdatum", type="date", min=0),
                El(name="rvcindicatie", type="nonEmptyStringType", min=0),
                El(name="document", type="documentType", min=0, max=None),
            )
        )
    ),
    "leerlingType/onderwijsondersteuning/rvc/signaleringlwoopro": Complex(
        content=Seq(
            items=(
                El(name="deelgenomenaanonderzoek", type="boolean"),
                El(name="leerachterstand", type="boolean"),
                El(name="lagescoreeindtoets", type="boolean"),
            )
        )
    ),
    "leerlingType/onderwijsondersteuning/tlv": Complex(
        content=Seq(
            items=(
                El(name="tlvingangdatum", type="date"),
                El(name="tlvswvnummer", type="nonEmptyStringType"),
                El(name="tlvcategorie", type="nonEmptyStringType"),
                El(name="tlvbeschikkingsnummer", type="nonEmptyStringType"),
                El(name="tlveinddatum", type="date", min=0),
                El(name="document", type="documentType", min=0),
            )
        )
    ),
    "leerlingType/onderwijsondersteuning/toelichting_onderwijsbehoeften": Complex(
        content=Seq(items=(El(name="document", type="documentType"),))
    ),
    "leerlingType/overigdocumentlijst": Complex(
        content=Seq(items=(El(name="document", type="documentType", max=None),))
    ),
    "leerlingType/overigvombo": Complex(
        content=Seq(
            items=(
                El(name="keuzevervolgopleiding", type="nonEmptyStringType", min=0),
                El(name="beroepskeuzetest", type="boolean"),
                El(name="portfolio", type="boolean"),
                El(name="pop", type="boolean"),
                El(name="motivatiebrief", type="boolean"),
                El(name="lobdossier", type="boolean"),
            )
        )
    ),
    "leerlingType/overstapadvies": Complex(
        content=Seq(
            items=(
                El(name="advies", type="voadviesduoType", min=0),
                El(name="wensouders", type="voadviesduoType", min=0),
                El(name="wensleerling", type="voadviesduoType", min=0),
                El(name="herzienadvies", type="voadviesduoType", min=0),
                El(name="motivatie_herzienadvies", type="nonEmptyStringType", min=0),
                El(name="profiel", type="nonEmptyStringType", min=0),
                El(name="argumentatie", type="nonEmptyStringType", min=0),
                El(name="contactnodig", type="boolean", min=0),
                El(name="contactpersoon", type="nonEmptyStringType", min=0),
                El(name="contacttelefoon", type="nonEmptyStringType", min=0),
                El(name="contactemail", type="nonEmptyStringType", min=0),
                El(name="aandachtspunten", type="aandachtspuntenType", min=0),
            )
        )
    ),
    "leerlingType/resultaatvakkenvo": Complex(
        content=Seq(
            items=(
                El(name="vakcode", type="nonEmptyStringType"),
                El(name="vakleergebied", type="nonEmptyStringType", min=0),
                El(name="afgerond", type="boolean"),
                El(name="datumafgerond", type="date", min=0),
                El(name="examenvak", type="boolean"),
                Choice(
                    items=(
                        El(name="beoordelingexamenvak", type="nonEmptyStringType"),
                        El(name="exameneindcijfer", type="int"),
                        El(name="cijferce", type="decimal"),
                        El(name="eindcijferse", type="decimal"),
                        El(name="cijferse", type="decimal", max=None),
                        El(name="rapportcijfer", type="decimal"),
                        El(name="werkstuk", type="leerlingType/resultaatvakkenvo/werkstuk"),
                    )
                ),
            )
        )
    ),
    "leerlingType/resultaatvakkenvo/werkstuk": Complex(
        content=Seq(
            items=(
                El(name="werkstuktitel", type="nonEmptyStringType"),
                El(name="werkstukbeoordeling", type="nonEmptyStringType"),
            )
        )
    ),
    "leerlingType/schoolloopbaanlijst": Complex(
        content=Seq(items=(El(name="schoolloopbaan", type="schoolloopbaanType", max=None),))
    ),
    "leerlingType/stage": Complex(
        content=Seq(
            items=(
                El(name="begindatum", type="date", min=0),
                El(name="einddatum", type="date", min=0),
                El(name="soortstage", type="nonEmptyStringType", min=0),
                El(name="functierol", type="nonEmptyStringType", min=0),
                El(name="instelling", type="instellingType", min=0),
                El(name="beoordeling", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "leerlingType/toetslijst": Complex(content=Seq(items=(El(name="toets", type="toetsType", max=None),))),
    "leerlingType/verzuim": Complex(
        content=Seq(
            items=(
                El(name="dagdelengeoorloofd", type="integer", min=0),
                El(name="dagdelenongeoorloofd", type="integer", min=0),
                El(name="urengeoorloofd", type="integer", min=0),
                El(name="urenongeoorloofd", type="integer", min=0),
                El(name="meerdan25percent", type="boolean", min=0),
                El(name="frequentie", type="integer", min=0),
                El(name="contactleerplicht", type="boolean", min=0),
                El(name="rmcmelding", type="boolean", min=0),
                El(name="documentLijst", type="leerlingType/verzuim/documentLijst", min=0),
            )
        )
    ),
    "leerlingType/verzuim/documentLijst": Complex(
        content=Seq(items=(El(name="document", type="documentType", max=None),))
    ),
    "leerlingType/voorschools": Complex(
        content=Seq(
            items=(
                El(name="codevoorschoolsehistorie", type="integer", min=0),
                El(name="codevoorschoolsprogramma", type="integer"),
                El(name="voorschoolsemaanden", type="leerlingType/voorschools/voorschoolsemaanden"),
                El(name="codevoorschoolsetoeleider", type="integer", min=0),
                El(name="codevoorschoolsedeelname", type="integer", min=0),
                El(name="voorschoolseaanwezigheid", type="integer", min=0),
            )
        )
    ),
    "leerlingType/vroegschools": Complex(
        content=Seq(
            items=(
                El(name="codevroegschoolsprogramma", type="integer"),
                El(name="vroegschoolsdatumingang", type="date"),
                El(name="vroegschoolseinddatum", type="date", min=0),
            )
        )
    ),
    "metadata": Complex(
        content=Seq(
            items=(
                El(name="deeldossier", type="nonEmptyStringType"),
                El(name="pakketnaam", type="nonEmptyStringType"),
                El(name="pakketversie", type="nonEmptyStringType"),
                El(name="datum", type="date"),
                El(name="standaardversie", type="nonEmptyStringType"),
                El(name="validatieversie", type="nonEmptyStringType"),
                El(name="categorie_uitlevering", type="categorie_uitlevering", min=0),
                El(name="overstap", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "onderdeelType": Complex(
        content=Seq(
            items=(
                El(name="naam", type="nonEmptyStringType"),
                El(name="score", type="scoreType"),
                El(name="afnamedatum", type="date", min=0),
                El(name="jaargroep", type="jaargroepType", min=0),
                El(name="periode", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "persoonType": Complex(
        content=Seq(
            items=(
                El(name="voornaam", type="nonEmptyStringType", min=0, max=None),
                El(name="voorletters-1", type="nonEmptyStringType", min=0),
                El(name="voorvoegsel", type="nonEmptyStringType", min=0),
                El(name="achternaam", type="nonEmptyStringType"),
                El(name="roepnaam", type="nonEmptyStringType", min=0),
                El(name="geslacht", type="geslachtType", min=0),
                El(name="adresgeheim", type="boolean", min=0),
                El(name="adreslijst", type="persoonType/adreslijst", min=0),
                El(name="communicatielijst", type="persoonType/communicatielijst", min=0),
            )
        )
    ),
    "persoonType/adreslijst": Complex(content=Seq(items=(El(name="adres", type="adresType", max=None),))),
    "persoonType/communicatielijst": Complex(
        content=Seq(items=(El(name="communicatie", type="communicatieType", max=None),))
    ),
    "referentiescoreType": Complex(
        content=Seq(
            items=(
                El(name="codereferentiescore", type="nonEmptyStringType"),
                El(name="codevergelijkingsgroep", type="nonEmptyStringType"),
                El(name="waarde", type="nonEmptyStringType"),
                El(name="kwalificatie", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "resultaat": Complex(
        content=Seq(
            items=(
                El(name="toetsscore", type="toetsscoreType", min=0),
                El(name="referentiescore", type="referentiescoreType", min=0, max=None),
                El(name="document", type="documentType", min=0),
            )
        )
    ),
    "schoolType": Complex(
        content=Seq(
            items=(
                Seq(
                    items=(
                        El(name="naam", type="nonEmptyStringType"),
                        El(name="adreslijst", type="instellingType/adreslijst", min=0),
                        El(name="communicatielijst", type="instellingType/communicatielijst", min=0),
                    )
                ),
                Seq(
                    items=(
                        El(name="brincode", type="brincodeType"),
                        El(name="vestigingscode", type="vestigingscodeType"),
                        El(name="aanleverpunt", type="nonEmptyStringType"),
                        El(name="soort", type="nonEmptyStringType", min=0),
                        El(name="type", type="nonEmptyStringType", min=0),
                        El(name="naamdirecteur", type="nonEmptyStringType", min=0),
                        El(name="website", type="nonEmptyStringType", min=0),
                    )
                ),
            )
        )
    ),
    "schoolloopbaanType": Complex(
        content=Seq(
            items=(
                El(name="schooljaar", type="schoolloopbaanType/schooljaar"),
                El(name="groepscode", type="nonEmptyStringType"),
                El(name="groepsnaam", type="nonEmptyStringType", min=0),
                El(name="jaargroep", type="jaargroepType"),
                El(name="begindatum", type="date", min=0),
                El(name="einddatum", type="date", min=0),
                El(name="brincode", type="brincodeType"),
                El(name="vestigingscode", type="vestigingscodeType"),
                El(name="schoolsoort", type="nonEmptyStringType", min=0),
                El(name="schooltype", type="nonEmptyStringType", min=0),
                El(name="voelementcode", type="elementcodeType", min=0),
                El(name="voelementomschrijving", type="nonEmptyStringType", min=0),
                El(name="schoolsoortomschrijving", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "schoolloopbaanType/schooljaar": Complex(simple="schooljaarType"),
    "scoreType": Complex(
        content=Seq(
            items=(
                El(name="waarde", type="nonEmptyStringType", min=0),
                El(name="kwalificatie", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "toetsType": Complex(
        content=Seq(
            items=(
                El(name="toetsidentificatie", type="toetsType/toetsidentificatie"),
                El(name="afname", type="toetsType/afname"),
                El(name="resultaat", type="resultaat"),
                El(name="toetsonderdeel", type="toetsonderdeel", min=0, max=None),
                El(name="opmerking", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "toetsType/afname": Complex(
        content=Seq(
            items=(
                El(name="afnamedatum", type="date"),
                El(name="jaargroep", type="jaargroepType", min=0),
                El(name="dl", type="integer", min=0),
                El(name="afgenomendoor", type="afgenomendoorType", min=0),
            )
        )
    ),
    "toetsType/toetsidentificatie": Complex(
        content=Seq(
            items=(
                El(name="eldtoetscode", type="nonEmptyStringType"),
                El(name="leergebied", type="nonEmptyStringType", min=0),
                El(name="toetsnaam", type="nonEmptyStringType", min=0),
                El(name="toetsversie", type="nonEmptyStringType", min=0),
            )
        )
    ),
    "toetsonderdeel": Complex(
        content=Seq(
            items=(
                El(name="eldonderdeelcode", type="nonEmptyStringType"),
                El(name="onderdeelnaam", type="nonEmptyStringType", min=0),
                El(name="resultaat", type="resultaat"),
            )
        )
    ),
    "toetsscoreType": Complex(
        content=Seq(
            items=(
                El(name="aantalopgaven", type="int", min=0),
                El(name="aantalgoed", type="int", min=0),
                El(name="aantalfout", type="int", min=0),
                El(name="aantalgelezen", type="int", min=0),
                El(name="tijd", type="decimal", min=0),
                El(name="vaardigheidsscore", type="decimal", min=0),
                El(name="codevaardigheidsschaal", type="nonEmptyStringType", min=0),
                El(name="betrouwbaarheidsinterval", type="toetsscoreType/betrouwbaarheidsinterval", min=0),
            )
        )
    ),
    "toetsscoreType/betrouwbaarheidsinterval": Complex(
        content=Seq(items=(El(name="bivlaag", type="decimal"), El(name="bivhoog", type="decimal")))
    ),
    "verzorgerType": Complex(
        content=Seq(
            items=(
                Seq(
                    items=(
                        El(name="voornaam", type="nonEmptyStringType", min=0, max=None),
                        El(name="voorletters-1", type="nonEmptyStringType", min=0),
                        El(name="voorvoegsel", type="nonEmptyStringType", min=0),
                        El(name="achternaam", type="nonEmptyStringType"),
                        El(name="roepnaam", type="nonEmptyStringType", min=0),
                        El(name="geslacht", type="geslachtType", min=0),
                        El(name="adresgeheim", type="boolean", min=0),
                        El(name="adreslijst", type="persoonType/adreslijst", min=0),
                        El(name="communicatielijst", type="persoonType/communicatielijst", min=0),
                    )
                ),
                Seq(
                    items=(
                        El(name="relatietotkind", type="nonEmptyStringType", min=0),
                        El(name="overleden", type="boolean", min=0),
                        El(name="overlijdensdatum", type="date", min=0),
                        El(name="wettigevertegenwoordiger", type="boolean"),
                        El(name="banknummer", type="nonEmptyStringType", min=0),
                        El(name="iban", type="nonEmptyStringType", min=0),
                    )
                ),
            )
        )
    ),
}

ROOT = El(name="dossier", type="dossierType")

"""Collective request CSVs as spreadsheet programs save them: BOM, ';', Dutch dates, bad rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oso_tui.errors import ReadError
from oso_tui.exchange.csvimport import read_csv_bytes, read_csv_file
from tests.aanvraag_helpers import valid_bsns

# Valid BSNs (elfproef) and an onderwijsnummer.
BSN1, BSN2, BSN3 = "123456782", "111222333", "023456711"
OWN = "100000004"


def valid_pgns() -> list[str]:
    return [*valid_bsns(40, start=200_000_000), OWN]


def test_comma_file_with_all_columns() -> None:
    data = (
        f"pgn,geboortedatum,brin,vestiging,achternaam\n{BSN1},2013-05-01,12ab,01,Jansen\n{OWN},2013-06-02,34CD,,\n"
    ).encode()
    result = read_csv_bytes(data)
    assert result.fouten == []
    assert [(r.rij, r.pgn, r.geboortedatum, r.brin, r.vestiging, r.achternaam) for r in result.regels] == [
        (2, BSN1, date(2013, 5, 1), "12AB", "01", "Jansen"),
        (3, OWN, date(2013, 6, 2), "34CD", "00", None),
    ]


def test_semicolon_bom_crlf_and_dutch_dates_as_excel_saves_them() -> None:
    text = (
        f"Achternaam;BSN;Geboortedatum;BRIN\r\nde Vries;{BSN2};01-05-2013;12AB\r\n;{BSN1};3/6/2013;12AB\r\n"
    )
    result = read_csv_bytes(b"\xef\xbb\xbf" + text.encode())
    assert result.fouten == []
    assert [(r.pgn, r.geboortedatum, r.achternaam) for r in result.regels] == [
        (BSN2, date(2013, 5, 1), "de Vries"),
        (BSN1, date(2013, 6, 3), None),
    ]


def test_leading_zeros_lost_by_a_spreadsheet_are_restored() -> None:
    result = read_csv_bytes(f"pgn;geboortedatum;brin;vestiging\n{BSN3[1:]};2013-01-01;12AB;1\n".encode())
    assert [(r.pgn, r.vestiging) for r in result.regels] == [(BSN3, "01")]


def test_every_bad_row_is_reported_with_its_number_and_reason() -> None:
    text = "\n".join(
        [
            "pgn;geboortedatum;brin;vestiging",
            f"{BSN1};2013-05-01;12AB;00",  # 2 good
            "123456789;2013-05-01;12AB;00",  # 3 elfproef
            f"{BSN2};31-02-2013;12AB;00",  # 4 date
            f"{BSN2};2013-02-01;1234;00",  # 5 brin
            f"{BSN2};2013-02-01;12AB;ABC",  # 6 vestiging
            f"{BSN1};2013-05-01;12AB;00",  # 7 duplicate of row 2
            ";2013-05-01;12AB;00",  # 8 missing pgn
            "",  # 9 empty line, ignored
            f"{BSN2};2013-02-01;12AB;00;extra",  # 10 too many fields
            f"{BSN2};2013-02-01;12AB",  # 11 good, vestiging missing -> 00
        ]
    )
    result = read_csv_bytes(text.encode())
    assert [r.rij for r in result.regels] == [2, 11]
    reasons = {f.rij: f.reden for f in result.fouten}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 10]
    assert "elfproef" in reasons[3]
    assert "geen geldige datum" in reasons[4]
    assert "BRIN" in reasons[5]
    assert "vestiging" in reasons[6]
    assert reasons[7] == "PGN staat ook al in rij 2"
    assert reasons[8] == "pgn ontbreekt"
    assert "5 velden" in reasons[10]


def test_missing_column_is_a_read_error_naming_it() -> None:
    with pytest.raises(ReadError, match="ontbreekt de kolom brin"):
        read_csv_bytes(b"pgn,geboortedatum\n123456782,2013-01-01\n")


def test_windows_1252_from_dutch_excel_is_read() -> None:
    result = read_csv_bytes(
        "pgn;geboortedatum;brin;achternaam\n123456782;1-5-2013;12AB;Müller\n".encode("cp1252")
    )
    assert [(r.achternaam, r.geboortedatum.isoformat()) for r in result.regels] == [("Müller", "2013-05-01")]


def test_tab_separated_with_aliases_in_any_case() -> None:
    data = b"BSN\tGeboortedatum\tBRIN\tVestiging\tAchternaam\n123456782\t01-05-2013\t12ab\t1\tJansen\n"
    result = read_csv_bytes(data)
    assert not result.fouten
    regel = result.regels[0]
    assert (regel.pgn, regel.brin, regel.vestiging, regel.achternaam) == ("123456782", "12AB", "01", "Jansen")


def test_one_column_header_names_the_separator_it_used() -> None:
    with pytest.raises(ReadError, match="gescheiden door puntkomma"):
        read_csv_bytes(b"pgn|geboortedatum|brin\n123456782|2013-01-01|12AB\n")


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"\xef\xbb\xbf\n\n")
    with pytest.raises(ReadError, match="leeg"):
        read_csv_file(empty)
    with pytest.raises(ReadError, match="bestaat niet"):
        read_csv_file(tmp_path / "weg.csv")
    with pytest.raises(ReadError, match="map"):
        read_csv_file(tmp_path)


@given(st.binary(max_size=400))
@settings(max_examples=200, deadline=None)
def test_arbitrary_bytes_give_rows_errors_or_one_read_error(data: bytes) -> None:
    try:
        result = read_csv_bytes(b"pgn;geboortedatum;brin\n" + data)
    except ReadError as exc:
        assert exc.message
        return
    assert all(f.rij >= 2 and f.reden for f in result.fouten)
    assert len({r.pgn for r in result.regels}) == len(result.regels)


@given(
    st.lists(
        st.tuples(st.sampled_from(valid_pgns()), st.dates(date(2005, 1, 1), date(2020, 12, 31))),
        max_size=30,
        unique_by=lambda t: t[0],
    ),
    st.sampled_from([";", ","]),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_good_rows_round_trip_whatever_the_separator_or_bom(
    rows: list[tuple[str, date]], sep: str, bom: bool
) -> None:
    lines = [sep.join(["pgn", "geboortedatum", "brin"])] + [
        sep.join([p, d.isoformat(), "12AB"]) for p, d in rows
    ]
    data = ("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n"
    result = read_csv_bytes(data.encode())
    assert result.fouten == []
    assert [(r.pgn, r.geboortedatum) for r in result.regels] == rows


def test_runaway_quoted_field_is_a_read_error() -> None:
    with pytest.raises(ReadError, match="aanhalingstekens"):
        read_csv_bytes(b'pgn;geboortedatum;brin\n"' + b"x" * 200_000 + b"\n")

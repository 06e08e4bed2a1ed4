"""Every kind of broken or hostile input ends in one clear Dutch finding or ReadError, never a crash.

The inputs are made here, in tmp_path: malformed, truncated, empty, binary, wrongly encoded, too
large, XXE, billion laughs, external DTD, foreign roots. No local file's content may leak.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from oso_tui.dossier import ReadResult, read_dossier
from oso_tui.errors import ReadError
from tests.dossier.builders import base, to_bytes

SECRET = "GEHEIM-MARKER-7f3a9c"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "geheim.txt"
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


def only_error(result: ReadResult) -> str:
    assert result.dossier is None
    assert not result.ok
    assert len(result.findings) == 1
    finding = result.findings[0]
    assert finding.severity == "fout"
    return finding.message


def assert_no_leak(result: ReadResult) -> None:
    for f in result.findings:
        assert SECRET not in f.message
        assert SECRET not in f.path


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "leeg.xml"
    path.write_bytes(b"")
    assert only_error(read_dossier(path)) == "Het bestand is leeg."


def test_only_whitespace() -> None:
    assert only_error(read_dossier(b"  \n\t\n")) == "Het bestand is leeg."


def test_malformed_xml_names_the_line() -> None:
    result = read_dossier(b'<?xml version="1.0"?>\n<dossier>\n  <metadata>\n</dossier>\n')
    message = only_error(result)
    assert "XML" in message or "beschadigd" in message
    assert result.findings[0].line is not None


def test_truncated_file() -> None:
    data = to_bytes(base())
    message = only_error(read_dossier(data[: len(data) // 2]))
    assert "afgebroken" in message or "onvolledig" in message


def test_binary_garbage() -> None:
    garbage = bytes((i * 37 + 11) % 256 for i in range(4096))
    message = only_error(read_dossier(garbage))
    assert "XML" in message


def test_wrong_encoding_says_which() -> None:
    data = to_bytes(base()).replace(b"Regenboog", "Regenb\xf6og".encode("latin-1"))
    message = only_error(read_dossier(data))
    assert "codering UTF-8" in message


def test_declared_latin1_is_read_in_its_own_encoding() -> None:
    text = to_bytes(base()).decode("utf-8").replace("encoding='UTF-8'", "encoding='ISO-8859-1'")
    assert "ISO-8859-1" in text
    text = text.replace("Sanne", "Zoë", 1)
    result = read_dossier(text.encode("latin-1"))
    assert result.ok, result.findings
    assert result.dossier is not None and result.dossier.leerling.voornamen[0] == "Zoë"


def test_utf16_dossier_is_read() -> None:
    text = to_bytes(base()).decode("utf-8").replace("encoding='UTF-8'", "encoding='UTF-16'")
    assert "UTF-16" in text
    result = read_dossier(text.encode("utf-16"))
    assert result.ok, result.findings


def test_too_large_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "groot.xml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # a sparse 50 MB file: cheap to make
    with pytest.raises(ReadError, match="groter dan de grens van 10 MB"):
        read_dossier(path)


def test_too_large_bytes_respect_the_setting() -> None:
    data = to_bytes(base())
    with pytest.raises(ReadError, match="groter dan de grens"):
        read_dossier(data, max_bytes=len(data) - 1)
    assert read_dossier(data, max_bytes=len(data)).ok


def test_xxe_is_refused_and_does_not_leak(secret_file: Path) -> None:
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE dossier [<!ENTITY x SYSTEM "file://{secret_file}">]>\n'
        "<dossier><metadata>&x;</metadata></dossier>"
    ).encode()
    result = read_dossier(data)
    assert "DOCTYPE" in only_error(result)
    assert result.findings[0].line == 2
    assert_no_leak(result)


def test_parameter_entity_xxe_is_refused(secret_file: Path) -> None:
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY % p SYSTEM "file://{secret_file}"> %p;]>\n<d/>'
    ).encode()
    result = read_dossier(data)
    assert "DOCTYPE" in only_error(result)
    assert_no_leak(result)


def test_billion_laughs_is_refused_quickly() -> None:
    lol = ['<!ENTITY l0 "ha">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    data = f'<?xml version="1.0"?>\n<!DOCTYPE d [{"".join(lol)}]>\n<d>&l9;</d>'.encode()
    assert "DOCTYPE" in only_error(read_dossier(data))


def test_external_dtd_is_refused() -> None:
    data = b'<?xml version="1.0"?>\n<!DOCTYPE dossier SYSTEM "http://example.invalid/oso.dtd">\n<dossier/>'
    assert "DOCTYPE" in only_error(read_dossier(data))


def test_doctype_in_utf16_is_refused() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE d SYSTEM "x.dtd">\n<dossier/>'
    assert "DOCTYPE" in only_error(read_dossier(text.encode("utf-16")))
    assert "DOCTYPE" in only_error(read_dossier(text.encode("utf-16-le")))


def test_undeclared_entity_is_a_clean_finding() -> None:
    result = read_dossier(b'<?xml version="1.0"?>\n<dossier>&geheim;</dossier>')
    assert only_error(result)


def test_xinclude_is_not_processed(secret_file: Path) -> None:
    root = base()
    data = to_bytes(root).replace(
        b"<pakketnaam>Testpakket</pakketnaam>",
        f'<pakketnaam><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{secret_file}" '
        'parse="text"/></pakketnaam>'.encode(),
    )
    result = read_dossier(data)
    assert not result.ok
    assert result.dossier is not None and result.dossier.metadata.pakketnaam is None
    assert_no_leak(result)


def test_deep_nesting_does_not_crash() -> None:
    depth = 5000
    data = b"<dossier>" + b"<a>" * depth + b"</a>" * depth + b"</dossier>"
    result = read_dossier(data)
    assert not result.ok


@pytest.mark.parametrize(
    ("xml", "fragment"),
    [
        (b"<html><body/></html>", "hoofdelement heet <html>"),
        (b'<dossier xmlns="urn:iets-anders"/>', "namespace 'urn:iets-anders'"),
        (b"<dossier/>", "zonder namespace"),
        (b'<dossier xmlns="http://www.edustandaard.nl/oso_gegevensset/2014/dossier"/>', "vanaf 2016"),
        (b'<dossiers xmlns="http://www.edustandaard.nl/oso_gegevensset/2019/dossier"/>', "verzameling"),
    ],
)
def test_foreign_roots_are_refused(xml: bytes, fragment: str) -> None:
    assert fragment in only_error(read_dossier(xml))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="bestaat niet"):
        read_dossier(tmp_path / "nergens.xml")


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="is een map"):
        read_dossier(tmp_path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "dicht.xml"
    path.write_bytes(to_bytes(base()))

    real_open = os.open

    def refuse(target: object, *args: object, **kwargs: object) -> int:
        if str(target) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)  # root may read anything, so simulate the refusal
    with pytest.raises(ReadError, match="Geen leesrechten"):
        read_dossier(path)


def test_missing_datum_gives_no_model_but_a_finding() -> None:
    root = base()
    data = to_bytes(root).replace(b"<datum>2024-03-01</datum>", b"<datum>1 maart</datum>")
    result = read_dossier(data)
    assert result.dossier is None
    assert any(f.path == "metadata/datum" and f.severity == "fout" for f in result.findings)


def test_sha256_and_raw_are_kept() -> None:
    import hashlib

    data = to_bytes(base())
    result = read_dossier(data)
    assert result.raw == data
    assert result.sha256 == hashlib.sha256(data).hexdigest()

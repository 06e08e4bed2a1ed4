"""Work stays bounded whatever a user points at: devices, pipes and oversized files are refused at once.

Each refusal must come before any reading: `/dev/zero` never ends and a FIFO without a writer blocks
forever, so a test that reads them would hang instead of fail; the pytest timeout of the suite is not
relied on, the reads are counted.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from oso_tui.cli import main
from oso_tui.dossier import read_dossier
from oso_tui.errors import ReadError, UsageError
from oso_tui.exchange.csvimport import read_csv_file
from oso_tui.settings import Settings

DEV_ZERO = Path("/dev/zero")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pijp.xml"
    os.mkfifo(path)
    return path


@pytest.fixture
def no_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every os.read: a refusal before reading leaves it at zero."""
    reads: list[int] = []
    real_read = os.read

    def counting(fd: int, n: int) -> bytes:
        reads.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "read", counting)
    return reads


@pytest.mark.skipif(not DEV_ZERO.exists(), reason="this system has no /dev/zero")
def test_dev_zero_as_dossier_or_csv_is_refused_at_once(no_reads: list[int]) -> None:
    with pytest.raises(ReadError, match="geen gewoon bestand"):
        read_dossier(DEV_ZERO)
    with pytest.raises(ReadError, match="geen gewoon bestand"):
        read_csv_file(DEV_ZERO)
    assert no_reads == []


def test_a_fifo_as_dossier_or_csv_is_refused_without_waiting(fifo: Path, no_reads: list[int]) -> None:
    with pytest.raises(ReadError, match="geen gewoon bestand"):
        read_dossier(fifo)
    with pytest.raises(ReadError, match="geen gewoon bestand"):
        read_csv_file(fifo)
    assert no_reads == []


def test_a_csv_over_the_limit_is_refused_before_reading(tmp_path: Path, no_reads: list[int]) -> None:
    big = tmp_path / "groot.csv"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: cheap to make, 21 MB to read
    with pytest.raises(ReadError, match="groter dan de grens van 20 MB"):
        read_csv_file(big)
    small_limit = tmp_path / "klein.csv"
    small_limit.write_bytes(b"pgn;geboortedatum;brin\n" + b"123456782;2014-05-01;12AB\n" * 100)
    with pytest.raises(ReadError, match="max_csv_mb"):
        read_csv_file(small_limit, max_bytes=1000)
    assert no_reads == []
    result = read_csv_file(small_limit, max_bytes=10_000)
    assert len(result.regels) + len(result.fouten) == 100, "under the limit it is read whole"


def test_max_csv_mb_is_a_setting_beside_max_dossier_mb(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[opslag]\nmax_dossier_mb = 5\nmax_csv_mb = 2\n", encoding="utf-8")
    settings = Settings.load(db=tmp_path / "oso.json", config=config, env={})
    assert (settings.max_dossier_bytes, settings.max_csv_bytes) == (5 * 1024 * 1024, 2 * 1024 * 1024)
    config.write_text("[opslag]\nmax_csv_mb = 0\n", encoding="utf-8")
    with pytest.raises(UsageError, match="max_csv_mb"):
        Settings.load(db=tmp_path / "oso.json", config=config, env={})


def test_the_command_line_refuses_them_in_one_sentence(
    tmp_path: Path, fifo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[opslag]\nmax_csv_mb = 1\n", encoding="utf-8")
    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "oso.json"))
    monkeypatch.setenv("OSO_TUI_CONFIG", str(config))
    monkeypatch.setenv("OSO_TUI_TODAY", "2027-03-14")
    big = tmp_path / "groot.csv"
    with big.open("wb") as handle:
        handle.truncate(2 * 1024 * 1024)
    for argv in (["request", "--csv", str(fifo)], ["request", "--csv", str(big)], ["check", str(fifo)]):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 2, (argv, out, err)
        text = err + out
        assert ("geen gewoon bestand" in text or "max_csv_mb" in text) and "Traceback" not in text


def test_the_schema_cache_keeps_only_known_versions() -> None:
    from oso_tui.dossier import structure
    from tests.dossier.builders import base, to_bytes

    known = to_bytes(base())
    assert b"/oso_gegevensset/2019/dossier" in known
    assert read_dossier(known).ok
    for year in range(3000, 3040):
        claimed = known.replace(b"/oso_gegevensset/2019/dossier", f"/oso_gegevensset/{year}/dossier".encode())
        result = read_dossier(claimed)
        assert any("Onbekende OSO-versie" in f.message for f in result.warnings), year
    cached = list(structure._THREAD.__dict__["schemas"])
    assert cached and all(structure._KNOWN_NAMESPACE.fullmatch(ns) for ns, _versie in cached), cached

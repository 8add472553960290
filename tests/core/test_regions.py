"""GB/T 2260 region table."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from frontdesk.core import regions


def test_current_codes() -> None:
    assert regions.region_name("110105") == "朝阳区"
    assert regions.region_name("110000") == "北京市"
    assert regions.is_known("440305")
    assert not regions.is_abolished("110105")


def test_abolished_codes_stay_known() -> None:
    # 宣武区 / 崇文区 were merged into 西城区 / 东城区 in 2010
    assert regions.is_known("110104")
    assert regions.region_name("110104") == "宣武区"
    assert regions.is_abolished("110104")
    entry = regions.region("110104")
    assert entry is not None and entry.abolished == 2009 and not entry.is_current


def test_hong_kong_macao_taiwan() -> None:
    assert regions.region_name("810000") == "香港特别行政区"
    assert regions.region_name("820000") == "澳门特别行政区"
    assert regions.is_known("830000")


@pytest.mark.parametrize("code", ["999999", "", "11010", "abcdef", "1101050"])
def test_unknown(code: str) -> None:
    assert not regions.is_known(code)
    assert regions.region_name(code) is None
    assert not regions.is_abolished(code)


def test_region_path() -> None:
    assert regions.region_path("110105") == ["北京市", "市辖区", "朝阳区"]
    assert regions.region_path("110000") == ["北京市"]
    assert regions.region_path("x") == []


def test_table_is_well_formed() -> None:
    path = regions.resources_dir() / "regions" / "gb2260.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 3000
    seen = set()
    for row in rows:
        assert len(row["code"]) == 6 and row["code"].isdigit()
        assert row["name"]
        assert row["abolished"] == "" or row["abolished"].isdigit()
        assert row["code"] not in seen
        seen.add(row["code"])
    assert (path.parent / "SOURCE.md").is_file()


def test_resources_dir_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FRONTDESK_RESOURCES", str(tmp_path))
    assert regions.resources_dir() == tmp_path
    monkeypatch.delenv("FRONTDESK_RESOURCES")
    assert (regions.resources_dir() / "regions" / "gb2260.csv").is_file()

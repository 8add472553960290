"""The terminal catalogue: the model from an IMEI's TAC, and the loader's refusals."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.core.catalogue import CatalogueError, load_catalogue, parse_catalogue
from frontdesk.core.handsets import (
    Handset,
    fill_values,
    find_handset,
    looks_up_handsets,
    tac_of,
)
from frontdesk.core.serials import check_imei, luhn_check_digit

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "catalogue" / "catalogue.json"
RAW = json.loads(SHIPPED.read_text(encoding="utf-8"))

body14 = st.text(alphabet="0123456789", min_size=14, max_size=14)
tac8 = st.text(alphabet="0123456789", min_size=8, max_size=8)


def handset(**changes: Any) -> Handset:
    data = {
        "code": "T-1",
        "business": "HANDSET_SALE",
        "tacs": ["86012345"],
        "brand": "HUAWEI",
        "model": "Mate60",
        "origin": "中国",
        "price_fen": 599_900,
    }
    data.update(changes)
    return Handset.model_validate(data)


# -- look-up -----------------------------------------------------------------------------


@given(body14)
def test_an_imei_s_tac_is_its_first_eight_digits(body: str) -> None:
    imei = body + luhn_check_digit(body)
    assert check_imei(imei).ok
    assert tac_of(imei) == body[:8]
    assert tac_of(f"{imei[:2]}-{imei[2:8]} {imei[8:]}") == body[:8]  # a scanner's separators


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_an_imeisv_s_tac_is_its_first_eight_digits(sv: str) -> None:
    assert tac_of(sv) == sv[:8]


@given(st.text(max_size=20).filter(lambda t: len(t.replace(" ", "").replace("-", "")) < 15))
def test_anything_shorter_than_an_imei_has_no_tac(text: str) -> None:
    assert tac_of(text) is None


@pytest.mark.parametrize(
    "serial", ["A0000012345678", "A00000123456789", "SN-ABC123456", "８6012345678901５"]
)
def test_an_meid_or_an_sn_has_no_tac(serial: str) -> None:
    assert tac_of(serial) is None


@given(tac8, st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_a_model_is_found_by_any_imei_with_its_tac_and_only_in_its_sale(tac, serial6) -> None:
    body = tac + serial6
    imei = body + luhn_check_digit(body)
    other = str((int(tac) + 1) % 10**8).zfill(8)
    models = [handset(tacs=[tac]), handset(code="T-2", tacs=[other], model="Other")]
    assert find_handset(models, imei, "HANDSET_SALE") is models[0]
    assert find_handset(models, imei, "DATA_CARD_SALE") is None  # another sale's form
    assert find_handset(models[1:], imei, "HANDSET_SALE") is None  # unknown TAC


def test_fill_values_are_what_the_clerk_would_type() -> None:
    assert fill_values(handset()) == {
        "brand": "HUAWEI",
        "model": "Mate60",
        "price": "5999.00",
        "origin": "中国",
    }
    with_parts = handset(accessory_models=["电池 HB526489EEW", "充电器 HW-110600C00"])
    assert fill_values(with_parts)["accessory_models"] == "电池 HB526489EEW，充电器 HW-110600C00"


def test_the_shipped_catalogue_lists_the_bench_handset() -> None:
    catalogue = load_catalogue(SHIPPED)
    found = find_handset(catalogue.handsets, "860123456789014", "HANDSET_SALE")
    assert found is not None and (found.brand, found.model, found.origin) == (
        "HUAWEI",
        "Mate60",
        "中国",
    )
    assert found.price_fen == 599_900
    sale = catalogue.business("HANDSET_SALE")
    assert looks_up_handsets(sale) and sale.fields[0].key == "device_serial"  # scanner first
    assert not looks_up_handsets(catalogue.business("TOP_UP"))


# -- loader refusals -----------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(index: int, key: str, value: Any) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        d["handsets"][index][key] = value

    mutate.__name__ = f"{key}_{value!r}"[:40]
    return mutate


def _duplicate_tac(d: dict[str, Any]) -> None:
    d["handsets"][1]["tacs"].append(d["handsets"][0]["tacs"][0])


def _duplicate_code(d: dict[str, Any]) -> None:
    d["handsets"][2]["code"] = d["handsets"][0]["code"]


def _unknown_key(d: dict[str, Any]) -> None:
    d["handsets"][0]["colour"] = "black"


@pytest.mark.parametrize(
    ("mutate", "entry", "zh", "en"),
    [
        (_set(0, "tacs", ["8601234"]), "handsets[0](HW-MATE60).tacs", "8 位数字", "8 digits"),
        (_set(0, "tacs", ["8601234A"]), "handsets[0](HW-MATE60).tacs", "8 位数字", "8 digits"),
        (_set(0, "tacs", []), "handsets[0](HW-MATE60).tacs", "至少需要一项", "at least 1"),
        (_set(0, "tacs", [86012345]), "handsets[0](HW-MATE60).tacs", "应为文本", "string"),
        (_duplicate_tac, "handsets[1](MI-14).tacs[2]", "已属于机型 HW-MATE60", "names one model"),
        (_duplicate_code, "handsets[2](HW-MATE60).code", "重复", "used twice"),
        (_set(0, "price_fen", 5999.5), "handsets[0](HW-MATE60).price_fen", "应为整数", "integer"),
        (_set(0, "price_fen", "5999"), "handsets[0](HW-MATE60).price_fen", "应为整数", "integer"),
        (_set(0, "price_fen", 5_000_001), "handsets[0](HW-MATE60).price_fen", "上限", "limit"),
        (_set(0, "price_fen", 99), "handsets[0](HW-MATE60).price_fen", "售价", "Price"),
        (_set(0, "price_fen", -1), "handsets[0](HW-MATE60).price_fen", "售价", "Price"),
        (_set(0, "brand", "B" * 31), "handsets[0](HW-MATE60).brand", "品牌", "Brand"),
        (_set(0, "origin", ""), "handsets[0](HW-MATE60).origin", "不能为空", "at least 1"),
        (_set(0, "business", "NO_SUCH"), "handsets[0](HW-MATE60).business", "不存在", "unknown"),
        (_set(0, "business", "TOP_UP"), "handsets[0](HW-MATE60).business", "终端销售", "terminal"),
        (_unknown_key, "handsets[0](HW-MATE60).colour", "不认识的键", "Extra inputs"),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_a_bad_terminal_catalogue_is_refused_naming_entry_and_rule(
    mutate: Mutation, entry: str, zh: str, en: str
) -> None:
    data = copy.deepcopy(RAW)
    mutate(data)
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data, "test-catalogue.json")
    err = caught.value
    assert err.entry.startswith(entry), err.entry
    assert zh in err.reason, err.reason
    assert en in err.reason_en, err.reason_en
    assert "业务目录文件" in str(err) and "Catalogue file" in str(err)
    assert "。。" not in str(err)


@given(st.text(max_size=12).filter(lambda t: not (t.isascii() and t.isdigit() and len(t) == 8)))
def test_any_tac_that_is_not_eight_digits_is_refused(tac: str) -> None:
    data = copy.deepcopy(RAW)
    data["handsets"][0]["tacs"] = [tac]
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data, "test-catalogue.json")
    assert caught.value.entry.startswith("handsets[0](HW-MATE60).tacs")


@given(st.lists(tac8, min_size=1, max_size=6, unique=True))
def test_any_set_of_distinct_tacs_loads_and_each_finds_its_model(tacs: list[str]) -> None:
    data = copy.deepcopy(RAW)
    data["handsets"] = [
        {**RAW["handsets"][0], "code": f"M{i}", "tacs": [tac]} for i, tac in enumerate(tacs)
    ]
    catalogue = parse_catalogue(data, "test-catalogue.json")
    for i, tac in enumerate(tacs):
        body = tac + "000001"
        found = find_handset(catalogue.handsets, body + luhn_check_digit(body), "HANDSET_SALE")
        assert found is not None and found.code == f"M{i}"


def test_a_catalogue_without_handsets_still_loads() -> None:
    data = copy.deepcopy(RAW)
    del data["handsets"]
    assert parse_catalogue(data, "old.json").handsets == ()

"""The business catalogue: the shipped data, the loader's refusals, search and fees."""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from frontdesk.core.catalogue import (
    ACCOUNT_EFFECTS,
    ID_STEPS,
    PRECONDITION_RULES,
    Catalogue,
    CatalogueError,
    default_catalogue_path,
    load_catalogue,
    parse_catalogue,
)
from frontdesk.core.fields import FieldType, default_value, validate_field

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "catalogue" / "catalogue.json"

# DOMAIN.md, "The business catalogue": every business, by its Chinese name
DOMAIN_BUSINESSES = [
    "入网/装机",
    "过户",
    "改号/换号",
    "移机",
    "销户/拆机",
    "停机保号",
    "开机/复机",
    "挂失",
    "解挂",
    "开国际漫游",
    "关国际漫游",
    "固话开通国际长途",
    "退预存款",
    "产品订购和变更",
    "预约服务",
    "宽带变更速率",
    "补(换)卡",
    "退押金",
    "话费查询",
    "话费缴纳/充值",
    "积分回馈",
    "业务咨询",
    "投诉",
    "账单打印",
    "详单打印",
    "密码管理",
    "账户解锁",
    "障碍申告",
    "购机",
    "购无线上网卡",
]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(SHIPPED)


@pytest.fixture
def data() -> dict[str, Any]:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def by_name(c: Catalogue, name_zh: str):
    return next(b for b in c.businesses if b.name_zh == name_zh)


def raw_business(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(b for b in data["businesses"] if b["code"] == code)


# --------------------------------------------------------------------------- shipped data


def test_shipped_catalogue_loads(catalogue: Catalogue) -> None:
    assert catalogue.schema_version == 1
    assert catalogue.version >= 1
    assert catalogue.operator == "demo"
    assert re.fullmatch(r"[0-9a-f]{64}", catalogue.digest)
    assert catalogue.source == str(SHIPPED)
    # every business of DOMAIN.md, plus 二次实人认证 (Anti-Telecom-Fraud Law, issue 13)
    names = {b.name_zh for b in catalogue.businesses}
    assert set(DOMAIN_BUSINESSES) <= names
    assert names - set(DOMAIN_BUSINESSES) == {"二次实人认证"}


def test_default_path_and_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRONTDESK_RESOURCES", raising=False)
    assert default_catalogue_path() == SHIPPED
    assert load_catalogue().digest == load_catalogue(SHIPPED).digest
    (tmp_path / "catalogue").mkdir()
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["version"] = 7
    (tmp_path / "catalogue" / "catalogue.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("FRONTDESK_RESOURCES", str(tmp_path))
    other = load_catalogue()
    assert other.version == 7
    assert other.digest != load_catalogue(SHIPPED).digest


def test_digest_is_canonical(tmp_path: Path, catalogue: Catalogue) -> None:
    """Key order and whitespace don't change the digest; content does."""
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    reordered = dict(reversed(list(data.items())))
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(reordered, ensure_ascii=True), encoding="utf-8")
    assert load_catalogue(path).digest == catalogue.digest
    assert parse_catalogue(data, "head office").digest == catalogue.digest


@pytest.mark.parametrize("name_zh", DOMAIN_BUSINESSES)
def test_every_domain_business_is_present(catalogue: Catalogue, name_zh: str) -> None:
    business = by_name(catalogue, name_zh)
    assert business.terms_zh and business.terms_en
    assert business.sla_minutes <= catalogue.sla.handling_minutes_default


def test_prepaid_postpaid_matrix_of_seed_000(catalogue: Catalogue) -> None:
    postpaid_only = [
        "过户",
        "改号/换号",
        "停机保号",
        "退押金",
        "开国际漫游",
        "关国际漫游",
        "积分回馈",
    ]
    for name in postpaid_only:
        assert by_name(catalogue, name).payment_modes == ("postpaid",), name
    refund = by_name(catalogue, "退预存款")
    assert refund.payment_modes == ("postpaid",)
    assert refund.conditional_note_zh and refund.conditional_note_en
    for name in [
        "入网/装机",
        "补(换)卡",
        "话费缴纳/充值",
        "挂失",
        "解挂",
        "密码管理",
        "产品订购和变更",
    ]:
        assert set(by_name(catalogue, name).payment_modes) == {"prepaid", "postpaid"}, name


def test_real_name_rules(catalogue: Catalogue) -> None:
    for code in ("NEW_LINE", "CHANGE_OWNER"):
        b = catalogue.business(code)
        assert b.face_required and not b.manual_entry_allowed
        assert b.id_steps == ID_STEPS
    new_line = catalogue.business("NEW_LINE")
    rules = dict(new_line.precondition_pairs())
    # 一证五号 counts mobile numbers only (副卡 included), never broadband or fixed lines
    assert rules["id_number_limit"] == {
        "max": 5,
        "counts_when": {"service": ["mobile", "mobile_secondary"]},
    }
    assert rules["min_age"] == {"years": 16}
    owner = catalogue.business("CHANGE_OWNER")
    # the new owner's identity comes from their card read at the counter, never a form
    assert owner.find_field("new_owner_id_number") is None
    assert owner.find_field("new_owner_name") is None


def test_change_number_preconditions(catalogue: Catalogue) -> None:
    rules = [p.rule for p in catalogue.business("CHANGE_NUMBER").preconditions]
    for rule in (
        "arrears_cleared",
        "no_contract_lock",
        "no_pretty_number_lock",
        "no_marketing_lock",
        "not_moved_without_change",
    ):
        assert rule in rules


def test_terminal_sales_make_warranty_cards(catalogue: Catalogue) -> None:
    makers = {b.code for b in catalogue.businesses if b.creates_warranty_card}
    assert makers == {"HANDSET_SALE", "DATA_CARD_SALE"}
    sale = catalogue.business("HANDSET_SALE")
    assert sale.field("device_serial").type is FieldType.IMEI
    assert sale.field("device_serial").source == "scanner"
    assert sale.fee_from_field == "price"
    assert {"invoice_no", "agreement_no", "sale_date", "access_label_code"} <= {
        f.key for f in sale.fields
    }
    months = {w.part: w.months for w in catalogue.warranty_periods}
    assert months == {
        "handset": 12,
        "battery": 6,
        "wired_headset": 3,
        "charger": 12,
        "terminal_card": 12,
        "data_card": 12,
    }
    assert (catalogue.return_days, catalogue.exchange_days) == (7, 15)


def test_tiers_sla_and_complaints(catalogue: Catalogue) -> None:
    assert catalogue.sla.waiting_minutes.standard == 15
    assert catalogue.sla.waiting_minutes.vip == 10
    assert catalogue.sla.waiting_minutes.vip_3g == 5
    ranks = [t.code for t in sorted(catalogue.tiers, key=lambda t: -t.rank)]
    assert ranks == ["supreme", "diamond", "gold", "silver", "standard"]
    assert catalogue.tier("standard").rank == 0
    assert all(h.minutes <= 10 for h in catalogue.handling_classes)
    repair = catalogue.complaint_rule("broadband_repair").deadline
    assert (repair.kind, repair.value, repair.value_suburb) == ("hours", 24, 36)
    assert catalogue.complaint_rule("network").deadline.value == 2
    assert catalogue.complaint_rule("non_coverage").deadline.value == 5
    assert catalogue.complaint_rule("broadband_install").deadline.value == 72


def test_choices_from_are_resolved(catalogue: Catalogue) -> None:
    plan = catalogue.business("NEW_LINE").field("plan")
    assert plan.choice_values == tuple(p.code for p in catalogue.plans)
    assert catalogue.plan(plan.choice_values[0]).monthly_fee_fen > 0
    category = catalogue.business("COMPLAINT").field("complaint_category")
    assert set(category.choice_values) == {c.category for c in catalogue.complaint_rules}


def test_every_field_default_validates(catalogue: Catalogue) -> None:
    today = date(2024, 6, 15)
    for b in catalogue.businesses:
        for f in b.fields:
            value = default_value(f, today=today)
            if f.default is not None:
                assert value is not None, (b.code, f.key)
                assert validate_field(f, value, today=today).ok, (b.code, f.key)


def test_field_values_feed_the_other_core_modules(catalogue: Catalogue) -> None:
    """effects.apply_effect reads plan / new_number / payment_mode / service."""
    new_line = catalogue.business("NEW_LINE")
    for key in ("plan", "new_number", "payment_mode", "service"):
        new_line.field(key)
    assert catalogue.business("PLAN_CHANGE").field("plan")
    assert catalogue.business("CHANGE_NUMBER").field("new_number")
    assert catalogue.business("NEW_LINE").account_effect in ACCOUNT_EFFECTS


def test_rule_registry_matches_preconditions_module() -> None:
    from frontdesk.core import preconditions

    assert set(PRECONDITION_RULES) == set(preconditions.RULES)


# --------------------------------------------------------------------------- look-ups


def test_lookups(catalogue: Catalogue) -> None:
    assert catalogue.business("TOP_UP").name_zh == "话费缴纳/充值"
    assert catalogue.find("NOPE") is None
    with pytest.raises(KeyError):
        catalogue.business("NOPE")
    with pytest.raises(KeyError):
        catalogue.tier("platinum")
    with pytest.raises(KeyError):
        catalogue.business("TOP_UP").field("nope")
    assert catalogue.tier("gold").name_zh == "金卡"


def test_pinyin(catalogue: Catalogue) -> None:
    assert catalogue.business("NEW_LINE").pinyin_initials == "rw"
    sim = catalogue.business("REPLACE_SIM")
    assert sim.pinyin_initials == "bk"
    assert sim.pinyin == "buka"
    assert {"bk", "hk", "bhk"} <= set(sim.search_initials)


# --------------------------------------------------------------------------- search


def names(result: list) -> list[str]:
    return [b.name_zh for b in result]


def test_search(catalogue: Catalogue) -> None:
    assert names(catalogue.search("bk"))[0] == "补(换)卡"
    assert names(catalogue.search("BK"))[0] == "补(换)卡"
    assert names(catalogue.search("cz"))[0] == "话费缴纳/充值"
    assert names(catalogue.search("NEW"))[0] == "入网/装机"
    assert names(catalogue.search("new_l"))[0] == "入网/装机"
    assert set(names(catalogue.search("漫游"))) == {"开国际漫游", "关国际漫游"}
    assert names(catalogue.search("buka"))[0] == "补(换)卡"
    assert names(catalogue.search("bu ka"))[0] == "补(换)卡"
    assert names(catalogue.search("充值"))[0] == "话费缴纳/充值"
    assert names(catalogue.search("TOP_UP"))[0] == "话费缴纳/充值"
    assert names(catalogue.search("xd"))[0] == "详单打印"
    assert names(catalogue.search("mmcz"))[0] == "密码管理"  # 重置: either reading
    assert names(catalogue.search("handset"))[0] == "购机"
    assert catalogue.search("zzzzqq") == []
    assert len(catalogue.search("  ")) == len(catalogue.businesses)


def test_search_ranks_exact_code_first(catalogue: Catalogue) -> None:
    assert catalogue.search("unlock")[0].code == "UNLOCK"
    assert catalogue.search("PASSWORD")[0].code == "PASSWORD"


# --------------------------------------------------------------------------- fees


def test_fee_for(catalogue: Catalogue) -> None:
    sim = catalogue.business("REPLACE_SIM")
    assert sim.fee_for({}, None) == sim.fee_fen > 0
    assert sim.fee_for({}, "standard") == sim.fee_fen
    assert sim.fee_for({}, "gold") == 0
    assert sim.fee_for({}, "supreme") == 0
    top_up = catalogue.business("TOP_UP")
    assert top_up.fee_for({"topup_amount": 5000}, None) == 5000
    assert top_up.fee_for({"topup_amount": "50.00"}, "diamond") == 5000  # never waived
    assert top_up.fee_for({}, None) == 0
    refund = catalogue.business("REFUND_DEPOSIT")
    assert refund.money_direction == "out"
    assert refund.fee_for({"deposit_amount": 20000}, None) == 20000
    assert refund.signed_fee_for({"deposit_amount": 20000}, None) == -20000
    assert top_up.signed_fee_for({"topup_amount": 100}, None) == 100


def test_free_sim_replacement_follows_the_tiers(catalogue: Catalogue) -> None:
    free = {t.code for t in catalogue.tiers if t.free_sim_replacement}
    assert free == {"silver", "gold", "diamond", "supreme"}
    assert set(catalogue.business("REPLACE_SIM").free_for_tiers) == free


# --------------------------------------------------------------------------- refusals


Mutation = Callable[[dict[str, Any]], None]


def _dup_code(d: dict) -> None:
    d["businesses"][5]["code"] = "NEW_LINE"


def _unknown_rule(d: dict) -> None:
    raw_business(d, "CHANGE_NUMBER")["preconditions"].append({"rule": "moon_is_full"})


def _bad_param_value(d: dict) -> None:
    raw_business(d, "NEW_LINE")["preconditions"][0]["max"] = "five"


def _extra_param(d: dict) -> None:
    raw_business(d, "CHANGE_NUMBER")["preconditions"][0]["max"] = 3


def _missing_param(d: dict) -> None:
    del raw_business(d, "NEW_LINE")["preconditions"][1]["years"]


def _bad_status(d: dict) -> None:
    raw_business(d, "CANCEL_LOST")["preconditions"][0]["in"] = ["stolen"]


def _unknown_field_type(d: dict) -> None:
    raw_business(d, "TOP_UP")["fields"][0]["type"] = "currency"


def _choice_without_choices(d: dict) -> None:
    raw_business(d, "REPLACE_SIM")["fields"][1]["choices"] = []


def _bad_default(d: dict) -> None:
    raw_business(d, "SUSPEND_KEEP")["fields"][0]["default"] = 24


def _bad_choice_default(d: dict) -> None:
    raw_business(d, "NEW_LINE")["fields"][0]["default"] = "satellite"


def _unknown_tier(d: dict) -> None:
    raw_business(d, "MOVE_ADDRESS")["free_for_tiers"].append("platinum")


def _unknown_tier_in_rule(d: dict) -> None:
    raw_business(d, "POINTS")["preconditions"].append({"rule": "tier_at_least", "tier": "vvip"})


def _negative_fee(d: dict) -> None:
    raw_business(d, "CHANGE_NUMBER")["fee_fen"] = -2000


def _zero_sla(d: dict) -> None:
    raw_business(d, "ENQUIRY")["sla_minutes"] = 0


def _unknown_id_step(d: dict) -> None:
    raw_business(d, "CLOSE_LINE")["id_steps"].append("fingerprint")


def _unknown_handling_class(d: dict) -> None:
    raw_business(d, "ENQUIRY")["handling_class"] = "slow"


def _duplicate_field_key(d: dict) -> None:
    fields = raw_business(d, "HANDSET_SALE")["fields"]
    fields.append(copy.deepcopy(fields[0]))


def _fee_from_text_field(d: dict) -> None:
    raw_business(d, "HANDSET_SALE")["fee_from_field"] = "brand"


def _line_rule_on_customer_business(d: dict) -> None:
    raw_business(d, "APPOINTMENT")["preconditions"].append({"rule": "arrears_cleared"})


def _unknown_key(d: dict) -> None:
    raw_business(d, "ENQUIRY")["fee"] = 100


def _unknown_effect(d: dict) -> None:
    raw_business(d, "ENQUIRY")["account_effect"] = "format_disk"


def _same_key_other_label(d: dict) -> None:
    raw_business(d, "MOVE_ADDRESS")["fields"][1]["label_zh"] = "家里电话"


def _unknown_choices_from(d: dict) -> None:
    raw_business(d, "NEW_LINE")["fields"][2]["choices_from"] = "handsets"


def _default_on_serial(d: dict) -> None:
    raw_business(d, "HANDSET_SALE")["fields"][0]["default"] = "490154203237518"


def _warranty_part_unknown(d: dict) -> None:
    raw_business(d, "HANDSET_SALE")["warranty_parts"].append("screen")


def _duplicate_tier(d: dict) -> None:
    d["tiers"][1]["code"] = "supreme"


def _no_plans(d: dict) -> None:
    d["plans"] = []


@pytest.mark.parametrize(
    ("mutate", "entry", "reason"),
    [
        (_dup_code, "businesses[5](NEW_LINE).code", "重复"),
        (_unknown_rule, "preconditions[6](moon_is_full).rule", "moon_is_full"),
        (_bad_param_value, "NEW_LINE).preconditions[0](id_number_limit).max", "1 到 99"),
        (_extra_param, "preconditions[0](arrears_cleared)", "多余"),
        (_missing_param, "preconditions[1](min_age)", "缺少"),
        (_bad_status, "CANCEL_LOST).preconditions[0](line_status).in", "stolen"),
        (_unknown_field_type, "TOP_UP).fields[0](topup_amount).type", "currency"),
        (_choice_without_choices, "REPLACE_SIM).fields[1](sim_reason)", "choices"),
        (_bad_default, "SUSPEND_KEEP).fields[0](keep_months).default", "12"),
        (_bad_choice_default, "NEW_LINE).fields[0](service).default", "satellite"),
        (_unknown_tier, "MOVE_ADDRESS).free_for_tiers[3]", "platinum"),
        (_unknown_tier_in_rule, "POINTS).preconditions[1](tier_at_least).tier", "vvip"),
        (_negative_fee, "CHANGE_NUMBER).fee_fen", "负数"),
        (_zero_sla, "ENQUIRY).sla_minutes", "大于 0"),
        (_unknown_id_step, "CLOSE_LINE).id_steps[4]", "fingerprint"),
        (_unknown_handling_class, "ENQUIRY).handling_class", "slow"),
        (_duplicate_field_key, "HANDSET_SALE).fields[", "重复"),
        (_fee_from_text_field, "HANDSET_SALE).fee_from_field", "金额字段"),
        (_line_rule_on_customer_business, "APPOINTMENT).preconditions[0]", "line"),
        (_unknown_key, "ENQUIRY).fee", "不认识的键"),
        (_unknown_effect, "ENQUIRY).account_effect", "允许"),
        (_same_key_other_label, "fields[3](contact_phone).key", "MOVE_ADDRESS"),
        (_unknown_choices_from, "NEW_LINE).fields[2](plan).choices_from", "允许"),
        (_default_on_serial, "HANDSET_SALE).fields[0](device_serial).default", "默认值"),
        (_warranty_part_unknown, "HANDSET_SALE).warranty_parts[4]", "screen"),
        (_duplicate_tier, "tiers[1](supreme).code", "重复"),
        (_no_plans, "choices_from", "plans"),
    ],
    ids=lambda v: v.__name__.strip("_") if callable(v) else None,
)
def test_bad_catalogue_is_refused(
    data: dict[str, Any], mutate: Mutation, entry: str, reason: str
) -> None:
    mutate(data)
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data, "test-catalogue.json")
    err = caught.value
    assert err.source == "test-catalogue.json"
    assert entry in err.entry, err.entry
    assert reason in err.reason, err.reason
    message = str(err)
    assert "test-catalogue.json" in message and err.entry in message
    assert err.reason in message and err.reason_en in message
    assert "业务目录" in message and "Catalogue file" in message


def test_json_syntax_error_names_line(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").splitlines()
    text[9] = text[9].rstrip(",") + ",,"
    path = tmp_path / "broken.json"
    path.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert "第 10 行" in caught.value.entry and "line 10" in caught.value.entry
    assert "JSON" in caught.value.reason
    assert str(path) in str(caught.value)


def test_duplicate_json_key_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"schema_version": 1, "version": 1, "version": 2}', encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert "version" in caught.value.entry


def test_missing_file_and_wrong_schema(tmp_path: Path, data: dict[str, Any]) -> None:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path / "nope.json")
    assert "nope.json" in str(caught.value)
    data["schema_version"] = 2
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data, "x.json")
    assert caught.value.entry == "schema_version"
    with pytest.raises(CatalogueError):
        parse_catalogue([], "x.json")  # type: ignore[arg-type]


def test_copy_of_shipped_file_loads_from_anywhere(tmp_path: Path) -> None:
    target = tmp_path / "catalogue.json"
    shutil.copy(SHIPPED, target)
    assert load_catalogue(target).digest == load_catalogue(SHIPPED).digest


def test_ambiguous_initials_are_reported_not_guessed(catalogue: Catalogue) -> None:
    assert [b.code for b in catalogue.ambiguous("gh")] == ["CHANGE_OWNER", "CHANGE_NUMBER"]
    assert catalogue.ambiguous("bk") == []  # 补(换)卡 alone
    assert catalogue.ambiguous("") == []
    assert catalogue.ambiguous("TOP_UP") == []  # an exact code is never ambiguous
    assert catalogue.ambiguous("g") == []  # a prefix: the clerk is still typing
    scored = catalogue.search_scored("gh")
    assert scored[0][0] == scored[1][0] == 1

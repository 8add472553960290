"""The terminal catalogue travels with the business catalogue: head office publishes a
new model, the counter pulls it and a scan of its IMEI fills the sale form; a terminal
catalogue the counters would refuse is never published."""

from __future__ import annotations

import copy
import json

import pytest

from frontdesk.core.catalogue import CatalogueError, default_catalogue_path
from frontdesk.core.serials import luhn_check_digit
from frontdesk.headoffice.admin import publish_dataset
from frontdesk.services.handsets import fill_for_serial
from frontdesk.sync.puller import pull_datasets, switch_catalogue_if_idle
from frontdesk.sync.service import client_for

NEW_MODEL = {
    "code": "HW-P70",
    "business": "HANDSET_SALE",
    "tacs": ["86777001"],
    "brand": "HUAWEI",
    "model": "Pura70",
    "origin": "中国广东东莞",
    "price_fen": 549_900,
}


def shipped() -> dict:
    return json.loads(default_catalogue_path().read_text(encoding="utf-8"))


def test_a_model_head_office_publishes_fills_the_form_after_the_pull(enrolled, ho_engine):
    ws = enrolled
    imei = "86777001123456" + luhn_check_digit("86777001123456")
    assert not fill_for_serial(ws.catalogue, "HANDSET_SALE", imei).values  # unknown yet
    body = shipped()
    body["version"] = ws.catalogue.version + 1
    body["handsets"].append(NEW_MODEL)
    with ho_engine.begin() as conn:
        version = publish_dataset(conn, "catalogue", body)
    with client_for(ws) as client:
        assert pull_datasets(ws.db, client).applied.get("catalogue") == version
    assert switch_catalogue_if_idle(ws)
    fill = fill_for_serial(ws.catalogue, "HANDSET_SALE", imei)
    assert fill is not None and fill.values["model"] == "Pura70"
    assert fill.values["price"] == "5499.00" and fill.listed_price_fen == 549_900


def test_head_office_never_publishes_a_terminal_catalogue_counters_would_refuse(ho_engine):
    body = shipped()
    body["handsets"].append({**copy.deepcopy(NEW_MODEL), "tacs": ["86012345"]})  # Mate60's
    with ho_engine.begin() as conn, pytest.raises(CatalogueError) as caught:
        publish_dataset(conn, "catalogue", body)
    assert "handsets[3](HW-P70).tacs[0]" in caught.value.entry
    assert "已属于机型 HW-MATE60" in caught.value.reason

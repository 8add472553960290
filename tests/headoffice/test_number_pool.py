"""Number resources (号码资源) from head office to the counter, against a real PostgreSQL.

IT publishes a block per workstation (``frontdesk headoffice numbers``); each counter
pulls only its own block and offers exactly those numbers; a block with a bad number or
a number of another counter is refused whole, and a damaged dataset is never applied.
"""

from __future__ import annotations

import itertools
import json
import os

import pytest
from sqlalchemy import text

from frontdesk.cli import main
from frontdesk.core.messages import RuleViolation
from frontdesk.headoffice.admin import canonical_digest, publish_dataset, publish_number_block
from frontdesk.services.numbers import NumberPoolService
from frontdesk.services.workstation import Workstation
from frontdesk.sync.puller import DatasetError, pull_datasets, pulled
from frontdesk.sync.service import client_for

from .conftest import enrol
from .factory import new_workstation, unique_branch

# numbers no other test of the session uses: 170 + this process + a counter
_runs = itertools.count(1)


def fresh_run(count: int) -> list[str]:
    base = 17_000_000_000 + (os.getpid() % 10_000) * 10_000 + next(_runs) * 100
    return [str(base + i) for i in range(count)]


def latest_version(engine) -> int:
    with engine.connect() as c:
        return int(c.scalar(text("SELECT coalesce(max(version), 0) FROM ho_dataset")))


@pytest.fixture(autouse=True)
def _logs(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTDESK_LOG_DIR", str(tmp_path / "logs"))


def test_it_publishes_a_block_per_counter_and_each_counter_offers_only_its_own(
    tmp_path, ho_engine, ho_server, ho_db_url, monkeypatch, capsys
):
    branch = unique_branch()
    one = new_workstation(tmp_path, branch, "W01")
    two = new_workstation(tmp_path, branch, "W02")
    for ws in (one, two):
        enrol(ws, ho_engine, ho_server.url)
    folders = [one.data_dir, two.data_dir]
    one.close()
    two.close()
    monkeypatch.setenv("FRONTDESK_HO_DATABASE_URL", ho_db_url)
    first = fresh_run(5)
    second = fresh_run(3)
    cmd = ["headoffice", "numbers", "--branch", branch.lower()]
    assert main([*cmd, "--workstation", "w01", "--first", first[0], "--count", "5"]) == 0
    assert f"{branch}/W01 +5, 5 in its block" in capsys.readouterr().out
    listing = tmp_path / "w02.txt"
    listing.write_text("\n".join(second) + "\n", encoding="utf-8")
    assert main([*cmd, "--workstation", "W02", "--file", str(listing)]) == 0
    for folder in folders:
        assert main(["--data-dir", str(folder), "sync"]) == 0
    offered = []
    for folder in folders:
        ws = Workstation.open(folder)
        try:
            offered.append(NumberPoolService(ws).free_numbers())
        finally:
            ws.close()
    assert offered == [first, second]  # never the other counter's numbers
    # a second block for W01 adds to it; W02 keeps its own
    more = fresh_run(2)
    assert main([*cmd, "--workstation", "W01", "--file", str(write(tmp_path, more))]) == 0
    assert "+2, 7 in its block" in capsys.readouterr().out
    assert main(["--data-dir", str(folders[0]), "sync"]) == 0
    ws = Workstation.open(folders[0])
    try:
        assert NumberPoolService(ws).free_numbers() == sorted(first + more)
    finally:
        ws.close()


def write(tmp_path, numbers: list[str]):
    path = tmp_path / f"block-{numbers[0]}.txt"
    path.write_text(",".join(numbers), encoding="utf-8")
    return path


def test_a_block_with_a_bad_number_is_refused_whole_and_nothing_is_published(
    tmp_path, ho_engine, ho_db_url, monkeypatch, capsys
):
    monkeypatch.setenv("FRONTDESK_HO_DATABASE_URL", ho_db_url)
    before = latest_version(ho_engine)
    good = fresh_run(2)
    path = write(tmp_path, [good[0], "12345678901", good[1], good[1]])
    args = ["headoffice", "numbers", "--branch", unique_branch(), "--workstation", "W01"]
    assert main([*args, "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert "号码资源中的“12345678901”不是有效的手机号码" in err
    assert "is not a valid mobile number" in err and f"number {good[1]} appears twice" in err
    assert latest_version(ho_engine) == before
    # neither a file nor a run: told how to call it
    assert main(args) == 2
    assert "--first and --count" in capsys.readouterr().err
    assert latest_version(ho_engine) == before


def test_a_number_is_never_given_to_two_counters(ho_engine):
    branch = unique_branch()
    numbers = fresh_run(3)
    with ho_engine.begin() as conn:
        publish_number_block(conn, branch, "W01", numbers)
    before = latest_version(ho_engine)
    with ho_engine.begin() as conn, pytest.raises(RuleViolation) as info:
        publish_number_block(conn, branch, "W02", [fresh_run(1)[0], numbers[1]])
    assert f"已分配给 {branch}/W01" in info.value.text("zh")
    assert f"already assigned to {branch}/W01" in info.value.text("en")
    assert latest_version(ho_engine) == before
    # the general publish command checks a numbers dataset the same way
    bad = {"blocks": [{"branch_code": branch, "workstation_code": "W03", "numbers": ["123"]}]}
    with ho_engine.begin() as conn, pytest.raises(RuleViolation):
        publish_dataset(conn, "numbers", bad)
    with ho_engine.begin() as conn, pytest.raises(RuleViolation) as shape:
        publish_dataset(conn, "numbers", {"blocks": "all of them"})
    assert "expected shape" in shape.value.text("en")
    assert latest_version(ho_engine) == before


def test_a_damaged_or_invalid_numbers_dataset_is_refused_and_nothing_applied(
    tmp_path, ho_engine, ho_server
):
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    branch, code = ws.identity.branch_code, ws.identity.workstation_code
    good = fresh_run(3)
    with ho_engine.begin() as conn:
        published = publish_number_block(conn, branch, code, good)
    with client_for(ws) as client:
        assert pull_datasets(ws.db, client).applied["numbers"] == published.version
    pool = NumberPoolService(ws)
    assert pool.free_numbers() == good
    # a version written past the publish checks (by hand, say) with a bad number
    with ho_engine.connect() as c:
        body = c.execute(
            text("SELECT body FROM ho_dataset WHERE kind = 'numbers' AND version = :v"),
            {"v": published.version},
        ).scalar_one()
    for block in body["blocks"]:
        if block["branch_code"] == branch:
            block["numbers"] = [*block["numbers"], "10086"]
    with ho_engine.begin() as c:
        bad_version = int(c.scalar(text("SELECT nextval('ho_dataset_version_seq')")))
        c.execute(
            text(
                "INSERT INTO ho_dataset (kind, version, schema, digest, body)"
                " VALUES ('numbers', :v, 2, :d, CAST(:b AS jsonb))"
            ),
            {"v": bad_version, "d": canonical_digest(body), "b": json.dumps(body)},
        )
    try:
        with client_for(ws) as client, pytest.raises(DatasetError) as info:
            pull_datasets(ws.db, client)
        assert f"numbers v{bad_version} is invalid" in str(info.value)
        assert pool.free_numbers() == good  # nothing of it applied
        assert pulled(ws.db, "numbers")[0] == published.version
    finally:
        with ho_engine.begin() as c:
            c.execute(text("DELETE FROM ho_dataset WHERE version = :v"), {"v": bad_version})
        ws.close()


def test_a_counter_of_the_previous_dataset_schema_never_receives_numbers(
    tmp_path, ho_engine, ho_server
):
    ws = new_workstation(tmp_path)
    enrol(ws, ho_engine, ho_server.url)
    try:
        with ho_engine.begin() as conn:
            publish_number_block(
                conn, ws.identity.branch_code, ws.identity.workstation_code, fresh_run(2)
            )
        with client_for(ws) as client:
            old = {d["kind"] for d in client.pull({}, 1)}
            new = {d["kind"] for d in client.pull({}, 2)}
        assert "numbers" not in old and "numbers" in new
    finally:
        ws.close()

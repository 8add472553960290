"""The queue host over real HTTP: a uvicorn server on loopback, RemoteQueue as a counter,
the config section, and the ``frontdesk queue`` commands."""

from __future__ import annotations

import argparse
import json
import socket
import threading
import uuid

import pytest
import uvicorn

from frontdesk.core.messages import RuleViolation
from frontdesk.queuehost.app import create_app
from frontdesk.queuehost.backend import counter_desk, queue_backend
from frontdesk.queuehost.cli import register
from frontdesk.queuehost.client import RemoteQueue
from frontdesk.queuehost.settings import (
    QueueConfigError,
    QueueSection,
    load_queue_section,
    parse_queue_section,
)
from frontdesk.services.queue import LocalQueue, QueueBackend, QueueSetup

TOKEN = "branch-queue-token-0001"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Host:
    """A queue host served by uvicorn in a thread, stopped at the end of the test."""

    def __init__(self, queue: LocalQueue, token: str) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            create_app(queue, token), host="127.0.0.1", port=self.port, log_level="error"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Host:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("queue host did not start")
            self.thread.join(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join()


@pytest.fixture
def host(ws):
    queue = LocalQueue.for_workstation(ws, QueueSetup(counters=("W01", "W02")))
    with Host(queue, TOKEN) as running:
        yield running


def counter_client(host, tmp_path, code: str) -> RemoteQueue:
    """A counter's client: joins the host once, then acts with its own credential."""
    return RemoteQueue(
        host.url, TOKEN, timeout=5, counter=code, credential_path=tmp_path / f"{code}.json"
    )


@pytest.fixture
def remote(host, tmp_path):
    client = counter_client(host, tmp_path, "W01")
    yield client
    client.close()


def test_a_counter_works_the_queue_through_the_host(clock, remote, host, tmp_path):
    assert isinstance(remote, QueueBackend)
    assert [line.code for line in remote.service_lines()] == ["A", "V", "B"]
    standard = remote.issue("A")
    gold = remote.issue("V", "gold", customer_id=uuid.uuid4())
    assert (standard.ticket_no, gold.ticket_no) == ("A001", "V001")
    clock.advance(minutes=2)
    called = remote.call_next("W01", ["A", "V"])
    assert called.ticket_id == gold.ticket_id and called.counter == "W01"
    assert remote.current("W01") == called
    assert remote.recall(called.ticket_id, "W01").recalls == 1
    visit = uuid.uuid4()
    assert remote.start_serving(called.ticket_id, "W01", visit).visit_id == visit
    assert remote.finish(called.ticket_id, "W01").status == "done"
    nxt = remote.call_next("W01", ["A"])
    moved = remote.transfer(nxt.ticket_id, "W01", "W02")
    assert moved.transfer_to == "W02"
    w02 = counter_client(host, tmp_path, "W02")
    assert w02.call_next("W02", ["B"]).ticket_id == standard.ticket_id
    w02.close()
    hall = remote.hall_snapshot()
    assert {c.counter: c.busy for c in hall.counters} == {"W01": False, "W02": True}
    assert remote.call_next("W01", ["A"]) is None


def test_a_missed_ticket_is_requeued_through_the_host(clock, remote, host, tmp_path):
    remote.issue("A")
    called = remote.call_next("W01", ["A"])
    remote.no_show(called.ticket_id, "W01")
    w05 = counter_client(host, tmp_path, "W05")
    back = w05.requeue("A001", "W05")
    assert back.ticket_id == called.ticket_id and back.status == "waiting"
    with pytest.raises(RuleViolation) as info:
        w05.requeue("A001", "W05")
    assert info.value.codes == ["queue.not_no_show"]
    w05.close()


def test_the_hosts_rule_comes_back_as_the_same_problem(remote):
    with pytest.raises(RuleViolation) as info:
        remote.issue("V")
    assert info.value.codes == ["queue.vip_line"]
    assert "VIP" in info.value.problems[0].text("zh")
    with pytest.raises(RuleViolation) as info:
        remote.recall(uuid.uuid4(), "W01")
    assert info.value.codes == ["queue.ticket_not_found"]


def test_a_wrong_token_is_refused(host):
    client = RemoteQueue(host.url, "not-the-right-token-000", timeout=5)
    with pytest.raises(RuleViolation) as info:
        client.issue("A")
    client.close()
    assert info.value.codes == ["queue.refused"]
    assert "401" in info.value.problems[0].text("en")


def test_bad_bodies_get_a_4xx_not_a_500(host, remote):
    import httpx

    remote.service_lines()  # joins
    headers = {"Authorization": f"Bearer {remote._credential()}"}
    with httpx.Client(base_url=host.url, headers=headers) as http:
        assert http.get("/health").json()["status"] == "ok"
        r = http.post("/v1/tickets", json={"line": "A", "bogus": 1})
        assert r.status_code == 400 and r.json()["error"] == "body"
        r = http.post("/v1/tickets/not-a-uuid/recall", json={"counter": "W01"})
        assert r.status_code == 400
        r = http.post("/v1/call-next", json={"counter": "W01", "lines": []})
        assert r.status_code == 400
        r = http.post(
            "/v1/call-next", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert r.status_code == 400


def test_an_unreachable_host_is_a_polite_message():
    client = RemoteQueue(f"http://127.0.0.1:{free_port()}", TOKEN, timeout=1)
    with pytest.raises(RuleViolation) as info:
        client.call_next("W01", ["A"])
    client.close()
    assert info.value.codes == ["queue.unreachable"]
    text = info.value.problems[0].text("zh")
    assert "叫号服务器无法连接" in text and "散客" in text


# ----------------------------------------------------------------------------- config


def test_the_queue_section_defaults_and_validation(tmp_path):
    section = parse_queue_section(None)
    assert section.hosts_itself and section.port == 8766 and section.is_loopback
    assert [line.code for line in section.setup().lines] == ["A", "V", "B"]
    custom = parse_queue_section(
        {
            "url": "http://192.168.1.20:8766/",
            "token": TOKEN,
            "counter_lines": ["a", "g"],
            "margin_minutes": 2,
            "fairness_every": 3,
            "lines": [
                {"code": "A", "name_zh": "综合", "name_en": "General"},
                {
                    "code": "G",
                    "name_zh": "3G专席",
                    "name_en": "3G",
                    "vip_only": True,
                    "vip_3g": True,
                },
            ],
        }
    )
    assert custom.url == "http://192.168.1.20:8766" and custom.counter_lines == ("A", "G")
    setup = custom.setup()
    assert setup.policy.margin_seconds == 120 and setup.policy.fairness_every == 3
    assert setup.line("G").vip_3g
    for bad, words in [
        ({"url": "192.168.1.20"}, "http"),
        ({"token": "short"}, "16"),
        ({"counter_lines": ["Z"]}, "unknown line"),
        ({"fairness_every": 1}, "fairness_every"),
        ({"colour": "red"}, "colour"),
        ({"lines": [{"code": "A", "name_zh": "x", "name_en": "x"}] * 2}, "duplicate"),
    ]:
        with pytest.raises(QueueConfigError, match=words):
            parse_queue_section(bad)
    (tmp_path / "frontdesk.toml").write_text('[queue]\nurl = "http://h:1"\n', encoding="utf-8")
    assert load_queue_section(tmp_path).url == "http://h:1"
    (tmp_path / "frontdesk.toml").write_text("[queue\n", encoding="utf-8")
    with pytest.raises(QueueConfigError):
        load_queue_section(tmp_path)
    assert load_queue_section(tmp_path / "missing") == QueueSection()


def test_backend_choice_follows_the_url(ws):
    assert isinstance(queue_backend(ws), LocalQueue)
    remote = queue_backend(ws, parse_queue_section({"url": "http://10.0.0.2:8766"}))
    assert isinstance(remote, RemoteQueue)
    remote.close()
    desk = counter_desk(ws, parse_queue_section({"counter_lines": ["B"]}))
    assert desk.counter == "W01" and desk.lines == ("B",)


# ----------------------------------------------------------------------------- commands


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="frontdesk")
    parser.add_argument("--data-dir")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_kiosk_issue_and_status_commands(ws, capsys):
    folder = str(ws.data_dir)
    assert run_cli(["--data-dir", folder, "queue", "issue", "--line", "a"]) == 0
    assert capsys.readouterr().out.startswith("A001")
    assert (
        run_cli(["--data-dir", folder, "queue", "issue", "--line", "V", "--tier", "gold", "--json"])
        == 0
    )
    ticket = json.loads(capsys.readouterr().out)
    assert ticket["ticket_no"] == "V001" and ticket["waiting_limit_seconds"] == 600
    assert run_cli(["--data-dir", folder, "queue", "issue", "--line", "V"]) == 1
    assert "VIP" in capsys.readouterr().err
    assert run_cli(["--data-dir", folder, "queue", "status"]) == 0
    out = capsys.readouterr().out
    assert "A 综合业务" in out and "V VIP专席" in out
    assert run_cli(["--data-dir", folder, "queue", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["issued_today"] == 2


def test_serve_refuses_the_lan_without_a_token(ws, capsys):
    code = run_cli(["--data-dir", str(ws.data_dir), "queue", "serve", "--host", "0.0.0.0"])
    assert code == 2
    assert "token" in capsys.readouterr().err


# ----------------------------------------------------------------------------- credentials


def test_a_counter_can_act_only_as_itself(clock, host, remote, tmp_path):
    """The branch's token once let any client act as any counter: now it only joins."""
    import httpx

    remote.issue("A")
    with pytest.raises(RuleViolation) as info:
        remote.call_next("W02", ["A"])  # W01's credential, W02's call
    assert info.value.codes == ["queue.refused"] and "403" in info.value.problems[0].text("en")
    for auth in (f"Bearer {TOKEN}", TOKEN, remote._credential(), ""):
        r = httpx.post(
            host.url + "/v1/call-next",
            json={"counter": "W01", "lines": ["A"]},
            headers={"Authorization": auth},
        )
        assert r.status_code == 401, (auth, r.text)  # the join token, or no "Bearer"
    assert remote.call_next("W01", ["A"]).counter == "W01"
    stored = json.loads((tmp_path / "W01.json").read_text(encoding="utf-8"))
    assert stored["counter"] == "W01" and (tmp_path / "W01.json").stat().st_mode & 0o777 == 0o600
    again = RemoteQueue(host.url, TOKEN, timeout=5, counter="W01", credential_path=tmp_path / "x")
    with pytest.raises(RuleViolation) as info:
        again.service_lines()  # a second machine claiming W01 is refused
    assert "409" in info.value.problems[0].text("en")
    again.close()
    wrong = RemoteQueue(
        host.url, "wrong-token-000000", counter="W03", credential_path=tmp_path / "y"
    )
    with pytest.raises(RuleViolation) as info:
        wrong.service_lines()
    assert "401" in info.value.problems[0].text("en")
    wrong.close()


def test_bodies_are_bounded_and_json(host, remote):
    import httpx

    remote.service_lines()
    headers = {"Authorization": f"Bearer {remote._credential()}"}
    big = httpx.post(
        host.url + "/v1/tickets",
        content=b'{"line": "' + b"A" * 100_000 + b'"}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert big.status_code == 413

    def chunks():
        yield b'{"line": "'
        for _ in range(100):
            yield b"A" * 1000

    chunked = httpx.post(
        host.url + "/v1/tickets",
        content=chunks(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert chunked.status_code == 413
    form = httpx.post(host.url + "/v1/tickets", data={"line": "A"}, headers=headers)
    assert form.status_code == 415


def test_joined_counters_survive_a_host_restart_and_it_can_reset_one(ws, tmp_path, capsys):
    from frontdesk.queuehost.cli import host_credentials

    first = host_credentials(ws)
    credential = first.join("W02")
    assert credential and first.join("W02") is None
    assert host_credentials(ws).counter_of(credential) == "W02"  # read back from the database
    assert run_cli(["--data-dir", str(ws.data_dir), "queue", "forget", "--counter", "w02"]) == 0
    assert "W02" in capsys.readouterr().out
    assert host_credentials(ws).counter_of(credential) is None
    assert run_cli(["--data-dir", str(ws.data_dir), "queue", "forget", "--counter", "W02"]) == 1
    assert "W02" in capsys.readouterr().err
    assert host_credentials(ws).join("W02")


def test_a_green_channel_ticket_through_the_host(clock, remote):
    remote.issue("A", "gold")
    elder = remote.issue("A", green_channel="disabled")
    assert elder.green_channel == "disabled"
    clock.advance(minutes=1)
    called = remote.call_next("W01", ["A"])
    assert called.ticket_id == elder.ticket_id and called.green_channel == "disabled"

"""Limits a request meets before any authentication work: the body is counted while it
arrives (declared or chunked) and must be JSON; one credential can't hold more pushes
than a counter's pipeline, so its far-future ``follows`` never stall other branches."""

from __future__ import annotations

import datetime as dt
import select
import socket
from concurrent.futures import ThreadPoolExecutor, as_completed
from urllib.parse import urlparse

import httpx
import pytest

from frontdesk.headoffice.app import MAX_PUSHES_PER_CREDENTIAL
from frontdesk.services.syncpass import run_pass
from frontdesk.sync.credentials import CredentialStore
from frontdesk.sync.protocol import MAX_BODY_BYTES
from frontdesk.sync.service import client_for

from .conftest import enrol
from .factory import ServerProcess, new_workstation, write_sales

HEADERS = {
    "X-Frontdesk-Protocol": "2",
    "X-Frontdesk-App": "0.1.0",
    "X-Frontdesk-Schema": "0005",
    "Content-Type": "application/json",
}


def _chunked_upload(url: str, megabytes: int) -> tuple[bytes, int]:
    """Send a chunked push without Content-Length and without a credential, 1 MB a
    chunk, until the server answers: (the answer's first bytes, megabytes sent)."""
    parts = urlparse(url)
    sock = socket.create_connection((parts.hostname, parts.port))
    sock.sendall(
        b"POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"X-Frontdesk-Protocol: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"%x\r\n%s\r\n" % (1 << 20, b" " * (1 << 20))
    sent = 0
    try:
        while sent < megabytes:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            sock.sendall(chunk)
            sent += 1
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        return _answer(sock), sent
    finally:
        sock.close()


def _answer(sock: socket.socket) -> bytes:
    """The whole answer: head and body may arrive in separate segments (a loaded
    machine), and the server closes the connection after a refusal."""
    sock.settimeout(30)
    answer = b""
    while True:
        try:
            part = sock.recv(4096)
        except ConnectionResetError:
            break
        if not part:
            break
        answer += part
        head, _, body = answer.partition(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            None,
        )
        if length is not None and len(body) >= length:
            break
    return answer


def test_a_chunked_body_is_refused_while_it_arrives(ho_server):
    answer, sent = _chunked_upload(ho_server.url, 300)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"too_large" in answer
    limit_mb = MAX_BODY_BYTES >> 20
    assert sent < limit_mb + 16  # stopped near the limit, not after 300 MB


def test_declared_length_and_content_type_are_checked_first(ho_server):
    parts = urlparse(ho_server.url)
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.sendall(
            b"POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000000000000\r\n\r\n{}"
        )
        answer = _answer(sock)  # head and body may come in two segments
    assert answer.startswith(b"HTTP/1.1 413") and b'"field":"body"' in answer
    for media in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = dict(HEADERS)
        if media is None:
            headers.pop("Content-Type")
        else:
            headers["Content-Type"] = media
        r = httpx.post(ho_server.url + "/v1/push", content=b'{"records": []}', headers=headers)
        assert r.status_code == 415, (media, r.text)
        assert r.json()["problems"][0]["field"] == "Content-Type"
    charset = httpx.post(
        ho_server.url + "/v1/push",
        content=b'{"records": []}',
        headers={
            **HEADERS,
            "Content-Type": "application/json; charset=utf-8",
            "X-Frontdesk-Device-Time": dt.datetime.now(dt.UTC).isoformat(),
        },
    )
    assert charset.status_code == 401  # JSON with a charset is JSON: on to the credential


@pytest.fixture
def patient_server(ho_db_url, tmp_path):
    config = tmp_path / "headoffice.toml"
    config.write_text("[sync]\npush_order_wait_seconds = 5\n", encoding="utf-8")
    server = ServerProcess(ho_db_url, tmp_path / "srv", env={"FRONTDESK_HO_CONFIG": str(config)})
    server.start()
    yield server
    server.stop()


def test_one_credential_cannot_stall_other_branches(tmp_path, ho_engine, patient_server):
    flooder = new_workstation(tmp_path / "a")
    other = new_workstation(tmp_path / "b")
    for ws in (flooder, other):
        enrol(ws, ho_engine, patient_server.url)
    write_sales(other, 3)

    def headers_of(ws) -> dict[str, str]:
        return {
            **HEADERS,
            "Authorization": f"Bearer {CredentialStore(ws.data_dir).load().token}",
            "X-Frontdesk-Device-Time": dt.datetime.now(dt.UTC).isoformat(),
        }

    far = {"records": [], "follows": 10**15, "outbox_to": 10**15 + 1}
    with ThreadPoolExecutor(12) as pool:
        flood = [
            pool.submit(
                httpx.post,
                patient_server.url + "/v1/push",
                json=far,
                headers=headers_of(flooder),
                timeout=30,
            )
            for _ in range(10)
        ]
        arrived = as_completed(flood)
        first = [next(arrived).result() for _ in range(10 - MAX_PUSHES_PER_CREDENTIAL)]
        # the flooder's admitted pushes wait for a batch that never comes; meanwhile
        # another branch's counter syncs as usual
        with client_for(other) as client:
            report = run_pass(other, client)
        still_waiting = sum(1 for f in flood if not f.done())
        answers = [f.result() for f in flood]
    assert report.push.stored > 0 and still_waiting == MAX_PUSHES_PER_CREDENTIAL
    assert all(r.status_code == 503 for r in answers)
    assert {r.json()["problems"][0]["field"] for r in first} == {"Authorization"}
    assert "pushes in progress" in first[0].json()["problems"][0]["message"]
    fields = sorted(r.json()["problems"][0]["field"] for r in answers)
    assert fields.count("follows") == MAX_PUSHES_PER_CREDENTIAL
    for ws in (flooder, other):
        ws.close()

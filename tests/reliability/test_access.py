"""Access: staff behind a password (no password, no console), loopback by default, no secrets or
addresses in logs, query logging off unless asked for."""

from __future__ import annotations

import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from gradio_client import Client

from ..app_server import AppServer, running_app

pytestmark = pytest.mark.server
PASSWORD = "s3cret-staff-Passw0rd"
API_KEY = "sk-test-NEVER-LOG-THIS-KEY"


def _listening_addresses(port: int) -> set[str]:
    """Local addresses listening on `port`, read from /proc (no traffic sent)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:
                found.add(addr)
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # type: ignore[no-untyped-def]
    with running_app(
        tmp_path_factory.mktemp("access") / "data", ASSISTANT_STAFF_PASSWORD=PASSWORD, OPENAI_API_KEY=API_KEY
    ) as srv:
        yield srv


def test_binds_loopback_by_default(server: AppServer) -> None:
    assert _listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1


def test_staff_console_and_functions_need_the_password(server: AppServer) -> None:
    for path in ("/staff/config", "/staff/gradio_api/info"):
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(server.url + path, timeout=10)
        assert denied.value.code in (401, 403)
    wrong = urllib.parse.urlencode({"username": "staff", "password": "nope"}).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(server.url + "/staff/login", data=wrong), timeout=10)
    assert refused.value.code in (400, 401)
    public = Client(server.url + "/", verbose=False).view_api(print_info=False, return_format="dict")
    assert set(public["named_endpoints"]) == {"/ask", "/feedback"}
    staff = Client(server.url + "/staff/", auth=("staff", PASSWORD), verbose=False)
    assert (
        staff.view_api(print_info=False, return_format="dict")["named_endpoints"] == {}
    )  # nothing public even then


def test_no_password_means_no_console(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with running_app(tmp_path / "data") as srv:
        for path in ("/staff/", "/staff/config"):
            with pytest.raises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(srv.url + path, timeout=10)
            assert missing.value.code == 404


def test_secrets_and_addresses_never_logged_and_query_log_off_by_default(server: AppServer) -> None:
    Client(server.url + "/", verbose=False).predict("How do I do a glute bridge?", api_name="/ask")
    Client(server.url + "/staff/", auth=("staff", PASSWORD), verbose=False)
    output = server.output()
    assert (
        PASSWORD not in output
        and API_KEY not in output
        and "127.0.0.1:" not in output.replace(server.url, "")
    )
    db = server.data_dir / "feedback.sqlite3"
    if db.exists():
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT COUNT(*) FROM queries").fetchone()[0] == 0


def test_query_log_when_on_stores_no_addresses(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with running_app(tmp_path / "data", ASSISTANT_LOG_QUERIES="true") as srv:
        Client(srv.url + "/", verbose=False).predict("What is PFPS?", api_name="/ask")
        with sqlite3.connect(srv.data_dir / "feedback.sqlite3") as conn:
            rows = conn.execute("SELECT * FROM queries").fetchall()
            columns = [c[1] for c in conn.execute("PRAGMA table_info(queries)")]
        assert len(rows) == 1 and rows[0][2] == "What is PFPS?"
        assert not any("ip" in c or "addr" in c or "host" in c for c in columns)
        assert not any("127.0.0.1" in str(v) for v in rows[0])

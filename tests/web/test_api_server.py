"""The REST API on a real app.py process: one rate limit across the doors, /staff as the README types it."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from gradio_client import Client

from tests.app_server import AppServer, running_app

pytestmark = pytest.mark.server
PASSWORD = "rest-staff-password"  # noqa: S105 - a test value


def _call(
    url: str, body: dict[str, Any] | None = None, auth: tuple[str, str] | None = None
) -> tuple[int, Any, Any]:
    """(status, decoded JSON body, headers) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(":".join(auth).encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read()), reply.headers
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), exc.headers


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # type: ignore[no-untyped-def]
    # the default limit (30 a minute per client): every request of this module comes from 127.0.0.1
    with running_app(tmp_path_factory.mktemp("rest") / "data", ASSISTANT_STAFF_PASSWORD=PASSWORD) as srv:
        yield srv


def test_staff_url_from_the_readme_opens_the_login(server: AppServer) -> None:
    with urllib.request.urlopen(server.url + "/staff", timeout=30) as page:  # follows the redirect
        assert page.status == 200 and page.url == server.url + "/staff/"
        assert "<html" in page.read(4000).decode(errors="replace").lower()
    with pytest.raises(urllib.error.HTTPError) as login_first:  # the console's data still needs the login
        urllib.request.urlopen(server.url + "/staff/config", timeout=30)
    assert login_first.value.code in (401, 403)


def test_40_quick_requests_get_429s_on_every_door_and_the_service_stays_healthy(server: AppServer) -> None:
    api = server.url + "/api/v1"
    results = [_call(api + "/ask", {"question": f"What is PFPS? ({i})"}) for i in range(40)]
    codes = [status for status, _, _ in results]
    assert codes.count(200) == 30 and codes[30:] == [429] * 10, codes
    status, body, headers = results[-1]
    assert set(body) == {"error"} and 1 <= int(headers["Retry-After"]) <= 60
    assert all(b["decision"] in ("answer", "refuse", "escalate") for s, b, _ in results if s == 200)
    # the same client is over its allowance on the Gradio API and the REST feedback too
    client = Client(server.url + "/", verbose=False)
    with pytest.raises(Exception, match="very quickly"):
        client.predict("What is PFPS?", api_name="/ask")
    with pytest.raises(Exception, match="very quickly"):
        client.predict("q", "a", "answer", 1, "", api_name="/feedback")
    rating = {"question": "q", "answer": "a", "decision": "answer", "rating": 1}
    assert _call(api + "/feedback", rating)[0] == 429
    # ... while health answers, and staff who logged in are not limited
    assert _call(api + "/health")[:2][0] == 200 and _call(api + "/health")[1]["status"] == "ok"
    staff = _call(api + "/staff/feedback", auth=("staff", PASSWORD))
    assert staff[0] == 200 and staff[1] == []
    with urllib.request.urlopen(server.url + "/", timeout=30) as page:
        assert page.status == 200  # the page itself still loads; its messages are what is limited

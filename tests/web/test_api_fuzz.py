"""Fuzz the REST API from its own OpenAPI schema (schemathesis) against app.py on loopback.

Every operation gets generated bodies and parameters, valid and invalid (at most 50 examples of each):
no 5xx, every response matches the schema (status, content type, body), invalid input is refused.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from tests.app_server import AppServer, running_app

pytestmark = pytest.mark.server
PASSWORD = "fuzz-staff-password"  # noqa: S105 - a test value
# 413 (body over 64 kB) is a rejection too: invalid bodies are often just too long
CONFIG = {"checks": {"negative_data_rejection": {"expected-statuses": [400, 401, 404, 405, 413, 422]}}}
OPERATIONS = [
    "POST /ask",
    "POST /feedback",
    "GET /health",
    "GET /staff/feedback",
    "GET /staff/feedback/export",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # type: ignore[no-untyped-def]
    with running_app(
        tmp_path_factory.mktemp("fuzz") / "data",
        ASSISTANT_RATE_LIMIT_PER_MIN="0",
        ASSISTANT_STAFF_PASSWORD=PASSWORD,
    ) as srv:
        yield srv


@pytest.fixture(scope="module")
def api_schema(server: AppServer) -> Any:
    return schemathesis.openapi.from_url(
        server.url + "/api/v1/openapi.json", config=SchemathesisConfig.from_dict(CONFIG)
    )


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    assert sorted(r.ok().label for r in api_schema.get_all_operations()) == sorted(OPERATIONS)


CASES = [
    pytest.param(label, mode, id=f"{label}-{mode.value}")
    for label in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if not (label == "GET /health" and mode.is_negative)  # no parameters: nothing can be invalid
]


@pytest.mark.parametrize(("label", "mode"), CASES)
def test_no_server_error_and_responses_match_the_schema(
    api_schema: Any, server: AppServer, label: str, mode: GenerationMode
) -> None:
    operation = api_schema.find_operation_by_label(label)
    staff = label.split()[1].startswith("/staff/")

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        # staff operations get the real login, unless this case is about a missing or broken one
        bad_headers = any(
            "header" in str(where).lower() and info.mode.is_negative
            for where, info in case.meta.components.items()
        )
        auth = ("staff", PASSWORD) if staff and not bad_headers else None
        case.call_and_validate(base_url=server.url + "/api/v1", auth=auth)

    check()

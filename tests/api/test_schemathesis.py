"""Schemathesis over every operation of the schema, against the app in-process (WSGI) and the test
database (PostgreSQL in CI): authenticated as a coordinator (token), a mentor and a mentee
(session + CSRF), then without credentials.

Checked for every generated request: no 5xx, the status code is documented, the content type and
the body match the schema. Without credentials, every operation answers 401 or 403.

Bounded: a few derandomized examples per operation (``MAX_EXAMPLES``), no shrinking, no example
database; the whole module takes well under a minute. Path parameters are the ids of real objects
of a small world, so the requests reach the views instead of stopping at 404.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import services as api_services
from binomes import messaging
from tests import factories

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SAFE = {"GET", "HEAD", "OPTIONS"}


@pytest.fixture(autouse=True)
def _generous_throttles(settings):  # noqa: ANN001
    """The fuzzer writes far faster than a person: rate limits have their own tests."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"writes": "100000/minute", "messages": "100000/minute"},
    }


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """A WSGI request closes "old" database connections when it ends, and a connection inside the
    test's transaction looks old: Django's test client unhooks this, so do we, or PostgreSQL
    would lose the test transaction after the first request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(association, alice, charlie, running_binome, proposal, mentor_user, mentee_user):  # noqa: ANN001
    factories.mentee(association=association)  # a pending sign-up
    # The end survey is open (three weeks before the planned end).
    running_binome.planned_end_on = timezone.localdate() + timedelta(days=10)
    running_binome.save(update_fields=["planned_end_on"])
    # A held message: the coordinators' held texts have one to release or refuse.
    held = messaging.message_send(binome=running_binome, by=mentee_user, body="mon snap c'est ines_93")
    return {
        "path": {
            "slug": association.slug, "run_id": proposal.run_id, "proposal_id": proposal.pk, "binome_id": running_binome.pk,
            "review_id": held.review.pk,
        },
        # A coordinator reaches a participant of the association; a member, their own profile.
        "participant_id": {"coordinator": charlie.pk, "mentor": running_binome.mentor_id, "mentee": running_binome.mentee_id},
        "coordinator": alice, "mentor": mentor_user, "mentee": mentee_user, "association": association,
    }


def _credentials(role: str, world: dict) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, cookies) of an authenticated request for ``role``."""
    if role == "coordinator":
        _token, raw = api_services.api_token_create(association=world["association"], by=world["coordinator"], name="Schemathesis")
        return {"Authorization": f"Bearer {raw}"}, {}
    client = Client()
    client.force_login(world[role])
    csrf = _get_new_csrf_string()
    return {"X-CSRFToken": csrf}, {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}


def _load_schema():  # noqa: ANN202
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())
    # The credentials are ours (a real token, a real session): no generated Authorization header.
    schema.config.generation.update(with_security_parameters=False)
    return schema


LAST = ("/approve/", "/continue/", "/suspend/", "/resume/", "/end/")


def _operations(schema) -> list:  # noqa: ANN001
    operations = [result.ok() for result in schema.get_all_operations()]
    # Reads first, then writes, and last the ones that close doors (approving the proposal,
    # suspending or ending the binôme): everything else still finds the world open.
    return sorted(operations, key=lambda op: (op.method.upper() not in SAFE, op.path.endswith(LAST), op.path, op.method))


def _path_parameters(operation, world: dict, role: str) -> dict:  # noqa: ANN001
    values = {**world["path"], "participant_id": world["participant_id"][role]}
    return {name: values[name] for name in re.findall(r"{(\w+)}", operation.path)}


def _run(operation, strategy, test) -> int:  # noqa: ANN001
    calls = []

    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case) -> None:  # noqa: ANN001
        calls.append(1)
        test(case)

    run()
    return len(calls)


@pytest.mark.parametrize("role", ["coordinator", "mentor", "mentee"])
def test_every_operation_conforms_to_the_schema(role, world, record_property):  # noqa: ANN001
    started = time.monotonic()
    schema = _load_schema()
    headers, cookies = _credentials(role, world)
    operations = _operations(schema)
    examples = 0
    statuses: Counter[str] = Counter()

    def call(case) -> None:  # noqa: ANN001
        response = case.call_and_validate(headers=headers, cookies=cookies, checks=CHECKS)
        statuses[f"{response.status_code // 100}xx"] += 1

    for operation in operations:
        strategy = operation.as_strategy(path_parameters=_path_parameters(operation, world, role))
        examples += _run(operation, strategy, call)
    assert len(operations) >= 30
    assert statuses["2xx"] > 0  # the credentials work: requests reach the views
    # Shown in the run's closing summary (tests/conftest.py), xdist workers included.
    record_property("figure", f"schemathesis [{role}]: {len(operations)} operations, {examples} examples "
                              f"({dict(sorted(statuses.items()))}), {time.monotonic() - started:.1f} s")


def test_no_operation_works_without_credentials(world, record_property):  # noqa: ANN001
    schema = _load_schema()
    operations = _operations(schema)
    statuses: dict[str, int] = {}

    def anonymous(case) -> None:  # noqa: ANN001
        response = case.call()
        statuses[f"{case.method} {case.path}"] = response.status_code
        assert response.status_code in (401, 403), (case.method, case.formatted_path, response.status_code)
        assert set(response.json()) == {"detail"}

    for operation in operations:
        strategy = operation.as_strategy(path_parameters=_path_parameters(operation, world, "coordinator"))
        _run(operation, strategy.filter(lambda case: True), anonymous)
    assert len(statuses) == len(operations)
    record_property("figure", f"schemathesis [anonymous]: {len(operations)} operations, all refused (401/403)")

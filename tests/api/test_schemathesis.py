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
from urllib.parse import urlencode

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
    # A planned meeting next week, proposed by the mentor (the mentee may accept it).
    from agenda.models import PlannedMeeting

    planned = PlannedMeeting.objects.create(binome=running_binome, association=association, format="remote", proposed_by=mentor_user,
                                            starts_at=timezone.now() + timedelta(days=7), mentor_accepted=True)
    # An uploaded spreadsheet waiting for its mapping (imports.api).
    from imports import services as import_services

    job = import_services.import_upload(association=association, by=alice, file_name="import.csv",
                                        content="Prénom;Nom;Courriel;Rôle\nInès;Martin;ines@example.org;mentoré\n".encode())
    # A sign-up question of the default programme (programmes' questions API).
    from programmes.questions import signup_question_create
    from programmes.selectors import programme_default_for

    programme = programme_default_for(association)
    question = signup_question_create(programme=programme, by=alice, label="Sport préféré", kind="single_choice",
                                      choices=["football", "tennis"], criterion="same_answer", criterion_weight=0.2)
    return {
        "path": {
            "slug": association.slug, "run_id": proposal.run_id, "proposal_id": proposal.pk, "binome_id": running_binome.pk,
            "review_id": held.review.pk, "planned_id": planned.pk,
            "table": "jeunes",  # a funder report table (reporting.api)
            "job_id": job.pk,
            "programme_slug": programme.slug, "question_id": question.pk,
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


# --- Hostile input the generator does not produce: every operation, every one of these --------
HOSTILE_BODIES = {
    "nested 5,000 deep": b"[" * 5000 + b"]" * 5000,
    "objects nested 3,000 deep": b'{"a": ' * 3000 + b"1" + b"}" * 3000,
    "nested in a field": b'{"proposals": ' + b"[" * 100 + b"]" * 100 + b', "action": "approve"}',
    "infinite number": b'{"proposals": [1e400], "action": "approve", "capacity": 1e400, "duration_minutes": 1e999}',
    "5,000-digit number": b'{"proposals": [' + b"9" * 5000 + b'], "capacity": ' + b"9" * 5000 + b"}",
    "NaN": b'{"score": NaN}',
    "not UTF-8": b"\xff\xfe\x00{",
    "lone surrogate": b'{"body": "\\ud800", "reason": "\\udfff"}',
    "truncated": b'{"proposals": [1, 2',
    "over the size limit": b'{"body": "' + b"x" * 2_700_000 + b'"}',
}
HOSTILE_QUERY_VALUES = ["0001-01-01", "9999-12-31", "1900-01-01", "99999999999999999999", "-1", "²", "\x00", "1e400"]


def _hostile_client(role: str, world: dict) -> tuple[Client, dict[str, str]]:
    headers, cookies = _credentials(role, world)
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client, headers


def _operations_with(world: dict, role: str, what: str) -> list[tuple[str, str, list[str]]]:
    """(method, path with real ids, query parameter names) of the operations with a body or a query."""
    found = []
    values = {**world["path"], "participant_id": world["participant_id"][role]}
    for path, operations in _load_schema().raw_schema["paths"].items():
        for method, operation in operations.items():
            query = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
            if (what == "body" and "requestBody" in operation) or (what == "query" and query):
                found.append((method.upper(), re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path), query))
    return found


@pytest.mark.parametrize("role", ["coordinator", "mentor"])
def test_hostile_bodies_are_refused_with_the_error_body_never_a_5xx(role, world, record_property):  # noqa: ANN001
    client, headers = _hostile_client(role, world)
    operations = _operations_with(world, role, "body")
    statuses: Counter[int] = Counter()
    for method, path, _query in operations:
        for name, body in HOSTILE_BODIES.items():
            response = client.generic(method, path, body, content_type="application/json", headers=headers)
            statuses[response.status_code] += 1
            assert response.status_code < 500, (method, path, name)
            assert response["Content-Type"] == "application/json" and "detail" in response.json(), (method, path, name)
    assert len(operations) >= 10
    record_property("figure", f"hostile bodies [{role}]: {len(operations)} operations × {len(HOSTILE_BODIES)} bodies, "
                              f"statuses {dict(sorted(statuses.items()))}")


@pytest.mark.parametrize("role", ["coordinator", "mentor"])
def test_hostile_query_values_never_cause_a_5xx(role, world, record_property):  # noqa: ANN001
    client, headers = _hostile_client(role, world)
    operations = _operations_with(world, role, "query")
    statuses: Counter[int] = Counter()
    for method, path, names in operations:
        for name in names:
            for value in HOSTILE_QUERY_VALUES:
                response = client.generic(method, path, headers=headers, QUERY_STRING=urlencode({name: value}))
                statuses[response.status_code] += 1
                assert response.status_code < 500, (method, path, name, value)
                assert "detail" in response.json() or response.status_code == 200, (method, path, name, value)
    assert len(operations) >= 5
    record_property("figure", f"hostile query values [{role}]: {len(operations)} operations, {sum(statuses.values())} "
                              f"requests, statuses {dict(sorted(statuses.items()))}")

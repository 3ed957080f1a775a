"""Bodies that once made the API answer 500: deep nesting, oversized bodies, odd bytes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def bulk(association) -> str:  # noqa: ANN001
    return f"/api/v1/associations/{association.slug}/proposals/bulk/"


def post_raw(client, path: str, body: bytes):  # noqa: ANN001, ANN201
    return client.generic("POST", path, body, content_type="application/json")


def test_json_nested_five_thousand_deep_is_a_french_400(as_alice, association):
    response = post_raw(as_alice, bulk(association), b"[" * 5000 + b"]" * 5000)

    assert response.status_code == 400
    assert response.json() == {"detail": "Le JSON envoyé est imbriqué trop profondément."}


def test_json_nested_deeper_than_any_request_needs_is_refused(as_alice, association):
    response = post_raw(as_alice, bulk(association), b'{"proposals": ' + b"[" * 30 + b"]" * 30 + b"}")

    assert response.status_code == 400 and "imbriqué" in response.json()["detail"]


def test_a_body_over_the_upload_limit_is_a_413(as_alice, association, settings):  # noqa: ANN001
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    ids = ",".join(["1"] * 6000)

    response = post_raw(as_alice, bulk(association), f'{{"proposals": [{ids}], "action": "approve"}}'.encode())

    assert response.status_code == 413
    assert response.json() == {"detail": "Le contenu envoyé est trop volumineux."}


@pytest.mark.parametrize("body", [b"\xff\xfe{", b'{"proposals": [1e400], "action": "approve"}', b"[NaN]",
                                  b'{"proposals": [' + b"9" * 5000 + b"]}", b'"\\ud800"', b""])
def test_malformed_bodies_are_400s(as_alice, association, body):
    response = post_raw(as_alice, bulk(association), body)

    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_normal_bulk_decision_still_works(as_alice, association, proposal):
    response = post_raw(as_alice, bulk(association), f'{{"proposals": [{proposal.pk}], "action": "approve"}}'.encode())

    assert response.status_code == 200 and response.json()["done"] == [proposal.pk]

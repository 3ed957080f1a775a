"""The OpenAPI schema and its documentation page, served from the app (no CDN)."""

from __future__ import annotations

import pytest
import yaml

pytestmark = pytest.mark.django_db


def schema(client) -> dict:  # noqa: ANN001
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_every_operation_has_a_summary_a_description_and_the_error_responses(client):
    operations = [(path, method, op) for path, item in schema(client)["paths"].items() for method, op in item.items()]
    assert len(operations) >= 38
    for path, method, op in operations:
        assert op.get("summary") and op.get("description"), (method, path)
        assert {"401", "403", "404"} <= set(op["responses"]), (method, path)
        if method != "get":
            assert "429" in op["responses"], (method, path)


def test_the_schema_describes_both_authentications_and_the_error_body(client):
    document = schema(client)
    assert set(document["components"]["securitySchemes"]) == {"jeton", "cookieAuth"}
    assert document["components"]["schemas"]["Error"]["required"] == ["detail"]
    assert "Authorization: Bearer" in document["info"]["description"]


def test_the_docs_page_uses_the_apps_own_static_files(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()

import pytest


@pytest.mark.django_db
def test_health_answers_over_plain_http_from_any_host(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/sante/", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_other_pages_still_validate_the_host(client):
    response = client.get("/", HTTP_HOST="evil.example.com")

    assert response.status_code == 400

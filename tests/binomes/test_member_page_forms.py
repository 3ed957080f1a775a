"""The binôme page's empty forms are rendered once per process and language
(binomes.templatetags.binome_tags.form_fields); what one member typed never is."""

from __future__ import annotations

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def page(binome) -> str:  # noqa: ANN001
    return f"/mon-espace/binomes/{binome.pk}/"


def test_what_a_member_typed_comes_back_to_them_only(client, binome, mentee_user, mentor_user):
    client.force_login(mentee_user)
    client.get(page(binome))  # the empty forms are rendered and kept
    refused = client.post(f"/mon-espace/binomes/{binome.pk}/rencontre/", {
        "happened_on": "2026-10-01", "duration_minutes": 1, "format": "remote", "topics": ["cv"], "note": "Au parc Montsouris"})

    assert refused.status_code == 400
    assert "Au parc Montsouris" in refused.content.decode() and "errorlist" in refused.content.decode()
    client.force_login(mentor_user)
    html = client.get(page(binome)).content.decode()
    assert "Au parc Montsouris" not in html and "errorlist" not in html
    assert 'name="note"' in html and 'name="duration_minutes"' in html  # the empty form, as before


def test_the_kept_forms_follow_the_language(client, binome, mentee_user, settings):
    client.force_login(mentee_user)
    french = client.get(page(binome)).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(page(binome)).content.decode()
    with translation.override("en"):
        label = translation.gettext("Date de la rencontre")

    assert label != "Date de la rencontre"  # the English catalogue has it
    assert "Date de la rencontre" in french and label not in french
    assert label in english and "Date de la rencontre" not in english


def test_the_binome_is_read_without_joining_the_communes(client, binome, mentee_user):
    """The pk lookup of every member page, poll and action: with both communes joined (ten
    tables) PostgreSQL spent 16-23 ms planning it at 10k participants, for 0.6 ms of execution."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(mentee_user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page(binome)).status_code == 200

    lookup = next(q["sql"] for q in captured.captured_queries
                  if q["sql"].startswith('SELECT "binomes_binome"."id"') and f'WHERE "binomes_binome"."id" = {binome.pk}' in q["sql"])
    assert "geo_commune" not in lookup and lookup.count(" JOIN ") <= 7

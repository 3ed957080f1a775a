"""The lists' filter forms (mentorat.templatetags.ui.filter_fields): an unbound form is rendered
once per process and reused, never across different choices or languages; a bound one shows what
was filtered on."""

from __future__ import annotations

from django.utils import translation

from mentorat.templatetags.ui import filter_fields
from participants.forms import ParticipantFilterForm

SEINE_SAINT_DENIS = [("93", "Seine-Saint-Denis")]
RHONE = [("69", "Rhône")]


def test_each_associations_departements_are_its_own():
    first = filter_fields(ParticipantFilterForm(None, departements=SEINE_SAINT_DENIS))
    second = filter_fields(ParticipantFilterForm(None, departements=RHONE))

    assert "Seine-Saint-Denis" in first and "Rhône" not in first
    assert "Rhône" in second and "Seine-Saint-Denis" not in second
    assert filter_fields(ParticipantFilterForm(None, departements=SEINE_SAINT_DENIS)) is first  # kept


def test_a_bound_form_shows_what_was_filtered_on_after_an_unbound_one_was_kept():
    filter_fields(ParticipantFilterForm(None, departements=SEINE_SAINT_DENIS))

    html = filter_fields(ParticipantFilterForm({"departement": "93", "q": "Inès"}, departements=SEINE_SAINT_DENIS))

    assert 'value="93" selected' in html and 'value="Inès"' in html


def test_the_kept_form_follows_the_language():
    with translation.override("fr"):
        french = filter_fields(ParticipantFilterForm(None, departements=RHONE))
    with translation.override("en"):
        english = filter_fields(ParticipantFilterForm(None, departements=RHONE))

    assert "Recherche" in french and "Recherche" not in english and "Search" in english


def test_the_list_page_renders_its_filters(client, association, alice):
    client.force_login(alice)

    html = client.get(f"/coordination/{association.slug}/participants/").content.decode()

    assert '<div class="field"><label for="id_q">Recherche\xa0:</label>' in html and 'name="departement"' in html

"""French as French people write it: abbreviated months, narrow no-break spaces in numbers,
elision before a first name, notices shown once, ids unique, a French empty choice, a favicon."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from binomes.models import Binome
from dashboards.figures import Figure
from mentorat import french
from tests import factories
from tests.matching.conftest import vetted

NNBSP = "\u202f"


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


# --- dates ------------------------------------------------------------------------------------


def test_abbreviated_months_are_written_the_french_way():
    assert render('{{ d|date_abbr:"j M" }}', d=date(2026, 12, 1)) == "1 déc."
    assert render('{{ d|date_abbr:"j M" }}', d=date(2027, 2, 2)) == "2 févr."
    assert render('{{ d|date_abbr:"j M Y" }}', d=date(2027, 6, 3)) == "3 juin 2027"


def test_django_m_format_is_what_the_filter_replaces():
    # The reason for date_abbr: Django's own "M" capitalises and cuts ("Déc", "Fév").
    assert render('{{ d|date:"j M" }}', d=date(2026, 12, 1)) == "1 Déc"


def test_times_are_shown_in_paris_time_and_english_keeps_its_months():
    moment = datetime(2026, 12, 1, 13, 5, tzinfo=UTC)

    assert render('{{ d|date_abbr:"j M H:i" }}', d=moment) == "1 déc. 14:05"
    with translation.override("en"):
        assert render('{{ d|date_abbr:"j M" }}', d=date(2027, 2, 2)) == "2 Feb"


# --- numbers ----------------------------------------------------------------------------------


def test_thousands_and_percentages_use_narrow_no_break_spaces():
    assert render("{{ n|number }}", n=12345) == f"12{NNBSP}345"
    assert french.percent(59) == f"59{NNBSP}%"
    assert Figure("Taux", 0.59, 100, "ratio").display == f"59{NNBSP}%"
    assert Figure("Inscrits", 1119, 1119).display == f"1{NNBSP}119"


def test_english_numbers_keep_english_grouping():
    with translation.override("en"):
        assert french.number(12345) == "12,345"
        assert french.percent(59) == "59%"


# --- elision ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [("Inès", "d'Inès"), ("Hugo", "d'Hugo"), ("Émile", "d'Émile"),
                                                ("Paul", "de Paul"), ("Yanis", "de Yanis"), ("Yves", "d'Yves")])
def test_de_elides_before_a_vowel_or_a_mute_h(name, expected):
    assert french.de(name) == expected


def test_the_elision_filter_escapes_the_name_in_html_only():
    assert render("{{ n|de }}", n="O<b>") == "d'O&lt;b&gt;"
    assert render("{% autoescape off %}{{ n|de }}{% endautoescape %}", n="Inès") == "d'Inès"


@pytest.mark.django_db
def test_the_parental_consent_page_elides_the_childs_name(client, association):
    from participants.models import Consent

    mentee = factories.mentee(association=association, birth_date=factories.years_ago(13), user=factories.UserFactory(first_name="Inès"))
    consent = Consent.objects.create(participant=mentee, user=mentee.membership.user, kind=Consent.Kind.PARENT,
                                     notice_version="2026-11", given_by_name="Nadia", given_by_email="nadia@example.org",
                                     token="t0k3n-for-the-parent-link-0123456789")

    html = client.get(f"/consentement-parental/{consent.token}/").content.decode()

    assert "Inscription d'Inès au mentorat" in html
    assert "Inscription de Inès" not in html


# --- notices ----------------------------------------------------------------------------------


def test_a_notice_queued_several_times_is_shown_once():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    for _ in range(5):  # e.g. one per flagged message
        request._messages.add(constants.WARNING, "Un message a été signalé.")
    request._messages.add(constants.SUCCESS, "Binôme créé.")

    html = render_to_string("base.html", {"messages": request._messages}, request=request)

    assert html.count("Un message a été signalé.") == 1
    assert html.count("Binôme créé.") == 1
    assert request._messages.used  # shown: the middleware clears them, they do not come back


# --- selects ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_empty_choices_say_choose_in_french_not_dashes():
    from geo.models import Departement

    class Form(forms.Form):
        departement = forms.ModelChoiceField(queryset=Departement.objects.all(), required=False)
        level = forms.TypedChoiceField(choices=[("", "---------"), ("a", "A")], required=False)

    html = str(Form())

    assert "---------" not in html
    assert html.count("— Choisir —") == 2


# --- ids --------------------------------------------------------------------------------------


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.ids += [value for name, value in attrs if name == "id" and value]


def duplicate_ids(html: str) -> set[str]:
    parser = _Ids()
    parser.feed(html)
    return {i for i in parser.ids if parser.ids.count(i) > 1}


@pytest.fixture
def talking_binome(association):
    mentor = vetted(association=association, user=factories.UserFactory(first_name="Yanis"))
    mentee = factories.mentee(association=association, status="validated", user=factories.UserFactory(first_name="Inès"))
    return Binome.objects.create(association=association, mentor=mentor, mentee=mentee,
                                 started_on=date(2026, 9, 1), planned_end_on=date(2027, 3, 1))


@pytest.mark.django_db
def test_binome_pages_have_unique_ids(client, alice, association, talking_binome):
    client.force_login(alice)
    coordination = client.get(f"/coordination/{association.slug}/binomes/{talking_binome.pk}/").content.decode()
    client.force_login(talking_binome.mentee.membership.user)
    member = client.get(f"/mon-espace/binomes/{talking_binome.pk}/").content.decode()

    assert 'name="reason"' in coordination and 'name="reason"' in member
    assert duplicate_ids(coordination) == set()
    assert duplicate_ids(member) == set()


@pytest.mark.django_db
def test_dashboard_charts_have_unique_ids_and_honest_captions(client, alice, association, talking_binome):
    from binomes.models import Message

    for _ in range(3):
        Message.objects.create(binome=talking_binome, association=association, sender=talking_binome.mentor.membership.user, body="Salut")
    client.force_login(alice)

    html = client.get(f"/coordination/{association.slug}/tableau-de-bord/?start=2026-01-01&end=2026-12-31").content.decode()

    assert duplicate_ids(html) == set()
    assert 'id="-title"' not in html
    assert re.search(r"Messages par mois</strong> <span class=\"muted\">\(3 au total\)", html)


# --- favicon ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_favicon_is_served_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")
    html = client.get("/").content.decode()
    assert 'rel="icon"' in html and "img/favicon.svg" in html

"""Fuzzing of the pages' query strings: whatever a browser, a crawler or a hand-edited URL sends
as GET parameters, no page answers 5xx (a form error, a fallback to the defaults, a 404, yes).

Hypothesis draws, for each page, a few of its own parameters (and a stray one) with hostile
values: any Unicode text (NUL included), digits in other scripts, huge or negative integers,
dates from year 1 to 9999, the choices' own values. Bounded and derandomized: MAX_EXAMPLES per
page, no example database; the whole module runs in well under a minute.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.api.conftest import proposal, running_binome  # noqa: F401 - fixtures
from tests.binomes.conftest import binome, mentee_user, mentor_user  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 15
PERIOD = ["start", "end", "cohort"]

VALUES = st.one_of(
    st.text(max_size=24),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from([
        "", "0", "-1", "99999999999999999999", "²", "١٢", "٣", "NaN", "inf", "1e400", "\x00", "a\x00b", "semicolon",
        "proposed", "approved", "mentor", "mentee", "validated", "pending", "oui", "non", "true", "on", "93", "2A",
        "2026-13-45", "9999-12-31", "0001-01-01", "1900-01-01", "2100-01-01", "last", "../", "%", "' OR 1=1 --",
    ]),
)


DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
NUMBERS = st.integers(min_value=-(10**30), max_value=10**30).map(str)
# What each parameter is meant to carry gets drawn more often, so that a few examples reach the
# code behind the form (a date far away, an id past a bigint) rather than stopping at its parsing.
TYPED = {"start": DATES, "end": DATES, "cohort": NUMBERS, "page": NUMBERS, "depuis": NUMBERS, "min_score": NUMBERS,
         "programme": st.sampled_from(["principal", "inconnu", "", "principal\x00", "PRINCIPAL"])}


def query_strings(names: list[str]) -> st.SearchStrategy[dict[str, str]]:
    """Each of the page's parameters (plus ``page`` and a stray one) present or not, independently."""
    return st.fixed_dictionaries({}, optional={
        name: st.one_of(TYPED[name], VALUES) if name in TYPED else VALUES for name in [*names, "page", "zz"]})


@pytest.fixture
def pages(association, alice, operator, running_binome, proposal, mentor_user, mentee_user):  # noqa: ANN001, F811
    """(who, path, parameter names) for every page with a query string, and a few without."""
    slug, coordination = association.slug, f"/coordination/{association.slug}/"
    charlie = factories.mentee(association=association, status="validated")
    from programmes.questions import signup_question_create
    from programmes.selectors import programme_default_for

    question = signup_question_create(programme=programme_default_for(association), by=alice, label="Sport préféré",
                                      kind="single_choice", choices=["football", "tennis"], criterion="same_answer",
                                      criterion_weight=0.2)
    participant = [
        ("mentor", "/mon-espace/", []),
        ("mentor", "/mon-espace/binomes/", []),
        ("mentor", f"/mon-espace/binomes/{running_binome.pk}/", []),
        ("mentor", f"/mon-espace/binomes/{running_binome.pk}/messages/", []),
        ("mentee", f"/mon-espace/binomes/{running_binome.pk}/rencontre/", []),
        ("mentee", f"/mon-espace/binomes/{running_binome.pk}/nouvelles/", []),
        ("mentee", f"/mon-espace/binomes/{running_binome.pk}/bilan/", []),
        ("mentor", f"/a/{slug}/inscription/mentor/", ["depuis"]),
        ("mentee", f"/a/{slug}/inscription/mentor/", ["depuis"]),
        ("mentor", f"/mon-espace/profil/{running_binome.mentor_id}/", []),
    ]
    coordinator = [
        ("alice", coordination, []),
        ("alice", coordination + "participants/", ["q", "role", "status", "waiting", "qpv", "boursier", "departement", "age", "programme"]),
        ("alice", coordination + f"participants/{charlie.pk}/", []),
        ("alice", coordination + "binomes/", ["status", "health", "reported", "q", "programme"]),
        ("alice", coordination + f"binomes/{running_binome.pk}/", []),
        ("alice", coordination + "appariement/", ["programme"]),
        ("alice", coordination + "appariement/reglages/", ["programme"]),
        ("alice", coordination + "textes-retenus/", ["programme"]),
        ("alice", coordination + f"appariement/{proposal.run_id}/etat/", []),
        ("alice", coordination + "propositions/", ["status", "min_score", "minors", "q", "programme"]),
        ("alice", coordination + "tableau-de-bord/", [*PERIOD, "programme"]),
        ("alice", coordination + "tableau-de-bord/indicateurs.csv", [*PERIOD, "sep", "programme"]),
        ("alice", coordination + "tableau-de-bord/binomes.csv", ["sep", "programme"]),
        ("alice", coordination + "programmes/principal/", []),
        ("alice", coordination + f"programmes/principal/questions/{question.pk}/", []),
        ("alice", coordination + "programmes/principal/participants.csv", ["sep"]),
        ("operator", "/operateur/tableau-de-bord/", PERIOD),
        ("operator", "/operateur/tableau-de-bord/indicateurs.csv", [*PERIOD, "sep"]),
        ("operator", "/operateur/associations/", ["status"]),
    ]
    public = [
        (None, "/", []),
        (None, f"/a/{slug}/", []),
        (None, f"/a/{slug}/inscription/mentore/", ["depuis"]),
        (None, "/communes/", ["q", "commune"]),
    ]
    users = {"alice": alice, "operator": operator, "mentor": mentor_user, "mentee": mentee_user}
    return users, participant + coordinator + public


def _fuzz(client: Client, path: str, names: list[str], statuses: Counter[str]) -> None:
    @given(params=query_strings(names))
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def fuzz(params: dict[str, str]) -> None:
        response = client.get(path, params)
        statuses[f"{response.status_code // 100}xx"] += 1
        assert response.status_code < 500, (path, params, response.status_code)

    fuzz()


def test_no_page_answers_5xx_whatever_its_query_string(pages, record_property):  # noqa: ANN001
    started = time.monotonic()
    users, routes = pages
    statuses: Counter[str] = Counter()
    for who, path, names in routes:
        client = Client()
        if who:
            client.force_login(users[who])
        _fuzz(client, path, names, statuses)
    assert statuses["2xx"] > len(routes)  # the requests reach the pages, not only a login redirect
    record_property("figure", f"page fuzzing: {len(routes)} pages, {sum(statuses.values())} requests "
                              f"({dict(sorted(statuses.items()))}), {time.monotonic() - started:.1f} s")


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999999", "-3", "\x00"])
def test_an_odd_cascade_link_shows_the_plain_sign_up_form(client, association, mentor_user, value):  # noqa: ANN001, F811
    client.force_login(mentor_user)

    response = client.get(f"/a/{association.slug}/inscription/mentor/", {"depuis": value})

    assert response.status_code == 200


@pytest.mark.parametrize("query", ["Bo\x00bigny", "93\x0000", "\x00\x00\x00"])
def test_the_commune_search_ignores_nul_characters(client, query):  # noqa: ANN001
    response = client.get("/communes/", {"q": query})

    assert response.status_code == 200

"""The programme selector of the coordinator's lists (issue 12): ``?programme=<slug>`` shows that
programme's rows only, through the same ``programmes.selectors.scope``; a programme the coordinator
may not see (or none) is a 404, never a silent « all »; the selector is shown only to a
coordinator who sees more than one programme, and « Tous les programmes » only to an unrestricted
one."""

from __future__ import annotations

import pytest

from associations.models import Membership
from matching.models import UnmatchedMentee
from programmes.services import coordinator_restrict, programme_create
from tests import factories

pytestmark = pytest.mark.django_db

# list path -> what names a row of each side (tests/programmes/conftest.py's world)
LISTS = {
    "participants/": lambda side: side.waiting.membership.user.first_name,
    "binomes/": lambda side: side.binome.mentee.membership.user.first_name,
    "propositions/": lambda side: side.proposal.mentee.membership.user.first_name,
    "appariement/": lambda side: f'id="run-{side.run.pk}"',
    "textes-retenus/": lambda side: side.review.author.first_name,
}


def _url(association, path: str, programme: str | None = None) -> str:  # noqa: ANN001
    return f"/coordination/{association.slug}/{path}" + (f"?programme={programme}" if programme is not None else "")


@pytest.mark.parametrize("path", LISTS)
def test_the_selector_shows_only_the_chosen_programmes_rows(client, association, alice, world, path):
    client.force_login(alice)
    row_of = LISTS[path]

    lyon = client.get(_url(association, path, world["lyon"].programme.slug)).content.decode()
    main = client.get(_url(association, path, world["main"].programme.slug)).content.decode()
    both = client.get(_url(association, path)).content.decode()

    assert row_of(world["lyon"]) in lyon and row_of(world["main"]) not in lyon
    assert row_of(world["main"]) in main and row_of(world["lyon"]) not in main
    assert row_of(world["main"]) in both and row_of(world["lyon"]) in both


@pytest.mark.parametrize("path", LISTS)
def test_a_programme_not_theirs_is_a_404_not_all_programmes(client, association, other_association, alice, dora, bob, world, path):
    other = programme_create(association=other_association, by=bob, name="Marseille", duration_months=6)
    client.force_login(alice)
    for slug in ("inconnu", other.slug):
        assert client.get(_url(association, path, slug)).status_code == 404, slug
    client.force_login(dora)  # restricted to Lyon
    assert client.get(_url(association, path, world["main"].programme.slug)).status_code == 404
    assert client.get(_url(association, path, world["lyon"].programme.slug)).status_code == 200
    client.force_login(bob)
    assert client.get(_url(association, path, world["lyon"].programme.slug)).status_code == 404


@pytest.mark.parametrize("path", LISTS)
def test_the_selector_lists_every_programme_the_coordinator_sees_and_all(client, association, alice, world, path):
    client.force_login(alice)

    html = client.get(_url(association, path, world["lyon"].programme.slug)).content.decode()

    assert 'id="programme-picker"' in html and "Tous les programmes" in html
    assert f'<option value="{world["lyon"].programme.slug}" selected>' in html
    assert f'<option value="{world["main"].programme.slug}">' in html


def test_no_selector_with_a_single_programme(client, other_association, bob):
    client.force_login(bob)
    for path in LISTS:
        html = client.get(_url(other_association, path)).content.decode()
        assert 'id="programme-picker"' not in html, path


@pytest.fixture
def dora_two(association, alice, world):  # noqa: ANN001
    """dora, restricted to Lyon and a third programme (she sees two of the three)."""
    college = programme_create(association=association, by=alice, name="Collégiens", duration_months=6)
    user = factories.coordinator(association, email="dora2@asso.example.org", first_name="Dora")
    membership = Membership.objects.get(user=user, association=association, role=Membership.Role.COORDINATOR)
    coordinator_restrict(membership=membership, programmes=[world["lyon"].programme, college], by=alice)
    return user, college


@pytest.mark.parametrize("path", LISTS)
def test_a_restricted_coordinator_sees_their_programmes_without_all_programmes(client, association, world, dora_two, path):
    dora, college = dora_two
    client.force_login(dora)

    html = client.get(_url(association, path)).content.decode()

    assert 'id="programme-picker"' in html
    assert "Tous les programmes" not in html and "Tous mes programmes" in html
    assert world["lyon"].programme.name in html and college.name in html
    assert f'value="{world["main"].programme.slug}"' not in html
    assert LISTS[path](world["main"]) not in html


def test_the_programme_is_kept_across_filters_and_pages(client, association, alice, world):
    client.force_login(alice)
    slug = world["lyon"].programme.slug
    for _ in range(26):  # two pages of participants in Lyon
        factories.mentee(association=association, programme=world["lyon"].programme)

    response = client.get(_url(association, "participants/", slug) + "&role=mentee")
    html = response.content.decode()

    assert f'<input type="hidden" name="programme" value="{slug}">' in html  # the filter form carries it
    assert f"programme={slug}" in response.context["query"] and "page=2" in html  # the pages' links too
    page2 = client.get(f"{_url(association, 'participants/', slug)}&role=mentee&page=2").content.decode()
    assert "AttentePrincipal" not in page2
    # the selector keeps the other filters when the programme changes
    assert '<input type="hidden" name="role" value="mentee">' in html


def test_the_proposals_page_shows_the_unmatched_of_the_chosen_programmes_latest_run(client, association, alice, world):
    for key in ("main", "lyon"):
        side = world[key]
        mentee = factories.mentee(association=association, programme=side.programme, status="validated",
                                  user=factories.UserFactory(first_name=f"Sans{key.title()}"))
        UnmatchedMentee.objects.create(run=side.run, association=association, mentee=mentee, kind=UnmatchedMentee.Kind.NO_MENTOR)
    client.force_login(alice)

    html = client.get(_url(association, "propositions/", world["lyon"].programme.slug)).content.decode()

    assert "SansLyon" in html and "SansMain" not in html


def test_held_text_decisions_return_to_the_chosen_programme(client, association, alice, world):
    client.force_login(alice)
    slug = world["lyon"].programme.slug

    response = client.post(f"/coordination/{association.slug}/textes-retenus/{world['lyon'].review.pk}/transmettre/?programme={slug}")

    assert response.status_code == 302 and response["Location"].endswith(f"?programme={slug}")

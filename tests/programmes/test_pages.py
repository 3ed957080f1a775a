"""The programme pages: alice creates and edits programmes and cohorts and compares cohorts; bob
(another association) and charlie (a mentee) get 404; dora (restricted) sees only her programme."""

from __future__ import annotations

from datetime import date

import pytest

from programmes.models import Cohort, Programme
from programmes.selectors import programme_default_for

pytestmark = pytest.mark.django_db

NEW = {"programme": "1", "name": "Étudiants boursiers — Lyon", "slug": "", "signup_open": "on", "intake": "rolling",
       "duration_months": "6", "mentee_min_age": "17", "mentee_max_age": "28", "mentor_min_age": "20", "mentor_max_age": "40",
       "charter": "Deux rencontres par mois."}


def test_alice_creates_a_programme_and_shares_its_link(client, association, alice):
    client.force_login(alice)

    response = client.post(f"/coordination/{association.slug}/programmes/nouveau/", NEW)

    programme = Programme.objects.get(association=association, name="Étudiants boursiers — Lyon")
    assert response.status_code == 302 and programme.slug == "etudiants-boursiers-lyon"
    assert (programme.duration_months, programme.mentee_min_age, programme.is_default) == (6, 17, False)
    page = client.get(f"/coordination/{association.slug}/programmes/").content.decode()
    assert f"/a/{association.slug}/programmes/etudiants-boursiers-lyon/inscription/mentore/" in page
    # from the list to the programme's own settings and dashboard
    assert f"/coordination/{association.slug}/appariement/reglages/?programme=etudiants-boursiers-lyon" in page
    assert f"/coordination/{association.slug}/tableau-de-bord/?programme=etudiants-boursiers-lyon" in page


def test_a_programme_with_wrong_dates_is_refused_in_french(client, association, alice):
    client.force_login(alice)

    response = client.post(f"/coordination/{association.slug}/programmes/nouveau/", {**NEW, "intake": "dates"})

    assert response.status_code == 200
    assert "Indiquez les dates" in response.content.decode()
    assert not Programme.objects.filter(name=NEW["name"]).exists()


def test_alice_edits_a_programme_and_adds_a_cohort(client, association, alice):
    client.force_login(alice)
    default = programme_default_for(association)
    url = f"/coordination/{association.slug}/programmes/{default.slug}/"

    client.post(url, {**NEW, "name": "Lycéens 2026-2027", "duration_months": "9", "mentee_min_age": "15", "mentee_max_age": "19"})
    client.post(url, {"cohort": "1", "name": "Septembre 2026", "starts_on": "2026-09-01"})
    duplicate = client.post(url, {"cohort": "1", "name": "Septembre 2026", "starts_on": "2026-09-02"})

    default.refresh_from_db()
    assert (default.name, default.slug, default.duration_months, default.is_default) == ("Lycéens 2026-2027", "principal", 9, True)
    assert list(Cohort.objects.values_list("name", "starts_on")) == [("Septembre 2026", date(2026, 9, 1))]
    assert "déjà une cohorte de ce nom" in duplicate.content.decode()


def test_bob_and_charlie_get_404_on_the_programme_pages(client, association, bob, charlie):
    slug = programme_default_for(association).slug
    for user in (bob, charlie.membership.user):
        client.force_login(user)
        for path in ("", "nouveau/", "cohortes/", f"{slug}/"):
            assert client.get(f"/coordination/{association.slug}/programmes/{path}").status_code == 404, path
        assert client.post(f"/coordination/{association.slug}/programmes/nouveau/", NEW).status_code == 404
    assert not Programme.objects.filter(name=NEW["name"]).exists()


def test_dora_sees_only_her_programme_and_cannot_create_one(client, association, dora, world):
    client.force_login(dora)

    page = client.get(f"/coordination/{association.slug}/programmes/").content.decode()

    assert "Étudiants boursiers — Lyon" in page and "Programme principal" not in page
    assert client.get(f"/coordination/{association.slug}/programmes/principal/").status_code == 404
    assert client.get(f"/coordination/{association.slug}/programmes/nouveau/").status_code == 404


def test_cohort_comparison_counts_and_suppresses_small_numbers(client, association, alice, world):
    from binomes.models import Binome
    from programmes.services import cohort_create
    from tests import factories

    lyon = world["lyon"].programme
    cohort = cohort_create(programme=lyon, by=alice, name="Octobre 2026", starts_on=date(2026, 10, 1))
    small = cohort_create(programme=lyon, by=alice, name="Février 2027", starts_on=date(2027, 2, 1))
    mentees = [factories.mentee(association=association, programme=lyon, cohort=cohort, status="validated") for _ in range(10)]
    mentor = factories.mentor(association=association, programme=lyon, status="validated", capacity=3)
    for mentee, status in zip(mentees[:4], ["active", "active", "completed", "ended_early"], strict=True):
        closed = {} if status == "active" else {"ended_on": date(2027, 4, 1)}
        if status == "ended_early":
            closed["end_reason_code"] = Binome.EndReason.values[0]
        Binome.objects.create(association=association, mentor=mentor, mentee=mentee, status=status,
                              started_on=date(2026, 10, 1), planned_end_on=date(2027, 4, 1), **closed)
    factories.mentee(association=association, programme=lyon, cohort=small)
    client.force_login(alice)

    page = client.get(f"/coordination/{association.slug}/programmes/cohortes/").content.decode()

    from programmes.selectors import cohort_comparison

    rows = {row.cohort.name: row for row in cohort_comparison(user=alice, association=association)}
    assert (rows["Octobre 2026"].mentees, rows["Octobre 2026"].matched.value, rows["Octobre 2026"].active.value) == (10, 0.4, 0.2)
    assert rows["Octobre 2026"].ended_early.display == "10 %" or "10" in rows["Octobre 2026"].ended_early.display
    assert rows["Février 2027"].mentees == 1 and rows["Février 2027"].matched.display == "—"
    assert "Octobre 2026" in page


def test_alice_restricts_a_coordinator_from_the_page_and_lifts_it(client, association, alice, world):
    from associations.models import Membership
    from programmes.selectors import programmes_for_coordinator
    from tests import factories

    eve = factories.coordinator(association, email="eve@asso.example.org")
    membership = Membership.objects.get(user=eve, association=association)
    client.force_login(alice)
    url = f"/coordination/{association.slug}/programmes/equipe/{membership.pk}/"

    client.post(url, {"programmes": [world["lyon"].programme.slug]})
    assert list(programmes_for_coordinator(user=eve, association=association)) == [world["lyon"].programme]
    client.post(url, {})
    assert programmes_for_coordinator(user=eve, association=association).count() == 2


def test_a_restricted_coordinator_or_bob_cannot_change_restrictions(client, association, alice, dora, bob):
    from associations.models import Membership

    target = Membership.objects.get(user=alice, association=association)
    for user in (dora, bob):
        client.force_login(user)
        assert client.post(f"/coordination/{association.slug}/programmes/equipe/{target.pk}/", {"programmes": ["principal"]}).status_code == 404
    assert not target.programme_restrictions.exists()

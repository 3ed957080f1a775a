"""The report's figures against the hand-computed world of ``conftest.py``."""

from __future__ import annotations

import pytest

from reporting import services
from reporting.figures import SUPPRESSED, ReportScope, compute
from tests.reporting.conftest import PERIOD

pytestmark = pytest.mark.django_db


def tables_of(world, association_ids="a"):
    ids = None if association_ids is None else (world["a"].pk,)
    return {t.slug: t for t in compute(ReportScope(ids, *PERIOD))}


def line(table, public="Ensemble", group="tous"):
    """The values of one line, by column header."""
    row = next(r for r in table.rows if (r.public, r.group) == (public, group))
    return dict(zip([c.header for c in table.columns], row.values(), strict=True))


def test_young_people_mentored_are_those_whose_pair_ran_in_the_period(world):
    young = tables_of(world)["jeunes"]

    assert line(young)["Jeunes accompagné·es"] == 7  # m1–m6 and m9; m7 starts after, m8 ended before
    assert line(young, "Âge (à la fin de la période)", "15–17 ans")["Jeunes accompagné·es"] == 5  # m1 m2 m3 m4 m9
    assert line(young, "Âge (à la fin de la période)", "26 ans et plus")["Jeunes accompagné·es"] == 0
    assert line(young, "Département", "93 – Seine-Saint-Denis")["Jeunes accompagné·es"] == 7


def test_small_groups_are_suppressed_in_the_breakdowns_never_in_the_totals(world):
    young = tables_of(world)["jeunes"]

    assert line(young, "Quartier prioritaire (QPV)", "oui")["Jeunes accompagné·es"] == SUPPRESSED  # 4 people
    assert line(young, "Quartier prioritaire (QPV)", "non")["Jeunes accompagné·es"] == SUPPRESSED  # 3
    assert line(young, "Lycée professionnel", "non")["Jeunes accompagné·es"] == 6
    assert line(young, "Genre", "Autre")["Jeunes accompagné·es"] == 0  # nobody: a zero points at no one
    surveys = tables_of(world)["satisfaction_jeunes"]
    assert line(surveys)["Bilans de fin"] == 2  # a total is exact, as on the dashboards
    assert line(surveys)["Satisfait·es (4 ou 5 sur 5)"] == SUPPRESSED  # but a percentage of 2 answers is not given


def test_pairs_created_running_completed_continued_ended_early(world):
    pairs = tables_of(world)["binomes"]

    assert line(pairs) == {"Binômes en cours sur la période": 7, "Créés dans la période": 4, "Terminés": 2, "Prolongés": 1,
                           "Arrêtés avant la fin": 3}
    ase = line(pairs, "Aide sociale à l'enfance (ASE)", "oui")
    assert ase == {"Binômes en cours sur la période": 5, "Créés dans la période": SUPPRESSED, "Terminés": SUPPRESSED,
                   "Prolongés": SUPPRESSED, "Arrêtés avant la fin": SUPPRESSED}


def test_ended_before_six_months_and_why(world):
    ends = line(tables_of(world)["arrets"])

    assert (ends["Binômes finis dans la période"], ends["Finis avant six mois"], ends["Part finie avant six mois"]) == (5, 4, 0.8)
    assert (ends["Plus assez de temps"], ends["Le binôme ne fonctionnait pas"], ends["Déménagement ou changement de situation"],
            ends["Raison non précisée"], ends["Objectif atteint"]) == (1, 1, 1, 1, 0)


def test_median_duration(world):
    duration = tables_of(world)["duree"]

    assert line(duration) == {"Binômes finis dans la période": 5, "Durée médiane (jours)": 137}  # 45 59 137 161 218
    assert line(duration, "Genre", "Homme")["Durée médiane (jours)"] == SUPPRESSED  # b5 and b9 only


def test_meetings_per_pair_per_month(world):
    meetings = line(tables_of(world)["rencontres"])

    # 18 meetings over 650 pair-days (46+162+150+181+46+5+60) of 30.44 days: 0.843
    assert meetings == {"Binômes en cours sur la période": 7, "Rencontres": 18, "Rencontres par binôme et par mois": 0.8}


def test_mentors_recruited_and_trained(world):
    mentors = tables_of(world)["mentors"]

    assert line(mentors) == {"Mentors inscrit·es": 5, "Mentors recruté·es (validé·es)": 5, "Mentors formé·es": 2}
    assert not any(r.public in ("Aide sociale à l'enfance (ASE)", "Situation de handicap") for r in mentors.rows)


def test_satisfaction_of_young_people_and_mentors(world):
    tables = tables_of(world)

    young = line(tables["satisfaction_jeunes"])
    assert (young["Points mensuels"], young["Points « Bien » ou « Très bien »"], young["Note moyenne (sur 4)"]) == (6, 0.6667, 3.0)
    mentors = line(tables["satisfaction_mentors"])
    assert (mentors["Points mensuels"], mentors["Note moyenne (sur 4)"], mentors["Bilans de fin"]) == (1, SUPPRESSED, 0)
    assert mentors["Satisfait·es (4 ou 5 sur 5)"] is None  # no answer at all: nothing to say


def test_sensitive_publics_have_only_their_yes_line(world):
    young = tables_of(world)["jeunes"]

    assert [r.group for r in young.rows if r.public == "Aide sociale à l'enfance (ASE)"] == ["oui"]
    assert line(young, "Aide sociale à l'enfance (ASE)", "oui")["Jeunes accompagné·es"] == 5
    assert line(young, "Situation de handicap", "oui")["Jeunes accompagné·es"] == SUPPRESSED  # m9 alone


def test_a_withdrawn_consent_is_no_longer_counted(world):
    services.target_public_withdraw(participant=world["m"][4])

    young = tables_of(world)["jeunes"]

    assert line(young, "Aide sociale à l'enfance (ASE)", "oui")["Jeunes accompagné·es"] == SUPPRESSED  # 4 left


def test_the_operator_report_covers_every_association(world):
    young = tables_of(world, association_ids=None)["jeunes"]

    assert line(young)["Jeunes accompagné·es"] == 8
    assert line(young, "Aide sociale à l'enfance (ASE)", "oui")["Jeunes accompagné·es"] == 6

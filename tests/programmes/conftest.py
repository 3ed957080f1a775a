"""Two programmes in one association, a binôme, a proposal and a held text in each; alice sees
every programme, dora is a coordinator restricted to the Lyon programme; bob coordinates another
association."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from associations.models import Membership
from binomes.models import Binome
from matching.models import MatchRun, Proposal
from programmes.models import Programme
from programmes.selectors import programme_default_for
from programmes.services import coordinator_restrict, programme_create
from safeguarding.models import TextReview
from tests import factories
from tests.matching.conftest import vetted


@dataclass
class Side:
    programme: Programme
    binome: Binome
    waiting: object  # a validated mentee with an open proposal
    proposal: Proposal
    run: MatchRun
    review: TextReview


def _side(association, programme: Programme, name: str) -> Side:  # noqa: ANN001
    mentor = vetted(association=association, programme=programme, user=factories.UserFactory(first_name=f"Mentor{name}"))
    paired = factories.mentee(association=association, programme=programme, status="validated",
                              user=factories.UserFactory(first_name=f"Binome{name}"))
    binome = Binome.objects.create(association=association, mentor=mentor, mentee=paired,
                                   started_on=date(2026, 9, 1), planned_end_on=date(2027, 3, 1))
    waiting = factories.mentee(association=association, programme=programme, status="validated",
                               user=factories.UserFactory(first_name=f"Attente{name}"), goals_text="appelle-moi au 06 12 34 56 78")
    run = MatchRun.objects.create(association=association, programme=programme, status=MatchRun.Status.DONE)
    other_mentor = vetted(association=association, programme=programme, user=factories.UserFactory(first_name=f"Autre{name}"))
    proposal = Proposal.objects.create(run=run, association=association, mentee=waiting, mentor=other_mentor, score=0.8)
    review = TextReview.objects.create(
        association=association, author=waiting.membership.user, kind=TextReview.Kind.GOALS_TEXT, participant=waiting,
        text=waiting.goals_text, flag_kinds=["phone"], reasons=["un numéro de téléphone"], held=True,
    )
    return Side(programme, binome, waiting, proposal, run, review)


@pytest.fixture
def world(association, alice):  # noqa: ANN001
    lyon = programme_create(association=association, by=alice, name="Étudiants boursiers — Lyon", duration_months=6)
    return {"main": _side(association, programme_default_for(association), "Principal"), "lyon": _side(association, lyon, "Lyon")}


@pytest.fixture
def dora(association, alice, world):  # noqa: ANN001
    """A coordinator of ``association`` restricted to the Lyon programme."""
    user = factories.coordinator(association, email="dora@asso.example.org", first_name="Dora")
    membership = Membership.objects.get(user=user, association=association, role=Membership.Role.COORDINATOR)
    coordinator_restrict(membership=membership, programmes=[world["lyon"].programme], by=alice)
    return user

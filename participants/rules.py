"""Sign-up rules shared by the forms, the services and (later) the API."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import Membership
from participants.models import age_on
from programmes.models import Programme

# The consent threshold and its test live in the safeguarding policy (one definition); they are
# re-exported here for the sign-up forms and services that have always imported them from here.
from safeguarding.policy import PARENTAL_CONSENT_BELOW, needs_parental_consent  # noqa: E402,F401


def age_bounds(*, programme: Programme, role: str) -> tuple[int, int]:
    """The ages a programme takes for ``role`` (the one reader of a programme's age bounds)."""
    if role == Membership.Role.MENTOR:
        return programme.mentor_min_age, programme.mentor_max_age
    return programme.mentee_min_age, programme.mentee_max_age


def validate_birth_date(*, programme: Programme, role: str, birth_date: date, today: date | None = None) -> int:
    """Return the age, or raise a French error saying what is wrong and what is allowed."""
    today = today or timezone.localdate()
    if birth_date > today:
        raise ValidationError(_("La date de naissance ne peut pas être dans le futur."), code="future")
    if birth_date.year < 1900:
        raise ValidationError(_("Vérifie l'année de naissance : elle semble incorrecte."), code="implausible")
    age = age_on(birth_date, today)
    low, high = age_bounds(programme=programme, role=role)
    if not low <= age <= high:
        who = _("mentor") if role == Membership.Role.MENTOR else _("mentoré·e")
        raise ValidationError(
            _("Pour être %(who)s dans ce programme, il faut avoir entre %(low)s et %(high)s ans ; cette date de naissance donne %(age)s ans.")
            % {"who": who, "low": low, "high": high, "age": age},
            code="age_out_of_range",
        )
    return age


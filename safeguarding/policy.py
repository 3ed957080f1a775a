"""The safeguarding policy: the one module that answers the questions every path asks.

* ``pairing_refusal(mentee=…, mentor=…, on=…)`` — may this pair exist on that day?
* ``participant_pairable(participant=…, on=…)`` — may this person be put in the pool / paired?
* ``messaging_refusal(user=…, binome=…, on=…)`` — may this person write (message, meeting log)?
* ``needs_parental_consent`` / ``consent_refusal`` — the parental consent rule (under 15).
* ``vetting_valid_on`` / ``vetting_refusal`` / ``vetting_date_errors`` — the mentor's
  "attestation d'honorabilité" and its plausible dates.

"May this text be shown to the other member" is ``text_visible_to``, written in
``safeguarding.screening`` (with the detector and the reviews of held texts) and re-exported here,
never written twice.

Each answer is a French sentence (the reason, shown to the coordinator or the member) or ``None``.
Callers: the matching pool (``matching.pool``), approval (``matching.services.proposal_approve``, used
by the page, the API single and bulk endpoints), ``binomes.messaging.message_send``, meeting logs
(``binomes.activity.meeting_log``), profile edits (``participants.services.participant_update_profile``),
validation, vetting records and the nightly jobs (``safeguarding.jobs``). No path keeps its own copy.

Where each rule lives, and why
------------------------------
In the database (they hold whatever code path writes, even a shell or a future import):

* a mentee has at most one open binôme — partial unique index ``binome_one_open_per_mentee``;
* vetting dates only on mentors, all four together, in order (issued ≤ checked < renewal), and
  between ``VETTING_DB_FLOOR`` and ``VETTING_DB_CEILING`` (no 0001-01-01, no 9999-12-31) — CHECK
  ``participant_vetting_dates_plausible``;
* a parental consent has an address and a link; it is confirmed or refused, never both; a withdrawal
  only follows a confirmation; one pending request per child at a time — CHECKs and the partial
  unique index on ``Consent``.

In Python (here), because the database cannot hold them:

* anything relative to *today* (age, "valid on that day", "not in the future"): a CHECK must be
  immutable, and today moves;
* date arithmetic between columns ("checked within 6 months of issue", "renewal at most 3 years
  after the check"): on PostgreSQL it could be a CHECK, but the local default database is SQLite,
  where such a CHECK would call a Python function; the bounds are therefore checked by the service
  that records a vetting (under the participant's row lock) and pinned by tests;
* rules across rows (the latest parental consent, the mentor's capacity, the mentee's age on the
  day): evaluated under the participants' row locks by the services that change state, so the
  answer cannot go stale between the check and the write.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat import french
from participants.models import Consent, Participant, age_on
from safeguarding.screening import text_visible_to as text_visible_to  # re-exported: the one answer

if TYPE_CHECKING:
    from accounts.models import User
    from binomes.models import Binome

# Under 15, a parent or legal guardian consents to the processing of the child's data (RGPD art. 8
# as set for France by the loi Informatique et libertés, art. 45: "quinze ans").
PARENTAL_CONSENT_BELOW = 15
# Civil majority (Code civil, art. 414): below it a mentee is a minor and needs a vetted mentor.
MAJORITY = 18

# The "attestation d'honorabilité" (loi n° 2022-140 du 7 février 2022, art. L. 133-6 CASF): the
# person requests it online, the association checks it online. As we read the public guidance it
# must be recent when presented (issued at most six months before the check) and the check is
# renewed at least every three years. The association can use shorter periods, never longer ones.
VETTING_MAX_AGE_WHEN_CHECKED = timedelta(days=183)  # six months
VETTING_MAX_VALIDITY_YEARS = 3  # renewal due at most three years after the check
# Outer bounds the database itself holds (CHECK): nothing before the platform's reference era
# (2000) or beyond the century; they stop typos like 0001-01-01 or 9999-12-31 at any door.
VETTING_DB_FLOOR = date(2000, 1, 1)
VETTING_DB_CEILING = date(2100, 12, 31)
# Reminders before the renewal date (the mentor and the coordinators), in days.
VETTING_REMINDER_DAYS = (30, 7)


def today() -> date:
    return timezone.localdate()


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def latest_birth_date_aged(years: int, on: date) -> date:
    """A person born on or before this date is at least ``years`` old on ``on`` (``age_on``'s rule:
    a 29 February birthday counts from 1 March in common years)."""
    return years_before(on, years)


def is_minor(*, birth_date: date, on: date) -> bool:
    return age_on(birth_date, on) < MAJORITY


# --- Parental consent ------------------------------------------------------------------------


def needs_parental_consent(*, birth_date: date, today: date | None = None) -> bool:
    """14 years 364 days: yes. 15 years 0 days: no."""
    return age_on(birth_date, today or timezone.localdate()) < PARENTAL_CONSENT_BELOW


def current_parental_consent(participant: Participant) -> Consent | None:
    """The latest parental consent request (works on a ``consents`` prefetch: no query then)."""
    parental = [c for c in participant.consents.all() if c.kind == Consent.Kind.PARENT]
    return max(parental, key=lambda c: (c.accepted_at, c.pk or 0), default=None)


def consent_refusal(*, participant: Participant, on: date) -> str | None:
    """The person's own consent is recorded (an imported person has not given it until they accept
    their invitation), and under 15 on ``on``, the latest parental request is confirmed and not
    withdrawn."""
    # The name only when refusing: the pool asks about every participant without loading users.
    if participant.invitation_pending:
        return _("%(name)s a été inscrit·e par un import et n'a pas encore accepté son invitation "
                 "(mot de passe et consentement).") % {"name": participant.display_name}
    if not needs_parental_consent(birth_date=participant.birth_date, today=on):
        return None
    consent = current_parental_consent(participant)
    name = participant.display_name
    if consent is None:
        return _("%(name)s a moins de 15 ans et aucun accord parental n'a été demandé.") % {"name": name}
    if consent.withdrawn_at:
        return _("Le parent %(de_name)s (moins de 15 ans) a retiré son accord.") % {"de_name": french.de(name)}
    if consent.refused_at:
        return _("Le parent %(de_name)s (moins de 15 ans) a refusé son accord.") % {"de_name": french.de(name)}
    if consent.confirmed_at is None:
        return _("%(name)s a moins de 15 ans : l'accord de son parent est en attente de confirmation.") % {"name": name}
    return None


# --- Vetting ---------------------------------------------------------------------------------


def vetting_valid_on(mentor: Participant, day: date) -> bool:
    """Checked, and the renewal date not passed on ``day`` (valid through the renewal day itself)."""
    return bool(mentor.vetting_verified_on and mentor.vetting_expires_on and mentor.vetting_expires_on >= day)


def vetting_refusal(*, mentor: Participant, on: date) -> str | None:
    if vetting_valid_on(mentor, on):
        return None
    if mentor.vetting_expires_on is None:
        return _("L'attestation d'honorabilité %(de_name)s n'a pas été vérifiée.") % {"de_name": french.de(mentor.display_name)}
    return _("L'attestation d'honorabilité %(de_name)s a expiré le %(date)s.") % {
        "de_name": french.de(mentor.display_name), "date": mentor.vetting_expires_on.strftime("%d/%m/%Y")}


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def vetting_date_errors(*, issued_on: date, verified_on: date, expires_on: date, on: date) -> dict[str, list[str]]:
    """French errors on implausible vetting dates, by field (empty: the dates are plausible)."""
    errors: dict[str, list[str]] = {}
    if issued_on > on:
        errors["issued_on"] = [_("La date de délivrance de l'attestation ne peut pas être dans le futur.")]
    elif issued_on < VETTING_DB_FLOOR:
        errors["issued_on"] = [_("Vérifiez l'année de délivrance de l'attestation : elle semble incorrecte.")]
    elif issued_on <= verified_on and verified_on - issued_on > VETTING_MAX_AGE_WHEN_CHECKED:
        errors["issued_on"] = [_(
            "L'attestation doit dater de moins de six mois quand vous la vérifiez : celle-ci a été délivrée "
            "le %(issued)s et vérifiée le %(checked)s. Demandez-en une plus récente.") % {
            "issued": issued_on.strftime("%d/%m/%Y"), "checked": verified_on.strftime("%d/%m/%Y")}]
    if verified_on > on:
        errors["verified_on"] = [_("La date de vérification ne peut pas être dans le futur.")]
    elif verified_on < issued_on:
        errors["verified_on"] = [_("La vérification ne peut pas précéder la délivrance de l'attestation.")]
    if expires_on <= verified_on:
        errors["expires_on"] = [_("La date de renouvellement doit être postérieure à la date de vérification.")]
    elif expires_on > _add_years(verified_on, VETTING_MAX_VALIDITY_YEARS):
        errors["expires_on"] = [_(
            "Le contrôle se renouvelle au plus tard trois ans après la vérification (au plus tard le %(max)s).") % {
            "max": _add_years(verified_on, VETTING_MAX_VALIDITY_YEARS).strftime("%d/%m/%Y")}]
    elif expires_on < on:
        errors["expires_on"] = [_("Cette date de renouvellement est déjà passée : l'attestation ne serait pas valable.")]
    return errors


# --- The questions every path asks ------------------------------------------------------------


def participant_pairable(*, participant: Participant, on: date) -> str | None:
    """Why this person cannot be put in the pool or paired on ``on`` (``None``: they can).

    The mentor's vetting is a property of the pair (it matters only with a minor mentee): see
    ``pairing_refusal``; the pool reads ``vetting_valid_on`` for the engine's own rule."""
    if participant.status != Participant.Status.VALIDATED:
        return _("L'inscription %(de_name)s n'est pas validée.") % {"de_name": french.de(participant.display_name)}
    return consent_refusal(participant=participant, on=on)


def pairing_refusal(*, mentee: Participant, mentor: Participant, on: date) -> str | None:
    """Why this mentee may not be paired with this mentor on ``on`` (``None``: they may).

    Both validated; the mentor older; a minor mentee only with a mentor whose attestation is valid
    that day; each person's consent state (under 15: a parent's confirmed, not withdrawn, consent).
    Callers that write (approval) hold both participants' row locks while asking."""
    for person in (mentee, mentor):
        refusal = participant_pairable(participant=person, on=on)
        if refusal:
            return refusal
    if mentor.birth_date >= mentee.birth_date:
        return _("Le ou la mentor doit être plus âgé·e que la personne accompagnée.")
    if is_minor(birth_date=mentee.birth_date, on=on):
        refusal = vetting_refusal(mentor=mentor, on=on)
        if refusal:
            return _("%(reason)s Un·e mentor sans attestation valide ne peut pas accompagner de mineur·e.") % {"reason": refusal}
    return None


def binome_refusal(*, binome: Binome, on: date) -> str | None:
    """Why this open binôme may not go on as it is on ``on``: the consent of either member, or
    (with a minor mentee) the mentor's vetting."""
    for person in (binome.mentee, binome.mentor):
        refusal = consent_refusal(participant=person, on=on)
        if refusal:
            return refusal
    if is_minor(birth_date=binome.mentee.birth_date, on=on):
        return vetting_refusal(mentor=binome.mentor, on=on)
    return None


def messaging_refusal(*, user: User, binome: Binome, on: date) -> str | None:
    """Why ``user`` may not write in this binôme on ``on`` (message, meeting log): the binôme is not
    running, or it may not go on as it is (consent, vetting). Members are told in "tu"."""
    from binomes.models import Binome

    if binome.member_role(user.pk) is None:
        return _("Tu ne fais pas partie de ce binôme.")
    if binome.status not in Binome.RUNNING_STATUSES:
        return _("La messagerie de ce binôme est fermée (%(status)s).") % {"status": binome.get_status_display()}
    if binome_refusal(binome=binome, on=on):
        return _("Les échanges de ce binôme sont en pause : l'équipe de l'association doit d'abord régler une "
                 "question de sécurité (accord d'un parent ou attestation du mentor). Elle va revenir vers toi.")
    return None

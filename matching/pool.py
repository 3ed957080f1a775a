"""From the database to the engine's arrays: the pool of one association for a match run.

The engine (``matching.engine``) never sees the ORM; this module is the only bridge. Bit orders come
from ``participants.choices`` (GOAL_ORDER, SLOT_ORDER, LANGUAGE_ORDER): append-only lists, so a
bit keeps its meaning across runs.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import numpy as np
from django.db.models import Avg, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from associations.models import Association
from matching.engine import MatchingParams, MenteePool, MentorPool
from participants import choices
from participants.models import Consent, Participant
from programmes.models import Programme
from safeguarding import policy

FIELD_ORDER = [f.value for f in choices.Field if f != choices.Field.UNDECIDED]
MEETING_FORMAT = {choices.MeetingFormat.IN_PERSON: 0, choices.MeetingFormat.REMOTE: 1, choices.MeetingFormat.BOTH: 2}
GENDER = {"": 0, choices.Gender.FEMALE: 1, choices.Gender.MALE: 2, choices.Gender.OTHER: 3}


def bitmask(values: list[str], order: list[str]) -> int:
    """Stored codes → an int with bit i set for order[i]; unknown codes are ignored."""
    mask = 0
    for value in values or []:
        if value in order:
            mask |= 1 << order.index(value)
    return mask


@dataclass
class PoolSnapshot:
    """The engine's two pools plus the participant ids behind each row (to map pairs back)."""

    mentees: MenteePool
    mentors: MentorPool
    mentee_ids: list[int]
    mentor_ids: list[int]
    # (mentee row, mentor row) pairs never to propose again: rejected before, or ended early.
    forbidden_pairs: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    # birth dates (the explanations count the age gap in whole years from them, as people do)
    mentee_birth_dates: list[date] = field(default_factory=list)
    mentor_birth_dates: list[date] = field(default_factory=list)
    # True where the person's position is an estimate (geo.coordinates, or the département's centre)
    mentee_place_estimated: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    mentor_place_estimated: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    # per mentor row: ``short_horizon``'s fact, or None (a shorter pair the association allows)
    mentor_short_horizons: list[dict[str, object] | None] = field(default_factory=list)
    # the programme's custom criteria, in the pools' column order (``custom_criteria_of``)
    custom_criteria: list[CustomCriterion] = field(default_factory=list)


@dataclass(frozen=True)
class CustomCriterion:
    """A sign-up question the matching uses (issue 12): its choices in code order (an answer's
    code is its index here), and ``accept[x, y]``: a mentor who answered y suits a mentee who
    answered x (the identity for "same answer", the coordinator's table for a mapping)."""

    question_id: int
    label: str
    criterion: str
    weight: float
    choice_ids: list[int]
    choice_labels: list[str]
    accept: np.ndarray

    def as_json(self) -> dict[str, object]:
        return {"question_id": self.question_id, "label": self.label, "criterion": self.criterion, "weight": self.weight,
                "choice_ids": self.choice_ids, "choice_labels": self.choice_labels, "accept": self.accept.astype(int).tolist()}

    @classmethod
    def from_json(cls, data: dict) -> CustomCriterion:
        return cls(**{**data, "accept": np.array(data["accept"], dtype=bool).reshape(len(data["choice_ids"]), -1)})


def custom_criteria_of(programme: Programme) -> list[CustomCriterion]:
    """The programme's questions used by matching (``programmes.questions.criterion_questions``),
    with every choice (a switched-off one still codes the answers that chose it). Three queries."""
    from programmes.models import SignupQuestion, SignupQuestionChoice, SignupQuestionMapping
    from programmes.questions import criterion_questions

    questions = list(criterion_questions(programme=programme).prefetch_related(
        Prefetch("choices", queryset=SignupQuestionChoice.objects.order_by("position", "pk")),
        Prefetch("mappings", queryset=SignupQuestionMapping.objects.order_by("pk"))))
    out = []
    for question in questions:
        choices = list(question.choices.all())
        ids = [c.pk for c in choices]
        code = {pk: k for k, pk in enumerate(ids)}
        if question.criterion == SignupQuestion.Criterion.SAME_ANSWER:
            accept = np.eye(len(ids), dtype=bool)
        else:
            accept = np.zeros((len(ids), len(ids)), bool)
            for row in question.mappings.all():
                if row.mentee_choice_id in code and row.mentor_choice_id in code:
                    accept[code[row.mentee_choice_id], code[row.mentor_choice_id]] = True
        out.append(CustomCriterion(question.pk, question.label, question.criterion, float(question.criterion_weight),
                                   ids, [c.label for c in choices], accept))
    return out


def custom_codes_of(people: list[Participant], criteria: list[CustomCriterion]) -> np.ndarray:
    """(people x criteria) answer codes, -1 where not answered (one query, none without criteria)."""
    codes = np.full((len(people), len(criteria)), -1, np.int64)
    if not criteria or not people:
        return codes
    from programmes.models import ParticipantAnswer

    row = {p.pk: i for i, p in enumerate(people)}
    column = {c.question_id: k for k, c in enumerate(criteria)}
    code = {c.question_id: {pk: x for x, pk in enumerate(c.choice_ids)} for c in criteria}
    answers = ParticipantAnswer.choices.through.objects.filter(
        participantanswer__participant_id__in=list(row), participantanswer__question_id__in=list(column),
    ).values_list("participantanswer__participant_id", "participantanswer__question_id", "signupquestionchoice_id")
    for participant_id, question_id, choice_id in answers:
        x = code[question_id].get(choice_id)
        if x is not None:
            codes[row[participant_id], column[question_id]] = x
    return codes


def params_with_custom(params: MatchingParams, criteria: list[CustomCriterion]) -> MatchingParams:
    """``params`` with the custom criteria's weights and tables (padded to the largest question)."""
    if not criteria:
        return params
    size = max(len(c.choice_ids) for c in criteria)
    accept = np.zeros((len(criteria), size, size), bool)
    for k, c in enumerate(criteria):
        accept[k, : c.accept.shape[0], : c.accept.shape[1]] = c.accept
    return replace(params, custom_weights=[c.weight for c in criteria], custom_accept=accept)


def _departement_centres(people: list[Participant]) -> dict[str, tuple[float, float]]:
    """Centre (mean position of its communes) of each département where someone's commune has no
    position: one query, and none at all in the usual case (every reference commune has one since
    geo's migration 0003; this covers a commune added by hand without coordinates)."""
    missing = {p.commune.departement_id for p in people if p.commune.latitude is None or p.commune.longitude is None}
    if not missing:
        return {}
    from geo.models import Commune

    rows = (
        Commune.objects.filter(departement_id__in=missing, latitude__isnull=False, longitude__isnull=False)
        .values("departement_id").annotate(lat=Avg("latitude"), lon=Avg("longitude"))
    )
    return {row["departement_id"]: (row["lat"], row["lon"]) for row in rows}


def _position(p: Participant, centres: dict[str, tuple[float, float]]) -> tuple[float, float, bool]:
    """(lat, lon, estimated). An unknown position is never left unknown — the engine would forbid
    every in-person pair — but replaced by the centre of the département (the "same département"
    estimate); with no département centre at all it stays NaN (geography neutral)."""
    commune = p.commune
    if commune.latitude is not None and commune.longitude is not None:
        return commune.latitude, commune.longitude, commune.coordinates_estimated
    lat, lon = centres.get(commune.departement_id, (np.nan, np.nan))
    return lat, lon, True


def _place_code(text: str) -> int:
    """A stable, non-negative integer for a département code or a région name, the same on both
    sides of the pool and across runs (the engine only compares them for equality)."""
    return zlib.crc32(text.encode()) & 0x7FFFFFFF


def _common_columns(people: list[Participant], today: date, communes: dict[str, int]) -> dict[str, object]:
    def column(getter, dtype) -> np.ndarray:  # noqa: ANN001
        return np.fromiter((getter(p) for p in people), dtype=dtype, count=len(people))

    centres = _departement_centres(people)
    positions = [_position(p, centres) for p in people]

    return {
        "age_years": column(lambda p: (today - p.birth_date).days / 365.25, np.float32),
        "education_stage": column(lambda p: choices.EDUCATION_STAGE.get(p.education, -1), np.int8),
        "field": column(lambda p: FIELD_ORDER.index(p.field) if p.field in FIELD_ORDER else -1, np.int16),
        "qpv": column(lambda p: p.qpv_resident, bool),
        "boursier": column(lambda p: p.boursier, bool),
        "first_generation": column(lambda p: p.first_generation, bool),
        "pcs": column(lambda p: int(p.parents_pcs or 0), np.int8),
        "lat": np.array([lat for lat, _, _ in positions], dtype=np.float32).reshape(-1),
        "lon": np.array([lon for _, lon, _ in positions], dtype=np.float32).reshape(-1),
        "commune": column(lambda p: communes.setdefault(p.commune_id, len(communes)), np.int32),
        # for the remote pairs' floors: same département, same région (the engine's proximity rule)
        "departement": column(lambda p: _place_code(p.commune.departement_id), np.int32),
        "region": column(lambda p: _place_code(p.commune.departement.region_name), np.int32),
        "availability": column(lambda p: bitmask(p.availability, choices.SLOT_ORDER), np.int32),
        "meeting_format": column(lambda p: MEETING_FORMAT.get(p.meeting_format, 2), np.int8),
        "languages": column(lambda p: bitmask(p.languages, choices.LANGUAGE_ORDER), np.int64),
        "gender": column(lambda p: GENDER.get(p.gender, 0), np.int8),
        "prefers_same_gender": column(lambda p: p.prefers_same_gender, bool),
        "is_minor": column(lambda p: policy.is_minor(birth_date=p.birth_date, on=today), bool),
    }


def _waiting_days(validated_at: datetime | None, now: datetime, paired_days: float = 0.0) -> float:
    if validated_at is None:
        return 0.0
    return max((now - validated_at).total_seconds() / 86400 - paired_days, 0.0)


def paired_days_of(mentee_ids: list[int]) -> dict[int, float]:
    """Days each mentee spent in binômes that ended early (one query). A mentee back in the pool
    keeps the time waited before that binôme and waits on from its end: the time paired is not
    waiting, and the wait does not start again from zero either (issue 13)."""
    from binomes.models import Binome

    days: dict[int, float] = {}
    rows = Binome.objects.filter(mentee_id__in=mentee_ids, status=Binome.Status.ENDED_EARLY).values_list(
        "mentee_id", "started_on", "ended_on")
    for mentee_id, started_on, ended_on in rows:
        days[mentee_id] = days.get(mentee_id, 0.0) + max((ended_on - started_on).days, 0)
    return days


def mentee_pool_of(mentees: list[Participant], *, today: date, now: datetime, communes: dict[str, int],
                   paired_days: dict[int, float] | None = None) -> MenteePool:
    """The engine's arrays for these mentees (the run's pool and the one-mentee alternatives).
    ``paired_days``: see ``paired_days_of`` (read here when not given)."""
    if paired_days is None:
        paired_days = paired_days_of([p.pk for p in mentees]) if mentees else {}
    return MenteePool(
        **_common_columns(mentees, today, communes),
        texts=[p.goals_text for p in mentees],
        goals=np.array([bitmask(p.goals, choices.GOAL_ORDER) for p in mentees], dtype=np.int32),
        waiting_days=np.array([_waiting_days(p.validated_at, now, paired_days.get(p.pk, 0.0)) for p in mentees],
                              dtype=np.float32),
        # Priority background ("1 jeune, 1 mentor" priorities): QPV residents and scholarship holders.
        priority_background=np.array([0.5 * p.qpv_resident + 0.5 * p.boursier for p in mentees], dtype=np.float32),
    )


def mentor_pool_of(mentors: list[Participant], *, today: date, communes: dict[str, int], free: list[int]) -> MentorPool:
    """The engine's arrays for these mentors, with ``free`` places each."""
    return MentorPool(
        **_common_columns(mentors, today, communes),
        texts=[p.path_text for p in mentors],
        help_with=np.array([bitmask(p.help_with, choices.GOAL_ORDER) for p in mentors], dtype=np.int32),
        capacity=np.array(free, dtype=np.int32),
        vetting_valid=np.array([policy.vetting_valid_on(p, today) for p in mentors], dtype=bool),
    )


def programme_duration_months(programme: Programme) -> int:
    """How long a binôme is planned to last: the one place it is read (the binôme's planned end at
    approval, the horizon rule and a continuation use it). A pair belongs to its mentee's
    programme; in a run, mentee and mentor share it."""
    return programme.duration_months


def pair_planned_end(programme: Programme, start: date) -> date:
    from matching.services import add_months

    return add_months(start, programme_duration_months(programme))


def short_horizon(mentor: Participant, *, programme: Programme, start: date) -> dict[str, object] | None:
    """The fact a proposal carries when the mentor is available until before the planned end of a
    binôme starting on ``start`` (``{"until": iso date, "months": duration}``); None when they can
    stay the whole programme. Available exactly until the planned end is enough."""
    until = mentor.available_until
    if until is None or until >= pair_planned_end(programme, start):
        return None
    return {"until": until.isoformat(), "months": programme_duration_months(programme)}


def mentor_exclusion(mentor: Participant, *, programme: Programme, start: date, allow_shorter: bool) -> str | None:
    """Why this mentor is not proposed for a binôme starting on ``start``, or None. The one rule of
    the run's pool (the mentor is left out) and of the one-person run (the reason is shown):

    * a mentor whose binôme ended early waits for a coordinator's word (``matching_paused_on``);
    * a mentor available until before the programme's end, unless the association allows shorter pairs.
    """
    from matching.explanations import horizon_sentence

    if mentor.matching_paused_on is not None:
        return _("Plus proposé·e depuis la fin anticipée d'un binôme (le %(date)s) : la coordination peut le ou la proposer à nouveau.") % {
            "date": date_format(mentor.matching_paused_on, "j F Y")}
    horizon = short_horizon(mentor, programme=programme, start=start)
    if horizon and not allow_shorter:
        sentence = horizon_sentence(mentor.available_until, int(horizon["months"]))
        return sentence[:1].upper() + sentence[1:]
    return None


def pool_for_association(*, association: Association, programme: Programme | None = None, now: datetime | None = None,
                         allow_shorter: bool | None = None, criteria: list[CustomCriterion] | None = None) -> PoolSnapshot:
    """The association's pool for a match run, in eight queries whatever its size (one more if a
    commune has no position: see ``_departement_centres``; five more when the programme has
    questions used by matching: ``custom_criteria_of``, ``custom_codes_of``).

    Validated mentees without an open binôme × validated mentors with free capacity (capacity minus
    their open binômes), plus the pairs never to propose again; of ``programme`` only when given
    (a match run's programme). ``allow_shorter``: the run's own setting (read from each
    programme's settings when not given: one query more). ``criteria``: the run's own snapshot of
    the programme's questions used by matching (read from the programme when not given).
    """
    from binomes.models import Binome
    from binomes.selectors import settled_mentee_ids
    from matching.models import Proposal

    now = now or timezone.now()
    today = timezone.localdate(now)
    open_binomes = list(
        Binome.objects.filter(association=association, status__in=Binome.OPEN_STATUSES).values_list("mentee_id", "mentor_id")
    )
    # A mentee whose binôme is open, or who completed the programme, is not waiting; one whose
    # binôme ended early may be paired again (never with the same mentor: see never_again).
    paired = set(settled_mentee_ids(Q(association=association)).values_list("mentee_id", flat=True))
    load = Counter(mentor_id for _, mentor_id in open_binomes)
    people = list(
        Participant.objects.filter(association=association, status=Participant.Status.VALIDATED)
        .filter(**({"programme": programme} if programme is not None else {}))
        .select_related("commune__departement", "programme")
        # Parental consents only (under-15s have them): the policy reads the latest one per person.
        .prefetch_related(Prefetch("consents", queryset=Consent.objects.filter(kind=Consent.Kind.PARENT)))
        .order_by("pk")
    )
    # Who may be paired at all today is the safeguarding policy's answer (validated, consent state);
    # the vetting rule is the engine's pairwise constraint, fed by the policy's vetting_valid_on.
    people = [p for p in people if policy.participant_pairable(participant=p, on=today) is None]
    mentees = [p for p in people if p.role == Participant.Role.MENTEE and p.pk not in paired]
    mentors = [p for p in people if p.role == Participant.Role.MENTOR and (p.capacity or 0) > load[p.pk]]
    if allow_shorter is None:  # a run passes the settings it was requested with (its snapshot)
        shorter = _allow_shorter({p.programme_id: p.programme for p in mentors})
    else:
        shorter = defaultdict(lambda: bool(allow_shorter))
    mentors = [p for p in mentors
               if mentor_exclusion(p, programme=p.programme, start=today, allow_shorter=shorter[p.programme_id]) is None]
    communes: dict[str, int] = {}
    mentee_pool = mentee_pool_of(mentees, today=today, now=now, communes=communes)
    mentor_pool = mentor_pool_of(mentors, today=today, communes=communes, free=[(p.capacity or 0) - load[p.pk] for p in mentors])
    # A run pairs one programme's people: its sign-up questions used by matching (issue 12).
    if criteria is None:
        criteria = custom_criteria_of(programme) if programme is not None else []
    if criteria:
        mentee_pool.custom_codes = custom_codes_of(mentees, criteria)
        mentor_pool.custom_codes = custom_codes_of(mentors, criteria)
    mentee_row = {p.pk: i for i, p in enumerate(mentees)}
    mentor_row = {p.pk: j for j, p in enumerate(mentors)}
    never_again = set(
        Proposal.objects.filter(association=association, status=Proposal.Status.REJECTED).values_list("mentee_id", "mentor_id")
    ) | set(
        Binome.objects.filter(association=association, status=Binome.Status.ENDED_EARLY).values_list("mentee_id", "mentor_id")
    )
    forbidden = [(mentee_row[a], mentor_row[b]) for a, b in never_again if a in mentee_row and b in mentor_row]
    return PoolSnapshot(
        mentee_pool, mentor_pool, [p.pk for p in mentees], [p.pk for p in mentors],
        np.array(forbidden, dtype=np.int64).reshape(-1, 2),
        mentee_birth_dates=[p.birth_date for p in mentees],
        mentor_birth_dates=[p.birth_date for p in mentors],
        mentee_place_estimated=_estimated(mentees),
        mentor_place_estimated=_estimated(mentors),
        mentor_short_horizons=[short_horizon(p, programme=p.programme, start=today) for p in mentors],
        custom_criteria=criteria,
    )


def _allow_shorter(programmes: dict[int, Programme]) -> dict[int, bool]:
    """Each programme's 'shorter pairs allowed' setting, in one query (none without mentors)."""
    from matching.selectors import settings_for_programmes

    if not programmes:
        return {}
    return {pk: row.allow_shorter_pairs for pk, row in settings_for_programmes(list(programmes.values())).items()}


def _estimated(people: list[Participant]) -> np.ndarray:
    return np.array(
        [p.commune.coordinates_estimated or p.commune.latitude is None or p.commune.longitude is None for p in people],
        dtype=bool,
    ).reshape(-1)

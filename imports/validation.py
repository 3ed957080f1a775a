"""The dry run: what importing each row would do, and why a row cannot be imported, in French.

Nothing here writes. The rules are the sign-up's (``participants.rules.validate_birth_date``, the
safeguarding policy's ages, ``geo.selectors.commune_resolve``, ``participants.services.email_normalise``)
plus what only a file can get wrong (an address twice, a binôme with someone who is not there).
The import itself (``imports.services.import_run``) plans again under its transaction with the same
function, then signs each person up with the sign-up's own code (``participants.services.sign_up_rows``).

Queries: a handful per 1,000 rows (accounts, memberships, participants and open binômes of the
addresses in the file) plus one or two per distinct commune.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import User
from associations.models import Association, Membership
from binomes.models import Binome
from geo.models import Commune
from geo.selectors import CommuneAmbiguous, CommuneNotFound, commune_resolve
from imports import columns
from participants import choices
from participants.models import Participant
from participants.rules import validate_birth_date
from participants.services import email_normalise
from programmes.models import Programme
from safeguarding import policy

CHUNK = 1000
BINOME_FLOOR = date(2000, 1, 1)


@dataclass
class RowPlan:
    line: int
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    role: str = ""
    errors: list[str] = field(default_factory=list)
    existing: bool = False  # already in the association with this role: left as it is
    profile: dict[str, Any] = field(default_factory=dict)
    mentor_email: str = ""
    binome_started_on: date | None = None
    binome: str = ""  # "" | "create" | "unchanged"
    mentor_line: int | None = None  # the mentor's row in the file, if there

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def action(self) -> str:
        if self.errors:
            return "error"
        return "unchanged" if self.existing else "create"

    def error(self, message: str) -> None:
        self.errors.append(message)


@dataclass
class Plan:
    rows: list[RowPlan]
    skipped: list[int]

    def counts(self) -> dict[str, int]:
        actions = Counter(r.action for r in self.rows)
        return {
            "rows": len(self.rows) + len(self.skipped), "create": actions["create"], "unchanged": actions["unchanged"],
            "errors": actions["error"], "skipped": len(self.skipped),
            "binomes_create": sum(1 for r in self.rows if r.binome == "create" and not r.errors),
            "binomes_unchanged": sum(1 for r in self.rows if r.binome == "unchanged" and not r.errors),
        }

    def report(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "rows": [{"line": r.line, "email": r.email, "name": r.name, "errors": r.errors} for r in self.rows if r.errors],
        }


@dataclass
class _Known:
    """What the database already holds about the addresses of the file."""

    user_ids: dict[str, int] = field(default_factory=dict)
    elsewhere: set[int] = field(default_factory=set)  # users with a current membership in another association
    here: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)  # (user, role) → participant values
    here_roles: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # any current membership here
    open_binome_of_mentee: dict[int, int] = field(default_factory=dict)  # mentee participant → mentor participant
    mentor_load: Counter = field(default_factory=Counter)


def _load_known(association: Association, emails: set[str]) -> _Known:
    known = _Known()
    ordered = sorted(emails)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        # Compared lower-cased, as the sign-up does (``email__iexact``), on the index of the
        # accounts' case-insensitive unique constraint.
        for pk, email in User.objects.alias(email_lower=Lower("email")).filter(email_lower__in=chunk).values_list("pk", "email"):
            known.user_ids[email_normalise(email)] = pk
    ids = list(known.user_ids.values())
    participant_ids = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for user_id, association_id, role in Membership.objects.filter(user_id__in=chunk, ended_at__isnull=True).values_list(
                "user_id", "association_id", "role"):
            if association_id == association.pk:
                known.here_roles[user_id].add(role)
            else:
                known.elsewhere.add(user_id)
        for values in Participant.objects.filter(association=association, membership__user_id__in=chunk).values(
                "pk", "role", "status", "birth_date", "capacity", "membership__user_id"):
            known.here[(values["membership__user_id"], values["role"])] = values
            participant_ids.append(values["pk"])
    for start in range(0, len(participant_ids), CHUNK):
        chunk = participant_ids[start:start + CHUNK]
        for mentee_id, mentor_id in Binome.objects.filter(mentee_id__in=chunk, status__in=Binome.OPEN_STATUSES).values_list(
                "mentee_id", "mentor_id"):
            known.open_binome_of_mentee[mentee_id] = mentor_id
        for (mentor_id,) in Binome.objects.filter(mentor_id__in=chunk, status__in=Binome.OPEN_STATUSES).values_list("mentor_id"):
            known.mentor_load[mentor_id] += 1
    return known


class _Communes:
    """``geo.selectors.commune_resolve`` once per distinct (commune, postal code) of the file."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], Commune | str] = {}

    def resolve(self, name: str, postal: str) -> Commune | str:
        key = (name.strip().lower(), postal)
        if key not in self._seen:
            self._seen[key] = self._resolve(name.strip(), postal)
        return self._seen[key]

    @staticmethod
    def _resolve(name: str, postal: str) -> Commune | str:
        text = f"{name} ({postal})" if name and postal else name or postal
        if not text:
            return _("Commune manquante : indiquez la commune ou le code postal.")
        try:
            return commune_resolve(text)
        except CommuneNotFound:
            return _("Commune inconnue : « %(text)s ». Vérifiez l'orthographe et le code postal.") % {"text": text}
        except CommuneAmbiguous as exc:
            labels = ", ".join(c.label for c in exc.candidates[:5])
            return _("Plusieurs communes correspondent à « %(text)s » : précisez le code postal (%(labels)s).") % {
                "text": text, "labels": labels}


def _postal(text: str) -> str:
    digits = text.replace(" ", "")
    return digits.zfill(5) if digits.isdigit() and len(digits) == 4 else digits  # a spreadsheet dropped the leading 0


def _choice(row: RowPlan, text: str, values: dict[str, str], label: str) -> str:
    if not text:
        return ""
    value = values.get(columns.fold(text))
    if value is None:
        row.error(_("Valeur inconnue pour « %(label)s » : « %(text)s ».") % {"label": label, "text": text})
        return ""
    return value


def _flag(row: RowPlan, text: str, label: str) -> bool:
    value = columns.parse_bool(text)
    if value is None:
        row.error(_("« %(label)s » : écrivez oui ou non (et non « %(text)s »).") % {"label": label, "text": text})
        return False
    return value


def _cells(headers_mapping: list[str], cells: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, cell in zip(headers_mapping, cells, strict=False):
        if name and name not in values:
            values[name] = cell.strip()
    return values


def _person(row: RowPlan, v: dict[str, str], programme: Programme, communes: _Communes, today: date) -> None:
    """The profile of a person to create, or the errors saying why they cannot be."""
    if not row.first_name:
        row.error(_("Prénom manquant."))
    if not row.last_name:
        row.error(_("Nom manquant."))
    birth_date = columns.parse_date(v.get("birth_date", ""))
    if birth_date is None:
        if v.get("birth_date"):
            row.error(_("Date de naissance illisible : « %(text)s » (attendu : JJ/MM/AAAA).") % {"text": v["birth_date"]})
        else:
            row.error(_("Date de naissance manquante."))
    elif row.role:
        try:
            validate_birth_date(programme=programme, role=row.role, birth_date=birth_date, today=today)
        except ValidationError as exc:
            if exc.code == "implausible":
                row.error(_("Date de naissance invraisemblable : %(date)s.") % {"date": birth_date.strftime("%d/%m/%Y")})
            else:
                row.error(" ".join(exc.messages))
    commune = communes.resolve(v.get("commune", ""), _postal(v.get("postal_code", "")))
    if isinstance(commune, str):
        row.error(commune)
    parent_name, parent_email, parent_phone = v.get("parent_name", ""), email_normalise(v.get("parent_email", "")), v.get("parent_phone", "")
    if parent_email:
        try:
            validate_email(parent_email)
        except ValidationError:
            row.error(_("Courriel du parent invalide : « %(text)s ».") % {"text": parent_email})
    if len(parent_phone) > 30:
        row.error(_("Téléphone du parent trop long."))
    if birth_date is not None:
        if policy.needs_parental_consent(birth_date=birth_date, today=today):
            # The sign-up's rule: under 15 the parent consents, from the link e-mailed to them.
            if not parent_email:
                row.error(_("Moins de 15 ans sans courriel d'un parent : il en faut un pour lui demander son accord."))
            if not parent_name:
                row.error(_("Moins de 15 ans sans le nom du parent ou tuteur légal."))
        elif policy.is_minor(birth_date=birth_date, on=today) and not (parent_email or parent_phone):
            row.error(_("Mineur·e sans contact d'un parent : indiquez le courriel ou le téléphone d'un parent ou tuteur légal."))
    profile: dict[str, Any] = {
        "birth_date": birth_date, "commune": commune if isinstance(commune, Commune) else None,
        "gender": _choice(row, v.get("gender", ""), columns.GENDER_VALUES, _("Genre")),
        "education": _choice(row, v.get("education", ""), columns.EDUCATION_VALUES, _("Niveau d'études")),
        "field": _choice(row, v.get("field", ""), columns.FIELD_VALUES, _("Domaine")),
        "qpv_resident": _flag(row, v.get("qpv_resident", ""), "QPV"),
        "boursier": _flag(row, v.get("boursier", ""), _("Boursier·e")),
        "languages": ["fr"], "meeting_format": choices.MeetingFormat.BOTH,
        "parent_name": parent_name[:150], "parent_email": parent_email, "parent_phone": parent_phone[:30],
    }
    if row.role == Membership.Role.MENTOR and v.get("capacity"):
        text = v["capacity"]
        if text not in ("1", "2", "3"):
            row.error(_("Nombre de mentoré·es « %(text)s » : indiquez 1, 2 ou 3.") % {"text": text})
        else:
            profile["capacity"] = int(text)
    row.profile = profile


def plan_rows(
    *, association: Association, programme: Programme, mapping: list[str], rows: list[tuple[int, list[str]]], skip: set[int] | frozenset[int] = frozenset(),
    today: date, progress: Callable[[int], None] | None = None,
) -> Plan:
    """What importing ``rows`` (line, cells) with ``mapping`` (a column name per cell, "" to
    ignore) would do, the people joining ``programme`` (its age bounds apply); the lines in
    ``skip`` are left out as if absent from the file."""
    missing = [columns.BY_NAME[name].label for name in columns.REQUIRED if name not in mapping]
    if "commune" not in mapping and "postal_code" not in mapping:
        missing.append(columns.BY_NAME["commune"].label)
    if missing:
        raise ValidationError(_("Associez une colonne du fichier à : %(names)s.") % {"names": ", ".join(str(m) for m in missing)})
    values = [(line, _cells(mapping, cells)) for line, cells in rows if line not in skip]
    emails = {email_normalise(v.get(name, "")) for _line, v in values for name in ("email", "mentor_email")} - {""}
    known = _load_known(association, emails)
    communes = _Communes()
    plans: list[RowPlan] = []
    first_line_of: dict[str, int] = {}
    for index, (line, v) in enumerate(values):
        if progress and index % 200 == 0:
            progress(index)
        row = RowPlan(line=line, email=email_normalise(v.get("email", "")), first_name=v.get("first_name", "")[:150],
                      last_name=v.get("last_name", "")[:150], mentor_email=email_normalise(v.get("mentor_email", "")))
        plans.append(row)
        role_text = v.get("role", "")
        row.role = columns.ROLE_VALUES.get(columns.fold(role_text), "")
        if not row.role:
            row.error(_("Rôle inconnu : « %(text)s » (écrivez mentor ou mentoré·e).") % {"text": role_text} if role_text
                      else _("Rôle manquant (mentor ou mentoré·e)."))
        if not row.email:
            row.error(_("Courriel manquant : il identifie la personne et reçoit son invitation."))
        else:
            try:
                validate_email(row.email)
            except ValidationError:
                row.error(_("Courriel invalide : « %(text)s ».") % {"text": row.email})
            if row.email in first_line_of:
                row.error(_("Ce courriel figure déjà à la ligne %(line)s du fichier.") % {"line": first_line_of[row.email]})
            else:
                first_line_of[row.email] = line
            user_id = known.user_ids.get(row.email)
            if user_id is not None:
                if user_id in known.elsewhere:
                    row.error(_("Ce courriel est déjà celui d'une personne d'une autre association."))
                elif row.role and (user_id, row.role) in known.here:
                    row.existing = True  # imported before, or signed up: left as it is (the import is keyed by e-mail)
                else:
                    row.error(_("Un compte existe déjà avec ce courriel dans votre association (avec un autre rôle) : "
                                "ajoutez cette personne depuis son compte."))
        if not row.existing:
            _person(row, v, programme, communes, today)
        started = v.get("binome_started_on", "")
        if started:
            row.binome_started_on = columns.parse_date(started)
            if row.binome_started_on is None:
                row.error(_("Date de début du binôme illisible : « %(text)s » (attendu : JJ/MM/AAAA).") % {"text": started})
            elif row.binome_started_on > today or row.binome_started_on < BINOME_FLOOR:
                row.error(_("Date de début du binôme invraisemblable : %(date)s.") % {"date": row.binome_started_on.strftime("%d/%m/%Y")})
    _plan_binomes(plans, known=known, association=association, today=today)
    if progress:
        progress(len(values))
    return Plan(rows=plans, skipped=sorted(line for line, _cells in rows if line in skip))


def _plan_binomes(plans: list[RowPlan], *, known: _Known, association: Association, today: date) -> None:
    """Mentee rows that name their mentor: the pair is created with the people (or left as it is)."""
    by_email = {}
    for row in plans:
        by_email.setdefault(row.email, row)
    load: Counter = Counter()
    capacity_of: dict[str, int | None] = {}
    for row in plans:
        if not row.mentor_email:
            continue
        if row.role == Membership.Role.MENTOR:
            row.error(_("Seul·e un·e mentoré·e indique le courriel de son mentor."))
            continue
        if row.mentor_email == row.email:
            row.error(_("Le courriel du mentor est celui de la personne elle-même."))
            continue
        mentor_row = by_email.get(row.mentor_email)
        mentor_user = known.user_ids.get(row.mentor_email)
        existing_mentor = known.here.get((mentor_user, Membership.Role.MENTOR)) if mentor_user else None
        if mentor_row is not None and mentor_row.role != Membership.Role.MENTOR:
            row.error(_("La personne indiquée comme mentor (ligne %(line)s) n'est pas mentor.") % {"line": mentor_row.line})
            continue
        if mentor_row is not None and not mentor_row.existing:
            row.mentor_line = mentor_row.line
            if mentor_row.errors:
                row.error(_("Le mentor de ce binôme (ligne %(line)s) a une erreur : corrigez-la, ou ignorez aussi cette ligne.") % {
                    "line": mentor_row.line})
                continue
            mentor_birth = mentor_row.profile.get("birth_date")
            capacity_of.setdefault(row.mentor_email, mentor_row.profile.get("capacity"))
        elif existing_mentor is not None and existing_mentor["status"] in (Participant.Status.VALIDATED, Participant.Status.PENDING):
            mentor_birth = existing_mentor["birth_date"]
            capacity_of[row.mentor_email] = existing_mentor["capacity"]
            load[row.mentor_email] = max(load[row.mentor_email], known.mentor_load[existing_mentor["pk"]])
        else:
            row.error(_("Le mentor « %(email)s » n'est ni dans le fichier (lignes non ignorées) ni parmi les mentors de l'association.") % {
                "email": row.mentor_email})
            continue
        mentee_existing = known.here.get((known.user_ids.get(row.email), Membership.Role.MENTEE)) if row.existing else None
        if mentee_existing is not None:
            current = known.open_binome_of_mentee.get(mentee_existing["pk"])
            if current is not None and existing_mentor is not None and current == existing_mentor["pk"]:
                row.binome = "unchanged"
                continue
            if current is not None:
                row.error(_("Cette personne a déjà un binôme en cours avec un autre mentor."))
                continue
        mentee_birth = mentee_existing["birth_date"] if mentee_existing else row.profile.get("birth_date")
        if mentor_birth and mentee_birth and mentor_birth >= mentee_birth:
            # The policy's pairing rule (safeguarding.policy.pairing_refusal), on the file's dates.
            row.error(_("Le ou la mentor doit être plus âgé·e que la personne accompagnée."))
            continue
        row.binome = "create"
        load[row.mentor_email] += 1
    # Capacity: the one given (or stored), else as many as the file pairs them with (at most 3).
    for row in plans:
        if row.binome != "create" or row.errors:
            continue
        n, capacity = load[row.mentor_email], capacity_of.get(row.mentor_email)
        mentor_row = by_email.get(row.mentor_email)
        if capacity is None and mentor_row is not None and not mentor_row.existing:
            capacity = min(3, max(1, n))
            mentor_row.profile["capacity"] = capacity
        if n > (capacity or 0):
            row.error(_("Le mentor « %(email)s » accompagnerait %(n)s personnes, plus que sa capacité (%(capacity)s).") % {
                "email": row.mentor_email, "n": n, "capacity": capacity or 0})
    for row in plans:
        if row.role == Membership.Role.MENTOR and not row.existing and "capacity" not in row.profile:
            row.profile["capacity"] = 1


def planned_end(programme: Programme, started_on: date) -> date:
    """The programme's duration from the day the binôme started (the one rule: matching.pool)."""
    from matching.pool import pair_planned_end

    return pair_planned_end(programme, started_on)

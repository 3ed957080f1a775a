"""Create a realistic French demo pool: ``manage.py demo_data --mentees 300 --mentors 180``.

Used by ``make run`` (once: an existing demo association is left alone unless ``--force``) and by
the benchmarks. Rows are bulk-inserted so that tens of thousands of participants take seconds.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from faker import Faker

from accounts.models import User
from associations.models import Association, Membership
from geo.models import Commune, Departement
from participants import choices
from participants.demo_texts import ASPIRATIONS, PATHS
from participants.models import Consent, Participant
from programmes.selectors import programme_default_for
from programmes.services import programme_create_default

DEMO_PASSWORD = "mentorat-demo-2026"
DEMO_SLUG = "proxi-mentorat-demo"
DEPARTEMENTS = ["93", "13", "69", "59"]

EDUCATION_BY_AGE = [
    (14, [choices.Education.COLLEGE]),
    (17, [choices.Education.LYCEE_GENERAL, choices.Education.LYCEE_GENERAL, choices.Education.LYCEE_PRO]),
    (20, [choices.Education.BAC_1_2, choices.Education.BAC_1_2, choices.Education.RECHERCHE]),
    (22, [choices.Education.BAC_3, choices.Education.BAC_1_2, choices.Education.EMPLOI]),
    (25, [choices.Education.BAC_5, choices.Education.BAC_3, choices.Education.EMPLOI]),
    (200, [choices.Education.EMPLOI, choices.Education.BAC_5, choices.Education.DOCTORAT]),
]


DEMO_CRITERION_LABEL = "Dans quel domaine veux-tu avancer en priorité ?"
DEMO_CRITERION_CHOICES = ["Trouver un stage", "Préparer un premier emploi", "Me réorienter", "Reprendre confiance"]


def _education_for(age: int, rng: random.Random) -> str:
    for limit, options in EDUCATION_BY_AGE:
        if age <= limit:
            return rng.choice(options)
    raise AssertionError("unreachable")


class Command(BaseCommand):
    help = "Crée une association de démonstration avec des mentors et mentoré·es réalistes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mentees", type=int, default=300)
        parser.add_argument("--mentors", type=int, default=180)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--slug", default=DEMO_SLUG)
        parser.add_argument("--force", action="store_true", help="Ajoute des participant·es même si l'association existe déjà.")
        parser.add_argument("--no-activity", action="store_true", help="Sans binômes ni activité simulée.")
        parser.add_argument("--rounds", type=int, default=1, help="Appariements successifs simulés sur l'année (plus de binômes).")

    def handle(self, *args: Any, **options: Any) -> None:
        existing = Association.objects.filter(slug=options["slug"]).first()
        if existing and not options["force"]:
            self.stdout.write(f"Données de démonstration déjà présentes ({existing.name}) : rien à faire.")
            self._print_logins(existing)
            return
        rng = random.Random(options["seed"])
        fake = Faker("fr_FR")
        fake.seed_instance(options["seed"])
        with transaction.atomic():
            association = existing or self._association(options["slug"])
            self._staff(association)
            if existing is None:
                self._programmes(association)
            password = make_password(DEMO_PASSWORD)
            communes = list(
                Commune.objects.filter(departement_id__in=DEPARTEMENTS, population__gte=8000).order_by("code_insee")
            )
            weights = [c.population for c in communes]
            offset = Participant.objects.filter(association=association).count()
            for role, count in ((Membership.Role.MENTEE, options["mentees"]), (Membership.Role.MENTOR, options["mentors"])):
                self._participants(association, role, count, rng, fake, password, communes, weights, offset)
                offset += count
        self.stdout.write(self.style.SUCCESS(
            f"{association.name} : {options['mentees']} mentoré·es et {options['mentors']} mentors créés."
        ))
        if not options["no_activity"]:
            from binomes.demo import simulate_binome_life

            created = simulate_binome_life(association=association, rng=rng, rounds=options["rounds"])
            self.stdout.write(self.style.SUCCESS(f"{created} binômes avec leurs messages, rencontres et bilans."))
        self._print_logins(association)

    def _association(self, slug: str) -> Association:
        bobigny = Commune.objects.get(code_insee="93008")
        association = Association.objects.create(
            name="Proxi'Mentorat (démo)", slug=slug, rna_number="W932000001", address_commune=bobigny,
            contact_name="Samia Benali", contact_email="coordination@demo.mentorat.fr",
            description=(
                "Association de mentorat de proximité : des étudiant·es et jeunes actifs des quartiers "
                "accompagnent des collégien·nes, lycéen·nes et étudiant·es qui leur ressemblent."
            ),
            status=Association.Status.ACTIVE, reviewed_at=timezone.now(),
            # a year of simulated life: the first steps (coordinator_checklist) are long done
            settings_reviewed_at=timezone.now(), signup_link_shared_at=timezone.now(),
        )
        association.departements.set(Departement.objects.filter(code__in=DEPARTEMENTS))
        programme_create_default(association=association)
        return association

    def _staff(self, association: Association) -> None:
        operator, created = User.objects.get_or_create(
            email="operateur@demo.mentorat.fr",
            defaults={"first_name": "Olivier", "last_name": "Opérateur", "is_staff": True, "is_superuser": True},
        )
        coordinator, c_created = User.objects.get_or_create(
            email="coordination@demo.mentorat.fr", defaults={"first_name": "Samia", "last_name": "Benali"}
        )
        for user, new in ((operator, created), (coordinator, c_created)):
            if new:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"primary": True, "verified": True})
        Membership.objects.get_or_create(
            user=coordinator, association=association, role=Membership.Role.COORDINATOR, ended_at=None
        )

    def _programmes(self, association: Association) -> None:
        """Two programmes with their own settings and intake (issue 12): high-school pupils of
        Seine-Saint-Denis for a school year (the default programme, the association's link), and
        scholarship students for six months."""
        from datetime import date

        from programmes.services import cohort_create, programme_create, programme_update

        coordinator = User.objects.get(email="coordination@demo.mentorat.fr")
        lycee = programme_update(
            programme=programme_default_for(association), by=coordinator, name="Lycéens de Seine-Saint-Denis 2026-2027",
            slug="lyceens-93-2026-2027", duration_months=9, mentee_min_age=15, mentee_max_age=19, mentor_min_age=18,
            mentor_max_age=35, starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30),
            charter="Une rencontre au moins deux fois par mois, dans un lieu public ou en visio, pendant l'année scolaire.",
        )
        cohort_create(programme=lycee, by=coordinator, name="Septembre 2026", starts_on=date(2026, 9, 1))
        etudiants = programme_create(
            association=association, by=coordinator, name="Étudiants boursiers — Lyon", duration_months=6,
            mentee_min_age=17, mentee_max_age=28, mentor_min_age=20, mentor_max_age=40,
            charter="Six mois pour préparer un stage, un premier emploi ou une réorientation.",
        )
        cohort_create(programme=etudiants, by=coordinator, name="Octobre 2026", starts_on=date(2026, 10, 1))
        cohort_create(programme=etudiants, by=coordinator, name="Février 2027", starts_on=date(2027, 2, 1))
        # Their own sign-up questions (issue 12): the students' programme pairs people on the domain
        # they want to move on first (a matching criterion), the pupils' one asks mentees only.
        from programmes.questions import signup_question_create

        signup_question_create(
            programme=etudiants, by=coordinator, label=DEMO_CRITERION_LABEL, kind="single_choice", required=True,
            audience="both", criterion="same_answer", criterion_weight=0.15, choices=DEMO_CRITERION_CHOICES,
            help_text="Mentors : le domaine où tu préfères aider.",
        )
        signup_question_create(
            programme=lycee, by=coordinator, label="Qu'est-ce qui te ferait dire, en juin, que l'année a été réussie ?",
            kind="long_text", required=False, audience="mentees",
        )
        # Each programme its own matching settings: pupils meet near home (15 km at most) and the
        # longest waiting or priority-background pupils go first; students may travel further
        # (30 km) and are paired by their goals more than by their age.
        from matching.models import MatchingSettings
        from matching.services import matching_settings_update

        matching_settings_update(association=association, by=coordinator, programme=lycee, max_distance_km=15,
                                 priority_strength=MatchingSettings.PriorityStrength.STRONG)
        matching_settings_update(association=association, by=coordinator, programme=etudiants, max_distance_km=30,
                                 priority_strength=MatchingSettings.PriorityStrength.NORMAL, weight_goals=0.35,
                                 weight_generational=0.15, max_age_gap=15)

    def _participants(
        self, association: Association, role: str, count: int, rng: random.Random, fake: Faker,
        password: str, communes: list[Commune], weights: list[int], offset: int,
    ) -> None:
        today = timezone.localdate()
        now = timezone.now()
        is_mentor = role == Membership.Role.MENTOR
        # Who goes where: pupils of 15-19 to the default programme, older mentees to the students'
        # programme when there is one (younger ones stay in the default: the demo keeps everyone).
        default = programme_default_for(association)
        others = list(association.programmes.filter(is_default=False).order_by("pk"))
        cohort_of = {p.pk: p.cohorts.order_by("starts_on").first() for p in [default, *others]}
        users, profiles = [], []
        for i in range(count):
            gender = rng.choice([choices.Gender.FEMALE, choices.Gender.FEMALE, choices.Gender.MALE, choices.Gender.MALE, ""])
            first = fake.first_name_female() if gender == choices.Gender.FEMALE else fake.first_name_male()
            age = rng.choice(range(16, 34)) if is_mentor else rng.choices(range(11, 27), weights=[3, 4, 5, 6, 7, 8, 8, 7, 6, 5, 4, 3, 3, 2, 2, 1])[0]
            if is_mentor and age < 18 and rng.random() < 0.5:
                age += 3
            birth = today - timedelta(days=int(age * 365.25 + rng.randint(10, 350)))
            users.append(User(
                email=f"{role}{offset + i}@demo.mentorat.fr", first_name=first, last_name=fake.last_name(),
                password=password,
            ))
            commune = rng.choices(communes, weights=weights)[0]
            status = rng.choices(
                [Participant.Status.VALIDATED, Participant.Status.PENDING, Participant.Status.DECLINED], weights=[80, 17, 3]
            )[0]
            created = now - timedelta(days=rng.randint(1, 300), hours=rng.randint(0, 23))
            validated_at = created + timedelta(days=rng.randint(1, 14)) if status == Participant.Status.VALIDATED else None
            if validated_at and validated_at > now:
                validated_at = now
            qpv = rng.random() < 0.55
            languages = ["fr"] + rng.sample(["ar", "en", "es", "pt", "tr", "wo", "zh"], k=rng.choice([0, 0, 1, 1, 2]))
            programme = default
            if others and ((not is_mentor and age >= 20) or (is_mentor and rng.random() < 0.4)):
                programme = others[0]
            profile = Participant(
                association=association, programme=programme, cohort=cohort_of[programme.pk], role=role, status=status, created_at=created, validated_at=validated_at,
                decline_reason="Profil incomplet, nous n'avons pas pu joindre la personne." if status == Participant.Status.DECLINED else "",
                birth_date=birth, gender=gender, commune=commune, education=_education_for(age, rng),
                field=rng.choice(choices.Field.values), qpv_resident=qpv, boursier=rng.random() < (0.6 if qpv else 0.3),
                first_generation=rng.random() < 0.5, parents_pcs=rng.choices(choices.PCS.values, weights=[1, 6, 6, 10, 24, 22, 4, 12, 15])[0],
                goals=rng.sample(choices.GOAL_ORDER, k=rng.randint(1, 3)),
                goals_text=rng.choice(ASPIRATIONS) if not is_mentor else "",
                languages=languages, availability=rng.sample(choices.SLOT_ORDER, k=rng.randint(1, 4)),
                meeting_format=rng.choices(choices.MeetingFormat.values, weights=[3, 2, 5])[0],
                prefers_same_gender=rng.random() < 0.1,
                capacity=rng.choices([1, 2, 3], weights=[6, 3, 1])[0] if is_mentor else None,
                help_with=rng.sample(choices.GOAL_ORDER, k=rng.randint(2, 5)) if is_mentor else [],
                path_text=rng.choice(PATHS).format(city=commune.name) if is_mentor else "",
            )
            if age < 15:
                profile.parent_name = fake.name()
                profile.parent_email = f"parent{offset + i}@demo.mentorat.fr"
            if is_mentor and rng.random() < 0.75:
                profile.vetting_verified_on = today - timedelta(days=rng.randint(0, 300))
                profile.vetting_issued_on = profile.vetting_verified_on - timedelta(days=rng.randint(0, 60))
                profile.vetting_expires_on = profile.vetting_verified_on + timedelta(days=rng.choice([365, 730, 1095]))
            profiles.append(profile)
        User.objects.bulk_create(users, batch_size=1000)
        users = list(User.objects.filter(email__in=[u.email for u in users]).order_by("pk"))
        by_email = {u.email: u for u in users}
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users], batch_size=1000
        )
        memberships = [
            Membership(user=by_email[f"{role}{offset + i}@demo.mentorat.fr"], association=association, role=role,
                       started_at=profiles[i].created_at)
            for i in range(count)
        ]
        Membership.objects.bulk_create(memberships, batch_size=1000)
        memberships = list(Membership.objects.filter(association=association, role=role, user__in=users).select_related("user"))
        membership_by_email = {m.user.email: m for m in memberships}
        for i, profile in enumerate(profiles):
            profile.membership = membership_by_email[f"{role}{offset + i}@demo.mentorat.fr"]
        Participant.objects.bulk_create(profiles, batch_size=1000)
        saved = Participant.objects.filter(membership__in=memberships).select_related("membership")
        consents = []
        for p in saved:
            consents.append(Consent(participant=p, user_id=p.membership.user_id, notice_version=settings.PRIVACY_NOTICE_VERSION, accepted_at=p.created_at))
            if p.parent_email:
                # Demo parents answered their e-mail the same day.
                consents.append(Consent(participant=p, user_id=p.membership.user_id, kind=Consent.Kind.PARENT,
                                        notice_version=settings.PRIVACY_NOTICE_VERSION, accepted_at=p.created_at,
                                        given_by_name=p.parent_name, given_by_email=p.parent_email,
                                        token=secrets.token_urlsafe(32), confirmed_at=p.created_at))
        Consent.objects.bulk_create(consents, batch_size=1000)
        self._answers(list(saved), rng)

    def _answers(self, people: list[Participant], rng: random.Random) -> None:
        """Most people of a programme with a choice question used by matching answered it."""
        from programmes.models import ParticipantAnswer, SignupQuestion

        questions = {q.programme_id: q for q in SignupQuestion.objects.filter(
            programme_id__in={p.programme_id for p in people}, kind="single_choice", active=True).prefetch_related("choices")}
        picked = []
        for p in people:
            question = questions.get(p.programme_id)
            if question is not None and rng.random() < 0.85:
                picked.append((ParticipantAnswer(participant=p, question=question), rng.choice(list(question.choices.all()))))
        ParticipantAnswer.objects.bulk_create([answer for answer, _ in picked], batch_size=1000)
        ParticipantAnswer.choices.through.objects.bulk_create(
            [ParticipantAnswer.choices.through(participantanswer_id=answer.pk, signupquestionchoice_id=choice.pk)
             for answer, choice in picked], batch_size=1000)

    def _print_logins(self, association: Association) -> None:
        from binomes.models import Binome

        def first_email(role: str) -> str:
            participant = (
                Participant.objects.filter(association=association, role=role, status=Participant.Status.VALIDATED)
                .select_related("membership__user").order_by("pk").first()
            )
            return participant.membership.user.email if participant else "—"

        paired = Binome.objects.filter(association=association, status=Binome.Status.ACTIVE).select_related(
            "mentor__membership__user", "mentee__membership__user").order_by("pk").first()
        mentee = paired.mentee.membership.user.email if paired else first_email(Membership.Role.MENTEE)
        mentor = paired.mentor.membership.user.email if paired else first_email(Membership.Role.MENTOR)
        self.stdout.write(
            f"\nConnexions de démonstration (mot de passe : {DEMO_PASSWORD})\n"
            "  Opérateur de la plateforme : operateur@demo.mentorat.fr\n"
            "  Coordinatrice              : coordination@demo.mentorat.fr\n"
            f"  Un·e mentoré·e en binôme   : {mentee}\n"
            f"  Son mentor                 : {mentor}\n"
        )

"""factory_boy factories: each test builds the small world it needs (no shared global world)."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from associations.models import Association, Membership
from geo.models import Commune, Departement
from participants.models import Consent, Participant
from programmes.selectors import programme_default_for

PASSWORD = "un-mot-de-passe-solide-2026"


def commune(code: str = "93008") -> Commune:
    """Reference communes are loaded by migration: Bobigny 93008, Marseille 1er 13201, Lille 59350."""
    return Commune.objects.get(pk=code)


def years_ago(years: int, days: int = 30) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days) if not (today.month == 2 and today.day == 29) else date(today.year - years, 2, 28) - timedelta(days=days)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    rna_number = factory.Sequence(lambda n: f"W93{n:07d}")
    address_commune = factory.LazyFunction(commune)
    contact_name = "Samia Benali"
    contact_email = factory.Sequence(lambda n: f"contact{n}@asso.example.org")
    description = "Mentorat de proximité en Seine-Saint-Denis."
    status = Association.Status.ACTIVE

    @factory.post_generation
    def departements(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.departements.set(Departement.objects.filter(code__in=extracted or ["93"]))

    @factory.post_generation
    def default_programme(obj, create, extracted, **kwargs):  # noqa: N805
        """Every association has its default programme (associations.services.association_register)."""
        if create:
            from programmes.services import programme_create_default

            programme_create_default(association=obj)


def coordinator(association: Association, **user_kwargs) -> User:
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, association=association, role=Membership.Role.COORDINATOR)
    return user


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant
        skip_postgeneration_save = True

    class Params:
        user = factory.SubFactory(UserFactory)

    association = factory.SubFactory(AssociationFactory)
    programme = factory.LazyAttribute(lambda o: programme_default_for(o.association))
    role = Membership.Role.MENTEE
    membership = factory.LazyAttribute(
        lambda o: Membership.objects.create(user=o.user, association=o.association, role=o.role)
    )
    status = Participant.Status.PENDING
    birth_date = factory.LazyFunction(lambda: years_ago(16))
    commune = factory.LazyFunction(commune)
    education = "lycee_general"
    field = "sciences"
    goals = factory.LazyFunction(lambda: ["orientation"])
    languages = factory.LazyFunction(lambda: ["fr"])
    availability = factory.LazyFunction(lambda: ["saturday"])
    capacity = factory.LazyAttribute(lambda o: 1 if o.role == Membership.Role.MENTOR else None)
    path_text = factory.LazyAttribute(lambda o: "Étudiante en licence de biologie" if o.role == Membership.Role.MENTOR else "")
    parent_name = factory.LazyAttribute(lambda o: "Parent Test" if o.birth_date > years_ago(15, days=0) else "")
    parent_email = factory.LazyAttribute(lambda o: "parent@example.org" if o.birth_date > years_ago(15, days=0) else "")

    vetting_verified_on = None
    vetting_expires_on = None
    # An attestation is issued before it is checked; tests that care give the date themselves.
    vetting_issued_on = factory.LazyAttribute(lambda o: o.vetting_verified_on)

    @factory.lazy_attribute
    def validated_at(self):
        return timezone.now() if self.status == Participant.Status.VALIDATED else None

    @factory.post_generation
    def parental_consent(obj, create, extracted, **kwargs):  # noqa: N805
        """Under 15, a parent's confirmed consent (as validation requires), unless the test passes
        ``parental_consent=False`` (no request) or ``"pending"`` (a request waiting for the parent)."""
        from safeguarding.policy import needs_parental_consent

        if not create or extracted is False or not needs_parental_consent(birth_date=obj.birth_date):
            return
        Consent.objects.create(
            participant=obj, user=obj.membership.user, kind=Consent.Kind.PARENT, notice_version="2026-11",
            given_by_name=obj.parent_name or "Parent Test", given_by_email=obj.parent_email or "parent@example.org",
            token=f"jeton-{obj.pk}-{Consent.objects.count()}",
            confirmed_at=None if extracted == "pending" else timezone.now(),
        )


def mentor(**kwargs) -> Participant:
    kwargs.setdefault("birth_date", years_ago(22))
    kwargs.setdefault("education", "bac_3")
    return ParticipantFactory(role=Membership.Role.MENTOR, **kwargs)


def mentee(**kwargs) -> Participant:
    return ParticipantFactory(role=Membership.Role.MENTEE, **kwargs)

"""factory-boy factories for the organisation and for cases."""

import datetime

import factory
from django.utils import timezone

from cases.models import Case, Client, ClientMember, Diagnosis, Report, ReportForm, TargetGroup, Visit
from cases.procedure import Stage
from contracts.models import Action as ContractAction
from contracts.models import Contract, Goal
from mopr.models import Institution, Region, Role, RoleAssignment, User

PASSWORD = "haslo-testowe-123"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Miejski Ośrodek Pomocy Rodzinie nr {n}")
    short_name = factory.Sequence(lambda n: f"MOPR-{n}")
    name_genitive = factory.LazyAttribute(lambda o: o.name.replace("Miejski Ośrodek", "Miejskiego Ośrodka"))
    name_locative = factory.LazyAttribute(lambda o: o.name.replace("Miejski Ośrodek", "Miejskim Ośrodku"))
    city = "Toruń"
    city_locative = "Toruniu"
    address = "ul. Konstytucji 3 Maja 42, 87-100 Toruń"
    # The model's default asks the director, coordinators and auditors for TOTP; the personas of
    # most tests log in with a password only. mopr/tests/test_auth.py tests the default.
    otp_required_roles = factory.LazyFunction(list)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    code = factory.Sequence(lambda n: f"RPŚ-{n}")
    name = factory.LazyAttribute(lambda o: f"Rejon {o.code}")

    @factory.post_generation
    def streets(self, create, extracted, **kwargs):
        """streets="Szeroka\\nŻeglarska": each line a street of the region's centre entered by hand (made
        once per centre) served whole by this region – the shape of issue 19.3's migration."""
        from streets.models import Street, StreetRange

        for line in (extracted or "").splitlines():
            name = " ".join(line.split())
            if not name:
                continue
            street = Street(institution=self.institution, nazwa_1=name)
            street.set_keys()
            street = (
                Street.objects.filter(institution=self.institution, sym_ul="", full_key=street.full_key).first()
                or street
            )
            if street.pk is None:
                street.save()
            StreetRange.objects.create(region=self, street=street)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Kowalska{n}")
    institution = factory.SubFactory(InstitutionFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """roles=[(Role.SOCIAL_WORKER, region), (Role.DIRECTOR, None)]"""
        for role, region in extracted or ():
            RoleAssignment.objects.create(user=self, role=role, region=region)
        self.save()


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    institution = factory.SubFactory(InstitutionFactory)
    kind = Client.Kind.FAMILY
    street = "Szeroka"
    house_number = factory.Sequence(lambda n: str(n % 90 + 1))
    postal_code = "87-100"
    city = "Toruń"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientMember

    client = factory.SubFactory(ClientFactory)
    institution = factory.LazyAttribute(lambda o: o.client.institution)
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Nowak{n}")
    is_head = True
    relation = "head"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    region = factory.SubFactory(RegionFactory)
    institution = factory.LazyAttribute(lambda o: o.region.institution)
    client = factory.LazyAttribute(lambda o: MemberFactory(client=ClientFactory(institution=o.institution)).client)
    number = factory.Sequence(lambda n: f"TEST/{n:05d}")
    target_group = TargetGroup.FAMILY_WITH_CHILDREN
    stage = Stage.ZGLOSZENIE
    reported_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    case = factory.SubFactory(CaseFactory)
    received_at = factory.LazyAttribute(lambda o: o.case.reported_at)
    form = ReportForm.PHONE
    reporter_name = "Maria Wiśniewska"
    content = "Sąsiadka zgłasza, że dzieci często zostają same w domu."
    received_by = factory.LazyAttribute(lambda o: o.case.worker or UserFactory(institution=o.case.institution))


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    case = factory.SubFactory(CaseFactory)
    author = factory.LazyAttribute(lambda o: o.case.worker)
    visited_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    outcome = Visit.Outcome.MET
    findings = "Rodzina w mieszkaniu dwupokojowym, dzieci zadbane."


class DiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnosis

    case = factory.SubFactory(CaseFactory)
    author = factory.LazyAttribute(lambda o: o.case.worker)
    diagnosed_on = factory.LazyFunction(timezone.localdate)
    facts = "Matka samotnie wychowuje dwoje dzieci, bez pracy od roku."
    problem_areas = ["unemployment", "care_upbringing"]
    resources = "Wsparcie babci, motywacja do zmiany."
    decision = Diagnosis.Decision.SOCIAL_WORK


class ContractFactory(factory.django.DjangoModelFactory):
    """A signed contract with one goal and an action of each side, straight in the database."""

    class Meta:
        model = Contract
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory, stage="praca_socjalna")
    kind = Contract.Kind.A
    status = Contract.Status.SIGNED
    worker = factory.LazyAttribute(lambda o: o.case.worker)
    author = factory.LazyAttribute(lambda o: o.case.worker)
    client_member = factory.LazyAttribute(lambda o: o.case.client.members.first())
    problems = "Zadłużenie czynszowe, brak pracy."
    resources = "Motywacja, wsparcie siostry."
    main_goal = "Usamodzielnienie finansowe rodziny."
    period_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    period_to = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=150))
    drafted_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=29))

    @factory.post_generation
    def parts(self, create, extracted, **kwargs):
        goal = Goal.objects.create(contract=self, order=1, text="Spłata zaległości czynszowych")
        for side in (ContractAction.Side.CLIENT, ContractAction.Side.WORKER):
            ContractAction.objects.create(
                contract=self,
                goal=goal,
                side=side,
                description=f"Działanie: {side}",
                deadline=self.period_to,
                responsible="Jan Nowak",
            )


__all__ = ["Role"]


def force_login_verified(client, user) -> None:
    """Log ``user`` in with the second factor given (a confirmed TOTP key, as django-otp marks
    a verified session): what the admin and the roles that must use TOTP need."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="telefon", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

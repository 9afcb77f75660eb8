"""Demo data for `make run`: MOPR Toruń, its three RPŚ, a login for every role and about sixty cases.

Every case is built through the services (cases.services, contracts.services), each step at a past moment
(time-machine), so the history, the versions, the transition log and the case numbers are what the application
itself would have written. The procedure's guards hold: a diagnosis rests on a visit at which the client was met
(with the mandatory contacts of II.4), social work starts on a diagnosis, "contract completed" needs a contract
that ended so. Running it again changes nothing.

The family assistant, the monitoring of refusing environments, the team meetings, the inspections and the time
accounting are in _demo_more.py; the names, streets and texts in _demo_data.py. One random source with a fixed
seed draws every detail; the dates count back from today.
"""

import datetime
import heapq
import itertools
import random
from collections import Counter
from functools import partial
from pathlib import Path

import time_machine
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assistants.models import Assignment, Request
from cases import services
from cases.management.commands import _demo_more as more
from cases.management.commands._demo_data import (
    CONTACTS,
    DIRECTORY,
    FIRST_NAMES,
    GMINA,
    GOALS,
    GROUPS,
    LAST_NAMES,
    REFUSAL,
    REGIONS,
    REPORTERS,
    SPLIT_STREETS,
    USERS,
)
from cases.models import (
    Case,
    Client,
    Diagnosis,
    FlagKind,
    InstitutionContact,
    Relation,
    ReportForm,
    Visit,
)
from cases.pesel import pesel_birth_date, pesel_checksum_ok
from cases.procedure import CloseReason, Stage, mandatory_contacts_missing
from contracts import services as contracts
from contracts.models import Contract
from contracts.validators import id_card_ok
from inbox.models import Notice
from inbox.services import deadline_notices
from meetings.models import Inspection, TeamMeeting
from mopr.errors import DomainError
from mopr.models import DirectoryEntry, Institution, Region, RoleAssignment, User
from mopr.policy import user_runs_social_work
from refusals.models import RefusalMonitoring
from streets import services as streets
from streets.selectors import streets_named
from timesheets.models import TimeEntry

SAMPLE_ULIC = Path(streets.__file__).resolve().parent / "sample" / "ULIC_sample.csv"

PASSWORD = "Demo-mopr-2026"
SHORT_NAME = "MOPR Toruń"
MAX_AGE_DAYS = 300  # the oldest report is about ten months old
BIRTHS_FROM = datetime.date(2026, 1, 1)  # ages count from a fixed day, so names and PESELs never change

R, D, PS, M = Stage.ROZEZNANIE, Stage.DIAGNOZA, Stage.PRACA_SOCJALNA, Stage.MONITORING
GAP = {R: (1, 7), D: (7, 20), PS: (5, 15)}  # days before each step forward; the contract within two months


def feminine(last_name: str) -> str:
    return last_name[:-1] + "a" if last_name.endswith(("ski", "cki", "dzki")) else last_name


def make_id_card(rng: random.Random) -> str:
    """A series of three letters, then the check digit that makes the number valid, then five digits."""
    series, rest = "".join(rng.choices("ABCDEFGHJKLMNPRSTUWXYZ", k=3)), f"{rng.randint(0, 99999):05d}"
    return next(series + d + rest for d in "0123456789" if id_card_ok(series + d + rest))


_PESELS_MADE: set[str] = set()


def make_pesel(born: datetime.date, female: bool, rng: random.Random) -> str:
    """Birth date, a serial, the sex digit (even for women) and the one check digit that makes it
    valid; never one made before (a PESEL is unique within an institution)."""
    month = born.month + (20 if born.year >= 2000 else 0)
    while True:
        body = f"{born:%y}{month:02d}{born:%d}{rng.randint(0, 999):03d}{rng.choice('02468' if female else '13579')}"
        pesel = next(body + digit for digit in "0123456789" if pesel_checksum_ok(body + digit))
        if pesel not in _PESELS_MADE:
            break
    _PESELS_MADE.add(pesel)
    assert pesel_birth_date(pesel) == born
    return pesel


def _fit(number: int, parity: str, low: int | None, high: int | None) -> int:
    """The nearest house number to ``number`` inside a street range (its parity, from, to)."""
    number = max(number, low or 1)
    number = min(number, high) if high is not None else number
    if (parity == "odd" and number % 2 == 0) or (parity == "even" and number % 2 == 1):
        number += 1 if high is None or number + 1 <= high else -1
    return number


class Story:
    """One demo case: its household and its steps, each a number of days after the one before."""

    def __init__(self, demo: "Demo", region: Region, key: str):
        self.demo, self.rng, self.region, self.key = demo, demo.rng, region, key
        self.kind, self.address, self.members = demo.household(key, region)
        no = int(region.code[-1])
        self.worker = demo.users[f"pracownik{2 * no - self.rng.randint(0, 1)}"]
        self.coordinator = demo.users[f"koordynator{no}"]
        self.steps, self.flags, self.case, self.first_report, self.contract_ = [], [], None, None, None
        self.request, self.assignment, self.monitoring = None, None, None  # _demo_more's records
        self.quiet = (2, 30)  # days between the last step and today

    def then(self, days, run):
        self.steps.append((days if isinstance(days, int) else self.rng.randint(*days), run))
        return self

    def _case_step(self, days, service, **kwargs):
        def run():
            self.case = service(case=self.case, **kwargs)

        return self.then(days, run)

    def report(self, by: User, form=None, content="", *, urgent=False, institution="", anonymous=False, days=0):
        """A report; the first one also creates the client."""
        group, _areas, contents, institutions = GROUPS[self.key]
        form = form or self.rng.choice([ReportForm.PHONE, ReportForm.ORAL, ReportForm.WRITTEN, ReportForm.EMAIL])
        data = {"form": form, "content": content or self.rng.choice(contents), "urgent": urgent}
        if form == ReportForm.INSTITUTION:
            data["institution_name"] = institution or self.rng.choice(institutions)
        elif form == ReportForm.ORAL:  # the client came to the office and signed the note
            name = f"{self.members[0].first_name} {self.members[0].last_name}"
            data.update(reporter_name=name, reporter_relation="osoba zainteresowana", reporter_signed=True)
        elif not anonymous:  # an anonymous report has a channel but no reporter
            keys = ("reporter_name", "reporter_relation", "reporter_contact")
            data.update(zip(keys, self.rng.choice(REPORTERS), strict=True))

        def run():
            client = self.case.client if self.case else services.client_create(
                institution=self.demo.institution, by=by, kind=self.kind, address=self.address, members=self.members
            )  # fmt: skip
            report = services.ReportData(received_at=timezone.now(), **data)
            self.first_report = services.report_register(
                by=by, client=client, region=self.region, target_group=group, report=report
            )
            self.case = self.first_report.case

        return self.then(days, run)

    def intake(self, route="worker", form=None):
        """Taken at once by the region's own worker, or registered at the desk, assigned and accepted."""
        if route == "worker":
            return self.report(self.worker, form)
        return self.report(self.demo.users["recepcja"], form).assign().accept()

    def assign(self, days=(0, 3)):
        return self._case_step(days, services.case_assign, worker=self.worker, by=self.coordinator)

    def accept(self, days=(0, 2)):
        return self._case_step(days, services.case_accept, by=self.worker)

    def verify(self, note, days=(1, 5)):
        return self.then(days, lambda: services.report_verify(report=self.first_report, by=self.worker, note=note))

    def move(self, stage, reason="", days=(5, 20)):
        return self._case_step(days, services.case_change_stage, to=stage, by=self.worker, reason=reason)

    def through(self, last: Stage, **kwargs):
        """The main road: rozeznanie, a home visit, diagnoza, social work on the diagnosis's decision."""
        return self.move(R, days=GAP[R]).onward(last, **kwargs)

    def onward(self, last: Stage, areas=(), signed=True):
        """From rozeznanie on to ``last``; social work starts with a contract (IV.1)."""
        if last != R:
            self.visit().move(D, days=GAP[D])
        if last == PS:
            self.diagnose(areas=areas).contract(signed)
        return self

    def visit(self, days=(0, 6)):
        """II.1: the visit at which the client was met (the diagnosis needs it), with the contacts II.4 requires."""

        def run():
            place = Visit.Place.OFFICE if self.key == "homeless" else Visit.Place.HOME
            findings = "Wywiad środowiskowy przeprowadzony; sytuacja zgodna ze zgłoszeniem."
            visit = Visit(visited_at=timezone.now(), place=place, outcome=Visit.Outcome.MET, findings=findings)
            services.visit_record(case=self.case, by=self.worker, visit=visit)
            for kind, member in mandatory_contacts_missing(self.case):
                name, learnt = CONTACTS[kind]
                contact = InstitutionContact(kind=kind, institution_name=name, member=member, learnt=learnt)
                contact.contacted_on, contact.form = timezone.localdate(), InstitutionContact.Form.PHONE
                services.institution_contact_record(case=self.case, by=self.worker, contact=contact)

        return self.then(days, run)

    def diagnose(self, social_work=True, justification="", areas=(), days=GAP[PS]):
        """III: the diagnosis decides; its service starts social work or closes the case as unfounded."""
        _group, group_areas, contents, _institutions = GROUPS[self.key]
        areas, self.findings = areas or group_areas, self.rng.choice(contents)
        decision = Diagnosis.Decision.SOCIAL_WORK if social_work else Diagnosis.Decision.NO_PROBLEM
        diagnosis = {
            "facts": "Ustalenia z wizyty i od instytucji: " + self.findings,
            "problem_areas": [str(area) for area in areas] if social_work else [],
            "resources": self.rng.choice(["Wsparcie dalszej rodziny.", "Motywacja do zmiany.", "Stały dochód."]),
            "dysfunctional": social_work, "decision": decision,
            "justification": justification or "Potrzebna praca socjalna na podstawie kontraktu socjalnego.",
        }  # fmt: skip

        def run():
            entry = Diagnosis(diagnosed_on=timezone.localdate(), **diagnosis)
            services.diagnosis_record(case=self.case, by=self.worker, diagnosis=entry)
            self.case = Case.objects.get(pk=self.case.pk)

        return self.then(days, run)

    def contract(self, signed=True, days=(0, 3)):
        """IV.1: drafted with the client, signed within two months of the first contact."""
        main_goal, goals = GOALS[self.key]
        kind = Contract.Kind.B if self.key == "unemployed" else Contract.Kind.A

        def draft():
            today, head, worker = timezone.localdate(), self.case.client.head, self.worker.get_full_name()
            actions = [
                contracts.ActionData("client", goals[0], today + datetime.timedelta(90), head.full_name, goal_index=0),
                contracts.ActionData("worker", "Pomoc w sprawach urzędowych", today + datetime.timedelta(60), worker),
            ]
            data = contracts.ContractData(
                kind=kind, client_member=head, client_id_document="" if head.pesel else head.id_document,
                problems=self.findings, resources="Motywacja do zmiany.", main_goal=main_goal, goals=goals,
                period_from=today, period_to=today + datetime.timedelta(days=180), drafted_on=today, actions=actions,
                resources_used=[("centre_benefits", "zasiłek celowy")],
            )  # fmt: skip
            if kind == Contract.Kind.B:  # part I B: referred by the labour office
                data.referral = (
                    f"PUP w Toruniu, skierowanie nr {self.rng.randint(100, 999)}/2026 z dnia {today:%d.%m.%Y}"
                )
                data.unemployment_causes = (
                    "Długotrwałe bezrobocie po likwidacji zakładu pracy; brak aktualnych kwalifikacji."
                )
                data.employment_barriers = "Opieka nad dzieckiem w wieku przedszkolnym, brak prawa jazdy."
                data.previous_activation = (
                    "Szkolenie z obsługi kasy fiskalnej (2024) – przerwane z powodu choroby dziecka."
                )
            self.contract_ = contracts.contract_draft(case=self.case, by=self.worker, data=data)

        self.then(days, draft)
        if signed:
            sign = partial(contracts.contract_sign, by=self.worker)
            self.then((1, 7), lambda: sign(contract=self.contract_, signed_on=timezone.localdate()))
        return self

    def end_contract(self, end: str, reason: str, threatened=False, days=(7, 40)):
        """IV.5 / V.1: a contract always ends with a reason; a completed one after an evaluation with the client."""

        def run():
            today, contract = timezone.localdate(), self.contract_
            if end == Contract.End.COMPLETED:
                goals = {goal.pk: ("reached", "") for goal in contract.goals.all()}
                actions = {action.pk: "done" for action in contract.actions.all()}
                contracts.contract_evaluate(contract=contract, by=self.worker, evaluated_on=today, with_client=True,
                                            summary=reason, goal_statuses=goals, action_statuses=actions)  # fmt: skip
            contracts.contract_end(contract=contract, by=self.worker, end=end, ended_on=today, reason=reason,
                                   welfare_threatened=threatened)  # fmt: skip

        return self.then(days, run)

    def moving_away(self, days=(30, 90)):
        """V.2: fewer contacts before closing, to fix the change."""
        plan = "Kontakty raz w miesiącu przez dwa miesiące, potem zakończenie."
        move_away = partial(services.case_start_moving_away, by=self.worker, plan=plan)
        return self.then(days, lambda: move_away(case=self.case, since=timezone.localdate()))

    def close(self, reason, justification, days=(7, 40)):
        return self._case_step(days, services.case_close, by=self.worker, reason=reason, justification=justification)

    def reopen(self, reason, to=R, days=(20, 60)):
        return self._case_step(days, services.case_reopen, by=self.worker, reason=reason, to=to)

    def suspend(self, reason, days=(5, 20)):
        return self._case_step(days, services.case_suspend, by=self.worker, reason=reason)

    def resume(self, reason, days=(14, 45)):
        return self._case_step(days, services.case_resume, by=self.worker, reason=reason)

    def flag(self, kind, started_by, note="", days=(0, 3)):
        back = datetime.timedelta(days=self.rng.randint(0, 4))  # police or school started it a few days earlier

        def run():
            started_on = timezone.localdate() - back
            kwargs = {"kind": kind, "started_on": started_on, "started_by": started_by, "note": note}
            self.flags.append(services.flag_add(case=self.case, by=self.worker, **kwargs))

        return self.then(days, run)

    def unflag(self, reason, days=(60, 120)):
        return self.then(days, lambda: services.flag_remove(flag=self.flags[-1], by=self.worker, reason=reason))


# --- scenarios: one function per path through the procedure (cases/procedure.py) ---------------------------


def queued(s: Story, form=None, urgent=False, assigned=False, anonymous=False):
    """Registered at the desk, by the benefits worker or a worker of another region: the coordinator's queue."""
    s.quiet = (1, 5)
    staff = [u for name, u in s.demo.users.items() if name.startswith(("pracownik", "koord", "recep", "swiad"))]
    taker = s.rng.choice([u for u in staff if not user_runs_social_work(u, s.region)])
    s.report(taker, form, urgent=urgent, anonymous=anonymous)
    if assigned:  # assigned, not yet accepted by the worker
        s.assign()


def in_progress(s: Story, stage: Stage | None = None, route="worker", form=None, signed=True):
    """The main road, up to ``stage``; long-running social work started up to half a year ago."""
    s.quiet = {None: (1, 5), R: (2, 25), D: (2, 30), PS: (10, 200) if signed else (2, 20)}[stage]
    s.intake(route, form)
    if stage:
        s.through(stage, signed=signed)


def anonymous(s: Story, verified=False):
    """Seed 000 I.1: an anonymous report is verified before the diagnosis."""
    s.quiet = (2, 30) if verified else (1, 10)
    s.report(s.worker, ReportForm.PHONE, anonymous=True).move(R, days=(1, 4))
    if verified:
        s.visit().verify("Wizyta domowa potwierdziła informacje ze zgłoszenia anonimowego.").move(D)


def child_abuse_suspected(s: Story):
    text = "Pedagog szkolny: u dziecka widoczne siniaki, dziecko boi się wracać do domu."
    s.report(s.worker, ReportForm.INSTITUTION, text, institution="Szkoła Podstawowa nr 5", urgent=True)
    s.move(R, days=0).flag(FlagKind.CHILD_ABUSE, "pracownik socjalny wraz z pedagogiem szkolnym")
    s.visit(days=0).move(D)


def violence(s: Story, until=R, ended=False):
    """Seed 000 II.8: suspected domestic violence starts the Niebieska Karta procedure."""
    text = "Interwencja domowa w nocy – awantura, podejrzenie przemocy wobec żony i dzieci."
    s.report(s.worker, ReportForm.INSTITUTION, text, institution="Policja – dzielnicowy")
    s.move(R, days=(0, 2)).flag(FlagKind.NIEBIESKA_KARTA, "Policja – KMP w Toruniu", "Formularz NK-A")
    if until == PS:
        s.quiet = (10, 150)
        s.onward(PS, areas=["violence", "care_upbringing"])
    if ended:
        s.unflag("Zespół interdyscyplinarny zakończył procedurę Niebieskiej Karty – ustanie przemocy.")


def refusing_help(s: Story, after=R, then="", monitoring="planned"):
    """Seed 003: an environment that refuses help is monitored; later it accepts help or the case closes.
    One still monitored has the director's plan (_demo_more.monitored): ``monitoring`` "planned", "overdue"
    (a monitoring date missed) or "decided" (the worker's report and the joint decision)."""
    s.quiet = {"": (10, 120), "closed": (5, 150), "accepted": (2, 20)}[then]
    s.intake().through(after)
    if after == PS:  # IV.5: the client gives notice of the contract while the children's welfare is threatened
        s.end_contract(Contract.End.NOTICE_CLIENT, "Klient wypowiedział kontrakt.", threatened=True)
    s.move(M, REFUSAL, days=(0, 3) if after == PS else (5, 20))
    if not then:
        more.monitored(s, monitoring)
    if then == "closed":
        s.close(CloseReason.REFUSAL, "Kolejne wizyty monitorujące – nadal odmowa, brak zagrożenia życia.")
    elif then == "accepted":
        s.move(R, "Po kolejnej wizycie monitorującej zgoda na pomoc.", days=(20, 60))


def suspended(s: Story, at: Stage, reason: str, resumed=""):
    s.quiet = (10, 100) if resumed else (5, 60)
    s.intake().through(at).suspend(reason)
    if resumed:
        s.resume(resumed)


def contract_completed(s: Story, reopened=False):
    s.quiet = (5, 150)
    s.intake("desk").through(PS).moving_away((60, 120))
    s.end_contract(Contract.End.COMPLETED, "Cele kontraktu osiągnięte.", days=(50, 70))
    s.close(CloseReason.CONTRACT_COMPLETED, "Cele kontraktu osiągnięte, efekty utrwalone.", days=0)
    if reopened:  # V.3: the effects did not hold
        s.reopen("Efekty nie utrzymały się – ponowne zadłużenie i zaniedbania.", to=PS)


def unfounded(s: Story, form=ReportForm.PHONE, anonymous=False):
    s.quiet = (20, 240)
    s.report(s.worker, form, anonymous=anonymous).move(R, days=(1, 4)).visit()
    if anonymous:
        s.verify("Wizyta domowa nie potwierdziła informacji ze zgłoszenia anonimowego.")
    s.move(D).diagnose(False, "Diagnoza nie wykazała problemu wymagającego pracy socjalnej.")


def closed(s: Story, at: Stage, reason: CloseReason, justification: str):
    s.quiet = (20, 240)
    s.intake().through(at)
    if at == PS:
        s.end_contract(Contract.End.MUTUAL, justification)
    s.close(reason, justification, days=0 if at == PS else (7, 40))


def closed_while_suspended(s: Story):
    s.quiet = (5, 150)
    s.intake().through(D).suspend("Pobyt w szpitalu – oddział neurologiczny.")
    s.close(CloseReason.OTHER, "Po pobycie w szpitalu umieszczenie w Domu Pomocy Społecznej.")


def came_back(s: Story):
    s.intake().through(R).close(CloseReason.MOVED_OUT, "Wyprowadzka do Bydgoszczy.")
    s.reopen("Rodzina wróciła do Torunia, sytuacja się pogorszyła.")


C, P = CloseReason, ReportForm
# fmt: off
SCENARIOS = [  # (kind of household, scenario); the regions take turns
    # I. zgłoszenie: the coordinator's queue, assigned but not accepted, just taken
    ("family", queued), ("elderly", queued), ("homeless", queued), ("unemployed", queued),
    ("family", partial(queued, form=P.PHONE, urgent=True)), ("elderly", partial(queued, urgent=True)),
    ("family", partial(queued, form=P.LETTER, anonymous=True)), ("disabled", partial(queued, assigned=True)),
    ("addiction", partial(queued, assigned=True)), ("unemployed", partial(in_progress, form=P.ORAL)),
    # II. rozeznanie
    ("family", partial(in_progress, stage=R)), ("elderly", partial(in_progress, stage=R, route="desk")),
    ("disabled", partial(in_progress, stage=R, form=P.INSTITUTION)), ("addiction", partial(in_progress, stage=R)),
    ("homeless", partial(in_progress, stage=R, form=P.INSTITUTION)), ("unemployed", partial(in_progress, stage=R)),
    ("family", anonymous), ("family", violence), ("addiction", partial(refusing_help, then="accepted")),
    # III. diagnoza
    ("foster_family", partial(in_progress, stage=D, form=P.INSTITUTION)), ("unemployed", partial(in_progress, stage=D)),
    ("elderly", partial(in_progress, stage=D, route="desk")), ("disabled", partial(in_progress, stage=D)),
    ("family", partial(anonymous, verified=True)), ("family", child_abuse_suspected),
    # IV. praca socjalna
    ("family", partial(in_progress, stage=PS)), ("family", partial(in_progress, stage=PS, form=P.LETTER)),
    ("family", partial(in_progress, stage=PS, route="desk", signed=False)), ("elderly", partial(in_progress, stage=PS)),
    ("foster_family", partial(in_progress, stage=PS, form=P.INSTITUTION)),
    ("addiction", partial(in_progress, stage=PS)),
    ("unemployed", partial(in_progress, stage=PS, route="desk")), ("unemployed", partial(in_progress, stage=PS)),
    ("disabled", partial(in_progress, stage=PS, form=P.EMAIL)), ("family", partial(violence, until=PS)),
    ("mental_illness", partial(in_progress, stage=PS, form=P.INSTITUTION)),
    ("family", partial(violence, until=PS)), ("family", partial(violence, until=PS, ended=True)),
    ("addiction", partial(suspended, at=PS, reason="Terapia odwykowa w ośrodku stacjonarnym (8 tygodni).",
                          resumed="Terapia ukończona, powrót do domu; kontynuacja kontraktu.")),
    ("family", partial(contract_completed, reopened=True)),
    # monitoring of environments that refuse help (seed 003)
    ("addiction", partial(refusing_help, monitoring="overdue")), ("elderly", refusing_help),
    ("homeless", partial(refusing_help, after=D)), ("family", partial(refusing_help, after=PS, monitoring="decided")),
    # suspended
    ("addiction", partial(suspended, at=R, reason="Oddział detoksykacyjny, następnie terapia stacjonarna.")),
    ("elderly", partial(suspended, at=D, reason="Pobyt w szpitalu – oddział wewnętrzny.")),
    ("unemployed", partial(suspended, at=PS, reason="Praca sezonowa w Holandii; kontakt telefoniczny.")),
    # V. zakończenie, with every close reason, and a case reopened at rozeznanie
    ("family", contract_completed), ("unemployed", contract_completed), ("disabled", contract_completed),
    ("foster_family", contract_completed), ("family", partial(unfounded, form=P.PHONE, anonymous=True)),
    ("family", partial(unfounded, form=P.INSTITUTION)), ("elderly", unfounded),
    ("addiction", partial(refusing_help, then="closed")),
    ("homeless", partial(closed, at=R, reason=C.REFUSAL, justification=REFUSAL)),
    ("family", partial(closed, at=PS, reason=C.MOVED_OUT, justification="Rodzina wyprowadziła się do Gdańska.")),
    ("unemployed", partial(closed, at=R, reason=C.MOVED_OUT, justification="Wyjazd do pracy w Niemczech.")),
    ("elderly", partial(closed, at=D, reason=C.DEATH, justification="Zgon w szpitalu (informacja od rodziny).")),
    ("elderly", closed_while_suspended), ("family", came_back),
    # the family assistant (seed 002): _demo_more
    *more.ASSISTANT_SCENARIOS,
]
# fmt: on


class Demo:
    """The institution, its people, and the one random source every detail is drawn from, in a fixed order."""

    def __init__(self):
        self.rng = random.Random(2026)
        self.latest = timezone.now() - datetime.timedelta(hours=1)  # no step may lie in the future
        self.yesterday = timezone.localdate() - datetime.timedelta(days=1)  # the last day of _demo_more's records
        self.events, self.order, self.clock = [], itertools.count(), None
        self.last_names = LAST_NAMES.split()
        self.rng.shuffle(self.last_names)
        # The centre and its staff exist before the first report of the demo.
        with time_machine.travel(self.latest - datetime.timedelta(days=MAX_AGE_DAYS + 30), tick=False):
            self.institution = Institution.objects.create(
                name="Miejski Ośrodek Pomocy Rodzinie w Toruniu", short_name=SHORT_NAME, city="Toruń",
                address="ul. Konstytucji 3 Maja 42, 87-100 Toruń",
                name_genitive="Miejskiego Ośrodka Pomocy Rodzinie w Toruniu",
                name_locative="Miejskim Ośrodku Pomocy Rodzinie w Toruniu", city_locative="Toruniu",
                procedure_basis="przyjętej Zarządzeniem nr 30/2023 Dyrektora MOPR Toruń", phone="56 611 42 00",
                email="sekretariat@mopr.example.pl",
                # A demo for trying every role with a password; README ("Security") says how to
                # switch the second factor on. A real institution starts with the default roles.
                otp_required_roles=[],
            )  # fmt: skip
            # The centre's directory of addressees: the letters take their addressee from it.
            for kind, name, department, address in DIRECTORY:
                DirectoryEntry.objects.create(
                    institution=self.institution, kind=kind, name=name, department=department, address=address
                )
            self.regions = {
                code: Region.objects.create(institution=self.institution, code=code, name=f"{code} – {area}")
                for code, area, _streets in REGIONS
            }
            self.users, password = {}, make_password(PASSWORD)  # hashed once: the slow hash is most of the run
            for number, (username, first_name, last_name, title, roles) in enumerate(USERS):
                # The demo's staff: every woman's first name here ends in -a (the grammar of their letters).
                user = User(username=username, first_name=first_name, last_name=last_name, title=title,
                            institution=self.institution, password=password, phone=f"56 611 42 {10 + number}",
                            sex="K" if first_name.endswith("a") else "M")  # fmt: skip
                user.save()
                for role, code in roles:
                    RoleAssignment.objects.create(user=user, role=role, region=self.regions.get(code))
                self.users[username] = user
            self.street_table()

    def street_table(self) -> None:
        """The centre's streets from the sample TERYT ULIC file and the parts each region serves, set by the
        system administrator through the application's services, as a real centre sets them up."""
        by = self.users["administrator"]
        streets.street_import(by=by, gmina_code=GMINA, data=SAMPLE_ULIC.read_bytes())
        self.addresses = {code: [] for code in self.regions}  # (street as a client types it, parity, from, to)
        whole = [(name, ("all", None, None), code) for code, _area, names in REGIONS for name in names.split(", ")]
        for name, (parity, low, high), code in whole + SPLIT_STREETS:
            (street,) = streets_named(institution=self.institution, street=name)
            streets.street_range_add(by=by, region_id=self.regions[code].pk, street_id=street.pk, parity=parity,
                                     number_from=low, number_to=high)  # fmt: skip
            self.addresses[code].append((name, parity, low, high))

    def household(self, key: str, region: Region):
        """The client of one story: kind, address and members with believable names, ages and PESELs."""
        rng, surname = self.rng, self.last_names.pop()

        def person(female, age, relation=Relation.HEAD, last=surname, known=0.85, **extra):
            born = BIRTHS_FROM - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
            generation = "young" if age < 22 else "mid" if age < 58 else "old"
            return services.MemberData(
                first_name=rng.choice(FIRST_NAMES[generation, female].split()),
                last_name=feminine(last) if female else last,
                pesel=make_pesel(born, female, rng) if rng.random() < known else "",
                birth_date=born, relation=relation, sex="K" if female else "M", **extra,
            )  # fmt: skip

        if key in ("family", "foster_family"):
            age = rng.randint(24, 44)
            members = [person(True, age)]
            if rng.random() < 0.7:
                married = rng.random() < 0.6
                relation, last = (Relation.SPOUSE, surname) if married else (Relation.PARTNER, self.last_names.pop())
                members.append(person(False, age + rng.randint(-2, 6), relation, last))
                if married and rng.random() < 0.4:  # sometimes the father is the head of the family
                    members[0].relation, members[1].relation = Relation.SPOUSE, Relation.HEAD
                    members.reverse()
            elif rng.random() < 0.4:  # seed 000 II.5: a parent living apart
                members.append(person(False, age + rng.randint(0, 8), Relation.SPOUSE, lives_apart=True))
            for i in range(rng.randint(1, 4)):
                child_age, foster = rng.randint(0, min(17, age - 19)), key == "foster_family" and i == 0
                members.append(person(rng.random() < 0.5, child_age, Relation.CHILD, in_foster_care=foster))
        elif key == "elderly":
            female, age = rng.random() < 0.6, rng.randint(68, 92)
            members = [person(female, age)]
            if rng.random() < 0.3:
                members.append(person(not female, age + rng.randint(-3, 4), Relation.SPOUSE))
        elif key == "disabled":
            age = rng.randint(19, 60)
            members = [person(rng.random() < 0.4, age)]
            if rng.random() < 0.5:
                members.append(person(rng.random() < 0.7, age + rng.randint(22, 32), Relation.PARENT))
        elif key == "homeless":
            members = [person(rng.random() < 0.15, rng.randint(38, 70), known=0.6)]
        else:  # unemployed, addiction
            female = rng.random() < (0.45 if key == "unemployed" else 0.2)
            members = [person(female, rng.randint(22, 58) if key == "unemployed" else rng.randint(30, 62))]
            if key == "addiction" and rng.random() < 0.35:
                members.append(person(not female, rng.randint(30, 60), Relation.SPOUSE))
        if not members[0].pesel or rng.random() < 0.5:  # a contract names a client without PESEL by the ID card
            members[0].id_document = make_id_card(rng)

        address = services.AddressData(city="Toruń")  # homeless: no address
        if key != "homeless":
            (address.street, parity, low, high), address.postal_code = rng.choice(self.addresses[region.code]), "87-100"
            number = _fit(rng.randint(1, 140), parity, low, high)  # a split street: a number of the region's part
            address.house_number = str(number) + ("A" if rng.random() < 0.1 else "")
            address.flat_number = str(rng.randint(1, 48)) if rng.random() < 0.75 else ""
            if rng.random() < 0.65:
                address.phone = f"+48 {rng.randint(500, 899)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
        return (Client.Kind.FAMILY if len(members) > 1 else Client.Kind.PERSON), address, members

    def timeline(self, story: Story) -> list[datetime.datetime]:
        """The moment of each step: working days and hours, ending `quiet` days before today."""
        rng, gaps = self.rng, [gap for gap, _run in story.steps]
        quiet = min(rng.randint(*story.quiet), max(1, MAX_AGE_DAYS - sum(gaps)))
        day = timezone.localdate(self.latest) - datetime.timedelta(days=sum(gaps) + quiet)
        at, times = None, []
        for gap in gaps:
            if at is not None and gap == 0:
                at += datetime.timedelta(minutes=rng.randint(20, 120))  # later the same day
            else:
                day = (at.date() if at else day) + datetime.timedelta(days=gap)
                while day.weekday() >= 5:  # the centre works Monday to Friday
                    day += datetime.timedelta(days=1)
                start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 45)))
                at = start + datetime.timedelta(minutes=rng.randint(0, 420))
            times.append(at)
        late = times[-1] - self.latest
        if late > datetime.timedelta(0):  # weekends pushed it past today: move the whole story back by weeks
            times = [t - datetime.timedelta(weeks=late.days // 7 + 1) for t in times]
        return times

    def at(self, moment: datetime.datetime, run) -> None:
        """Run ``run`` at ``moment``: after every step planned for an earlier moment, and never in the future.
        A step may plan more while it runs (an assignment plans the assistant's visits), never in its past."""
        assert moment <= self.latest and (self.clock is None or moment >= self.clock), moment
        heapq.heappush(self.events, (moment, next(self.order), run))

    def run(self) -> None:
        """Plan every story and the calendar's records, then run all the steps in time order, so case numbers
        follow the report dates and every history is written in the order the application would have written it."""
        regions = itertools.cycle(self.regions.values())
        for key, scenario in SCENARIOS:
            story = Story(self, next(regions), key)
            scenario(story)
            for at, (_gap, run) in zip(self.timeline(story), story.steps, strict=True):
                self.at(at, run)
        more.plan_calendar(self)
        while self.events:
            self.clock, _order, run = heapq.heappop(self.events)
            with time_machine.travel(self.clock, tick=False):
                run()


def inboxes_of_this_week(institution: Institution) -> None:
    """The months replayed wrote their notices as they went: what was done long ago is read; this
    week's – the cover, the move, the assistant's urgent note – and the deadlines due tomorrow or
    passed wait in the inboxes."""
    notices = Notice.objects.filter(recipient__institution=institution)
    fresh = [Notice.Kind.COVER, Notice.Kind.MOVE, Notice.Kind.URGENT]
    newest = notices.filter(kind__in=fresh).values("recipient", "kind").annotate(last=Max("pk")).values("last")
    notices.exclude(pk__in=newest).update(read_at=timezone.now())
    deadline_notices()


class Command(BaseCommand):
    help = "Wczytuje dane demonstracyjne: MOPR Toruń, trzy rejony, konta dla każdej roli i około 60 spraw."

    def handle(self, *args, **options):
        institution = Institution.objects.filter(short_name=SHORT_NAME).first()
        if institution is not None:
            self.stdout.write(self.style.SUCCESS(f"Dane demonstracyjne {SHORT_NAME} są już w bazie – bez zmian."))
            self.print_logins(institution)
            return
        taken = sorted(User.objects.filter(username__in=[row[0] for row in USERS]).values_list("username", flat=True))
        if taken:
            raise CommandError(f"Loginy demonstracyjne są już zajęte: {', '.join(taken)}. Nic nie zapisano.")
        try:
            with transaction.atomic():  # all or nothing
                demo = Demo()
                demo.run()
                # After the notices the months wrote as they went (written on commit, in order).
                transaction.on_commit(partial(inboxes_of_this_week, demo.institution))
        except DomainError as error:
            raise CommandError(f"Procedura odmówiła kroku: {error.message} Nic nie zapisano.") from error

        stages = Counter(Case.objects.filter(institution=demo.institution).values_list("stage", flat=True))
        summary = ", ".join(f"{Stage(stage).label} {stages[stage]}" for stage in Stage)
        self.stdout.write(self.style.SUCCESS(f"Utworzono {SHORT_NAME}: {stages.total()} spraw ({summary})."))
        records = {
            "wnioski o asystenta": Request.objects.filter(case__institution=demo.institution),
            "przydziały asystentów": Assignment.objects.filter(case__institution=demo.institution),
            "spotkania zespołów": TeamMeeting.objects.filter(region__institution=demo.institution),
            "kontrole": Inspection.objects.filter(region__institution=demo.institution),
            "monitoringi środowisk": RefusalMonitoring.objects.filter(case__institution=demo.institution),
            "wpisy czasu pracy": TimeEntry.objects.filter(worker__institution=demo.institution),
        }
        self.stdout.write(self.style.SUCCESS(", ".join(f"{name}: {qs.count()}" for name, qs in records.items()) + "."))
        self.print_logins(demo.institution)

    def print_logins(self, institution: Institution) -> None:
        order = {row[0]: i for i, row in enumerate(USERS)}
        users = User.objects.filter(institution=institution, username__in=order).prefetch_related(
            "role_assignments__region"
        )
        rows = [("login", "imię i nazwisko", "rola", "rejon", "hasło")]
        for user in sorted(users, key=lambda u: order[u.username]):
            assignments = user.role_assignments.all()
            roles = ", ".join(sorted({str(a.get_role_display()) for a in assignments}))
            regions = ", ".join(sorted(a.region.code for a in assignments if a.region)) or "cały ośrodek"
            rows.append((user.username, user.get_full_name(), roles, regions, PASSWORD))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write(self.style.SUCCESS(f"Konta demonstracyjne (hasło dla wszystkich: {PASSWORD}):"))
        for row in rows:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  " + "  ".join(cells).rstrip())

"""The world of the API and web tests: two CFAs, a user for every role in each, and in each a case in its trial
with a held review, a planned one and a message in the apprentice's inbox.

CFA one is IMT Mines Alès (programme mecatronique, the brochure's calendar), CFA two is another CFA (programme
autre, tests.support.calendars.OTHER_CFA: its first school fortnight starts 26 October 2026). Both
programmes start on 1 September 2026. The clock ends at
Tuesday 20 October 2026, 16:00 in Paris: both cases are in their trial, their first review was held that
afternoon, the next one is planned for April 2027. Every user has the web password `PASSWORD`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.bootstrap import App
from contract_flow.domain.case import Track
from contract_flow.services.cases import OpenCase, advance, open_case, set_facts
from contract_flow.services.directory import add_programme, add_user, issue_token
from contract_flow.services.inbox import inbox
from contract_flow.services.reminders import run_once
from contract_flow.services.reviews import log_review, plan_review
from tests.support.calendars import calendar_for
from tests.support.cases import PATH, start_on_its_day
from tests.support.dossier import fill_dossier

#: Every user's web password.
PASSWORD = "mot-de-passe-de-test"

PARIS = ZoneInfo("Europe/Paris")
ROLES = ("advisor", "programme_lead", "tutor", "mentor", "apprentice")
STAFF = ("advisor", "programme_lead")
#: An id no row ever has.
MISSING = 987_654


def paris(year: int, month: int, day: int, hour: int = 14, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@dataclass(frozen=True)
class User:
    email: str
    role: str
    token: str


@dataclass(frozen=True)
class Cfa:
    """One CFA of the world: its programme, one user per role, the apprentice's case and what hangs on it."""

    code: str
    programme: str
    users: dict[str, User]
    case_id: int
    #: A case of the same CFA that is no tutor's, mentor's or apprentice's of this world (staff see it).
    neighbour_id: int
    held_review_id: int
    planned_review_id: int
    #: Each user's newest inbox message, if they have one (the apprentice's: a review invitation).
    messages: dict[str, int | None]

    def user(self, role: str) -> User:
        return self.users[role]

    @property
    def message_id(self) -> int:
        """The newest message of the apprentice's inbox."""
        return int(self.messages["apprentice"] or 0)


@dataclass
class World:
    one: Cfa
    two: Cfa

    def cfa(self, which: int | str) -> Cfa:
        return self.one if which in (1, "one", self.one.code) else self.two

    def token(self, role: str, cfa: int | str = 1) -> str:
        return self.cfa(cfa).user(role).token

    def as_(self, role: str, cfa: int | str = 1) -> dict[str, str]:
        """The headers of `role` of CFA `cfa` (1 or 2)."""
        return {"Authorization": f"Bearer {self.token(role, cfa)}"}


@dataclass(frozen=True)
class _Spec:
    code: str
    programme: str
    programme_name: str
    domain: str
    apprentice: tuple[str, str, str]
    neighbour: tuple[str, str, str]
    mentor: tuple[str, str]


SPECS = (
    _Spec("imt-mines-ales", "mecatronique", "Ingénieur Mécatronique", "cfa.example",
          ("Léa", "Martin", "lea.martin@example.org"), ("Nina", "Voisin", "nina.voisin@example.org"),
          ("Marie Maître", "marie.maitre@industrie.example")),
    _Spec("other-cfa", "autre", "Autre formation", "autre-cfa.example",
          ("Hugo", "Durand", "hugo.durand@example.org"), ("Inès", "Leroy", "ines.leroy@example.org"),
          ("Jean Atelier", "jean.atelier@atelier.example")),
)


def _staff_emails(spec: _Spec) -> dict[str, str]:
    """Every role but the apprentice (linked to their case once it exists): email by role."""
    return {"advisor": f"conseil@{spec.domain}", "programme_lead": f"responsable@{spec.domain}",
            "tutor": f"tuteur@{spec.domain}", "mentor": spec.mentor[1]}


def _in_trial(app: App, spec: _Spec, emails: dict[str, str]) -> int:
    first, last, email = spec.apprentice
    case_id = open_case(app, OpenCase(spec.programme, first, last, date(2004, 5, 12), email, Track.EXCELLENCE))
    advisor, lead = emails["advisor"], emails["programme_lead"]
    mentor = {"contract.mentor_name": spec.mentor[0], "contract.mentor_email": spec.mentor[1]}
    for trigger, path_facts in PATH:
        facts = {**path_facts, **mentor} if trigger == "sign" else path_facts
        if facts:
            set_facts(app, case_id, facts, actor_email=advisor)
        if trigger == "sign":  # sign is refused until the contract dossier is complete and lawful (issue 14)
            fill_dossier(app, case_id, advisor=advisor)
        advance(app, case_id, trigger, actor_email=lead if trigger == "validate" else advisor)
    start_on_its_day(app, case_id)  # signed in March for 1 September: the engine starts it on that day
    set_facts(app, case_id, {"advisor": advisor, "tutor": emails["tutor"]}, actor_email=advisor)
    return case_id


@dataclass
class _Staged:
    spec: _Spec
    users: dict[str, User]
    case_id: int
    neighbour_id: int
    held_review_id: int


def build_world(app: App, clock: FixedClock) -> World:
    """Both CFAs on `app`; moves `clock` to Tuesday 20 October 2026, 16:00 (Paris)."""
    app.mailer = SmtpMailer("127.0.0.1", 9, timeout=1)  # nothing listens: emails fail, the app channel delivers
    staged: list[_Staged] = []
    for spec in SPECS:
        add_programme(app, spec.programme, name=spec.programme_name, start_date=date(2026, 9, 1), years=3,
                      seats=40, cfa_code=spec.code, calendar=calendar_for(spec.programme))
        emails = _staff_emails(spec)
        tokens = {role: add_user(app, email, name=email.split("@")[0].title(), role=role, cfa_code=spec.code,
                                 password=PASSWORD).token
                  for role, email in emails.items()}
        case_id = _in_trial(app, spec, emails)
        first, last, email = spec.apprentice
        tokens["apprentice"] = add_user(app, email, name=f"{first} {last}", role="apprentice", cfa_code=spec.code,
                                        case_id=case_id, password=PASSWORD).token
        emails["apprentice"] = email
        neighbour = open_case(app, OpenCase(spec.programme, *spec.neighbour[:2], date(2005, 1, 20), spec.neighbour[2]))
        review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12",
                             actor_email=emails["tutor"])
        users = {role: User(emails[role], role, str(tokens[role])) for role in ROLES}
        staged.append(_Staged(spec, users, case_id, neighbour, int(review.id or 0)))
    # 6 October, 10:00: the invitations 14 days before the reviews are due; the in-app ones land in the inboxes.
    run_once(app, paris(2026, 10, 6, 10))
    clock.set(paris(2026, 10, 20, 16))
    cfas = []
    for one in staged:
        # API tokens expire (api_token_days, 90 by default): those issued in March would be refused in October.
        one.users = {role: User(user.email, role, issue_token(app, user.email)) for role, user in one.users.items()}
        log_review(app, one.held_review_id, attended=["apprentice", "mentor", "tutor"],
                   skills={"Prototypage": "acquired"}, tutor_observations="Bon début.",
                   actor_email=one.users["tutor"].email)
        planned = plan_review(app, one.case_id, planned_at=paris(2027, 4, 20), place="Salle B12",
                              actor_email=one.users["tutor"].email)
        messages = {role: next((item.id for item in inbox(app, user.email)), None)
                    for role, user in one.users.items()}
        assert messages["apprentice"] is not None
        cfas.append(Cfa(one.spec.code, one.spec.programme, one.users, one.case_id, one.neighbour_id,
                        one.held_review_id, int(planned.id or 0), messages))
    return World(*cfas)

"""The HTTP API's world: two CFAs, a user for every role in each, and in each a case in its trial with a held
review, a planned one and a message in the apprentice's inbox; a TestClient on the app (SQLite and PostgreSQL).

CFA one is IMT Mines Alès (programme mecatronique, the brochure's), CFA two is another CFA (programme autre, no
calendar file: every weekday is a company day). Both programmes start on 1 September 2026. The clock ends at
Tuesday 20 October 2026, 16:00 in Paris: both cases are in their trial, their first review was held that
afternoon, the next one is planned for April 2027.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.api.app import create_app
from contract_flow.bootstrap import App
from contract_flow.domain.case import Track
from contract_flow.services.cases import OpenCase, advance, open_case, set_facts
from contract_flow.services.directory import add_programme, add_user
from contract_flow.services.inbox import inbox
from contract_flow.services.reminders import run_once
from contract_flow.services.reviews import log_review, plan_review
from tests.support.cases import PATH

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
    #: A message in the apprentice's inbox (a review invitation delivered on the app channel).
    message_id: int

    def user(self, role: str) -> User:
        return self.users[role]


@dataclass
class World:
    one: Cfa
    two: Cfa
    extra: dict[str, Any] = field(default_factory=dict)

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


def _users(app: App, spec: _Spec) -> dict[str, str]:
    """Every role but the apprentice (linked to their case once it exists): email by role."""
    emails = {"advisor": f"conseil@{spec.domain}", "programme_lead": f"responsable@{spec.domain}",
              "tutor": f"tuteur@{spec.domain}", "mentor": spec.mentor[1]}
    return emails


def _in_trial(app: App, spec: _Spec, emails: dict[str, str]) -> int:
    first, last, email = spec.apprentice
    case_id = open_case(app, OpenCase(spec.programme, first, last, date(2004, 5, 12), email, Track.EXCELLENCE))
    advisor, lead = emails["advisor"], emails["programme_lead"]
    for trigger, facts in PATH:
        if trigger == "sign":
            facts = {**facts, "contract.mentor_name": spec.mentor[0], "contract.mentor_email": spec.mentor[1]}
        if facts:
            set_facts(app, case_id, facts, actor_email=advisor)
        advance(app, case_id, trigger, actor_email=lead if trigger == "validate" else advisor)
    set_facts(app, case_id, {"advisor": advisor, "tutor": emails["tutor"]}, actor_email=advisor)
    return case_id


def build_world(app: App, clock: FixedClock) -> World:
    """Both CFAs on `app`; moves `clock` to Tuesday 20 October 2026, 16:00 (Paris)."""
    app.mailer = SmtpMailer("127.0.0.1", 9, timeout=1)  # nothing listens: emails fail, the app channel delivers
    staged: list[tuple[_Spec, dict[str, str], int, int, int]] = []
    for spec in SPECS:
        add_programme(app, spec.programme, name=spec.programme_name, start_date=date(2026, 9, 1), years=3,
                      seats=40, cfa_code=spec.code)
        emails = _users(app, spec)
        tokens = {role: add_user(app, email, name=email.split("@")[0].title(), role=role, cfa_code=spec.code).token
                  for role, email in emails.items()}
        case_id = _in_trial(app, spec, emails)
        first, last, email = spec.apprentice
        tokens["apprentice"] = add_user(app, email, name=f"{first} {last}", role="apprentice", cfa_code=spec.code,
                                        case_id=case_id).token
        emails["apprentice"] = email
        neighbour = open_case(app, OpenCase(spec.programme, *spec.neighbour[:2], date(2005, 1, 20), spec.neighbour[2]))
        review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Salle B12",
                             actor_email=emails["tutor"])
        users = {role: User(emails[role], role, str(tokens[role])) for role in ROLES}
        staged.append((spec, users, case_id, neighbour, int(review.id or 0)))  # type: ignore[arg-type]
    # 6 October, 10:00: the invitations 14 days before the reviews are due; the in-app ones land in the inboxes.
    run_once(app, paris(2026, 10, 6, 10))
    clock.set(paris(2026, 10, 20, 16))
    cfas = []
    for spec, users, case_id, neighbour, held in staged:  # type: ignore[misc]
        log_review(app, held, attended=["apprentice", "mentor", "tutor"], skills={"soudage": "acquired"},
                   tutor_observations="Bon début.", actor_email=users["tutor"].email)
        planned = plan_review(app, case_id, planned_at=paris(2027, 4, 20), place="Salle B12",
                              actor_email=users["tutor"].email)
        [message, *_] = inbox(app, users["apprentice"].email)
        cfas.append(Cfa(spec.code, spec.programme, users, case_id, neighbour, held, int(planned.id or 0),
                        message.id))
    return World(*cfas)


@pytest.fixture
def world(app: App, clock: FixedClock) -> World:
    return build_world(app, clock)


@pytest.fixture
def client(app: App, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(app), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def as_(world: World) -> Any:
    """`as_("mentor", 2)`: the Authorization header of CFA 2's mentor."""
    return world.as_

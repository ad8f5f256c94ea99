"""Demo data for `make run` (`contract-flow demo`): the brochure's programme, one user per role, a dozen cases over
the steps, made through the use cases as the people concerned would (an entrypoint script, like the CLI itself).

Every case is moved through the real use cases, so its history and guards are those of any other case. Its dates
are counted back from today (demo_timeline.py): the demo's clock is set to each move's day while it is made, so a
case opened six weeks ago and moved to «Postuler» four weeks ago says so, and its reminders are planned from
then; the clock is put back at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import programme_table
from contract_flow.cli.demo_dossier import fill_demo_dossier
from contract_flow.cli.demo_timeline import Timeline, moment, offered_pay, timeline
from contract_flow.domain.case import SYSTEM_ACTOR, Track
from contract_flow.domain.context import PARIS, paris_date
from contract_flow.domain.events import OpenCase, StartContract
from contract_flow.rulefiles import load_programme_calendar
from contract_flow.services.cases import advance, open_case, set_facts
from contract_flow.services.directory import add_programme, add_user

if TYPE_CHECKING:
    from contract_flow.bootstrap import App

PROGRAMME = "mecatronique"
ADVISOR = "conseil@cfa-demo.fr"
LEAD = "responsable@cfa-demo.fr"
TUTOR = "tuteur@cfa-demo.fr"
USERS = (
    (ADVISOR, "Claire Conseil", "advisor"),
    (LEAD, "Paul Responsable", "programme_lead"),
    (TUTOR, "Thomas Tuteur", "tutor"),
    ("maitre@industrie-demo.fr", "Marie Maître", "mentor"),
    ("lea.martin@example.org", "Léa Martin", "apprentice"),
)
#: Every demo user's web password: demo data on a development machine, never a real CFA's.
DEMO_PASSWORD = "apprentissage-demo"
# A valid SIRET (Luhn) for the demo employer.
EMPLOYER_SIRET = "73282932000074"

MENTOR = ("Marie Maître", "maitre@industrie-demo.fr")
#: The mentor of the contract waiting for its signature: Marie Maître already follows the two apprentices in trial,
#: the most R6223-6 allows (the dossier's check would refuse the signature).
SECOND_MENTOR = ("Julien Atelier", "atelier@industrie-demo.fr")
EMPLOYER_EMAIL = "rh@industrie-demo.fr"

#: When something happened: so many days after the cohort's start ("start"), the apprentices' contract start
#: ("contract") or today ("today"), on the working day before when that day is not one.
When = tuple[str, int]


@dataclass(frozen=True)
class Candidate:
    first: str
    last: str
    #: Their age today, and how many days ahead their next birthday is (60 to 300: demo_timeline.py).
    age: int
    next_birthday_in_days: int
    #: How far along the six steps the case goes ("withdrawn": withdrawn after its opening).
    target: str
    #: The case's opening, then each move up to `target`, in order and at least 4 days apart (a working day found
    #: before a long weekend keeps them in order).
    moves: tuple[When, ...]


#: The cohort started 6 to 7 weeks ago (S), the apprentices' contracts 2 to 3 weeks ago (C), today is T. The
#: cases still searching last moved at most 10 days ago (13 when that day fell in a long weekend), before the 14
#: days after which a search is said to stall (stale_search in reminders.toml), but Louis's: stuck at «Postuler»
#: for a month, he and his advisor are told so at the first sweep, a reminder true when read.
CANDIDATES = (
    Candidate("Léa", "Martin", 22, 75, "trial", (("start", -75), ("start", -60), ("start", -45), ("start", -30),
                                                 ("start", -25), ("start", -20), ("contract", -10))),
    Candidate("Hugo", "Bernard", 23, 160, "trial", (("start", -60), ("start", -40), ("start", -20), ("start", 3),
                                                    ("start", 7), ("start", 11), ("contract", -6))),
    Candidate("Chloé", "Dubois", 20, 240, "sign", (("start", -50), ("start", -35), ("start", -15), ("start", 5),
                                                   ("today", -20), ("today", -9))),
    Candidate("Lucas", "Thomas", 22, 95, "decide", (("start", -40), ("start", -20), ("start", 3), ("today", -25),
                                                    ("today", -6))),
    Candidate("Manon", "Robert", 24, 280, "position", (("start", -30), ("start", -10), ("today", -30),
                                                       ("today", -4))),
    Candidate("Nathan", "Richard", 20, 185, "convince", (("start", -20), ("today", -35), ("today", -10))),
    Candidate("Inès", "Petit", 21, 130, "convince", (("start", -10), ("today", -28), ("today", -5))),
    Candidate("Louis", "Durand", 23, 205, "apply", (("start", 2), ("today", -30))),
    Candidate("Camille", "Leroy", 20, 65, "apply", (("today", -12), ("today", -3))),
    Candidate("Jules", "Moreau", 21, 110, "reflect", (("today", -10),)),
    Candidate("Sarah", "Simon", 19, 300, "reflect", (("today", -2),)),
    Candidate("Enzo", "Laurent", 22, 150, "withdrawn", (("start", -30), ("today", -15))),
)
ORDER = ("reflect", "apply", "convince", "position", "decide", "sign", "trial")
#: Where the demo's contracts are signed (CERFA FA13: «Fait à»): the employer's town.
SIGNATURE_PLACE = "Alès"


def load_demo(app: App) -> int:
    """Creates the demo once, dated from the app's today; returns the number of cases created (0 when it was
    already there)."""
    with app.uow(write=False) as uow:
        if uow.execute(sa.select(programme_table.c.id).where(programme_table.c.code == PROGRAMME)).first():
            return 0
    real_clock = app.clock
    dates = timeline(paris_date(real_clock.now()), app.rules.ruleset)
    first = min(dates.day(*candidate.moves[0]) for candidate in CANDIDATES)
    history = FixedClock(moment(first))
    app.clock = history  # the use cases read the time from the app: the demo's moves happen on their own days
    try:
        # The brochure's rhythm (configs/programmes/mecatronique.toml), moved to the demo's cohort: the trial
        # ends count its company days.
        add_programme(app, PROGRAMME, name="Ingénieur de spécialité Mécatronique par apprentissage",
                      start_date=dates.start, years=3, seats=40,
                      calendar=dates.calendar(load_programme_calendar(PROGRAMME)),
                      level=7)  # an engineering degree: level 7 (RNCP)
        for email, name, role in USERS:
            # The installation's default CFA (setting default_cfa), as for a user or programme added later
            # without naming one; the apprentice's too (her user is linked to no case: her CFA's with her email).
            add_user(app, email, name=name, role=role, cfa_code=app.settings.default_cfa, password=DEMO_PASSWORD)
        for index, candidate in enumerate(CANDIDATES):
            _make_case(app, history, dates, index, candidate)
    finally:
        app.clock = real_clock
    return len(CANDIDATES)


def _make_case(app: App, clock: FixedClock, dates: Timeline, index: int, candidate: Candidate) -> None:
    """Opens the candidate's case and walks it to its target, each step on its own day."""
    born = dates.birth_date(candidate.age, candidate.next_birthday_in_days)
    email = f"{candidate.first.lower()}.{candidate.last.lower()}@example.org"
    email = email.replace("é", "e").replace("è", "e").replace("ï", "i")
    days = [dates.day(*when) for when in candidate.moves]
    clock.set(moment(days[0], index))
    case_id = open_case(app, OpenCase(PROGRAMME, candidate.first, candidate.last, born, email,
                                      Track.EXCELLENCE if index % 3 == 0 else Track.STANDARD, ADVISOR))
    if candidate.target == "withdrawn":
        clock.set(moment(days[1], index))
        advance(app, case_id, "withdraw", actor_email=ADVISOR, reason="a place in an engineering school instead")
        return
    trial = candidate.target == "trial"
    start = dates.contract_start if trial else dates.offer_start
    pay = offered_pay(app.rules.ruleset, born, start, dates.contract_end, cycle_years=3)
    mentor = MENTOR if trial else SECOND_MENTOR
    moves = [
        ("start_applying", {"project.target_job": "technicien(ne) mécatronique", "project.mobility_area": "Occitanie"}),
        ("shortlist", {"application.company": "Industrie Démo SA", "application.siret": EMPLOYER_SIRET}),
        ("receive_offer", {"offer.company": "Industrie Démo SA", "offer.siret": EMPLOYER_SIRET}),
        ("choose", {"offer.gross_monthly_pay": str(pay), "offer.start_date": start.isoformat(),
                    "offer.weekly_hours": "35"}),
        ("validate", {}),
        ("sign", {"contract.signature_date": days[-1].isoformat() if trial else "",
                  "contract.signature_place": SIGNATURE_PLACE, "contract.end_date": dates.contract_end.isoformat(),
                  "contract.mentor_name": mentor[0], "contract.mentor_email": mentor[1],
                  "contract.employer_email": EMPLOYER_EMAIL}),
    ]
    for (trigger, facts), day in zip(moves[:ORDER.index(candidate.target)], days[1:], strict=True):
        clock.set(moment(day, index))
        if facts:
            set_facts(app, case_id, facts, actor_email=ADVISOR)
        if trigger == "sign":
            _fill_dossier(app, dates, index, candidate, case_id)
        advance(app, case_id, trigger, actor_email=LEAD if trigger == "validate" else ADVISOR)
    if candidate.target == "sign":
        # The contract is drawn up, waiting for its signature: `case set ID contract.signature_date=...`, then
        # `case advance ID sign` (README) signs it.
        clock.set(moment(days[-1], index + 1))
        set_facts(app, case_id, {key: value for key, value in moves[-1][1].items() if value}, actor_email=ADVISOR)
        _fill_dossier(app, dates, index, candidate, case_id)
    if trial:
        # The academic tutor follows the apprentices under contract (their page lists them).
        clock.set(moment(days[-1], index + 1))
        set_facts(app, case_id, {"tutor": TUTOR}, actor_email=ADVISOR)
        _start_on_its_day(app, clock, dates, case_id)
        _file_with_opco(app, clock, dates, index, case_id)


def _fill_dossier(app: App, dates: Timeline, index: int, candidate: Candidate, case_id: int) -> None:
    """Issue 14: a contract is signed once its dossier (CERFA FA13) is complete and lawful."""
    fill_demo_dossier(app, case_id, first_name=candidate.first, order=index + 1, contract_end=dates.contract_end,
                      advisor=ADVISOR, users=frozenset(email for email, _, _ in USERS))


def _start_on_its_day(app: App, clock: FixedClock, dates: Timeline, case_id: int) -> None:
    """The contracts were signed days before their start: each waited in `signed` until the engine moved it into
    its trial as its first day began (the ledger's `contract_start` row, at 00:05), as `make run`'s worker would."""
    start = datetime.combine(dates.contract_start, time(0, 5), tzinfo=PARIS)
    clock.set(start)
    advance(app, case_id, "start_contract", actor_email=SYSTEM_ACTOR, reason=StartContract.reason)


def _file_with_opco(app: App, clock: FixedClock, dates: Timeline, index: int, case_id: int) -> None:
    """D6224-1: the employer files the contract within 5 working days of its start; the advisor records the day
    (which starts the OPCO's 20 days, D6224-2). Not yet when that day is still ahead."""
    filed = dates.filed_with_opco
    if filed >= dates.today:
        return
    clock.set(moment(filed, index))
    set_facts(app, case_id, {"contract.opco_filed_on": filed.isoformat()}, actor_email=ADVISOR)

"""Demo data for `make run` (`contract-flow demo`): the brochure's programme, one user per role, a dozen cases over
the steps, made through the use cases as the people concerned would (an entrypoint script, like the CLI itself).

Every case is moved through the real use cases, so its history and guards are those of any other case.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa

from contract_flow.adapters.tables import programme_table
from contract_flow.domain.case import Track
from contract_flow.domain.events import OpenCase
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

#: (first name, last name, birth date, how far along the six steps the case goes)
CANDIDATES = (
    ("Léa", "Martin", date(2004, 5, 12), "trial"),
    ("Hugo", "Bernard", date(2003, 11, 2), "trial"),
    ("Chloé", "Dubois", date(2005, 1, 23), "sign"),
    ("Lucas", "Thomas", date(2004, 8, 30), "decide"),
    ("Manon", "Robert", date(2002, 3, 14), "position"),
    ("Nathan", "Richard", date(2005, 6, 5), "convince"),
    ("Inès", "Petit", date(2004, 12, 19), "convince"),
    ("Louis", "Durand", date(2003, 7, 7), "apply"),
    ("Camille", "Leroy", date(2005, 2, 28), "apply"),
    ("Jules", "Moreau", date(2004, 10, 10), "reflect"),
    ("Sarah", "Simon", date(2005, 4, 1), "reflect"),
    ("Enzo", "Laurent", date(2003, 9, 15), "withdrawn"),
)
ORDER = ("reflect", "apply", "convince", "position", "decide", "sign", "trial")


def load_demo(app: App) -> int:
    """Creates the demo once; returns the number of cases created (0 when it was already there)."""
    with app.uow(write=False) as uow:
        if uow.execute(sa.select(programme_table.c.id).where(programme_table.c.code == PROGRAMME)).first():
            return 0
    # The brochure's rhythm (configs/programmes/mecatronique.toml): the trial ends count its company days.
    add_programme(app, PROGRAMME, name="Ingénieur de spécialité Mécatronique par apprentissage",
                  start_date=date(2026, 9, 1), years=3, seats=40, cfa_code="imt-mines-ales",
                  calendar=load_programme_calendar(PROGRAMME), level=7)  # an engineering degree: level 7 (RNCP)
    for email, name, role in USERS:
        add_user(app, email, name=name, role=role, cfa_code="imt-mines-ales", password=DEMO_PASSWORD)
    for index, (first, last, born, target) in enumerate(CANDIDATES):
        email = f"{first.lower()}.{last.lower()}@example.org".replace("é", "e").replace("è", "e").replace("ï", "i")
        case_id = open_case(app, OpenCase(PROGRAMME, first, last, born, email,
                                          Track.EXCELLENCE if index % 3 == 0 else Track.STANDARD, ADVISOR))
        _walk(app, case_id, target)
    return len(CANDIDATES)


def _walk(app: App, case_id: int, target: str) -> None:
    if target == "withdrawn":
        advance(app, case_id, "withdraw", actor_email=ADVISOR, reason="a place in an engineering school instead")
        return
    steps = ORDER.index(target)
    moves = [
        ("start_applying", {"project.target_job": "technicien(ne) mécatronique", "project.mobility_area": "Occitanie"}),
        ("shortlist", {"application.company": "Industrie Démo SA", "application.siret": EMPLOYER_SIRET}),
        ("receive_offer", {"offer.company": "Industrie Démo SA", "offer.siret": EMPLOYER_SIRET}),
        ("choose", {"offer.gross_monthly_pay": "1200.00", "offer.start_date": "2026-09-01",
                    "offer.weekly_hours": "35"}),
        ("validate", {}),
        ("sign", {"contract.signature_date": "2026-08-20", "contract.end_date": "2029-08-31",
                  "contract.mentor_name": "Marie Maître", "contract.mentor_email": "maitre@industrie-demo.fr",
                  "contract.employer_email": "rh@industrie-demo.fr"}),
    ]
    for trigger, facts in moves[:steps]:
        if facts:
            set_facts(app, case_id, facts, actor_email=ADVISOR)
        actor = LEAD if trigger == "validate" else ADVISOR
        advance(app, case_id, trigger, actor_email=actor)
    if target == "trial":
        # The academic tutor follows the apprentices under contract (their page lists them).
        set_facts(app, case_id, {"tutor": TUTOR}, actor_email=ADVISOR)

"""Moving a case along the chart with the facts each step needs, as an advisor would."""

from __future__ import annotations

from datetime import date, datetime, time

from contract_flow.bootstrap import App
from contract_flow.domain.case import Track
from contract_flow.domain.context import PARIS
from contract_flow.domain.events import StartContract
from contract_flow.services.cases import OpenCase, advance, open_case, set_facts, show
from tests.support.dossier import fill_dossier

VALID_SIRET = "73282932000074"

#: The moves from reflect to signed and the facts each needs, in the brochure's order.
PATH: tuple[tuple[str, dict[str, str]], ...] = (
    ("start_applying", {"project.target_job": "technicien mécatronique", "project.mobility_area": "Occitanie"}),
    ("shortlist", {"application.company": "Industrie SA", "application.siret": VALID_SIRET}),
    ("receive_offer", {"offer.company": "Industrie SA", "offer.siret": VALID_SIRET}),
    ("choose", {"offer.gross_monthly_pay": "1400.00", "offer.start_date": "2026-09-01", "offer.weekly_hours": "35"}),
    ("validate", {}),
    ("sign", {"contract.signature_date": "2026-08-20", "contract.signature_place": "Alès",
              "contract.end_date": "2029-08-31", "contract.mentor_name": "Marie Maître",
              "contract.mentor_email": "marie.maitre@industrie.example"}),
)
STATES = ("reflect", "apply", "convince", "position", "decide", "sign", "signed", "trial")


def open_candidate(app: App, *, first_name: str = "Léa", last_name: str = "Martin",
                   birth_date: date = date(2004, 5, 12), email: str = "lea.martin@example.org",
                   programme: str = "mecatronique") -> int:
    return open_case(app, OpenCase(programme, first_name, last_name, birth_date, email, Track.EXCELLENCE))


def walk(app: App, case_id: int, to_state: str, *, advisor: str, lead: str, signed_on: date | None = None) -> None:
    """Record each step's facts and fire its trigger until the case is in `to_state` (reflect..trial); the contract
    signed on `signed_on` (PATH's day by default). It is signed before its start (1 September 2026): to reach the
    trial, the engine starts it on that day."""
    for trigger, path_facts in PATH[: STATES.index(to_state)]:
        facts = path_facts
        if trigger == "sign" and signed_on is not None:
            facts = {**path_facts, "contract.signature_date": signed_on.isoformat()}
        if facts:
            set_facts(app, case_id, facts, actor_email=advisor)
        if trigger == "sign":  # sign is refused until the contract dossier is complete and lawful (issue 14)
            fill_dossier(app, case_id, advisor=advisor)
        advance(app, case_id, trigger, actor_email=lead if trigger == "validate" else advisor)
    if to_state == "trial":
        start_on_its_day(app, case_id)


def start_on_its_day(app: App, case_id: int) -> None:
    """What the ledger's `contract_start` row does at 00:05 on the contract's first day (the engine's command),
    whatever the test's clock says: the signed case enters its trial."""
    start = show(app, case_id).case.contract.start_date
    assert start is not None
    with app.uow() as uow:
        uow.dispatch(StartContract(case_id, datetime.combine(start, time(0, 5), tzinfo=PARIS)))
        uow.commit()

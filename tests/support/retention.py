"""A case rich in personal values (tests of retention and erasure, issue 16 item 6), and where they still are."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import pypdf
import sqlalchemy as sa

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import metadata
from contract_flow.bootstrap import App
from contract_flow.services.cases import advance, set_facts
from contract_flow.services.directory import add_user, issue_token
from contract_flow.services.dossier import set_section
from contract_flow.services.logins import log_in
from contract_flow.services.reminders import run_once
from contract_flow.services.reviews import log_review, plan_review
from tests.conftest import People
from tests.support.cases import open_candidate, walk
from tests.support.world import paris

EMAIL = "zoeline.quintavalle@example.org"
ADDRESS = "17 impasse des Tilleuls"
PHONE = "06 98 76 54 32"
OBSERVATION = "Zoéline progresse vite sur le banc hydraulique"
TARGET_JOB = "technicienne en robotique sous-marine"


@dataclass(frozen=True)
class Rich:
    case_id: int
    person_id: int
    #: Every personal value of hers the engine was given, each looked for in every table.
    values: tuple[str, ...]


def rich_case(app: App, people: People, clock: FixedClock) -> Rich:
    """Zoéline's case in its trial: her user (linked, with a token), her dossier (NIR, address, phone), a free
    text, a review held with observations, the reminders sent (the inbox, the ledger)."""
    case_id = open_candidate(app, first_name="Zoéline", last_name="Quintavalle", email=EMAIL)
    user = add_user(app, EMAIL, name="Zoéline Quintavalle", role="apprentice", cfa_code="imt-mines-ales",
                    case_id=case_id)
    issue_token(app, EMAIL)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    set_facts(app, case_id, {"project.target_job": TARGET_JOB, "advisor": people.advisor, "tutor": people.tutor},
              actor_email=people.advisor)
    view = set_section(app, case_id, "apprentice", {"address.street": ADDRESS, "phone": PHONE},
                       actor_email=people.advisor)
    data = view.sections["apprentice"].data  # type: ignore[index]
    nir, phone = data["nir"], data["phone"]  # as stored (the phone's spaces taken out)
    log_in(app, EMAIL, "pas son mot de passe", "203.0.113.7")  # a failed login counted against her email
    review = plan_review(app, case_id, planned_at=paris(2026, 10, 20), place="Atelier de Zoéline Quintavalle",
                         actor_email=people.tutor)
    run_once(app, paris(2026, 10, 6, 10))
    clock.set(paris(2026, 10, 20, 16))
    log_review(app, int(review.id or 0), attended=["apprentice", "mentor", "tutor"],
               skills={"Prototypage": "acquired"}, tutor_observations=OBSERVATION, actor_email=people.tutor)
    return Rich(case_id, user.id, ("Zoéline", "Quintavalle", EMAIL, nir, ADDRESS, phone, OBSERVATION, TARGET_JOB))


def ended(app: App, people: People, clock: FixedClock, rich: Rich) -> None:
    """The employer breaks the contract in its trial on 21 October 2026."""
    clock.set(paris(2026, 10, 21, 10))
    advance(app, rich.case_id, "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "employer"})


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        found = [raw.decode("utf-8", "replace"), raw.decode("latin-1")]
        if raw.startswith(b"%PDF"):
            found += [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(raw)).pages]
        return found
    if isinstance(value, dict | list):
        return [json.dumps(value, ensure_ascii=False)]
    return [str(value)]


def traces(app: App, values: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(table, column, value) wherever one of `values` still appears: every table of the metadata, every column
    (text, JSON, bytes and the rest), whatever helper added it."""
    found = []
    with app.engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(sa.select(table)).mappings():
                for column, value in row.items():
                    for text in _texts(value):
                        for wanted in values:
                            if wanted.lower() in text.lower():
                                found.append((table.name, column, wanted))
    return sorted(set(found))

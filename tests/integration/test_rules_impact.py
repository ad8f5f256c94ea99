"""A new SMIC under signed contracts: `rules impact` lists what changes, `--apply` re-computes it with a history
entry and re-planned reminders (issue 10, item 2), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import reminder_table
from contract_flow.bootstrap import App, bootstrap
from contract_flow.domain.impact import ValueChange
from contract_flow.services.cases import show
from contract_flow.services.legal_impact import apply_impact, find_impact
from contract_flow.settings import Settings
from tests.conftest import People
from tests.support.cases import open_candidate, walk
from tests.support.rules import rules_with_next_smic


def _pay_from(app: App, case_id: int) -> dict[str, str]:
    schedule = show(app, case_id).case.contract.pay_schedule or []
    return {period["from"]: period["minimum_monthly_gross"] for period in schedule}


def test_a_new_smic_under_a_signed_contract_is_listed_then_applied_with_history_and_reminders(
        app: App, people: People, clock: FixedClock, database_url: str, tmp_path: Path) -> None:
    case_id = open_candidate(app)  # born 2004-05-12: 22 on 1 September 2026, band 21-25, 53 % in year 1
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    before = _pay_from(app, case_id)
    assert before["2026-09-01"] == "989.52"  # 53 % of 1 867,02 € (arrêté du 22 mai 2026)
    assert "2027-01-01" not in before
    assert find_impact(app) == []  # the shipped rule set: every kept value is current

    later = bootstrap(Settings(database_url=database_url, environment="test",
                               rules_file=rules_with_next_smic(tmp_path)), clock=clock)
    try:
        found = find_impact(later)
        assert [impact.case_id for impact in found] == [case_id]
        # every period from 1 January 2027 on: 53 %, then 61 % and 78 % of 1 900 € instead of 1 867,02 €
        assert found[0].changes == (
            ValueChange("minimum_monthly_gross", date(2027, 1, 1), "989.52", "1007.00"),
            ValueChange("minimum_monthly_gross", date(2027, 9, 1), "1138.88", "1159.00"),
            ValueChange("minimum_monthly_gross", date(2028, 9, 1), "1456.28", "1482.00"))
        assert _pay_from(app, case_id) == before  # listing changes nothing

        applied = apply_impact(later, actor_email=people.advisor)
        assert [impact.case_id for impact in applied] == [case_id]
        assert applied[0].error is None
        view = show(later, case_id)
        last = view.history[-1]
        assert last.seq == applied[0].applied_seq
        assert last.actor == people.advisor
        assert last.facts == {"rules.minimum_monthly_gross@2027-01-01": "989.52 → 1007.00",
                              "rules.minimum_monthly_gross@2027-09-01": "1138.88 → 1159.00",
                              "rules.minimum_monthly_gross@2028-09-01": "1456.28 → 1482.00"}
        assert "rule set changed" in (last.reason or "")
        after = _pay_from(later, case_id)
        assert after["2026-09-01"] == "989.52"
        assert after["2027-01-01"] == "1007.00"
        sources = view.case.contract.legal_sources or {}
        assert "Décret n° 2026-9999" in " ".join(sources["pay_schedule/2027-01-01"])
        assert "entry in force from 2027-01-01" in " ".join(sources["pay_schedule/2027-01-01"])

        with later.engine.connect() as connection:
            rows = connection.execute(sa.select(reminder_table.c.recipient_role, reminder_table.c.payload,
                                                reminder_table.c.status)
                                      .where(reminder_table.c.case_id == case_id,
                                             reminder_table.c.kind == "pay_change")).all()
        january = [row for row in rows if row.payload["from"] == "2027-01-01" and row.status == "planned"]
        assert {row.recipient_role for row in january} == {"employer", "apprentice"}
        assert {Decimal(row.payload["amount"]) for row in january} == {Decimal("1007.00")}

        assert find_impact(later) == []  # applied: nothing left to change
        assert apply_impact(later) == []
    finally:
        later.close()

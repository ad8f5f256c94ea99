"""The employer participation as the CFA's invoice lines (issue 14, item 8), on SQLite and PostgreSQL: a level-7
contract signed owes one 750 € line due at its trial's end; broken during the trial it is recomputed on the company
days done and due on the break; cancelled before its start it owes nothing; `month` keeps the lines due that month;
another CFA's staff see none, and only staff see any."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import contract_table
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import Forbidden, InvalidInput
from contract_flow.domain.invoices import TRIAL_BREAK, InvoiceStatus
from contract_flow.domain.reasons import Reason
from contract_flow.services.cases import advance, show
from contract_flow.services.directory import add_user
from contract_flow.services.invoices import invoice_page, list_invoices
from contract_flow.wording import reason_text
from tests.conftest import People
from tests.support.cases import open_candidate, walk

#: The brochure's calendar from Tuesday 1 September 2026: 4 company days, school 7-25 September, then company
#: weeks: Friday 16 October 2026 ends the 19th company day of the trial.
BROKEN_ON = date(2026, 10, 16)
DAYS_DONE = 19
#: R6332-25-1: 50 % of the NPEC (9 000 €, programmes/mecatronique.toml's [funding]) x 19 / 365 days.
RECOMPUTED = (Decimal(9000) * Decimal("0.5") * DAYS_DONE / 365).quantize(Decimal("0.01"))


def paris(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


def in_trial(app: App, people: People, clock: FixedClock, **candidate: str) -> int:
    clock.set(paris(date(2026, 8, 20)))
    case_id = open_candidate(app, **candidate)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    return case_id


def test_a_level_7_contract_signed_owes_one_750_line_due_at_its_trial_end(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = in_trial(app, people, clock)
    trial_end = show(app, case_id).case.contract.trial_end
    assert trial_end is not None
    assert trial_end > BROKEN_ON

    [line] = list_invoices(app, actor_email=people.advisor)
    assert (line.case_id, line.apprentice, line.programme) == (case_id, "Léa Martin", "mecatronique")
    assert (line.employer_name, line.employer_siret) == ("Industrie SA", "73282932000074")
    assert (line.amount, line.due_on, line.status) == (Decimal("750.00"), trial_end, InvoiceStatus.UPCOMING)
    assert "R6332-25-2" in line.source
    assert "L6332-14" in line.source
    month = f"{trial_end.year}-{trial_end.month:02d}"
    assert [found.case_id for found in list_invoices(app, actor_email=people.lead, month=month)] == [case_id]
    assert list_invoices(app, actor_email=people.advisor, month="2026-09") == []

    clock.set(paris(trial_end + timedelta(days=1)))
    [line] = list_invoices(app, actor_email="system")
    assert line.status is InvoiceStatus.DUE


def test_a_break_during_the_trial_recomputes_it_on_the_days_done_due_on_the_break(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = in_trial(app, people, clock)
    clock.set(paris(BROKEN_ON))
    advance(app, case_id, "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "employer"})

    terms = show(app, case_id).case.contract
    assert terms.participation_amount == RECOMPUTED == Decimal("234.25")
    assert terms.legal_sources is not None
    assert terms.legal_sources["participation_trial_break"] == [
        f"broken on 2026-10-16, after {DAYS_DONE} company days of the trial"]
    [line] = list_invoices(app, actor_email=people.advisor)
    assert (line.amount, line.due_on, line.status) == (RECOMPUTED, BROKEN_ON, InvoiceStatus.RECOMPUTED)
    assert "NPEC" in line.source
    assert "day 19" in line.source
    assert [found.amount for found in list_invoices(app, actor_email=people.advisor, month="2026-10")] == [RECOMPUTED]

    # The search resumes with a blank contract: the broken one keeps its line.
    advance(app, case_id, "resume_search", actor_email=people.advisor)
    assert [(found.case_id, found.amount) for found in list_invoices(app, actor_email=people.advisor)] == [
        (case_id, RECOMPUTED)]


def test_a_contract_cancelled_before_its_start_owes_nothing(app: App, people: People, clock: FixedClock) -> None:
    clock.set(paris(date(2026, 6, 1)))
    case_id = open_candidate(app)
    walk(app, case_id, "signed", advisor=people.advisor, lead=people.lead, signed_on=date(2026, 6, 1))
    advance(app, case_id, "cancel_before_start", actor_email=people.advisor,
            facts={"contract.ended_by": "employer", "contract.cancellation_reason": "the workshop closes"})

    [line] = list_invoices(app, actor_email=people.advisor)
    assert (line.case_id, line.amount, line.due_on, line.status) == (
        case_id, Decimal("0.00"), None, InvoiceStatus.NONE_OWED)
    trial_end = show(app, case_id).case.contract.trial_end
    assert trial_end is not None
    assert list_invoices(app, actor_email=people.advisor, month=f"{trial_end.year}-{trial_end.month:02d}") == []


def test_another_cfa_s_staff_see_none_and_only_staff_see_any(app: App, people: People, clock: FixedClock) -> None:
    in_trial(app, people, clock)
    add_user(app, "conseil@autre-cfa.example", name="Conseil Autre", role="advisor", cfa_code="other-cfa")
    assert list_invoices(app, actor_email="conseil@autre-cfa.example") == []
    for who in (people.mentor, people.tutor, people.apprentice):
        with pytest.raises(Forbidden):
            list_invoices(app, actor_email=who)


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "octobre", "2026-10-01", ""])
def test_a_month_not_written_yyyy_mm_is_refused_naming_it(app: App, people: People, month: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        list_invoices(app, actor_email=people.advisor, month=month)
    assert refused.value.field == "month"


def test_a_page_of_lines_is_the_list_s_lines_in_its_order_with_the_count_and_total_of_all(
        app: App, people: People, clock: FixedClock) -> None:
    """The page and the API (issue 15, item 11) order, count and add up the lines in the database: the same lines
    as the whole list, a due one, one recomputed on a break, one owing nothing, whatever the page's bounds."""
    running = in_trial(app, people, clock, last_name="Durand")
    broken = in_trial(app, people, clock, last_name="Martin")
    clock.set(paris(BROKEN_ON))
    advance(app, broken, "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "employer"})
    clock.set(paris(date(2026, 6, 1)))
    cancelled = open_candidate(app, last_name="Petit")
    walk(app, cancelled, "signed", advisor=people.advisor, lead=people.lead, signed_on=date(2026, 6, 1))
    advance(app, cancelled, "cancel_before_start", actor_email=people.advisor,
            facts={"contract.ended_by": "employer", "contract.cancellation_reason": "the workshop closes"})
    clock.set(paris(date(2027, 2, 1)))
    every = list_invoices(app, actor_email=people.advisor)
    assert {line.case_id for line in every} == {running, broken, cancelled}
    months = {f"{line.due_on.year}-{line.due_on.month:02d}" for line in every if line.due_on}
    for month in (None, *sorted(months)):
        whole = list_invoices(app, actor_email=people.advisor, month=month)
        for limit, offset in ((100, 0), (1, 0), (1, 1), (2, 1), (1, 2), (5, 3)):
            found = invoice_page(app, actor_email=people.advisor, month=month, limit=limit, offset=offset)
            assert found.lines == whole[offset:offset + limit]
            assert found.count == len(whole)
            assert found.total == sum((line.amount or Decimal("0.00") for line in whole), Decimal("0.00"))
    with pytest.raises(InvalidInput) as refused:
        invoice_page(app, actor_email=people.advisor, offset=-1)
    assert refused.value.field == "offset"


def test_how_each_value_was_found_is_kept_as_reasons_and_worded_in_each_language(
        app: App, people: People, clock: FixedClock) -> None:
    """A signed contract keeps how its participation and deadlines were found as reasons with their values, read
    back from the database as reasons (issue 15, item 6): the case page and the invoices word them in French; a
    citation of the law is kept as written; a row written before, plain English, still reads as its text."""
    case_id = in_trial(app, people, clock)
    clock.set(paris(BROKEN_ON))
    advance(app, case_id, "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "employer"})
    sources = show(app, case_id).case.contract.legal_sources
    assert sources is not None
    [broken] = sources[TRIAL_BREAK]
    assert isinstance(broken, Reason)
    assert (broken.key, dict(broken.values)) == ("trial_broken_after", {"broken_on": BROKEN_ON, "days": DAYS_DONE})
    found, *texts = sources["participation_amount"]
    assert isinstance(found, Reason)
    assert found.key == "participation_broken_in_trial"
    assert dict(found.values)["npec_eur"] == Decimal("9000.00")
    assert reason_text(found, "fr") == (
        "rompu pendant la période d'essai au jour 19 : 50 % du NPEC de 9\u202f000,00\u00a0€ x 19 / 365 jours, au plus "
        "750,00\u00a0€ : 234,25\u00a0€")
    assert all(type(text) is str for text in texts)  # the law's citations, as written
    assert any(text.startswith("R6332-25-1 (décret n° 2025-585) : une rupture") for text in texts)
    [aid] = sources["hiring_aid_filing_due"]
    assert isinstance(aid, Reason)
    assert reason_text(aid, "fr").endswith("(entrée en vigueur le 01/01/2019)")
    assert str(aid).endswith("(entry in force from 2019-01-01)")  # the API's English, as before

    [line] = list_invoices(app, actor_email=people.advisor)
    assert reason_text(line.source, "fr").startswith("rompu pendant la période d'essai au jour 19 : ")
    assert " ; R6332-25-1" in reason_text(line.source, "fr")
    assert str(line.source).startswith("broken during the trial on day 19: 50")

    with app.uow() as uow:  # as a contract signed before the reasons were kept stored it
        uow.execute(sa.update(contract_table).where(contract_table.c.case_id == case_id)
                    .values(legal_sources={"participation_amount": ["level 7, concluded on 2026-08-20"]}))
        uow.commit()
    [line] = list_invoices(app, actor_email=people.advisor)
    assert reason_text(line.source, "fr") == "level 7, concluded on 2026-08-20"

    renamed = {"participation_amount": [{"reason": "a_reason_since_renamed", "values": {"level": 7},
                                         "text": "level 7, as worded then"}]}
    with app.uow() as uow:  # a reason the catalogue no longer has reads as its English as it was kept
        uow.execute(sa.update(contract_table).where(contract_table.c.case_id == case_id)
                    .values(legal_sources=sa.literal(renamed, sa.JSON)))
        uow.commit()
    [line] = list_invoices(app, actor_email=people.advisor)
    assert reason_text(line.source, "fr") == "level 7, as worded then"

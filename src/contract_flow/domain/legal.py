"""The legal rules as the state chart's guards and effects use them, for one case at a time.

Pure: built from an already-parsed rule set. A programme's calendar (its school periods) is stored with the
programme and travels with the case (`ProgrammeTerms.calendar`); a programme without one cannot have a contract
signed, as its trial end cannot be counted (L6222-18). Guards ask it whether the apprentice is eligible and paid
enough; `sign` asks it for the trial end, the pay schedule and the deadlines it stores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from contract_flow.domain.case import Absence, Case, ProgrammeTerms, TerminationReason
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.invoices import TRIAL_BREAK, ProgrammeFunding
from contract_flow.domain.reasons import Reason
from contract_flow.domain.rules import (
    ContractDeadlines,
    DateRange,
    Deadlines,
    Eligibility,
    Participation,
    PayPeriod,
    ProgrammeCalendar,
    RuleSet,
    TrialBreak,
    TrialEnd,
    add_months,
    check_eligibility,
    company_days,
    contract_deadlines,
    deadlines,
    employer_participation,
    minimum_pay,
    pay_schedule,
    search_after_break_end,
    trial_end,
)
from contract_flow.domain.rules.dates import ONE_DAY, contract_end
from contract_flow.domain.rules.pay import (
    OTHER_EMPLOYER_SOURCE,
    PREVIOUS_CONTRACT,
    SAME_EMPLOYER_SOURCE,
    SHORTER_CONTRACT_SOURCE,
    PreviousContract,
    percent_of,
    years_counted_from,
)

CalendarLookup = Callable[[str], ProgrammeCalendar | None]


def cite(source: str, effective_from: date) -> Reason:
    """A rule-set entry as the contract keeps it: the text it comes from and the day the entry took effect."""
    return Reason("entry_in_force", source=source, since=effective_from)


@dataclass(frozen=True)
class ContractValues:
    """What the law fixes from a signed contract's dates, each value with the rule-set entries it used.

    `sources` maps each value's name (a field of ContractTerms, or `pay_schedule/<first day>` for a pay period)
    to the entries cited; `impact` compares these with what a contract keeps.
    """

    trial_end: date
    opco_filing_due: date
    training_start_due: date
    medical_visit_due: date
    hiring_aid_filing_due: date
    opco_decision_due: date | None
    #: L6332-14: what the CFA invoices the employer at the trial end; None when the programme's level is unknown.
    participation_amount: Decimal | None
    pay_schedule: list[dict[str, str]]
    sources: dict[str, list[str]]


#: The ContractTerms fields ContractValues fills, compared and replaced as a whole (the pay schedule apart).
COMPUTED_DATES = ("trial_end", "opco_filing_due", "training_start_due", "medical_visit_due",
                  "hiring_aid_filing_due", "opco_decision_due")
COMPUTED_VALUES = (*COMPUTED_DATES, "participation_amount")
#: A calendar without school periods (every weekday a company day): for tests of the rules alone, never a
#: default for a programme (issue 10: such a default ended trials two months early).
NO_SCHOOL = ProgrammeCalendar(school=())


def missing_calendar(code: str) -> Reason:
    """Why a programme without a calendar blocks what counts company days, and how to give it one."""
    return Reason("no_calendar", programme=code)


def _stored_only(code: str) -> ProgrammeCalendar | None:
    """The engine's lookup: a programme's calendar is the one stored with it, none otherwise."""
    return None


def _no_funding(code: str) -> ProgrammeFunding | None:
    """Without a lookup no programme's NPEC is known: a break during the trial leaves the amount to compute."""
    return None


def _no_skills(code: str) -> tuple[str, ...] | None:
    """Without a lookup no programme lists its skills: a review assesses any skill typed."""
    return None


@dataclass(frozen=True)
class LegalRules:
    ruleset: RuleSet
    #: The calendar of a programme whose terms carry none: tests of the rules alone give a fixed one; the
    #: engine's finds none (a calendar is stored with its programme, `services.directory`).
    calendar_for: CalendarLookup = _stored_only
    #: A programme's NPEC, which a break during the trial prorates (R6332-25-1): `programmes/<code>.toml`'s
    #: `[funding]` for the engine (rulefiles.load_programme_funding); none without a lookup.
    funding_for: Callable[[str], ProgrammeFunding | None] = _no_funding
    #: The skills a programme's reviews assess: `programmes/<code>.toml`'s `skills` for the engine
    #: (rulefiles.load_programme_skills); None, any skill, without a list.
    skills_for: Callable[[str], tuple[str, ...] | None] = _no_skills

    def known_calendar(self, programme: ProgrammeTerms) -> ProgrammeCalendar | None:
        """The programme's school periods, or None when it has no calendar yet."""
        if programme.calendar is not None:
            return programme.calendar
        return self.calendar_for(programme.code)

    def skills(self, programme: ProgrammeTerms) -> tuple[str, ...] | None:
        """The skill list a review of the programme's cases assesses, or None when it has none."""
        return self.skills_for(programme.code)

    def calendar(self, programme: ProgrammeTerms) -> ProgrammeCalendar:
        """The programme's school periods; InvalidInput saying how to add them when it has none (L6222-18
        counts the trial in company days: without the school periods there is no count, never a guess)."""
        found = self.known_calendar(programme)
        if found is None:
            raise InvalidInput("programme", missing_calendar(programme.code))
        return found

    def calendar_problems(self, programme: ProgrammeTerms) -> list[str]:
        """What blocks signing for want of a calendar (the `sign` guard)."""
        return [] if self.known_calendar(programme) is not None else [missing_calendar(programme.code)]

    def eligibility(self, case: Case) -> Eligibility:
        """L6222-1, L6222-2, D6222-1: the age on the contract start, and the derogation if one is recorded."""
        start = case.contract.start_date
        assert start is not None
        signed = case.contract.signature_date
        return check_eligibility(
            self.ruleset, case.candidate.birth_date, start, derogation=case.derogation,
            previous_contract_end=case.previous_contract_end,
            completed_lower_secondary=case.completed_lower_secondary,
            # D6222-1 reads the 35 limit at the conclusion; a signature after the start (which the contract-terms
            # guard bounds) leaves the start, the stricter reading
            concluded=signed if signed is not None and signed <= start else None,
        )

    def pay_problems(self, case: Case) -> list[str]:
        """D6222-26: the agreed pay must reach the minimum of the first contract year on the start date, counted
        as D6222-28-1 says for a contract shorter than its cycle, and at least D6222-29's floor after a previous
        contract that led to its diploma."""
        terms = case.contract
        assert terms.start_date is not None
        if terms.gross_monthly_pay is None:
            return [Reason("pay_needed")]
        if terms.start_date <= case.candidate.birth_date:
            return []  # the eligibility guard says what is wrong with these dates
        previous, missing = self.previous_contract(case)
        if missing:
            return missing
        frame = self._contract_frame(case)
        frame.pop("years", None)  # minimum_pay counts from the start unless D6222-28-1's frame is known
        minimum = minimum_pay(self.ruleset, case.candidate.birth_date, terms.start_date, terms.start_date,
                              **frame, previous_contract=previous)
        if terms.gross_monthly_pay >= minimum.minimum_monthly_gross:
            return []
        return [Reason("pay_below", pay_eur=terms.gross_monthly_pay, year=minimum.contract_year,
                       minimum_eur=minimum.minimum_monthly_gross, percent_pct=minimum.percent,
                       reference=minimum.reference, reference_eur=minimum.reference_amount, band=minimum.age_band,
                       rule=minimum.minimum_rule, sources="; ".join(minimum.sources))]

    def _contract_frame(self, case: Case) -> dict[str, Any]:
        """D6222-28-1's inputs: the contract's end and the cycle's length (years counted from the day the cycle
        would have begun for a contract of the cycle's length ending on this one's end)."""
        terms = case.contract
        if terms.start_date is None or terms.end_date is None or terms.end_date <= terms.start_date:
            return {"years": case.programme.years}
        return {"contract_end": terms.end_date, "cycle_years": case.programme.years}

    @staticmethod
    def previous_contract(case: Case) -> tuple[PreviousContract | None, list[str]]:
        """D6222-29's previous contract, from the facts `previous_contract.*` (recorded only for a previous
        contract that led to its diploma), or what is missing to apply it."""
        given = (case.previous_contract_year, case.previous_contract_same_employer, case.previous_contract_pay)
        if all(value is None for value in given):
            return None, []
        missing = [name for name, value in (
            ("previous_contract_end", case.previous_contract_end),
            ("previous_contract.year", case.previous_contract_year),
            ("previous_contract.same_employer", case.previous_contract_same_employer)) if value is None]
        if case.previous_contract_same_employer and case.previous_contract_pay is None:
            missing.append("previous_contract.pay")
        if missing:
            return None, [Reason("previous_contract", missing=", ".join(missing))]
        assert case.previous_contract_end is not None
        assert case.previous_contract_year is not None
        return PreviousContract(
            same_employer=bool(case.previous_contract_same_employer), end=case.previous_contract_end,
            last_year=case.previous_contract_year,
            last_year_monthly_gross=case.previous_contract_pay if case.previous_contract_same_employer else None,
        ), []

    def trial_end(self, case: Case, absences: tuple[Absence, ...] | None = None) -> date:
        """L6222-18: the end of the 45th company day of practical training, absences not counted."""
        return self._trial(case, absences).trial_end

    def _trial(self, case: Case, absences: tuple[Absence, ...] | None = None) -> TrialEnd:
        """L6222-18 counts days "of practical training in the company": from its first day when the contract
        names one (contract.practical_training_start), else from the contract start."""
        terms = case.contract
        assert terms.start_date is not None
        first = max(terms.start_date, terms.practical_training_start or terms.start_date)
        chosen = case.absences if absences is None else absences
        ranges = [DateRange(a.first, a.last) for a in chosen]
        return trial_end(self.ruleset, first, self.calendar(case.programme), ranges)

    def search_window_end(self, case: Case) -> date:
        """The day the search without an employer lapses: L6222-12-1 gives a candidate 3 months from the
        training start; after a break (a previous contract of this case ended), L6222-18-2 gives 6 months from
        the break instead."""
        if case.previous_contract_end is not None:
            return self.resume_window_end(case.previous_contract_end)
        months = self.ruleset.duration_on("search_without_employer_months", case.programme.start_date).value
        return add_months(case.programme.start_date, months)

    def search_window_source(self, case: Case) -> str:
        if case.previous_contract_end is not None:
            return self.ruleset.duration_on("search_after_break_months", case.previous_contract_end).source
        return self.ruleset.duration_on("search_without_employer_months", case.programme.start_date).source

    def training_cycle_end(self, case: Case) -> date:
        """The last day of the case's training cycle: the programme starts its cohort in year 1 on its start date;
        a case entering year n (brochure: M1 holders enter year 2) has `years - n + 1` years of it left, counted
        from the same start."""
        remaining = max(1, case.programme.years - case.programme_year + 1)
        return contract_end(case.programme.start_date, remaining)

    def contract_date_problems(self, case: Case) -> list[str]:
        """L6222-7-1, R6222-6, R6222-47, L6222-12: the contract covers the rest of the training cycle, lasts
        6 months to 3 years (4 for a disabled apprentice), ends at most 3 months after the cycle, and practical
        training in the company starts within 3 months of the contract start."""
        terms = case.contract
        start, end = terms.start_date, terms.end_date
        if start is None or end is None or end <= start or start <= case.candidate.birth_date:
            # missing dates are reported by the contract-terms guard, inverted ones by the facts, a start before
            # the birth by the age guard
            return []
        rules = self.ruleset
        problems: list[str] = []
        cycle_end = self.training_cycle_end(case)
        disabled = case.derogation == "rqth"
        longest = rules.duration_on("contract_max_years_disability" if disabled else "contract_max_years", start)
        latest_by_length = contract_end(start, longest.value)
        shortest = rules.duration_on("contract_min_months", start)
        after_cycle = rules.duration_on("contract_end_after_cycle_months", start)
        latest_by_cycle = add_months(cycle_end, after_cycle.value)
        earliest = min(cycle_end, latest_by_length)
        if end < earliest:
            cycle_rule = rules.duration_on("contract_max_years", start)
            problems.append(Reason("end_before_cycle", end=end, cycle_end=cycle_end, programme=case.programme.code,
                                   start=start, earliest=earliest, source=cycle_rule.source))
        if end > latest_by_length:
            problems.append(Reason("longer_than_max", end=end, start=start, years=longest.value,
                                   latest=latest_by_length, source=longest.source))
        if end > latest_by_cycle:
            problems.append(Reason("after_cycle", end=end, months=after_cycle.value, cycle_end=cycle_end,
                                   latest=latest_by_cycle, source=after_cycle.source))
        if end < add_months(start, shortest.value) - ONE_DAY:
            problems.append(Reason("shorter_than_min", end=end, start=start, months=shortest.value,
                                   source=shortest.source))
        practical = terms.practical_training_start
        if practical is not None:
            rule = rules.duration_on("training_start_months", start)
            latest = add_months(start, rule.value)
            if practical < start:
                problems.append(Reason("practical_before_start", practical=practical, start=start))
            elif practical > latest:
                problems.append(Reason("practical_late", practical=practical, months=rule.value, latest=latest,
                                       source=rule.source))
        return problems

    def earliest_termination(self, case: Case) -> tuple[date | None, list[str]]:
        """When a break after the trial may take effect, for the grounds that fix a delay, and what is missing.

        D6222-21-1: an apprentice resigns only after referring to the mediator; they inform the employer at
        least 5 calendar days after the referral, and the break takes effect at least 7 calendar days after
        that. L6222-19: an apprentice who obtained the diploma leaves with 2 months' written notice.
        Returns (None, []) for the other grounds (their date is the day of the move).
        """
        terms = case.contract
        reason = terms.termination_reason
        rules = self.ruleset
        if reason is TerminationReason.RESIGNATION_AFTER_MEDIATOR:
            referral = terms.mediator_referral_on
            if referral is None:
                return None, [Reason("mediator_needed")]
            inform = rules.duration_on("resignation_inform_employer_days", referral)
            effective = rules.duration_on("resignation_effective_days", referral)
            earliest_inform = referral + timedelta(days=inform.value)
            informed = terms.employer_informed_on
            if informed is not None and informed < earliest_inform:
                return None, [Reason("informed_early", informed=informed, days=inform.value, referral=referral,
                                     earliest=earliest_inform, source=inform.source)]
            return (informed or earliest_inform) + timedelta(days=effective.value), []
        if reason is TerminationReason.DIPLOMA_OBTAINED:
            notice = terms.notice_given_on
            if notice is None:
                return None, [Reason("notice_needed")]
            rule = rules.duration_on("diploma_notice_months", notice)
            return add_months(notice, rule.value), []
        return None, []

    def termination_source(self, case: Case) -> str:
        reason = case.contract.termination_reason
        name = ("diploma_notice_months" if reason is TerminationReason.DIPLOMA_OBTAINED
                else "resignation_effective_days")
        return self.ruleset.duration_on(name, case.contract.start_date or case.programme.start_date).source

    def contract_values(self, case: Case) -> ContractValues:
        """Everything the law fixes from the signed contract's dates, with the rule-set entries each used: the
        trial end (L6222-18), the deadlines (D6224-1, L6222-12), and the pay schedule (D6222-26) with the
        contribution exemption ceiling of each period (L6243-2, D6243-5, by conclusion date)."""
        terms = case.contract
        start = terms.start_date
        assert start is not None
        rules = self.ruleset
        trial = self._trial(case)
        trial_rule = rules.duration_on("trial_company_days", max(start, terms.practical_training_start or start))
        filing = rules.duration_on("opco_filing_working_days", start)
        training = rules.duration_on("training_start_months", start)
        due = self.deadlines(case)
        sources: dict[str, list[str]] = {
            "trial_end": [cite(trial_rule.source, trial_rule.effective_from),
                          Reason("programme_calendar", programme=case.programme.code)],
            "opco_filing_due": [cite(filing.source, filing.effective_from)],
            "training_start_due": [cite(training.source, training.effective_from)],
        }
        exemption = rules.exemption_for_contract_concluded_on(terms.signature_date or start)
        frame = self._contract_frame(case)
        counted_from = years_counted_from(start, frame.get("contract_end"), frame.get("cycle_years"))
        schedule: list[dict[str, str]] = []
        for period in self.pay_schedule(case):
            smic = rules.smic.on(period.start)
            grid = rules.pay_grid_on(period.start)
            band = next(band for band in grid.bands if band.name == period.age_band)
            exempt = percent_of(smic.monthly_gross, exemption.percent_of_smic)
            schedule.append({
                "from": period.start.isoformat(), "to": period.end.isoformat(),
                "contract_year": str(period.contract_year), "age_band": period.age_band,
                "percent": str(period.percent), "reference": period.reference,
                "minimum_monthly_gross": f"{period.minimum_monthly_gross:.2f}",
                "employee_contributions_exempt_up_to": f"{exempt:.2f}",
            })
            cited: list[str] = [cite(band.source, grid.effective_from), cite(smic.source, smic.effective_from),
                     cite(exemption.source, exemption.effective_from)]
            if counted_from != start:
                cited.append(SHORTER_CONTRACT_SOURCE)
            if period.minimum_rule == PREVIOUS_CONTRACT:
                cited.append(SAME_EMPLOYER_SOURCE if case.previous_contract_same_employer else OTHER_EMPLOYER_SOURCE)
            sources[f"pay_schedule/{period.start.isoformat()}"] = cited
        after = self.contract_deadlines(case)
        for name, rule in (("medical_visit_due", "medical_visit_months"),
                           ("hiring_aid_filing_due", "hiring_aid_filing_months"),
                           ("opco_decision_due", "opco_decision_days")):
            deadline = after.by_name().get(name)
            if deadline is not None:
                sources[name] = [cite(deadline.source, rules.duration_on(rule, start).effective_from)]
        participation = self.participation(case, trial.trial_end)
        if participation is None:
            sources["participation_amount"] = [Reason("participation_no_level", programme=case.programme.code)]
        else:
            sources["participation_amount"] = [participation.reason, *participation.sources]
        return ContractValues(
            trial.trial_end, due.opco_filing_due, due.training_start_due, after.medical_visit_due.due,
            after.hiring_aid_filing_due.due, after.opco_decision_due.due if after.opco_decision_due else None,
            participation.amount if participation is not None else None, schedule, sources)

    def participation(self, case: Case, trial_end: date | None,
                      trial_break: TrialBreak | None = None) -> Participation | None:
        """L6332-14, R6332-25-1: the employer's participation by the conclusion date and the programme's level;
        200 € for a new contract with another employer after a break; `trial_break`: broken during the trial.
        None when the level is unknown."""
        level = case.programme.level
        terms = case.contract
        if level is None or terms.start_date is None:
            return None
        signed = terms.signature_date
        concluded = signed if signed is not None and signed <= terms.start_date else terms.start_date
        after_break = case.previous_contract_end is not None and not case.previous_contract_same_employer
        return employer_participation(self.ruleset, level, concluded, after_break=after_break,
                                      trial_break=trial_break, trial_end=None if trial_break else trial_end)

    def note_trial_break(self, case: Case, broken_on: date) -> None:
        """R6332-25-1: a contract broken during its trial owes 50 % of its certification's NPEC pro rata of the
        days done (NPEC x days / 365; our reading: the company days of the trial done, L6222-18, as the
        ministry's example counts "day 45"), at most the amount it kept, due on the break. Kept with the reason
        and the texts, and the mark `TRIAL_BREAK` the invoice lines read. Nothing when nothing was owed; the
        amount is left unknown (None) when the programme has no NPEC configured."""
        terms = case.contract
        if not terms.participation_amount or terms.start_date is None:
            return
        first = max(terms.start_date, terms.practical_training_start or terms.start_date)
        calendar = self.known_calendar(case.programme)
        days = 0 if broken_on < first or calendar is None else len(company_days(
            calendar, first, broken_on, [DateRange(a.first, a.last) for a in case.absences]))
        funding = self.funding_for(case.programme.code)
        sources = dict(terms.legal_sources or {})
        sources[TRIAL_BREAK] = [Reason("trial_broken_after", broken_on=broken_on, days=days)]
        if days == 0:
            terms.participation_amount = Decimal("0.00")
            sources["participation_amount"] = [Reason("trial_broken_before_any_day", broken_on=broken_on)]
        elif funding is None:
            terms.participation_amount = None
            sources["participation_amount"] = [Reason("trial_break_no_npec", days=days,
                                                      programme=case.programme.code)]
        else:
            trial_days = self.ruleset.duration_on("trial_company_days", first).value
            found = self.participation(case, None, TrialBreak(min(days, trial_days), funding.npec))
            assert found is not None  # the amount kept says the level is known
            terms.participation_amount = min(found.amount, terms.participation_amount)
            sources["participation_amount"] = [found.reason, *found.sources, funding.source]
        terms.legal_sources = sources
        terms.dirty = True

    def contract_deadlines(self, case: Case) -> ContractDeadlines:
        """R6222-40-1 / R4624-18 (medical visit; a minor's by the start), D6224-2 (the OPCO's decision within 20
        days of the filing, when recorded), the hiring aid's 6 months from the conclusion."""
        terms = case.contract
        start = terms.start_date
        assert start is not None
        signed = terms.signature_date
        return contract_deadlines(
            self.ruleset, start, birth_date=case.candidate.birth_date,
            concluded=signed if signed is not None and signed <= start else start,
            filed_on=terms.opco_filed_on if terms.opco_filed_on is not None and
            terms.opco_filed_on >= (signed or start) else None,
            training_start=case.programme.start_date)

    def note_opco_filing(self, case: Case) -> None:
        """The filing date recorded on a signed contract sets the day the OPCO's silence becomes a refusal."""
        terms = case.contract
        if not terms.signed or terms.start_date is None:
            return
        decision = self.contract_deadlines(case).opco_decision_due
        terms.opco_decision_due = decision.due if decision is not None else None
        sources = dict(terms.legal_sources or {})
        if decision is not None:
            sources["opco_decision_due"] = [decision.source]
        else:
            sources.pop("opco_decision_due", None)
        terms.legal_sources = sources
        terms.dirty = True

    def resume_window_end(self, broken_on: date) -> date:
        """L6222-18-2: after a break the CFA keeps the apprentice in training for up to 6 months."""
        return search_after_break_end(self.ruleset, broken_on).due

    def pay_schedule(self, case: Case, *, smc: Decimal | None = None) -> list[PayPeriod]:
        """D6222-26 over the contract, to its end, with D6222-28-1 and D6222-29 when they apply; `smc`, the
        collective agreement's minimum, is the reference from 21 when higher than the SMIC."""
        start = case.contract.start_date
        assert start is not None
        previous, _ = self.previous_contract(case)
        frame = self._contract_frame(case)
        years = frame.pop("years", None)
        return pay_schedule(self.ruleset, case.candidate.birth_date, start, years, **frame, smc=smc,
                            previous_contract=previous)

    def deadlines(self, case: Case) -> Deadlines:
        start = case.contract.start_date
        assert start is not None
        return deadlines(self.ruleset, start, case.programme.start_date)

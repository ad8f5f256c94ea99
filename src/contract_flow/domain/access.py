"""The one access policy: who may see a case, and who may do what to it, from the case's current parties.

- staff (an advisor, a programme lead): the cases of their CFA's programmes;
- the academic tutor named on the case (fact `tutor`);
- the mentor (maître d'apprentissage) of the case's current contract: not of a contract that was broken, nor of
  an earlier one once the search resumed;
- the apprentice: their own case: the one their user is linked to; a user linked to no case, the cases of their
  own CFA whose candidate email is theirs (a case opened elsewhere with their email, or another case of the same
  person, is not shown to them: the link, set by the CFA, is what says which case is theirs);
- the system: the engine's own moves and the CLI's explicit operator mode (trusted batch jobs).
The contract dossier (CERFA FA13) is read by the case's staff, mentor and apprentice; staff fill every section, the
mentor the employer's and the mentors', the apprentice their own (`authorize_section`).
A case outside one's scope is refused exactly as a case that does not exist (`OutOfScope`, a `NotFound`); a case in
scope but an action not for one's role is `Forbidden`. Every entrypoint meets this policy in the use cases; lists
apply the same scope as SQL (services/access.py).
"""

from __future__ import annotations

from enum import StrEnum

from contract_flow.domain.case import Actor, Case, Part, Role
from contract_flow.domain.dossier.model import Section
from contract_flow.domain.errors import Forbidden, OutOfScope
from contract_flow.domain.states import ENDED_CONTRACT_STATES

#: CFA staff: the advisors and the programme leads (the system is not staff: it is the engine, or the operator).
STAFF = frozenset({Role.ADVISOR, Role.PROGRAMME_LEAD})
#: Who administers a CFA: its users and its programmes (there is no administrator role).
ADMINISTRATORS = frozenset({Role.PROGRAMME_LEAD})
#: A contract broken (or cancelled before its start) is nobody's current contract: its mentor no longer sees the
#: case (L6222-18).
BROKEN = frozenset(ENDED_CONTRACT_STATES)


class Action(StrEnum):
    READ = "read"
    READ_LEDGER = "read_ledger"
    MOVE = "move"
    RECORD_FACTS = "record_facts"
    RECORD_ABSENCE = "record_absence"
    PLAN_REVIEW = "plan_review"
    LOG_REVIEW = "log_review"
    MISS_REVIEW = "miss_review"
    RESCHEDULE_REVIEW = "reschedule_review"
    CANCEL_REVIEW = "cancel_review"
    ACKNOWLEDGE_REVIEW = "acknowledge_review"
    READ_DOSSIER = "read_dossier"
    EDIT_DOSSIER_SECTION = "edit_dossier_section"
    READ_INVOICES = "read_invoices"
    FILE_CONTRACT = "file_contract"
    RECORD_OPCO_DECISION = "record_opco_decision"
    AMEND_CONTRACT = "amend_contract"
    READ_AMENDMENTS = "read_amendments"
    MANAGE_USERS = "manage_users"
    MANAGE_PROGRAMMES = "manage_programmes"
    TDB_FEED = "tdb_feed"
    EXPORT_PERSON = "export_person"
    ERASE_PERSON = "erase_person"
    READ_RETENTION_LOG = "read_retention_log"
    RUN_RETENTION = "run_retention"
    EXPORT_CASES = "export_cases"
    READ_EXPORTS = "read_exports"


#: The roles each action is for, and how a refusal names the action.
_ORGANISERS = frozenset({Role.TUTOR, *STAFF})
#: The contract dossier is read by those who sign it or prepare it: the CFA's staff, the mentor (for the
#: employer), the apprentice.
_SIGNATORIES = frozenset({Role.MENTOR, Role.APPRENTICE, *STAFF})
RULES: dict[Action, tuple[frozenset[Role], str]] = {
    Action.READ: (frozenset(Role), "reading a case"),
    Action.READ_LEDGER: (STAFF, "the reminder ledger"),
    Action.MOVE: (STAFF, "moving a case"),
    Action.RECORD_FACTS: (STAFF, "recording facts"),
    Action.RECORD_ABSENCE: (frozenset({Role.MENTOR, *STAFF}), "recording an absence"),
    Action.PLAN_REVIEW: (_ORGANISERS, "planning a review"),
    Action.LOG_REVIEW: (_ORGANISERS, "logging a review"),
    Action.MISS_REVIEW: (_ORGANISERS, "recording a missed review"),
    Action.RESCHEDULE_REVIEW: (_ORGANISERS, "rescheduling a review"),
    Action.CANCEL_REVIEW: (_ORGANISERS, "cancelling a review"),
    Action.ACKNOWLEDGE_REVIEW: (frozenset({Role.APPRENTICE, Role.MENTOR, Role.TUTOR}), "acknowledging a review"),
    Action.READ_DOSSIER: (_SIGNATORIES, "reading the contract dossier"),
    Action.EDIT_DOSSIER_SECTION: (_SIGNATORIES, "filling in the contract dossier"),
    Action.READ_INVOICES: (STAFF, "the CFA's invoice lines"),
    # The CFA follows the filing the employer makes (often on its behalf) and the OPCO's answer (D6224-1, D6224-2).
    Action.FILE_CONTRACT: (STAFF, "recording the contract's filing with the OPCO"),
    Action.RECORD_OPCO_DECISION: (STAFF, "recording the OPCO's decision"),
    # an amendment changes a signed contract's terms and its dossier's kept versions: the CFA's staff record it
    Action.AMEND_CONTRACT: (STAFF, "amending a signed contract"),
    Action.READ_AMENDMENTS: (STAFF, "the contract's amendments"),
    # There is no administrator role: the programme lead runs the CFA's people and programmes (issue 15, item 5),
    # those of their own CFA only (services/user_scope.py); the operator (the CLI) every CFA's.
    Action.MANAGE_USERS: (ADMINISTRATORS, "managing the CFA's users"),
    Action.MANAGE_PROGRAMMES: (ADMINISTRATORS, "managing the CFA's programmes"),
    # The CFA's learners sent to the Tableau de bord (issue 16): its staff export, push and read the pushes.
    Action.TDB_FEED: (STAFF, "the CFA's Tableau de bord feed"),
    # The data subject's rights (RGPD art. 15, 17, 20) are answered by the CFA, the controller: its staff, for the
    # people of their CFA (services/retention.py); the apprentice exports their own data. The retention job runs
    # over every CFA: the operator and the daily job only.
    Action.EXPORT_PERSON: (STAFF, "exporting a person's data"),
    Action.ERASE_PERSON: (STAFF, "erasing a person's data"),
    Action.READ_RETENTION_LOG: (STAFF, "the anonymisation log"),
    Action.RUN_RETENTION: (frozenset(), "running the retention job"),
    # A list of cases with names taken out of the engine (CSV, .xlsx) is the CFA's staff's to take, and logged; the
    # log of those exports is theirs to read (issue 16, item 5: RGPD art. 5-2, accountability).
    Action.EXPORT_CASES: (STAFF, "exporting a list of cases"),
    Action.READ_EXPORTS: (STAFF, "the log of exports"),
}

#: The sections of the contract dossier (CERFA FA13) each role fills, beside CFA staff who fill or correct all of
#: them (issue 14: "filled by the people who know it"): the mentor the employer's and the mentors' of their own
#: case, the apprentice their own identity. Whose case it is, is `sees`'.
DOSSIER_SECTIONS_BY_ROLE: dict[Role, frozenset[Section]] = {
    Role.MENTOR: frozenset({Section.EMPLOYER, Section.MENTORS}),
    Role.APPRENTICE: frozenset({Section.APPRENTICE}),
}


def may_edit_section(actor: Actor, section: Section) -> bool:
    """Whether the actor's role fills this section of the dossier (the case being theirs to see aside)."""
    if actor.role is Role.SYSTEM or actor.role in STAFF:
        return True
    return section in DOSSIER_SECTIONS_BY_ROLE.get(actor.role, frozenset())


def authorize_section(actor: Actor, case: Case, section: Section) -> None:
    """`authorize` for filling one section of the case's dossier: out of scope first, then the role's sections."""
    authorize(actor, Action.EDIT_DOSSIER_SECTION, case)
    if not may_edit_section(actor, section):
        whose = sorted(role.value.replace("_", " ") for role, sections in DOSSIER_SECTIONS_BY_ROLE.items()
                       if section in sections)
        raise Forbidden(f"the dossier's {section} section", actor.role.value,
                        " or ".join(["CFA staff", *whose]))


def parts_to_judge(actor: Actor) -> frozenset[Part]:
    """What of a case the policy reads for this actor: a mentor's scope is the current contract's."""
    return frozenset({Part.CONTRACT}) if actor.role is Role.MENTOR else frozenset()


def sees(actor: Actor, case: Case) -> bool:
    """Whether the case is in the actor's scope (the same condition as services.access.case_scope's SQL)."""
    role = actor.role
    if role is Role.SYSTEM:
        return True
    if role in STAFF:
        return case.programme.cfa_code == (actor.cfa_code or "")
    if role is Role.TUTOR:
        return case.tutor_email is not None and case.tutor_email == actor.email
    if role is Role.MENTOR:
        return case.state not in BROKEN and case.contract.mentor_email == actor.email
    if role is Role.APPRENTICE:
        return _own_case(actor, case)
    return False


def _own_case(apprentice: Actor, case: Case) -> bool:
    """The case the apprentice's user is linked to; linked to none, a case of their own CFA with their email."""
    if apprentice.case_id is not None:
        return apprentice.case_id == case.id
    return (apprentice.cfa_code is not None and case.programme.cfa_code == apprentice.cfa_code
            and case.candidate.email == apprentice.email)


def authorize_role(actor: Actor, action: Action) -> None:
    """Forbidden unless the action is for the actor's role: for what concerns a CFA, not one case (its invoice
    lines); the list is then scoped to the actor's CFA as every staff list is."""
    roles, what = RULES[action]
    if actor.role is not Role.SYSTEM and actor.role not in roles:
        names = " or ".join(sorted(role.value.replace("_", " ") for role in roles))
        raise Forbidden(what, actor.role.value, names)


def authorize(actor: Actor, action: Action, case: Case, *, kind: str = "case", key: object = None) -> None:
    """OutOfScope (as "not found": `kind` and `key` name what the caller asked for, the case or its review) unless
    the case is the actor's to see; Forbidden when the action is not for the actor's role."""
    if not sees(actor, case):
        raise OutOfScope(kind, case.id if key is None else key)
    roles, what = RULES[action]
    if actor.role is not Role.SYSTEM and actor.role not in roles:
        names = " or ".join(sorted(role.value.replace("_", " ") for role in roles))
        raise Forbidden(what, actor.role.value, names)

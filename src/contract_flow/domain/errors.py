"""Errors in the domain's words. Entrypoints map them to exit codes and HTTP statuses in one place each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from contract_flow.domain.reason_texts import FORBIDDEN_WHAT, FORBIDDEN_WHO
from contract_flow.domain.reasons import Code, Label, Reason

#: The names of what an error is about, in both languages (an unknown kind is shown as it is).
KINDS: dict[str, Label] = {
    "case": Label(fr="dossier", en="case"), "review": Label(fr="entretien", en="review"),
    "user": Label(fr="utilisateur", en="user"), "programme": Label(fr="formation", en="programme"),
    "dossier": Label(fr="dossier du contrat", en="dossier"), "amendment": Label(fr="avenant", en="amendment"),
}


def _kind(kind: str) -> Label | str:
    return KINDS.get(kind, kind)


class DomainError(Exception):
    """Base of every error the engine raises on purpose."""

    @property
    def said(self) -> str:
        """The message, as a Reason when it has words in every language (pages and the CLI word it in theirs;
        the API keeps its English, str(error))."""
        return str(self)


class InvalidInput(DomainError):
    """A value given by a person is malformed or impossible; `field` names it, `rule` says why."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule

    @property
    def said(self) -> str:
        return Reason("input", field=self.field, rule=self.rule) if isinstance(self.rule, Reason) else str(self)


class NotNow(InvalidInput):
    """A well-formed value the case's current situation does not allow (an OPCO's decision before the contract is
    filed, a filing of a contract not signed): `field` names it, `rule` says what must happen first. HTTP 409,
    the CLI's "refused" (exit 1); a page shows it next to the field as any InvalidInput."""


class InvalidRuleInput(InvalidInput, ValueError):
    """A value the legal rules' computations (domain/rules) refuse: an InvalidInput, said in the reader's language,
    that is also the ValueError those computations have always raised, so that their callers catching ValueError (the
    dossier's pay lines and checks, an amendment's values computed again) keep catching it."""


class NotFound(DomainError):
    """Something named by the caller does not exist (or is not theirs to see)."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key} not found")
        self.kind = kind
        self.key = key

    @property
    def said(self) -> str:
        return Reason("not_found", kind=_kind(self.kind), key=str(self.key))


class OutOfScope(NotFound):
    """A case (or review) that exists but is not the actor's to see: worded and answered exactly as one that does not
    exist (HTTP 404), so ids cannot be probed; the CLI, a trusted local tool, exits 1 (refused) rather than 2."""


class TransitionRefused(DomainError):
    """A guard refused a trigger: `reasons` say what is missing, each a thing a person can act on."""

    def __init__(self, case_id: int | None, trigger: str, reasons: Sequence[str]) -> None:
        self.case_id = case_id
        self.trigger = trigger
        self.reasons = tuple(reasons)
        super().__init__(f"case {case_id}: {trigger} refused: " + "; ".join(self.reasons))

    @property
    def said(self) -> str:
        return Reason("transition_refused", case=str(self.case_id), trigger=Code("trigger", self.trigger),
                      reasons=self.reasons)


class TriggerNotAllowed(DomainError):
    """The trigger does not leave the case's current state; the message lists the ones that do."""

    def __init__(self, case_id: int | None, trigger: str, state: str, allowed: Sequence[str],
                 kind: str = "case") -> None:
        self.case_id = case_id
        self.trigger = trigger
        self.state = state
        self.allowed = tuple(allowed)
        self.kind = kind
        choices = ", ".join(self.allowed) if self.allowed else "none (final state)"
        super().__init__(f"{kind} {case_id}: {trigger} is not allowed in state {state}; allowed now: {choices}")

    @property
    def said(self) -> str:
        kind, case, trigger = _kind(self.kind), str(self.case_id), Code("trigger", self.trigger)
        if not self.allowed:
            return Reason("not_allowed_final", kind=kind, case=case, trigger=trigger, state=Code("state", self.state))
        return Reason("not_allowed", kind=kind, case=case, trigger=trigger, state=Code("state", self.state),
                      choices=tuple(Code("trigger", choice) for choice in self.allowed))


class ConflictError(DomainError):
    """Someone else changed the case since it was read (optimistic lock): reload and try again."""

    def __init__(self, case_id: int, expected_version: int, actual_version: int | None = None,
                 kind: str = "case") -> None:
        self.case_id = case_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        self.kind = kind
        now = f" (it is now at version {actual_version})" if actual_version is not None else ""
        super().__init__(
            f"{kind} {case_id} was changed by someone else since version {expected_version}{now}: "
            "reload it and try again"
        )

    @property
    def said(self) -> str:
        values = {"kind": _kind(self.kind), "case": str(self.case_id), "expected": str(self.expected_version)}
        if self.actual_version is None:
            return Reason("conflict", **values)
        return Reason("conflict_now", **values, actual=str(self.actual_version))


class NotAuthenticated(DomainError):
    """No valid credentials: the HTTP API answers 401."""

    def __init__(self, message: str = "a valid bearer token is required") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    """The user is known but their role does not allow this (on something they may see)."""

    def __init__(self, what: str, role: str, allowed: str) -> None:
        super().__init__(f"{what} is for {allowed}; you are {role}")
        self.what = what
        self.role = role
        self.allowed = allowed

    @property
    def said(self) -> str:
        what = Label(fr=FORBIDDEN_WHAT.get(self.what, "cette action"), en=self.what)
        who = tuple(Label(fr=FORBIDDEN_WHO[name], en=name) if name in FORBIDDEN_WHO
                    else Code("role", name.replace(" ", "_"), name) for name in self.allowed.split(" or "))
        return Reason("forbidden", what=what, allowed=_either(who), role=Code("role", self.role))


def roles_either(roles: Iterable[str]) -> Reason | Label | Code:
    """Roles' codes as «advisor or programme lead», in each language (sorted by their English names)."""
    return _either(tuple(Code("role", role, role.replace("_", " "))
                         for role in sorted(roles, key=lambda role: role.replace("_", " "))))


def _either(who: tuple[Label | Code, ...]) -> Reason | Label | Code:
    """«advisor or programme lead»: the names joined by «or», in each language."""
    if len(who) == 1:
        return who[0]
    return Reason("either", first=who[0], rest=_either(who[1:]))

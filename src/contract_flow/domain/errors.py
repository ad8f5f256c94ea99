"""Errors in the domain's words. Entrypoints map them to exit codes and HTTP statuses in one place each."""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """Base of every error the engine raises on purpose."""


class InvalidInput(DomainError):
    """A value given by a person is malformed or impossible; `field` names it, `rule` says why."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


class NotNow(InvalidInput):
    """A well-formed value the case's current situation does not allow (an OPCO's decision before the contract is
    filed, a filing of a contract not signed): `field` names it, `rule` says what must happen first. HTTP 409,
    the CLI's "refused" (exit 1); a page shows it next to the field as any InvalidInput."""


class NotFound(DomainError):
    """Something named by the caller does not exist (or is not theirs to see)."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key} not found")
        self.kind = kind
        self.key = key


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

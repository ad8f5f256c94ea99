"""Reading the entries of an already-parsed rule file (TOML tables) with messages that name the entry.

A rule file is edited by hand by the people who keep the law up to date: every refusal says which entry
(`smic[2]`, `school[5]`) and which key is wrong, and what would be right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.rules.dates import parse_iso_date


class RuleSetError(ValueError):
    """A rule set or programme calendar is malformed or incoherent; the message names the entry.

    `said` is the message as given: a Reason (domain.reason_texts.RULE_FILE_TEXTS) the pages and the CLI word in
    the reader's language, as a calendar uploaded on the programme's page is refused in French; str(error) is its
    English."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.said = message


def shown(value: object) -> object:
    """A value of a file quoted as it was written: a text as typed (« 31/02 » in French), anything else as Python
    writes it (the English these refusals always had)."""
    return Typed(value) if isinstance(value, str) else repr(value)


@dataclass(frozen=True, slots=True)
class Entry:
    """One table of an array of tables, with the label the messages use (`smic[2]`, 1-based as people count)."""

    label: str
    data: Mapping[str, object]

    def check_keys(self, required: AbstractSet[str], optional: AbstractSet[str] = frozenset()) -> None:
        missing = sorted(required - self.data.keys())
        if missing:
            raise RuleSetError(Reason("file_keys_missing", entry=self.label, keys=", ".join(missing)))
        unknown = sorted(self.data.keys() - required - optional)
        if unknown:
            allowed = ", ".join(sorted(required | optional))
            raise RuleSetError(Reason("file_keys_unknown", entry=self.label, keys=", ".join(unknown), allowed=allowed))

    def as_date(self, key: str) -> date:
        try:
            return parse_iso_date(f"{self.label}.{key}", self.data[key])
        except ValueError as error:
            raise RuleSetError(error.args[0]) from None  # its Reason

    def as_optional_date(self, key: str) -> date | None:
        return self.as_date(key) if key in self.data else None

    def as_text(self, key: str) -> str:
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            raise RuleSetError(Reason("file_not_text", entry=f"{self.label}.{key}"))
        return value

    def as_int(self, key: str, minimum: int = 0) -> int:
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise RuleSetError(Reason("file_not_whole", entry=f"{self.label}.{key}", minimum=str(minimum),
                                          value=shown(value)))
        return value

    def as_flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise RuleSetError(Reason("file_not_flag", entry=f"{self.label}.{key}", value=shown(value)))
        return value

    def as_decimal(self, key: str) -> Decimal:
        """An exact amount or percentage: a string ("1823.03") or an integer; floats would lose the cents."""
        return to_decimal(f"{self.label}.{key}", self.data[key])


def to_decimal(label: str, value: object) -> Decimal:
    """An exact positive Decimal from a string or an integer; RuleSetError naming `label` otherwise."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RuleSetError(Reason("file_amount_kind", entry=label, value=shown(value)))
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise RuleSetError(Reason("file_not_number", entry=label, value=shown(value))) from None
    if not amount.is_finite() or amount <= 0:
        raise RuleSetError(Reason("file_not_positive", entry=label, value=shown(value)))
    return amount


def entries(data: Mapping[str, object], section: str, *, prefix: str = "") -> list[Entry]:
    """The tables of the array `section` (`[[section]]`), labelled `section[1]`, `section[2]`... (1-based)."""
    raw = data.get(section)
    if raw is None:
        raise RuleSetError(Reason("file_section_missing", section=f"{prefix}{section}"))
    if not isinstance(raw, list) or not raw:
        raise RuleSetError(Reason("file_section_not_list", section=f"{prefix}{section}"))
    found: list[Entry] = []
    for index, item in enumerate(raw, start=1):
        label = f"{prefix}{section}[{index}]"
        if not isinstance(item, Mapping):
            raise RuleSetError(Reason("file_not_table", entry=label))
        found.append(Entry(label, item))
    return found


def _describe_span(first: date, last: date | None) -> Reason:
    return Reason("file_span_until", first=first, last=last) if last is not None else Reason("file_span_open",
                                                                                             first=first)


def check_span(label: str, first: date, last: date | None) -> None:
    """Refuse an inverted validity (`until` before `effective_from`)."""
    if last is not None and last < first:
        raise RuleSetError(Reason("file_until_before", entry=label, last=last, first=first))


def check_continuous(spans: Sequence[tuple[str, date, date | None]]) -> list[int]:
    """Order the dated entries (label, effective_from, until) and refuse overlaps and gaps.

    A rule in force must be found on every day after the first entry, so the series is continuous: each entry
    starts the day after the previous one's `until`. Returns the positions of the entries in date order.
    """
    order = sorted(range(len(spans)), key=lambda position: spans[position][1])
    for previous, current in pairwise(order):
        label, first, _ = spans[current]
        previous_label, previous_first, previous_until = spans[previous]
        span = _describe_span(previous_first, previous_until)
        if previous_until is None:
            raise RuleSetError(Reason("file_overlap_open", entry=label, first=first, other=previous_label, span=span,
                                      day=first - timedelta(days=1)))
        if first <= previous_until:
            raise RuleSetError(Reason("file_overlap", entry=label, first=first, other=previous_label, span=span))
        if first > previous_until + timedelta(days=1):
            raise RuleSetError(Reason("file_gap", entry=label, first=first, other=previous_label, span=span,
                                      day=previous_until + timedelta(days=1)))
    return order

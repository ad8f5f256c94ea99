"""Parsing what people type into typed values, with an error that names the field and the rule."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from contract_flow.domain.errors import InvalidInput

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_WEEKLY_HOURS = Decimal(48)  # L3121-20: no more than 48 hours in one week.


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
MAX_AMOUNT = Decimal("99999999.99")
MAX_CONTRACT_YEARS = 4  # the columns hold 10 digits, 2 after the point


def parse_date(field: str, text: str) -> date:
    """YYYY-MM-DD only: Python also reads 20260901 or 2026-W36-2, which people do not mean as dates."""
    value = text.strip()
    try:
        if not _ISO_DAY.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not a date (expected YYYY-MM-DD, a day that exists)") from None


def parse_amount(field: str, text: str) -> Decimal:
    """A sum in euros: at most two decimals, never negative ("1 234,56" and "1234.56" both read)."""
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(field, f"{text!r} is not an amount in euros (e.g. 1234.56)") from None
    if not amount.is_finite() or amount.is_signed():
        raise InvalidInput(field, f"{text!r} must be a positive amount in euros")
    if amount > MAX_AMOUNT:
        raise InvalidInput(field, f"{text!r} is more than {MAX_AMOUNT} €")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(field, f"{text!r} has more than two decimals (amounts are in cents)")
    return amount.quantize(Decimal("0.01"))


def parse_hours(field: str, text: str) -> Decimal:
    try:
        hours = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(field, f"{text!r} is not a number of hours") from None
    if not hours.is_finite() or not Decimal(0) < hours <= MAX_WEEKLY_HOURS:
        raise InvalidInput(field, f"{text!r}: weekly hours must be above 0 and at most 48 (L3121-20)")
    return hours


def parse_year_number(field: str, text: str) -> int:
    """A year of a programme or of a contract: 1 to 4 (L6222-7-1, R6222-47: at most 3 years, 4 with a disability)."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_CONTRACT_YEARS:
        raise InvalidInput(field, f"{text!r} is not a year number from 1 to {MAX_CONTRACT_YEARS} "
                                  "(a contract lasts at most 3 years, 4 for a disabled apprentice: R6222-47)")
    return int(value)


def parse_email(field: str, text: str) -> str:
    value = text.strip()
    if not _EMAIL.match(value):
        raise InvalidInput(field, f"{text!r} is not an email address")
    return value.lower()


def parse_text(field: str, text: str, max_length: int = 200) -> str:
    value = " ".join(text.split())
    if not value:
        raise InvalidInput(field, "must not be empty")
    if len(value) > max_length:
        raise InvalidInput(field, f"is longer than {max_length} characters")
    return value


def parse_bool(field: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"yes", "true", "1", "oui"}:
        return True
    if lowered in {"no", "false", "0", "non"}:
        return False
    raise InvalidInput(field, f"{text!r} is not yes or no")


def parse_birth_date(field: str, text: str, today: date) -> date:
    born = parse_date(field, text)
    if born > today:
        raise InvalidInput(field, f"{born.isoformat()} is in the future")
    if born.year < today.year - 100:
        raise InvalidInput(field, f"{born.isoformat()} is more than 100 years ago")
    return born

"""Plain data for JSON, the same from the CLI (--json) and the HTTP API: amounts stay exact (two decimals, as
text), dates ISO, instants ISO in UTC (the same instant reads the same whether it was just written with the
clock's offset or read back from the database), enums their value."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


def jsonable(value: Any) -> Any:  # noqa: PLR0911 (one case per type)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(jsonable(v) for v in value)
    return value

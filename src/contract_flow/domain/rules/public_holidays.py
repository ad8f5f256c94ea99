"""French public holidays (jours fériés), the days neither company days nor working days (jours ouvrables)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from functools import lru_cache

import holidays

HolidaysProvider = Callable[[int, int], Collection[date]]
"""Public holidays of the years `first_year` to `last_year` (inclusive); injectable for tests or regions."""


@lru_cache(maxsize=64)
def french_public_holidays(first_year: int, last_year: int) -> frozenset[date]:
    """Public holidays of metropolitan France as `holidays.France` lists them (Code du travail L3133-1)."""
    return frozenset(holidays.country_holidays("FR", years=range(first_year, last_year + 1)))

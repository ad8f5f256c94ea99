"""A reason a dossier may not be signed: the field it is about, why, and the article (or form) that says so."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    field: str  # "contract.weekly_hours", "mentors.1.experience_years", "pay.2.rate"
    reason: str
    article: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason} ({self.article})"

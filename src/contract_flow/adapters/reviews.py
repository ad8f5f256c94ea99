"""Tripartite reviews in and out of the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from contract_flow.adapters.tables import review_table
from contract_flow.domain.errors import ConflictError, NotFound
from contract_flow.domain.reviews import Party, Review, ReviewState, SkillLevel

T = review_table


def _review(row: Any) -> Review:
    return Review(
        id=row["id"], case_id=row["case_id"], due_by=row["due_by"], planned_at=row["planned_at"],
        place=row["place"], participants={Party(k): v for k, v in row["participants"].items()},
        state=ReviewState(row["state"]), attended={Party(k): bool(v) for k, v in row["attended"].items()},
        skills={k: SkillLevel(v) for k, v in row["skills"].items()},
        mentor_observations=row["mentor_observations"], tutor_observations=row["tutor_observations"],
        next_steps=row["next_steps"],
        acknowledged={Party(k): datetime.fromisoformat(v) for k, v in row["acknowledged"].items()},
        version=row["version"], scheduled_at=row["scheduled_at"],
    )


def _values(review: Review) -> dict[str, Any]:
    return {
        "case_id": review.case_id, "due_by": review.due_by, "planned_at": review.planned_at,
        "scheduled_at": review.scheduled_at, "place": review.place,
        "participants": {str(k): v for k, v in review.participants.items()}, "state": str(review.state),
        "attended": {str(k): v for k, v in review.attended.items()},
        "skills": {k: str(v) for k, v in review.skills.items()},
        "mentor_observations": review.mentor_observations, "tutor_observations": review.tutor_observations,
        "next_steps": review.next_steps,
        "acknowledged": {str(k): v.isoformat() for k, v in review.acknowledged.items()},
    }


class ReviewRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection

    def get(self, review_id: int) -> Review:
        row = self.connection.execute(sa.select(T).where(T.c.id == review_id)).mappings().first()
        if row is None:
            raise NotFound("review", review_id)
        return _review(row)

    def get_many(self, review_ids: list[int]) -> dict[int, Review]:
        """The reviews of these ids that exist, by id (one query per 500)."""
        found: dict[int, Review] = {}
        for start in range(0, len(review_ids), 500):  # bound the IN list (SQLite's variable limit)
            rows = self.connection.execute(sa.select(T).where(T.c.id.in_(review_ids[start:start + 500])))
            found.update((int(row["id"]), _review(row)) for row in rows.mappings())
        return found

    def for_case(self, case_id: int) -> list[Review]:
        rows = self.connection.execute(sa.select(T).where(T.c.case_id == case_id).order_by(T.c.due_by, T.c.id))
        return [_review(r) for r in rows.mappings()]

    def for_cases(self, case_ids: list[int]) -> dict[int, list[Review]]:
        """The reviews of each of these cases (one query), as `for_case` orders them."""
        found: dict[int, list[Review]] = {}
        for start in range(0, len(case_ids), 500):  # bound the IN list (SQLite's variable limit)
            rows = self.connection.execute(sa.select(T).where(T.c.case_id.in_(case_ids[start:start + 500]))
                                           .order_by(T.c.case_id, T.c.due_by, T.c.id))
            for row in rows.mappings():
                found.setdefault(row["case_id"], []).append(_review(row))
        return found

    def all(self) -> list[Review]:
        rows = self.connection.execute(sa.select(T).order_by(T.c.case_id, T.c.due_by, T.c.id))
        return [_review(r) for r in rows.mappings()]

    def add(self, review: Review) -> int:
        review.version = 1
        review.id = int(self.connection.execute(
            sa.insert(T).values(**_values(review), version=1).returning(T.c.id)).scalar_one())
        return review.id

    def save(self, review: Review) -> None:
        """Write the review if nobody changed it since it was read (its own optimistic lock)."""
        assert review.id is not None
        result = self.connection.execute(
            sa.update(T).where(T.c.id == review.id, T.c.version == review.version)
            .values(**_values(review), version=review.version + 1))
        if result.rowcount != 1:
            raise ConflictError(review.id, review.version, kind="review")
        review.version += 1

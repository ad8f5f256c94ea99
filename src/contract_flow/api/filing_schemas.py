"""Bodies of the filing resource (issue 14, item 6): the filing with the OPCO and the OPCO's answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from contract_flow.api.schemas import Strict


class FilingIn(Strict):
    """The day the OPCO received the complete file, and the OPCO (default: the dossier's employer section's)."""

    filed_on: date
    opco: Annotated[str, Field(max_length=100, examples=["OPCO 2i"])] | None = None


class DecisionIn(Strict):
    """The OPCO's answer: accepted with the DECA number, or refused with the reason; `decided_on` defaults to
    today."""

    decision: Literal["accepted", "refused"]
    decided_on: date | None = None
    deca_number: Annotated[str, Field(max_length=40, examples=["02B202212000000"])] | None = None
    reason: Annotated[str, Field(max_length=2000)] | None = None


class FilingOut(BaseModel):
    """Where the contract stands with its OPCO: not_filed, waiting (to the 20th day after the filing), accepted,
    refused, refused_silence (no answer past the 20th day: D6224-2, CRPA L231-4)."""

    case_id: int
    version: int
    status: Literal["not_filed", "waiting", "accepted", "refused", "refused_silence"]
    filed_on: date | None = None
    opco: str | None = None
    decision_due: date | None = None
    decided_on: date | None = None
    deca_number: str | None = None
    refusal_reason: str | None = None


class ToFixOut(BaseModel):
    field: str
    reason: str
    article: str


class FilingViewOut(FilingOut):
    """The filing, whether it may be filed or answered now, and on a refusal what the dossier's checks refuse."""

    state: str
    may_file: bool
    may_decide: bool
    dossier_opco: str | None = None
    to_fix: list[ToFixOut] = []

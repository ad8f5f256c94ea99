"""The dossier as JSON (`GET /api/v1/cases/{id}/dossier.json`): what `contract_flow.dossier_document.dossier_json`
gives, typed so that its schema is in the OpenAPI document.

Values are machine values: a code of its list (its labels beside it), an ISO date, an amount or a rate as text with
two decimals ("1234.56", "53.00"), true/false, a whole number, null when nobody filled the field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from contract_flow.domain.dossier import Section


class _Out(BaseModel):
    # the JSON is built by dossier_json: a key it does not give, or one more, is a bug to see in the tests
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabelsOut(_Out):
    fr: str
    en: str


class DossierFieldOut(_Out):
    name: Annotated[str, Field(description="The field as refusals name it", examples=["mentors.1.last_name"])]
    key: Annotated[str, Field(description="The field in its section or item", examples=["address.postcode"])]
    label: LabelsOut
    required: Annotated[bool, Field(description="The form requires it (some only in some cases: a minor's legal "
                                                "representative)")]
    codes: Annotated[str | None, Field(description="The code list of its value (by its name in CODE_LISTS)",
                                       examples=["employer_types"])]
    value: Annotated[StrictBool | StrictInt | StrictStr | None,
                     Field(examples=["12", "2026-09-01", "1900.00", True, 35])]
    code_label: Annotated[LabelsOut | None, Field(description="The code's label, when the value is a code")]


class DossierItemOut(_Out):
    number: Annotated[int | None, Field(description="A mentor's or pay line's number from 1; null for a section "
                                                    "of one object")]
    fields: list[DossierFieldOut]


class DossierSectionOut(_Out):
    section: Section
    label: LabelsOut
    items: Annotated[list[DossierItemOut], Field(description="One for a section of one object; one per mentor or "
                                                             "pay line (none while unfilled)")]


class DossierOut(_Out):
    form: Annotated[str, Field(examples=["CERFA FA13 n° 10103*14"])]
    case_id: int
    version: Annotated[int | None, Field(description="The kept version (signed or amended); null for the dossier "
                                                     "being filled")]
    sections: list[DossierSectionOut]


class DossierVersionOut(_Out):
    """A kept version of the dossier (`GET /api/v1/cases/{id}/dossier/versions`): the one signed, then one per
    amendment, its PDF and JSON downloadable unchanged."""

    version: Annotated[int, Field(examples=[1])]
    kind: Annotated[str, Field(description="signed or amendment", examples=["signed"])]
    created_at: Annotated[str, Field(description="When it was kept (ISO 8601, UTC)",
                                     examples=["2026-08-20T08:00:00+00:00"])]
    created_by: Annotated[str, Field(description="Who signed or amended", examples=["claire.conseil@cfa.example"])]
    pdf: Annotated[str, Field(description="Its PDF", examples=["/api/v1/cases/7/dossier.pdf?version=1"])]
    json_url: Annotated[str, Field(alias="json", description="Its JSON",
                                   examples=["/api/v1/cases/7/dossier.json?version=1"])]

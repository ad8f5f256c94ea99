"""The contract dossier's sections as typed resources (`/api/v1/cases/{id}/dossier/{section}`): one model per
section of the CERFA FA13, each field described in the OpenAPI document by the form's own label (French, then
English) and, for a code, its list (`domain.dossier.FORM`, the one table the pages, the CLI and the PDF read).

Values are machine values, as `dossier.json` gives them: a code of its list, an ISO date, true/false, a whole
number, an amount or a rate as text ("1900.00", "53.00"), null when nobody filled the field. The models only give
the shape; every rule (NIR key, IDCC of four digits, codes, dates, pay at or above the minimum...) is the domain's,
refused naming the field exactly as the CLI and the pages refuse it (422, nothing saved).

A PUT gives the section as it should be: a field left out or null is emptied, except the case's own values
(`from_case`, `read_only`), which are kept when left out (they are changed on the case, or given again).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from contract_flow.domain.dossier import FORM, Label, Section
from contract_flow.domain.dossier.form import MAX_MENTORS, MAX_PAY_LINES, FormField

Text = str | None
Flag = StrictBool | None
Whole = int | None
Day = date | None
#: An amount or a rate: text, at most two decimals ("1900.00", "53").
Amount = Annotated[str | None, Field(examples=["1900.00"])]


def _described(fields: Mapping[str, FormField]) -> Callable[[dict[str, Any]], None]:
    """The OpenAPI description of each property from the form's table, and a code's list as its `enum`."""

    def describe(schema: dict[str, Any]) -> None:
        for name, prop in schema.get("properties", {}).items():
            spec = fields.get(name)
            if spec is None:
                continue
            text = f"{spec.label.fr} ({spec.label.en})" + ("" if spec.required else "; optional on the form")
            if spec.codes is not None:
                text += ". Codes: " + "; ".join(f"{code} = {spec.codes.label(code)}" for code in spec.codes)
                for branch in prop.get("anyOf", [prop]):
                    if branch.get("type") == "string":
                        branch["enum"] = list(spec.codes)
            prop["description"] = text

    return describe


def _fields(section: Section, prefix: str = "") -> dict[str, FormField]:
    """The section's fields by their name in a model (`prefix` "address." for an address's own model)."""
    return {spec.key.removeprefix(prefix): spec for spec in FORM[section] if spec.key.startswith(prefix)}


def _nested(section: Section, **groups: Label) -> dict[str, FormField]:
    """The flat fields of `section`, and a description for each nested group (address, legal representative)."""
    found = {key: spec for key, spec in _fields(section).items() if "." not in key}
    found.update({name: FormField(name, label) for name, label in groups.items()})
    return found


class SectionValues(BaseModel):
    # a field the form does not have is refused (422 naming it), never dropped
    model_config = ConfigDict(extra="forbid")


class AddressValues(SectionValues):
    """An address as the form writes it."""

    number: Annotated[Text, Field(description="N° et indice de répétition (number, with bis/ter)",
                                  examples=["12 bis"])] = None
    street: Annotated[Text, Field(description="Voie (street)")] = None
    complement: Annotated[Text, Field(description="Complément (complement)")] = None
    postcode: Annotated[Text, Field(description="Code postal (postcode, 5 digits)", examples=["30100"])] = None
    town: Annotated[Text, Field(description="Commune (town)")] = None


class EmployerValues(SectionValues):
    """The employer (CERFA FA13, first section)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_described(_nested(
        Section.EMPLOYER, address=Label("Adresse de l'établissement d'exécution", "Workplace address"))))

    public: Flag = None
    siret: Annotated[Text, Field(examples=["73282932000074"])] = None
    name: Text = None
    address: AddressValues | None = None
    phone: Annotated[Text, Field(examples=["+33466785000"])] = None
    email: Text = None
    employer_type: Annotated[Text, Field(examples=["12"])] = None
    specific_employer: Text = None
    headcount: Whole = None
    idcc_code: Annotated[Text, Field(examples=["3248"])] = None
    idcc_name: Text = None
    naf_code: Annotated[Text, Field(examples=["28.99B"])] = None
    opco: Text = None


class LegalRepresentativeValues(SectionValues):
    """Who signs with a non-emancipated minor (R6222-2)."""

    name: Annotated[Text, Field(description="Représentant légal : nom et prénom (legal representative: name)")] = None
    email: Annotated[Text, Field(description="Représentant légal : courriel (legal representative: email)")] = None
    address: AddressValues | None = None


class ApprenticeValues(SectionValues):
    """The apprentice. Their names, birth date and email are the case's (`read_only`): changed on the case."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_described(_nested(
        Section.APPRENTICE, address=Label("Adresse de l'apprenti(e)", "The apprentice's address"),
        legal_representative=Label("Représentant légal d'un(e) mineur(e) non émancipé(e)",
                                   "Legal representative of a non-emancipated minor"))))

    last_name: Text = None
    usage_name: Text = None
    first_name: Text = None
    sex: Text = None
    birth_date: Day = None
    born_in_france: Flag = None
    birth_town: Text = None
    birth_department: Annotated[Text, Field(examples=["30"])] = None
    nir: Annotated[Text, Field(examples=["2 04 05 30 007 123 45"])] = None
    nationality: Text = None
    social_scheme: Text = None
    address: AddressValues | None = None
    phone: Text = None
    email: Text = None
    rqth: Flag = None
    boe: Flag = None
    disability_equivalence: Flag = None
    business_creation: Flag = None
    high_level_athlete: Flag = None
    situation_before: Text = None
    last_diploma_prepared: Text = None
    last_diploma_title: Text = None
    highest_diploma: Text = None
    last_class: Text = None
    minor: Flag = None
    not_emancipated: Flag = None
    legal_representative: LegalRepresentativeValues | None = None


class MentorValues(SectionValues):
    """One maître d'apprentissage and what their eligibility rests on (R6223-22, L6223-8-1)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_described(_fields(Section.MENTORS)))

    last_name: Text = None
    first_name: Text = None
    birth_date: Day = None
    job: Text = None
    diploma: Text = None
    diploma_level: Text = None
    diploma_in_field: Flag = None
    experience_years: Whole = None
    email: Text = None
    eligibility_attested: Flag = None


class MentorsValues(SectionValues):
    """One or two mentors (the first one's names and email are the case's)."""

    mentors: Annotated[list[MentorValues], Field(max_length=MAX_MENTORS, description=(
        "The mentors in order, at most two (none while unfilled)"))] = []


class ContractValues(SectionValues):
    """The contract: its type, dates, working time, pay at hiring, benefits, signature."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_described(_fields(Section.CONTRACT)))

    mode: Text = None
    contract_type: Annotated[Text, Field(examples=["11"])] = None
    derogation: Text = None
    previous_contract_number: Text = None
    signature_date: Day = None
    start_date: Day = None
    practical_training_start: Day = None
    end_date: Day = None
    amendment_effective_date: Day = None
    weekly_hours: Whole = None
    weekly_minutes: Whole = None
    risky_work: Flag = None
    smc: Amount = None
    hiring_pay: Amount = None
    food_benefit: Amount = None
    housing_benefit: Amount = None
    other_benefits: Flag = None
    pension_fund: Text = None
    signature_place: Text = None
    documents_attested: Flag = None


class PayLineValues(SectionValues):
    """One period of the pay: a contract year, split at an age-band change; the employer may only pay more."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_described(_fields(Section.PAY)))

    contract_year: Whole = None
    start: Day = None
    end: Day = None
    rate: Annotated[Text, Field(examples=["53.00"])] = None
    minimum_rate: Annotated[Text, Field(examples=["53.00"])] = None
    reference: Text = None
    monthly_gross: Amount = None


class PayValues(SectionValues):
    """The pay lines, computed from the rules until someone corrects them."""

    lines: Annotated[list[PayLineValues], Field(max_length=MAX_PAY_LINES, description=(
        "The pay periods in order (at most 12), each starting after the one before ends"))] = []


class TrainingValues(SectionValues):
    """The training and the CFA, filled from the programme's configuration."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_described(_nested(
        Section.TRAINING, cfa_address=Label("Adresse du CFA", "Address of the CFA"),
        place_address=Label("Adresse du lieu principal de formation", "Main training place's address"))))

    cfa_run_by_employer: Flag = None
    cfa_siret: Text = None
    cfa_uai: Annotated[Text, Field(examples=["0300063F"])] = None
    cfa_name: Text = None
    cfa_address: AddressValues | None = None
    place_siret: Text = None
    place_uai: Text = None
    place_name: Text = None
    place_address: AddressValues | None = None
    rncp_code: Annotated[Text, Field(examples=["RNCP37412"])] = None
    diploma_code: Annotated[Text, Field(examples=["17025203"])] = None
    title: Text = None
    diploma_type: Text = None
    training_start: Day = None
    exams_end: Day = None
    training_hours: Whole = None
    remote_hours: Whole = None


VALUES: Mapping[Section, type[SectionValues]] = {
    Section.EMPLOYER: EmployerValues, Section.APPRENTICE: ApprenticeValues, Section.MENTORS: MentorsValues,
    Section.CONTRACT: ContractValues, Section.PAY: PayValues, Section.TRAINING: TrainingValues,
}
#: The list a numbered section's items are in.
ITEMS = {Section.MENTORS: "mentors", Section.PAY: "lines"}

Version = Annotated[int | None, Field(ge=0, le=999_999_999, description=(
    "The section's version as read (0: never saved): refused with 409 if it changed since. If-Match works too."))]


class EmployerIn(EmployerValues):
    version: Version = None


class ApprenticeIn(ApprenticeValues):
    version: Version = None


class MentorsIn(MentorsValues):
    mentors: Annotated[list[MentorValues], Field(min_length=1, max_length=MAX_MENTORS, description=(
        "One or two mentors, in order"))]
    version: Version = None


class ContractIn(ContractValues):
    version: Version = None


class PayIn(PayValues):
    version: Version = None


class TrainingIn(TrainingValues):
    version: Version = None


# -- answers ---------------------------------------------------------------------------------------------------
class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MissingOut(_Out):
    field: Annotated[str, Field(examples=["employer.idcc_code"])]
    label: str
    why: Annotated[str, Field(description="The form or the article that requires it")]


class RefusalOut(_Out):
    field: Annotated[str, Field(examples=["pay.1.rate"])]
    label: str
    reason: Annotated[str, Field(description="Why, in English (stable across languages)")]
    reason_text: Annotated[str, Field(description="Why, in the caller's language")]
    article: Annotated[str, Field(examples=["D6222-26"])]


class SectionOut(_Out):
    section: Section
    label: str
    version: Annotated[int, Field(description="0: pre-filled, never saved; send it back with a PUT")]
    updated_at: datetime | None
    updated_by: str | None
    editable: Annotated[bool, Field(description="Whether you may fill this section")]
    missing: list[MissingOut]
    from_case: Annotated[list[str], Field(description="Keys whose values are the case's: a change is written to it")]
    read_only: Annotated[list[str], Field(description="Keys read from the case, changed there (`case set`)")]
    refusals: Annotated[list[RefusalOut], Field(description="What stops the signature on this section's fields")]


class EmployerOut(SectionOut):
    values: EmployerValues


class ApprenticeOut(SectionOut):
    values: ApprenticeValues


class MentorsOut(SectionOut):
    values: MentorsValues


class ContractOut(SectionOut):
    values: ContractValues


class PayOut(SectionOut):
    values: PayValues


class TrainingOut(SectionOut):
    values: TrainingValues


class SectionsOut(_Out):
    employer: EmployerOut
    apprentice: ApprenticeOut
    mentors: MentorsOut
    contract: ContractOut
    pay: PayOut
    training: TrainingOut


class DossierViewOut(_Out):
    """The dossier being filled: each section with its version and what it lacks, and every reason it may not be
    signed yet (each naming the field and the article)."""

    case_id: int
    case_version: int
    state: str
    form: Annotated[str, Field(examples=["CERFA FA13 n° 10103*14"])]
    complete: Annotated[bool, Field(description="Every field the form requires is there")]
    lawful: Annotated[bool, Field(description="The values present break no rule checked at signature")]
    signable: Annotated[bool, Field(description="Complete and lawful: `sign` may be fired")]
    sections: SectionsOut
    refusals: list[RefusalOut]


# -- to and from the domain's data -----------------------------------------------------------------------------
def _flat(values: Mapping[str, Any], prefix: str = "") -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            found.update(_flat(value, f"{prefix}{key}."))
        else:
            found[f"{prefix}{key}"] = "" if value is None else value
    return found


def section_input(section: Section, body: SectionValues, every_key: list[str],
                  kept: frozenset[str]) -> dict[str, object]:
    """What `set_section` takes from a PUT's body: each field given (null: emptied), every other key of the section
    (`every_key`) emptied but the case's own (`kept`), which stay as they are when left out."""
    given = body.model_dump(exclude_unset=True, exclude={"version"})
    items = ITEMS.get(section)
    if items is None:
        data = _flat(given)
    else:
        data = {}
        for number, item in enumerate(given.get(items) or [], start=1):
            data.update(_flat(item, f"{number}."))
    return {**{key: "" for key in every_key if key not in kept}, **data}
